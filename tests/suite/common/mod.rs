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

/// What one run of the binary gave.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Run the binary in `dir` with `args`, colour off.
pub fn run_in(dir: &std::path::Path, args: &[&str]) -> Run {
    let output = assert_cmd::cargo::cargo_bin_cmd!("prmlint")
        .current_dir(dir)
        .args(args)
        .args(["--color", "never"])
        .output()
        .unwrap();
    Run {
        code: output.status.code().unwrap(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}
