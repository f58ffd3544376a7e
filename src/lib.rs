//! prmlint: map an organisation's process register onto the ISO/IEC TS 27022 process
//! reference model (PRM) and report gaps, duplicates and processes to reuse.
//!
//! ```text
//! load      bytes -> text -> Document (register + spans)   load/, source/
//! validate  schema + hygiene rules -> findings             validate/
//! map       each process -> PRM mappings with evidence     mapping/ (+ crates/reference)
//! analyse   coverage, gaps, duplicates, reuse              analysis/
//! settle    decisions, configuration, baseline             project/
//! report    findings + analysis -> bytes                   report/ (+ i18n/)
//! ```
//!
//! `pipeline` runs the first three as data in and data out, for `app` and the fuzz targets.
//! Stages take data and give data; `diag` holds the findings they give. Only `report` writes
//! bytes, and only `app` prints and picks the exit code.

#![forbid(unsafe_code)]

// The stages, in pipeline order.
pub mod source;

pub mod load;

pub mod validate;

pub mod mapping;

pub mod analysis;

pub mod project;

pub mod report;

// What they share: the pipeline that runs them, the findings they give, the report languages,
// and the command line that drives them.
pub mod pipeline;

pub mod diag;

pub mod i18n;

pub mod app;

pub use prmlint_reference::model;
