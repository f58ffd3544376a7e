//! Helpers shared by the integration tests that run the binary.

pub mod xlsx;

use assert_cmd::Command;

/// The binary, run from the crate root with colour off.
pub fn prmlint() -> Command {
    let mut command = assert_cmd::cargo::cargo_bin_cmd!("prmlint");
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1");
    command
}
