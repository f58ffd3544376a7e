//! The trycmd cases in `tests/cmd/` (see its README): `init`, `explain`, `decide` and `schema`
//! run as a user runs them, with what they print, their exit code and the files they leave.

#[test]
fn command_cases_print_and_write_what_their_files_say() {
    trycmd::TestCases::new()
        .default_bin_path(env!("CARGO_BIN_EXE_prmlint"))
        .env("NO_COLOR", "1")
        .case("tests/cmd/*.toml");
}
