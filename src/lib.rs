//! prmlint: map an organisation's process register onto the ISO/IEC TS 27022 process
//! reference model (PRM) and report gaps, duplicates and processes to reuse.
//!
//! ```text
//! load      bytes -> text -> Register (+ spans)        load/, json, source
//! validate  schema + hygiene rules -> findings          schema, hygiene
//! map       each process -> PRM mappings with evidence  mapping/, reference, model
//! analyse   coverage, gaps, duplicates, reuse          analysis/
//! report    findings + analysis -> bytes               report/
//! ```
//!
//! Stages take data and give data; only `report` writes bytes and only `app` picks the exit code.

#![forbid(unsafe_code)]

pub mod analysis;
pub mod app;
pub mod baseline;
pub mod cli;
pub mod config;
pub mod decisions;
pub mod finding;
pub mod fingerprint;
pub mod hygiene;
pub mod i18n;
pub mod json;
pub mod load;
pub mod mapping;
pub use prmlint_reference::model;
pub mod reference;
pub mod register;
pub mod report;
pub mod rules;
pub mod schema;
pub mod source;
pub mod timings;
pub mod userfile;
