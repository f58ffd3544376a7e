//! Helpers shared by the integration tests that run the binary.

pub mod xlsx;

use assert_cmd::Command;

/// The bundled example registers (`fixtures/registers/`), each a different kind of
/// organisation and input format.
pub const EXAMPLES: &[&str] = &[
    "fixtures/registers/service-provider.json",
    "fixtures/registers/bank-cobit.json",
    "fixtures/registers/university.csv",
    "fixtures/registers/mittelstand-de.json",
    "fixtures/registers/manufacturer-9001-22301.json",
];

/// The binary, run from the crate root with colour off.
pub fn prmlint() -> Command {
    let mut command = assert_cmd::cargo::cargo_bin_cmd!("prmlint");
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1");
    command
}
