//! Registers as organisations export them (`fixtures/exports/`): workbooks saved by a
//! spreadsheet program, a German Excel's semicolon CSV in Windows-1252, a ServiceNow list
//! export. Each must give the findings of the equivalent JSON register, through the real
//! binary; `convert` must write that JSON register back; `init --from` must guess the mapping.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::path::Path;

use common::prmlint;
use serde_json::Value;

const EXPORTS: &str = "fixtures/exports";

/// The two columns of the client workbook that are no register field, mapped onto `x-` fields.
const CLIENT_COLUMNS: &[&str] = &[
    "--column",
    "x-last-review=Zuletzt geprüft",
    "--column",
    "x-maturity=Reifegrad",
];

fn export(name: &str) -> String {
    format!("{EXPORTS}/{name}")
}

/// Run prmlint; (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let output = prmlint().args(args).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// The findings of `check --format json`, as (code, severity, message, pointer, prm, processes).
fn check_findings(register: &str, extra: &[&str]) -> (i32, Vec<String>) {
    let mut args = vec!["check", register, "--isolated", "--format", "json"];
    args.extend_from_slice(extra);
    let (code, stdout, stderr) = run(&args);
    let report: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{register}: {e}\n{stdout}\n{stderr}"));
    let findings = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {} {} {} {} {}",
                f["code"],
                f["severity"],
                f["message"],
                f["location"]["pointer"],
                f["prm"],
                f["processes"]
            )
        })
        .collect();
    (code, findings)
}

#[test]
fn workbooks_and_csv_exports_give_the_findings_of_the_json_register() {
    let (json_code, expected) = check_findings(&export("client.json"), &[]);
    assert!(
        expected.iter().any(|f| f.contains("missing-owner")),
        "{expected:#?}"
    );
    for name in [
        "client.xlsx",
        "client.ods",
        "client.xls",
        "client-excel-de.csv",
    ] {
        let (code, findings) = check_findings(&export(name), CLIENT_COLUMNS);
        assert_eq!(code, json_code, "{name}");
        assert_eq!(findings, expected, "{name}");
    }
    let (json_code, expected) = check_findings(&export("servicenow.json"), &[]);
    let (code, findings) = check_findings(&export("servicenow-export.csv"), &[]);
    assert_eq!(code, json_code);
    assert_eq!(findings, expected);
}

#[test]
fn check_client_xlsx_points_at_the_sheet_and_cell_and_shows_the_row() {
    let (code, stdout, stderr) = run(&[
        "check",
        &export("client.xlsx"),
        "--isolated",
        CLIENT_COLUMNS[0],
        CLIENT_COLUMNS[1],
        CLIENT_COLUMNS[2],
        CLIENT_COLUMNS[3],
    ]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    // P-04 has no owner: sheet row 8 (title, date line, blank row, header, P-01..P-03 above).
    assert!(stdout.contains("Prozesse!A8"), "{stdout}");
    assert!(stdout.contains(" 8 │ P-04 │ Internes Audit"), "{stdout}");
    // The workbook has a second sheet: the run says which it read.
    assert!(stderr.contains("read sheet `Prozesse`"), "{stderr}");
}

#[test]
fn a_german_excel_csv_in_windows_1252_is_read_with_a_note_naming_the_encoding() {
    let path = export("client-excel-de.csv");
    let bytes = std::fs::read(&path).unwrap();
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the fixture must not be UTF-8"
    );
    assert!(bytes.contains(&b';'));
    let (code, stdout, stderr) = run(&["validate", &path, "--format", "json"]);
    assert!(code <= 1, "{stdout}{stderr}");
    assert!(stderr.contains("read as windows-1252"), "{stderr}");
    // Named explicitly, the encoding is used without a note.
    let (_, _, stderr) = run(&["validate", &path, "--encoding", "latin1"]);
    assert!(!stderr.contains("windows-1252"), "{stderr}");
    // Read as UTF-8 on request, the file is refused at its first legacy byte.
    let (code, stdout, _) = run(&["validate", &path, "--encoding", "utf-8"]);
    assert_eq!(code, 2, "{stdout}");
    assert!(stdout.contains("invalid-encoding"), "{stdout}");
}

#[test]
fn convert_writes_the_json_register_of_a_workbook_deterministically() {
    let dir = tempfile::tempdir().unwrap();
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(export("client.json")).unwrap()).unwrap();
    for name in ["client.xlsx", "client.ods", "client.xls"] {
        let out = dir.path().join(format!("{name}.json"));
        let out = out.to_str().unwrap();
        let input = export(name);
        let mut args = vec!["convert", &input, "-o", out, "--isolated"];
        args.extend_from_slice(CLIENT_COLUMNS);
        let (code, _, stderr) = run(&args);
        assert_eq!(code, 0, "{name}: {stderr}");
        let first = std::fs::read(out).unwrap();
        let written: Value = serde_json::from_slice(&first).unwrap();
        assert_eq!(written["processes"], expected["processes"], "{name}");
        assert_eq!(written["register"]["source"], Value::from(name));
        // The same input gives the same bytes.
        let (code, _, _) = run(&args);
        assert_eq!(code, 0);
        assert_eq!(std::fs::read(out).unwrap(), first, "{name}");
        // What convert writes is a register the schema accepts.
        let (code, stdout, _) = run(&["validate", out, "--format", "json"]);
        let report: Value = serde_json::from_str(&stdout).unwrap();
        assert!(
            report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .all(|f| f["code"] != "schema-violation" && f["code"] != "unknown-property"),
            "{stdout}"
        );
        assert_eq!(code, 0); // only the register's own warnings (a missing owner)
    }
}

#[test]
fn convert_keeps_unmapped_columns_as_x_fields_and_never_writes_over_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("export.csv");
    let text = "Number,Short description,Priority\nPRC1,Incident management,high\n";
    std::fs::write(&input, text).unwrap();
    let input = input.to_str().unwrap();
    let out = dir.path().join("register.json");
    let (code, _, stderr) = run(&["convert", input, "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("Priority"), "{stderr}");
    let written: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(
        written["processes"][0],
        serde_json::json!({"id": "PRC1", "name": "Incident management", "x-Priority": "high"})
    );
    let (code, _, stderr) = run(&["convert", input, "-o", input]);
    assert_eq!(code, 2);
    assert!(stderr.contains("refusing"), "{stderr}");
    assert_eq!(std::fs::read_to_string(input).unwrap(), text);
}

#[test]
fn init_from_a_workbook_writes_the_guessed_columns_which_check_then_uses() {
    let dir = tempfile::tempdir().unwrap();
    let dir_arg = dir.path().to_str().unwrap();
    let (code, stdout, stderr) = run(&["init", "--from", &export("client.xlsx"), "--dir", dir_arg]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Prozess-ID"), "{stdout}");
    let config_path = dir.path().join("prmlint.json");
    let config: Value =
        serde_json::from_str(&std::fs::read_to_string(&config_path).unwrap()).unwrap();
    let columns = &config["columns"];
    assert_eq!(columns["id"], "Prozess-ID");
    assert_eq!(columns["name"], "Prozessname");
    assert_eq!(columns["owner"], "Verantwortlich");
    assert_eq!(columns["parent"], "Übergeordneter Prozess");
    assert_eq!(columns["x-Zuletzt geprüft"], "Zuletzt geprüft");
    // With that configuration, check reads the workbook without unknown columns.
    let config_arg = config_path.to_str().unwrap();
    let (code, stdout, _) = run(&[
        "check",
        &export("client.xlsx"),
        "--config",
        config_arg,
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    assert!(!stdout.contains("unknown-property"), "{stdout}");
    // It never overwrites a configuration.
    let (code, _, stderr) = run(&["init", "--from", &export("client.xlsx"), "--dir", dir_arg]);
    assert_eq!(code, 2);
    assert!(stderr.contains("refusing"), "{stderr}");
}

#[test]
fn columns_in_prmlint_json_map_headers_and_a_typo_gets_did_you_mean() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("register.csv");
    std::fs::write(
        &csv,
        "Kennung;Titel;Verantwortlicherr\nP-1;Incident management;CISO\n",
    )
    .unwrap();
    let csv = csv.to_str().unwrap();
    // Without a mapping: an unknown column with a suggestion, kept as an x- field; a warning,
    // since nothing is lost.
    let (code, stdout, _) = run(&["validate", csv, "--format", "json"]);
    assert_eq!(code, 0);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let unknown = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "unknown-property")
        .cloned()
        .unwrap();
    assert_eq!(unknown["message"], "unknown column `Verantwortlicherr`");
    assert!(
        unknown["help"]
            .as_str()
            .unwrap()
            .starts_with("did you mean `owner`?"),
        "{unknown}"
    );
    // prmlint.json beside the register maps it for check.
    std::fs::write(
        dir.path().join("prmlint.json"),
        r#"{"columns": {"owner": "Verantwortlicherr"}}"#,
    )
    .unwrap();
    let (code, stdout, _) = run(&["check", csv, "--format", "json"]);
    assert!(!stdout.contains("unknown-property"), "{stdout}");
    assert!(!stdout.contains("missing-owner"), "{stdout}");
    assert_eq!(code, 1); // missing PRM processes
    // A field name that does not exist is a configuration error with a suggestion.
    std::fs::write(
        dir.path().join("prmlint.json"),
        r#"{"columns": {"ownr": "Verantwortlicherr"}}"#,
    )
    .unwrap();
    let (code, _, stderr) = run(&["check", csv]);
    assert_eq!(code, 2);
    assert!(stderr.contains("config-invalid"), "{stderr}");
    assert!(stderr.contains("`owner`"), "{stderr}");
}

#[test]
fn sheet_is_chosen_by_name_or_number_and_a_wrong_one_is_named() {
    let xlsx = export("client.xlsx");
    let (code, stdout, stderr) = run(&["validate", &xlsx, "--sheet", "Legende"]);
    assert_eq!(code, 2);
    let all = format!("{stdout}{stderr}");
    assert!(all.contains("invalid-workbook"), "{all}");
    assert!(all.contains("no `id` column"), "{all}");
    let (code, stdout, stderr) = run(&["validate", &xlsx, "--sheet", "Prozese"]);
    assert_eq!(code, 2);
    let all = format!("{stdout}{stderr}");
    assert!(all.contains("did you mean `Prozesse`?"), "{all}");
    let (code, stdout, stderr) = run(&["validate", &xlsx, "--sheet", "1"]);
    assert!(code <= 1, "{stderr}");
    assert!(stdout.contains("in 6 process(es)"), "{stdout}");
}

#[test]
fn an_explicit_delimiter_wins_over_the_detected_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pipes.csv");
    std::fs::write(&path, "id|name|owner\nP-1|Incident; response|CISO\n").unwrap();
    let path = path.to_str().unwrap();
    let (code, stdout, _) = run(&["validate", path, "--format", "json"]);
    assert!(code <= 1);
    assert!(!stdout.contains("invalid-csv"), "{stdout}");
    // Split on `;`, the header is one column that holds pipes: the finding says so.
    let (code, stdout, _) = run(&["validate", path, "--delimiter", ";"]);
    assert_eq!(code, 2);
    assert!(stdout.contains("--delimiter '|'"), "{stdout}");
    assert!(Path::new(path).exists());
}
