//! `prmlint validate` through the real binary: every schema and hygiene rule, every kind of bad
//! input, the exit codes and the output options. JSON reports are parsed back and checked field
//! by field; a few text reports are pinned with insta snapshots.
//!
//! Committed fixtures live in `fixtures/invalid/` and `fixtures/valid/` (each README says what a
//! file shows); inputs that are large, binary or awkward to commit are generated here into a
//! temporary directory.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use assert_cmd::Command;
use common::prmlint;
use serde_json::Value;

/// What one run left behind.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(command: &mut Command) -> Run {
    let output = command.output().expect("prmlint runs");
    let run = Run {
        code: output.status.code().expect("prmlint exits with a code"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    };
    assert!(
        run.code != 101 && !run.stderr.contains("panicked"),
        "prmlint panicked:\n{}",
        run.stderr
    );
    run
}

/// A finding of the JSON report, reduced to what the tests compare.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Found {
    code: String,
    severity: String,
    file: Option<String>,
    pointer: String,
    line: Option<u64>,
    column: Option<u64>,
    message: String,
    help: String,
    processes: Vec<String>,
}

impl Found {
    fn from_json(value: &Value) -> Found {
        let location = &value["location"];
        let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
        Found {
            code: text(&value["code"]),
            severity: text(&value["severity"]),
            file: location["file"].as_str().map(str::to_owned),
            pointer: text(&location["pointer"]),
            line: location["line"].as_u64(),
            column: location["column"].as_u64(),
            message: text(&value["message"]),
            help: text(&value["help"]),
            processes: value["processes"]
                .as_array()
                .expect("processes is an array")
                .iter()
                .map(text)
                .collect(),
        }
    }

    /// `(code, line, column)`: the three things every rule test pins.
    fn place(&self) -> (&str, u64, u64) {
        (
            self.code.as_str(),
            self.line.expect("finding has a line"),
            self.column.expect("finding has a column"),
        )
    }
}

/// A parsed `validate --format json` report.
struct Report {
    code: i32,
    findings: Vec<Found>,
    summary: Value,
}

impl Report {
    fn places(&self) -> Vec<(&str, u64, u64)> {
        self.findings.iter().map(Found::place).collect()
    }

    fn codes(&self) -> Vec<&str> {
        self.findings.iter().map(|f| f.code.as_str()).collect()
    }

    fn only(&self, code: &str) -> &Found {
        let matching: Vec<&Found> = self.findings.iter().filter(|f| f.code == code).collect();
        assert_eq!(
            matching.len(),
            1,
            "one {code} expected: {:?}",
            self.findings
        );
        matching[0]
    }
}

/// `prmlint validate --format json ARGS...`, parsed.
fn validate_json(args: &[&str]) -> Report {
    report(
        prmlint()
            .arg("validate")
            .args(args)
            .args(["--format", "json"]),
    )
}

fn report(command: &mut Command) -> Report {
    let run = run(command);
    let json: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not a JSON report ({e}):\n{}\nstderr:\n{}",
            run.stdout, run.stderr
        )
    });
    Report {
        code: run.code,
        findings: json["findings"]
            .as_array()
            .expect("findings is an array")
            .iter()
            .map(Found::from_json)
            .collect(),
        summary: json["summary"].clone(),
    }
}

/// `prmlint validate --color never ARGS...`: exit code and text report, with `dir` (a temporary
/// directory) shown as `[TMP]`.
fn validate_text(args: &[&str], dir: Option<&Path>) -> (i32, String) {
    let run = run(prmlint().args(["validate", "--color", "never"]).args(args));
    let mut text = run.stdout;
    if let Some(dir) = dir {
        text = text.replace(&dir.display().to_string(), "[TMP]");
    }
    (run.code, text)
}

fn invalid(name: &str) -> String {
    format!("fixtures/invalid/{name}")
}

fn valid(name: &str) -> String {
    format!("fixtures/valid/{name}")
}

fn fixture_text(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temporary directory")
}

/// Write `bytes` to `name` in `dir` and return the path as a string.
fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

// --- schema rules -------------------------------------------------------------------------------

#[test]
fn unknown_property_underlines_the_name_on_its_line_and_suggests_the_field() {
    let report = validate_json(&[&invalid("unknown-property.json")]);
    assert_eq!(report.code, 1);
    let unknown = report.only("unknown-property");
    assert_eq!(unknown.place(), ("unknown-property", 7, 7));
    assert_eq!(unknown.pointer, "/processes/0/ownr");
    assert_eq!(unknown.severity, "error");
    assert!(
        unknown.help.contains("did you mean `owner`?"),
        "{unknown:?}"
    );
    // The misspelt owner does not count as an owner; the `x-` field beside it is no finding.
    assert_eq!(report.codes(), ["missing-owner", "unknown-property"]);
}

#[test]
fn unknown_property_text_report_underlines_the_property_name() {
    let (code, text) = validate_text(&[&invalid("unknown-property.json")], None);
    assert_eq!(code, 1);
    insta::assert_snapshot!("unknown_property", text);
}

#[test]
fn vendor_x_fields_are_accepted_silently_at_every_level() {
    let report = validate_json(&[&valid("vendor-fields.json")]);
    assert_eq!(report.code, 0);
    assert!(report.findings.is_empty(), "{:?}", report.findings);
}

#[test]
fn wrong_type_is_a_schema_violation_at_the_value_and_nothing_more() {
    let report = validate_json(&[&invalid("wrong-type.json")]);
    assert_eq!(report.code, 1);
    assert_eq!(report.places(), [("schema-violation", 8, 21)]);
    let finding = &report.findings[0];
    assert_eq!(finding.pointer, "/processes/0/activities");
    assert_eq!(
        finding.message,
        "`activities`: expected array, found a string"
    );
}

#[test]
fn missing_id_and_name_are_schema_violations_at_the_process() {
    let report = validate_json(&[&invalid("missing-id-and-name.json")]);
    assert_eq!(report.code, 1);
    assert_eq!(
        report.places(),
        [("schema-violation", 3, 5), ("schema-violation", 9, 5)]
    );
    assert_eq!(report.findings[0].message, "missing required property `id`");
    assert_eq!(report.findings[0].pointer, "/processes/0");
    assert_eq!(
        report.findings[1].message,
        "missing required property `name`"
    );
    assert_eq!(report.findings[1].pointer, "/processes/1");
}

#[test]
fn status_outside_the_enum_is_a_schema_violation_at_the_value() {
    let report = validate_json(&[&invalid("bad-status.json")]);
    assert_eq!(report.code, 1);
    assert_eq!(report.places(), [("schema-violation", 8, 17)]);
    assert_eq!(
        report.findings[0].message,
        r#"`status`: "live" is not one of "active", "draft", "retired""#
    );
}

#[test]
fn id_breaking_the_pattern_is_a_schema_violation_and_an_empty_id_is_reported_once() {
    let report = validate_json(&[&invalid("bad-id-pattern.json")]);
    assert_eq!(report.code, 1);
    assert_eq!(
        report.places(),
        [("schema-violation", 4, 13), ("schema-violation", 11, 13)]
    );
    assert!(
        report.findings[0]
            .message
            .starts_with(r#"`id`: "ISMS 01" does not match the pattern"#),
        "{:?}",
        report.findings[0]
    );
    assert_eq!(report.findings[1].message, "`id`: must not be empty");
}

// --- hygiene rules ------------------------------------------------------------------------------

#[test]
fn duplicate_key_points_at_the_repeated_key() {
    let report = validate_json(&[&invalid("duplicate-key.json")]);
    assert_eq!(report.code, 1);
    assert_eq!(report.places(), [("duplicate-key", 8, 7)]);
    assert_eq!(report.findings[0].pointer, "/processes/0/owner");
    assert_eq!(report.findings[0].message, "key `owner` appears twice");
}

#[test]
fn duplicate_key_text_report_shows_both_keys() {
    let (code, text) = validate_text(&[&invalid("duplicate-key.json")], None);
    assert_eq!(code, 1);
    assert!(text.contains("first here") && text.contains("repeated here"));
    insta::assert_snapshot!("duplicate_key", text);
}

#[test]
fn duplicate_id_points_at_the_second_use() {
    let report = validate_json(&[&invalid("duplicate-id.json")]);
    assert_eq!(report.code, 1);
    assert_eq!(report.places(), [("duplicate-id", 11, 13)]);
    let finding = &report.findings[0];
    assert_eq!(finding.pointer, "/processes/1/id");
    assert_eq!(finding.processes, ["ISMS-01"]);
}

#[test]
fn duplicate_id_text_report_shows_the_first_use_and_the_second() {
    let (code, text) = validate_text(&[&invalid("duplicate-id.json")], None);
    assert_eq!(code, 1);
    assert!(text.contains("first used here"), "{text}");
    assert!(text.contains("used again here"), "{text}");
    insta::assert_snapshot!("duplicate_id", text);
}

#[test]
fn duplicate_id_across_files_names_the_first_file_and_place() {
    let report = validate_json(&[
        &valid("minimal.json"),
        &invalid("duplicate-id-across-files.json"),
    ]);
    assert_eq!(report.code, 1);
    assert_eq!(report.places(), [("duplicate-id", 4, 13)]);
    let finding = &report.findings[0];
    assert_eq!(
        finding.file.as_deref(),
        Some("fixtures/invalid/duplicate-id-across-files.json")
    );
    assert_eq!(
        finding.message,
        "process id `ISMS-02` is used more than once (first used in fixtures/valid/minimal.json:16:13)"
    );
    // Each file alone is clean.
    for path in [
        valid("minimal.json"),
        invalid("duplicate-id-across-files.json"),
    ] {
        assert!(validate_json(&[&path]).findings.is_empty(), "{path}");
    }
}

#[test]
fn unknown_parent_points_at_the_parent_and_suggests_the_closest_id() {
    let report = validate_json(&[&invalid("unknown-parent.json")]);
    assert_eq!(report.code, 1);
    assert_eq!(report.places(), [("unknown-parent", 15, 17)]);
    let finding = &report.findings[0];
    assert_eq!(finding.pointer, "/processes/1/parent");
    assert_eq!(finding.help, "did you mean `ISMS-01`?");
}

#[test]
fn parent_cycle_of_one_process_says_it_is_its_own_parent() {
    let report = validate_json(&[&invalid("parent-cycle-self.json")]);
    assert_eq!(report.code, 1);
    assert_eq!(report.places(), [("parent-cycle", 8, 17)]);
    assert_eq!(
        report.findings[0].message,
        "process `ISMS-01` is its own parent"
    );
}

#[test]
fn parent_cycle_of_three_processes_is_reported_once_at_the_first() {
    let report = validate_json(&[&invalid("parent-cycle-three.json")]);
    assert_eq!(report.code, 1);
    assert_eq!(report.places(), [("parent-cycle", 8, 17)]);
    let finding = &report.findings[0];
    assert_eq!(finding.message, "parent cycle: AUD -> RISK -> GOV -> AUD");
    assert_eq!(finding.processes, ["AUD", "GOV", "RISK"]);
}

#[test]
fn parent_cycle_text_report_underlines_the_parent() {
    let (code, text) = validate_text(&[&invalid("parent-cycle-three.json")], None);
    assert_eq!(code, 1);
    insta::assert_snapshot!("parent_cycle_three", text);
}

#[test]
fn parent_cycle_of_a_thousand_processes_is_reported_once() {
    let dir = temp_dir();
    let mut register = String::from("{\n  \"processes\": [\n");
    for i in 0..1000 {
        let parent = (i + 1) % 1000;
        let _ = writeln!(
            register,
            "    {{\"id\": \"P{i:04}\", \"name\": \"Process {i}\", \"description\": \"d\", \
             \"owner\": \"o\", \"activities\": [\"a\"], \"parent\": \"P{parent:04}\"}}{}",
            if i == 999 { "" } else { "," }
        );
    }
    register.push_str("  ]\n}\n");
    let path = write(dir.path(), "cycle-1000.json", register.as_bytes());
    let report = validate_json(&[&path]);
    assert_eq!(report.code, 1);
    let column = register.lines().nth(2).unwrap().find("\"P0001\"").unwrap() as u64 + 1;
    assert_eq!(report.places(), [("parent-cycle", 3, column)]);
    let finding = &report.findings[0];
    assert_eq!(
        finding.message,
        "parent cycle: P0000 -> P0001 -> P0002 -> P0003 -> P0004 ... (1000 processes)"
    );
    assert_eq!(finding.processes.len(), 1000);
}

#[test]
fn unknown_prm_id_points_at_the_id_and_suggests_the_closest() {
    let report = validate_json(&[&invalid("unknown-prm-id.json")]);
    assert_eq!(report.code, 1);
    assert_eq!(report.places(), [("unknown-prm-id", 9, 28)]);
    let finding = &report.findings[0];
    assert_eq!(finding.pointer, "/processes/0/maps_to/0/prm");
    assert!(
        finding.help.starts_with("did you mean `risk-assessment`?"),
        "{finding:?}"
    );
}

#[test]
fn duplicate_mapping_is_a_warning_at_the_second_entry() {
    let report = validate_json(&[&invalid("duplicate-mapping.json")]);
    assert_eq!(report.code, 0, "a warning does not fail by default");
    assert_eq!(report.places(), [("duplicate-mapping", 11, 18)]);
    let finding = &report.findings[0];
    assert_eq!(finding.severity, "warning");
    assert_eq!(finding.pointer, "/processes/0/maps_to/1/prm");
}

#[test]
fn retired_with_mappings_is_a_warning_at_maps_to() {
    let report = validate_json(&[&invalid("retired-with-mappings.json")]);
    assert_eq!(report.code, 0);
    assert_eq!(report.places(), [("retired-with-mappings", 10, 7)]);
    assert_eq!(report.findings[0].severity, "warning");
    assert_eq!(report.findings[0].pointer, "/processes/0/maps_to");
}

#[test]
fn missing_owner_is_a_warning_at_the_process_id() {
    let report = validate_json(&[&invalid("missing-owner.json")]);
    assert_eq!(report.code, 0);
    assert_eq!(report.places(), [("missing-owner", 4, 7)]);
    assert_eq!(report.findings[0].severity, "warning");
    assert_eq!(report.findings[0].processes, ["ISMS-01"]);
}

#[test]
fn missing_description_counts_blank_text_as_missing() {
    let report = validate_json(&[&invalid("missing-description.json")]);
    assert_eq!(report.code, 0);
    assert_eq!(
        report.places(),
        [
            ("missing-description", 4, 7),
            ("missing-description", 11, 7)
        ]
    );
}

#[test]
fn empty_activities_is_a_note_for_an_empty_list_and_for_an_absent_field() {
    let report = validate_json(&[&invalid("empty-activities.json")]);
    assert_eq!(report.code, 0);
    assert_eq!(
        report.places(),
        [("empty-activities", 8, 7), ("empty-activities", 11, 7)]
    );
    assert_eq!(report.findings[0].pointer, "/processes/0/activities");
    assert_eq!(report.findings[1].pointer, "/processes/1/id");
    assert!(report.findings.iter().all(|f| f.severity == "note"));
}

// --- bad input ----------------------------------------------------------------------------------

#[test]
fn empty_file_is_invalid_json_and_exits_2() {
    let report = validate_json(&[&invalid("empty.json")]);
    assert_eq!(report.code, 2);
    assert_eq!(report.codes(), ["invalid-json"]);
    assert_eq!(report.findings[0].message, "the file is empty");
}

#[test]
fn text_that_is_not_json_is_invalid_json_at_its_first_character() {
    let report = validate_json(&[&invalid("not-json.json")]);
    assert_eq!(report.code, 2);
    assert_eq!(report.places(), [("invalid-json", 1, 1)]);
    assert_eq!(report.findings[0].message, "invalid JSON: expected value");
}

#[test]
fn truncated_json_says_the_file_ends_early_where_it_ends() {
    let report = validate_json(&[&invalid("truncated.json")]);
    assert_eq!(report.code, 2);
    assert_eq!(report.places(), [("invalid-json", 5, 48)]);
    assert!(report.findings[0].help.contains("ends early"));
}

#[test]
fn truncated_json_text_report_points_at_the_end() {
    let (code, text) = validate_text(&[&invalid("truncated.json")], None);
    assert_eq!(code, 2);
    insta::assert_snapshot!("truncated", text);
}

#[test]
fn top_level_array_is_a_schema_violation_at_the_root() {
    let report = validate_json(&[&invalid("top-level-array.json")]);
    assert_eq!(report.code, 1);
    assert_eq!(report.places(), [("schema-violation", 1, 1)]);
    assert_eq!(
        report.findings[0].message,
        "the register: expected object, found an array"
    );
}

#[test]
fn invalid_utf8_is_an_encoding_error_and_exits_2() {
    let dir = temp_dir();
    let mut bytes = fixture_text(&valid("minimal.json")).into_bytes();
    // Windows-1252 "ä" in the organisation name, as a legacy spreadsheet export writes it.
    let at = bytes.windows(7).position(|w| w == b"Example").unwrap();
    bytes[at + 2] = 0xE4;
    let path = write(dir.path(), "latin1.json", &bytes);
    let report = validate_json(&[&path]);
    assert_eq!(report.code, 2);
    assert_eq!(report.codes(), ["invalid-encoding"]);
    assert!(
        report.findings[0]
            .message
            .contains(&format!("invalid UTF-8 at byte {}", at + 2)),
        "{:?}",
        report.findings[0]
    );
}

#[test]
fn utf8_byte_order_mark_is_accepted() {
    let report = validate_json(&[&valid("utf8-bom.json")]);
    assert_eq!(report.code, 0);
    assert!(report.findings.is_empty(), "{:?}", report.findings);
}

#[test]
fn utf8_byte_order_mark_does_not_shift_columns() {
    let dir = temp_dir();
    let text = fixture_text(&invalid("missing-owner.json"));
    let path = write(
        dir.path(),
        "bom.json",
        &[b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
    );
    let report = validate_json(&[&path]);
    assert_eq!(report.code, 0);
    assert_eq!(report.places(), [("missing-owner", 4, 7)]);
}

#[test]
fn utf16_with_byte_order_mark_is_accepted_in_both_byte_orders() {
    let dir = temp_dir();
    let text = fixture_text(&valid("minimal.json"));
    let units: Vec<u16> = text.encode_utf16().collect();
    let little: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(units.iter().flat_map(|u| u.to_le_bytes()))
        .collect();
    let big: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(units.iter().flat_map(|u| u.to_be_bytes()))
        .collect();
    for (name, bytes) in [("utf16le.json", little), ("utf16be.json", big)] {
        let path = write(dir.path(), name, &bytes);
        let report = validate_json(&[&path]);
        assert_eq!(report.code, 0, "{name}");
        assert!(report.findings.is_empty(), "{name}: {:?}", report.findings);
    }
}

#[test]
fn utf16_findings_are_placed_in_characters() {
    let dir = temp_dir();
    let text = fixture_text(&invalid("unknown-property.json"));
    let bytes: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let path = write(dir.path(), "utf16.json", &bytes);
    let report = validate_json(&[&path]);
    assert_eq!(report.code, 1);
    assert_eq!(
        report.only("unknown-property").place(),
        ("unknown-property", 7, 7)
    );
}

#[test]
fn processes_that_is_not_an_array_is_a_schema_violation() {
    let report = validate_json(&[&invalid("processes-not-array.json")]);
    assert_eq!(report.code, 1);
    assert_eq!(report.places(), [("schema-violation", 2, 16)]);
    assert_eq!(
        report.findings[0].message,
        "`processes`: expected array, found an object"
    );
}

#[test]
fn process_that_is_a_string_is_a_schema_violation() {
    let report = validate_json(&[&invalid("process-is-string.json")]);
    assert_eq!(report.code, 1);
    assert_eq!(report.places(), [("schema-violation", 3, 5)]);
    assert_eq!(
        report.findings[0].message,
        "process 0: expected object, found a string"
    );
}

#[test]
fn numbers_where_strings_belong_are_schema_violations_at_each_number() {
    let report = validate_json(&[&invalid("numbers-for-strings.json")]);
    assert_eq!(report.code, 1);
    assert_eq!(
        report.places(),
        [
            ("schema-violation", 4, 13),
            ("schema-violation", 7, 16),
            ("schema-violation", 8, 61),
        ]
    );
    let pointers: Vec<&str> = report.findings.iter().map(|f| f.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/processes/0/id",
            "/processes/0/owner",
            "/processes/0/activities/1"
        ]
    );
}

/// 10,000 levels of nesting in three shapes: inside `processes`, as the whole file, and as
/// objects inside `register`.
fn deep_registers() -> [(&'static str, String); 3] {
    const DEPTH: usize = 10_000;
    [
        (
            "deep-processes.json",
            format!(
                "{{\"processes\": {}{}}}",
                "[".repeat(DEPTH),
                "]".repeat(DEPTH)
            ),
        ),
        (
            "deep-root.json",
            format!("{}{}", "[".repeat(DEPTH), "]".repeat(DEPTH)),
        ),
        (
            "deep-register.json",
            format!(
                "{{\"processes\": [], \"register\": {}1{}}}",
                "{\"a\": ".repeat(DEPTH),
                "}".repeat(DEPTH)
            ),
        ),
    ]
}

#[test]
fn ten_thousand_levels_of_nesting_are_limit_exceeded_without_overflow() {
    let dir = temp_dir();
    for (name, text) in deep_registers() {
        let path = write(dir.path(), name, text.as_bytes());
        let report = validate_json(&[&path]);
        assert_eq!(report.code, 2, "{name}");
        assert_eq!(report.codes(), ["limit-exceeded"], "{name}");
        let finding = &report.findings[0];
        assert_eq!(
            finding.message, "the file nests deeper than the limit of 64 levels",
            "{name}"
        );
        assert!(finding.help.contains("--max-depth"), "{name}");
        assert_eq!(finding.line, Some(1), "{name}");
    }
}

#[test]
fn ten_thousand_levels_of_nesting_text_report_shows_a_window_of_the_line() {
    let dir = temp_dir();
    let [(name, text), ..] = deep_registers();
    let path = write(dir.path(), name, text.as_bytes());
    let (code, report) = validate_text(&[&path], Some(dir.path()));
    assert_eq!(code, 2);
    // The 20,000-character line is not printed whole.
    assert!(report.len() < 2_000, "{} bytes:\n{report}", report.len());
    insta::assert_snapshot!("deep_nesting", report);
}

#[test]
fn csv_without_an_id_column_is_rejected_and_exits_2() {
    let report = validate_json(&[&invalid("csv-missing-id-column.csv")]);
    assert_eq!(report.code, 2);
    assert_eq!(report.places(), [("invalid-csv", 1, 1)]);
    assert_eq!(
        report.findings[0].message,
        "the CSV header has no `id` column"
    );
}

#[test]
fn csv_ragged_rows_are_reported_at_each_row_and_exit_2() {
    let report = validate_json(&[&invalid("csv-ragged-rows.csv")]);
    assert_eq!(report.code, 2);
    assert_eq!(
        report.places(),
        [
            ("invalid-csv", 3, 1),
            // The short row has no owner and no activities: placed on its row, not the header.
            ("missing-owner", 3, 1),
            ("empty-activities", 3, 1),
            ("invalid-csv", 4, 1),
        ]
    );
    assert_eq!(
        report.findings[0].message,
        "row 2 has 3 cells but the header has 5"
    );
    assert_eq!(
        report.findings[3].message,
        "row 3 has 6 cells but the header has 5"
    );
}

#[test]
fn csv_ragged_rows_text_report_underlines_the_rows() {
    let (code, text) = validate_text(&[&invalid("csv-ragged-rows.csv")], None);
    assert_eq!(code, 2);
    insta::assert_snapshot!("csv_ragged_rows", text);
}

#[test]
fn csv_with_crlf_line_ends_places_findings_like_lf() {
    let dir = temp_dir();
    let text = fixture_text(&invalid("csv-ragged-rows.csv")).replace('\n', "\r\n");
    let path = write(dir.path(), "crlf.csv", text.as_bytes());
    let crlf = validate_json(&[&path]);
    let lf = validate_json(&[&invalid("csv-ragged-rows.csv")]);
    assert_eq!(crlf.code, 2);
    assert_eq!(crlf.places(), lf.places());
}

#[test]
fn json_with_crlf_line_ends_places_findings_like_lf() {
    let dir = temp_dir();
    let text = fixture_text(&invalid("unknown-property.json")).replace('\n', "\r\n");
    let path = write(dir.path(), "crlf.json", text.as_bytes());
    let report = validate_json(&[&path]);
    assert_eq!(report.code, 1);
    assert_eq!(
        report.places(),
        [("missing-owner", 4, 7), ("unknown-property", 7, 7)]
    );
}

#[test]
fn csv_separated_by_semicolons_is_read_with_the_detected_separator() {
    // A European spreadsheet's export: read as it is, not refused.
    let report = validate_json(&[&invalid("csv-semicolon-separated.csv")]);
    assert_eq!(report.code, 0);
    assert_eq!(report.places(), [("empty-activities", 2, 1)]);
}

#[test]
fn csv_column_named_twice_is_a_duplicate_key_at_the_second_header_cell() {
    let report = validate_json(&[&invalid("csv-duplicate-column.csv")]);
    assert_eq!(report.code, 1);
    assert_eq!(report.places(), [("duplicate-key", 1, 38)]);
    assert_eq!(report.findings[0].message, "column `id` appears twice");
}

#[test]
fn csv_quoted_fields_keep_separators_and_line_breaks_and_list_cells_split() {
    let path = valid("quoted-fields.csv");
    // A description holding `;`, `,`, `""` and a line break stays one string: a list would be
    // a schema violation.
    let report = validate_json(&[&path]);
    assert_eq!(report.code, 0);
    assert!(report.findings.is_empty(), "{:?}", report.findings);

    let run = run(prmlint().args(["map", &path, "--format", "json"]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let map: Value = serde_json::from_str(&run.stdout).unwrap();
    let processes = map["processes"].as_array().unwrap();
    let ids: Vec<&str> = processes
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["ISMS-01", "ISMS-02"]);
    assert_eq!(processes[0]["name"], "Incident; response\nteam");
    // The `maps_to` cell `incident-management:equal;communication:intersects` is two mappings.
    let declared: BTreeSet<(&str, &str)> = processes[0]["mappings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["source"] == "declared")
        .map(|m| (m["prm"].as_str().unwrap(), m["declared"].as_str().unwrap()))
        .collect();
    assert_eq!(
        declared,
        BTreeSet::from([
            ("communication", "intersects"),
            ("incident-management", "equal")
        ])
    );
}

#[test]
fn csv_list_cells_split_into_items_with_their_own_pointers() {
    let dir = temp_dir();
    let path = write(
        dir.path(),
        "lists.csv",
        b"id,name,description,owner,activities,maps_to\n\
          P1,Risk,\"Assesses risks; treats them\",CISO,Identify;Analyse,risk-assessment:equal;risk-treatmnt:subset\n",
    );
    let report = validate_json(&[&path]);
    assert_eq!(report.code, 1);
    assert_eq!(report.codes(), ["unknown-prm-id"]);
    assert_eq!(report.findings[0].pointer, "/processes/0/maps_to/1/prm");
    assert_eq!(
        report.findings[0].message,
        "`risk-treatmnt` is not a PRM process id"
    );
}

#[test]
fn missing_file_is_an_io_error_and_exits_2() {
    let report = validate_json(&["fixtures/invalid/no-such-register.json"]);
    assert_eq!(report.code, 2);
    assert_eq!(report.codes(), ["io-error"]);
    assert!(
        report.findings[0]
            .message
            .starts_with("cannot read fixtures/invalid/no-such-register.json:")
    );
}

#[test]
fn directory_is_an_io_error_and_exits_2() {
    let report = validate_json(&["fixtures/invalid"]);
    assert_eq!(report.code, 2);
    assert_eq!(report.codes(), ["io-error"]);
    assert_eq!(
        report.findings[0].message,
        "cannot read fixtures/invalid: it is a directory"
    );
}

#[test]
fn dash_reads_the_register_from_stdin() {
    let clean = report(
        prmlint()
            .args(["validate", "-", "--format", "json"])
            .write_stdin(fixture_text(&valid("minimal.json"))),
    );
    assert_eq!(clean.code, 0);
    assert!(clean.findings.is_empty());

    let flagged = report(
        prmlint()
            .args(["validate", "-", "--format", "json"])
            .write_stdin(fixture_text(&invalid("unknown-property.json"))),
    );
    assert_eq!(flagged.code, 1);
    let finding = flagged.only("unknown-property");
    assert_eq!(finding.file.as_deref(), Some("<stdin>"));
    assert_eq!(finding.place(), ("unknown-property", 7, 7));
}

#[test]
fn dash_reads_a_csv_register_from_stdin_with_input_format() {
    let report = report(
        prmlint()
            .args(["validate", "-", "--input-format", "csv", "--format", "json"])
            .write_stdin(fixture_text(&valid("quoted-fields.csv"))),
    );
    assert_eq!(report.code, 0);
    assert!(report.findings.is_empty(), "{:?}", report.findings);
}

// --- output and exit codes ----------------------------------------------------------------------

#[test]
fn clean_register_exits_0_with_a_summary_line() {
    let (code, text) = validate_text(&[&valid("minimal.json")], None);
    assert_eq!(code, 0);
    assert_eq!(
        text,
        "fixtures/valid/minimal.json: 0 error(s), 0 warning(s), 0 note(s) in 2 process(es)\n"
    );
}

#[test]
fn output_file_receives_the_report_and_stdout_stays_empty() {
    let dir = temp_dir();
    let out = dir.path().join("report.json");
    let run = run(prmlint().args([
        "validate",
        &invalid("duplicate-id.json"),
        "--format",
        "json",
        "-o",
        &out.display().to_string(),
    ]));
    assert_eq!(run.code, 1, "the exit code still reports the findings");
    assert_eq!(run.stdout, "");
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(written["findings"][0]["code"], "duplicate-id");
    assert_eq!(written["summary"]["error"], 1);
}

#[test]
fn output_file_refuses_to_overwrite_an_input_and_exits_2() {
    let dir = temp_dir();
    let text = fixture_text(&invalid("missing-owner.json"));
    let input = write(dir.path(), "register.json", text.as_bytes());
    // The same file, named two ways.
    let aliased = dir.path().join(".").join("register.json");
    for output in [input.clone(), aliased.display().to_string()] {
        let run = run(prmlint().args(["validate", &input, "-o", &output]));
        assert_eq!(run.code, 2);
        assert!(
            run.stderr
                .contains("refusing to write the report over the input file"),
            "{}",
            run.stderr
        );
        assert_eq!(std::fs::read_to_string(&input).unwrap(), text);
    }
}

#[test]
fn fail_on_sets_the_lowest_severity_that_exits_1() {
    let warning = invalid("missing-owner.json");
    let note = invalid("empty-activities.json");
    let error = invalid("duplicate-id.json");
    let cases = [
        (&warning, None, 0),
        (&warning, Some("error"), 0),
        (&warning, Some("warning"), 1),
        (&warning, Some("note"), 1),
        (&warning, Some("never"), 0),
        (&note, Some("warning"), 0),
        (&note, Some("note"), 1),
        (&error, None, 1),
        (&error, Some("never"), 0),
    ];
    for (path, fail_on, expected) in cases {
        let mut args = vec![path.as_str()];
        if let Some(level) = fail_on {
            args.extend(["--fail-on", level]);
        }
        let report = validate_json(&args);
        assert_eq!(report.code, expected, "{path} --fail-on {fail_on:?}");
    }
}

#[test]
fn fail_on_never_still_exits_2_when_an_input_cannot_be_read() {
    for path in [invalid("empty.json"), invalid("no-such-register.json")] {
        let report = validate_json(&[&path, "--fail-on", "never"]);
        assert_eq!(report.code, 2, "{path}");
    }
}

#[test]
fn json_report_counts_findings_per_severity() {
    // Ids differ across the three files, so there is no duplicate-id on top.
    let report = validate_json(&[
        &invalid("parent-cycle-three.json"),
        &invalid("retired-with-mappings.json"),
        &invalid("empty-activities.json"),
    ]);
    assert_eq!(
        report.summary,
        serde_json::json!({"error": 1, "warning": 1, "note": 2})
    );
}

#[test]
fn json_report_is_byte_identical_across_runs() {
    let args = [
        "validate",
        "fixtures/invalid/unknown-property.json",
        "fixtures/invalid/duplicate-id.json",
        "fixtures/invalid/parent-cycle-three.json",
        "fixtures/invalid/csv-ragged-rows.csv",
        "fixtures/valid/minimal.json",
        "fixtures/invalid/duplicate-id-across-files.json",
        "--format",
        "json",
    ];
    let first = run(prmlint().args(args));
    let second = run(prmlint().args(args));
    assert!(!first.stdout.is_empty());
    assert_eq!(first.stdout, second.stdout);
}

#[test]
fn no_fixture_makes_prmlint_panic_and_every_rule_is_covered() {
    let mut codes = BTreeSet::new();
    for folder in ["fixtures/invalid", "fixtures/valid"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            if name == "README.md" {
                continue;
            }
            let path = format!("{folder}/{name}");
            // `run` fails the test on a panic or exit code 101.
            let report = validate_json(&[&path]);
            assert!(matches!(report.code, 0..=2), "{path}: {}", report.code);
            codes.extend(report.findings.into_iter().map(|f| f.code));
        }
    }
    for code in [
        "io-error",
        "invalid-json",
        "invalid-csv",
        "unknown-property",
        "schema-violation",
        "duplicate-key",
        "duplicate-id",
        "unknown-parent",
        "parent-cycle",
        "unknown-prm-id",
        "duplicate-mapping",
        "retired-with-mappings",
        "missing-owner",
        "missing-description",
        "empty-activities",
    ] {
        // io-error needs a missing file, which no fixture folder holds.
        if code != "io-error" {
            assert!(codes.contains(code), "no fixture shows {code}");
        }
    }
}

#[test]
fn every_fixture_is_described_in_its_readme() {
    for folder in ["fixtures/invalid", "fixtures/valid"] {
        let readme = fixture_text(&format!("{folder}/README.md"));
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            if name != "README.md" {
                assert!(
                    readme.contains(&format!("| `{name}` |")),
                    "{folder}/README.md does not describe {name}"
                );
            }
        }
    }
}

// --- size ---------------------------------------------------------------------------------------

/// Ignored by default: the test binary is a debug build, where 200 MB takes minutes. Run it with
/// `cargo test --release --test suite cli_validate:: -- --ignored`; for timings use
/// `cargo run --release --example big_register -- 200 /tmp/big.json` and
/// `/usr/bin/time -v target/release/prmlint validate /tmp/big.json --format json`.
#[test]
#[ignore = "slow: writes and validates a 200 MB register"]
fn register_of_200_mb_validates_clean() {
    use std::io::Write;
    let dir = temp_dir();
    let path = dir.path().join("big.json");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    out.write_all(b"{\"processes\": [\n").unwrap();
    let mut written = 0usize;
    let mut i = 0usize;
    while written < 200 * 1024 * 1024 {
        let process = format!(
            "{}  {{\"id\": \"P-{i:07}\", \"name\": \"Process {i} \u{2013} Änderungen\", \
             \"description\": \"Handles the \\\"work\\\" of unit {i} and records the outcome so \
             that the ISMS can show it is effective, every single time it runs.\", \
             \"owner\": \"Owner {i}\", \"activities\": [\"Receive reports\", \"Assess reports\", \
             \"Act on reports\", \"Record the outcome\"], \"maps_to\": [{{\"prm\": \
             \"incident-management\", \"relationship\": \"subset\"}}], \"x-sys_id\": \"{i:032x}\"}}",
            if i == 0 { "" } else { ",\n" }
        );
        out.write_all(process.as_bytes()).unwrap();
        written += process.len();
        i += 1;
    }
    out.write_all(b"\n]}\n").unwrap();
    out.flush().unwrap();
    drop(out);
    let report = validate_json(&[&path.display().to_string()]);
    assert_eq!(report.code, 0);
    assert!(report.findings.is_empty(), "{:?}", &report.findings[..1]);
}
