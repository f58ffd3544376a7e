//! The reference data prmlint maps onto, and the index the matcher searches.
//!
//! The types of the files in `mappings/` (`model`), the text normaliser that reference data
//! and register text both go through (`text`), and the knowledge base built from them
//! (`knowledge`). A crate of its own because prmlint's build script builds the index of the
//! embedded data with this same code when prmlint is compiled, and the binary reads it back:
//! the prebuilt index is exactly what `Knowledge::build` gives at run time.

#![forbid(unsafe_code)]

pub mod knowledge;
pub mod model;
mod relationship;
pub mod text;

pub use self::relationship::Relationship;

/// A table built from the reference data only (register text only looks keys up in it):
/// foldhash with a fixed seed, so the prebuilt index is the same on every build. Tables keyed
/// by register text use the same hash with a random seed (`foldhash::HashMap`).
pub type FixedMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;

/// The set of [`FixedMap`].
pub type FixedSet<T> = std::collections::HashSet<T, foldhash::fast::FixedState>;
