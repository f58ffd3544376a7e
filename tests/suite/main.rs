//! The integration tests, in one binary: each module tests one area through the real binary
//! or the library, with the helpers of `common`. One binary links the crate once instead of
//! once per file. Run one area with `cargo test --test suite formats::`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

mod check_report;
mod cli_validate;
mod cmd;
mod config_baseline;
mod crosswalk_data;
mod decisions;
mod eval;
mod explain_init;
mod exports;
mod false_coverage;
mod formats;
mod hostile;
mod html_report;
mod limits;
mod mapping_concepts;
mod model_cli;
mod model_data;
mod output_safety;
mod properties;
