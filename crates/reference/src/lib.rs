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
