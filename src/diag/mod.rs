//! Diagnostics: the findings every stage produces, the registry of rule codes, the stable
//! fingerprints written into files, and the one "did you mean" suggestion.

pub mod finding;
pub mod fingerprint;
pub mod rules;
pub mod suggest;
