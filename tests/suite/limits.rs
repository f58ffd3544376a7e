//! The input limits (file size, processes, string length, nesting depth): each has a default, a
//! flag to raise it (`--help` shows both), and gives a clear diagnostic at the offending place
//! with exit code 2 instead of exhausting the machine.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use crate::common::xlsx;

use std::path::Path;

use common::prmlint;
use serde_json::{Value, json};

/// `validate --format json`: exit code and findings.
fn validate(path: &Path, extra: &[&str]) -> (i32, Vec<Value>) {
    let output = prmlint()
        .arg("validate")
        .arg(path)
        .args(["--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    (
        output.status.code().unwrap(),
        report["findings"].as_array().unwrap().clone(),
    )
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// A register of one tidy process, with `field` set to `value`.
fn register_with(field: &str, value: Value) -> String {
    let mut process = json!({
        "id": "ISMS-01",
        "name": "Incident management",
        "owner": "CISO",
        "description": "Handles incidents.",
        "activities": ["Log incidents"],
    });
    process[field] = value;
    serde_json::to_string_pretty(&json!({ "processes": [process] })).unwrap()
}

/// The `limit-exceeded` finding among `findings`.
fn limit_finding(findings: &[Value]) -> &Value {
    findings
        .iter()
        .find(|f| f["code"] == "limit-exceeded")
        .unwrap()
}

fn codes(findings: &[Value]) -> Vec<&str> {
    findings
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect()
}

#[test]
fn a_string_longer_than_the_limit_is_limit_exceeded_at_the_string() {
    let dir = tempfile::tempdir().unwrap();
    let at_limit = write(
        dir.path(),
        "at.json",
        &register_with("description", Value::from("d".repeat(100_000))),
    );
    let (code, findings) = validate(&at_limit, &[]);
    assert_eq!((code, codes(&findings)), (0, vec![]));

    let over = write(
        dir.path(),
        "over.json",
        &register_with("description", Value::from("d".repeat(100_001))),
    );
    let (code, findings) = validate(&over, &[]);
    assert_eq!(code, 2);
    assert_eq!(codes(&findings), vec!["limit-exceeded"]);
    let finding = &findings[0];
    assert_eq!(
        finding["message"],
        "a string of 100001 characters is longer than the limit of 100000"
    );
    assert!(
        finding["help"]
            .as_str()
            .unwrap()
            .contains("--max-string-length")
    );
    assert_eq!(finding["location"]["pointer"], "/processes/0/description");
    assert_eq!(
        (&finding["location"]["line"], &finding["location"]["column"]),
        (&json!(7), &json!(22))
    );

    let (code, findings) = validate(&over, &["--max-string-length", "100001"]);
    assert_eq!((code, codes(&findings)), (0, vec![]));
}

#[test]
fn the_string_limit_counts_characters_not_bytes() {
    let dir = tempfile::tempdir().unwrap();
    // 100,000 two-byte characters: 200,000 bytes, within the limit.
    let path = write(
        dir.path(),
        "wide.json",
        &register_with("description", Value::from("é".repeat(100_000))),
    );
    let (code, findings) = validate(&path, &[]);
    assert_eq!((code, codes(&findings)), (0, vec![]));
    let (code, findings) = validate(&path, &["--max-string-length", "99999"]);
    assert_eq!((code, codes(&findings)), (2, vec!["limit-exceeded"]));
}

#[test]
fn a_long_key_list_item_and_metadata_value_are_each_placed() {
    let dir = tempfile::tempdir().unwrap();
    let long = "k".repeat(50);
    let mut register: Value =
        serde_json::from_str(&register_with("activities", json!(["short", long.clone()]))).unwrap();
    register["register"] = json!({ "organisation": long.clone() });
    register["processes"][0][format!("x-{long}")] = json!(1);
    let path = write(dir.path(), "keys.json", &register.to_string());
    let (code, findings) = validate(&path, &["--max-string-length", "40"]);
    assert_eq!(code, 2);
    let mut places: Vec<(String, String)> = findings
        .iter()
        .map(|f| {
            (
                f["location"]["pointer"].as_str().unwrap().to_owned(),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    places.sort();
    let cut = format!("x-{}", &long[..38]);
    assert_eq!(
        places,
        vec![
            (
                "/processes/0/activities/1".to_owned(),
                "a string of 50 characters is longer than the limit of 40".to_owned()
            ),
            (
                format!("/processes/0/{cut}"),
                "a key of 52 characters is longer than the limit of 40".to_owned()
            ),
            (
                "/register/organisation".to_owned(),
                "a string of 50 characters is longer than the limit of 40".to_owned()
            ),
        ]
    );
}

#[test]
fn a_long_csv_cell_is_limit_exceeded_at_its_cell_and_the_run_stops() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "long.csv",
        &format!(
            "id,name,owner\nISMS-01,Incident management,CISO\nISMS-02,{},IT\n",
            "n".repeat(200)
        ),
    );
    let (code, findings) = validate(&path, &["--max-string-length", "100"]);
    assert_eq!(code, 2);
    let limit = limit_finding(&findings);
    assert_eq!(limit["location"]["pointer"], "/processes/1/name");
    assert_eq!(
        (&limit["location"]["line"], &limit["location"]["column"]),
        (&json!(3), &json!(9))
    );
    let check = prmlint()
        .arg("check")
        .arg(&path)
        .args(["--max-string-length", "100"])
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&check.stderr).contains("limit-exceeded"));
}

#[test]
fn a_long_string_is_cut_to_the_limit_before_the_register_checks_see_it() {
    let bytes = register_with("name", Value::from("Incident management ".repeat(10))).into_bytes();
    let limits = prmlint::load::Limits {
        max_string_length: 19,
        ..prmlint::load::Limits::default()
    };
    let loaded = prmlint::load::load_bytes(
        0,
        "register.json",
        bytes,
        prmlint::load::InputFormat::Json,
        &limits,
    );
    assert_eq!(
        loaded.document.register.processes[0].name,
        "Incident management"
    );
    assert_eq!(loaded.findings.len(), 1);
    assert_eq!(loaded.findings[0].code.as_str(), "limit-exceeded");
}

/// A register whose `x-deep` value nests so that the deepest array is `depth` levels down.
fn nested(depth: usize) -> String {
    let inner = depth - 3; // the root object, `processes` and the process
    format!(
        r#"{{"processes": [{{"id": "ISMS-01", "name": "Incident management", "owner": "CISO", "description": "d", "activities": ["a"], "x-deep": {}{}}}]}}"#,
        "[".repeat(inner),
        "]".repeat(inner)
    )
}

#[test]
fn nesting_of_64_levels_is_read_and_65_is_limit_exceeded_at_the_65th_bracket() {
    let dir = tempfile::tempdir().unwrap();
    let (code, findings) = validate(&write(dir.path(), "64.json", &nested(64)), &[]);
    assert_eq!((code, codes(&findings)), (0, vec![]));
    let text = nested(65);
    let (code, findings) = validate(&write(dir.path(), "65.json", &text), &[]);
    assert_eq!(code, 2);
    assert_eq!(codes(&findings), vec!["limit-exceeded"]);
    assert_eq!(
        findings[0]["message"],
        "the file nests deeper than the limit of 64 levels"
    );
    assert!(
        findings[0]["help"]
            .as_str()
            .unwrap()
            .contains("--max-depth")
    );
    // The 65th opening bracket: the 62nd `[` of `x-deep` (root, `processes` and the process
    // are the first three levels).
    let at = text.find("\"x-deep\": ").unwrap() + "\"x-deep\": ".len() + 61;
    assert_eq!(findings[0]["location"]["line"], 1);
    assert_eq!(findings[0]["location"]["column"], at + 1);
    // Brackets inside strings do not count.
    let quoted = format!(
        r#"{{"processes": [{{"id": "A", "name": "{}", "owner": "o", "description": "d", "activities": ["a"]}}]}}"#,
        "[".repeat(500)
    );
    let (code, findings) = validate(&write(dir.path(), "quoted.json", &quoted), &[]);
    assert_eq!((code, codes(&findings)), (0, vec![]));
    // Nor do brackets after an escaped backslash or quote that ends or continues a string.
    let escaped = format!(
        r#"{{"processes": [{{"id": "A", "name": "a\\", "owner": "o\"{}", "description": "d", "activities": ["a"]}}]}}"#,
        "[".repeat(100)
    );
    let (code, findings) = validate(&write(dir.path(), "escaped.json", &escaped), &[]);
    assert_eq!((code, codes(&findings)), (0, vec![]));
    // Broken JSON is reported as broken, not as deep, even when a stray quote would make
    // brackets inside strings count.
    let broken = format!(
        r#"{{"processes": [{{"id": "A, "name": "{}"}}]}}"#,
        "[".repeat(100)
    );
    let (code, findings) = validate(&write(dir.path(), "broken.json", &broken), &[]);
    assert_eq!((code, codes(&findings)), (2, vec!["invalid-json"]));
}

#[test]
fn max_depth_raises_the_limit_up_to_the_parsers_own_127_levels() {
    let dir = tempfile::tempdir().unwrap();
    let raised = ["--max-depth", "127"];
    let (code, findings) = validate(&write(dir.path(), "127.json", &nested(127)), &raised);
    assert_eq!((code, codes(&findings)), (0, vec![]));
    let (code, findings) = validate(&write(dir.path(), "128.json", &nested(128)), &raised);
    assert_eq!(code, 2);
    assert_eq!(codes(&findings), vec!["limit-exceeded"]);
    assert_eq!(
        findings[0]["message"],
        "the file nests deeper than the limit of 127 levels"
    );
    // Past the parser's own limit the flag is a usage error.
    let output = prmlint()
        .args(["validate", "--max-depth", "128"])
        .arg(write(dir.path(), "a.json", &nested(5)))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--max-depth"));
}

#[test]
fn the_process_and_file_size_limits_name_the_flag_that_raises_them() {
    let dir = tempfile::tempdir().unwrap();
    let processes: Vec<Value> = (0..3)
        .map(|i| json!({"id": format!("P-{i}"), "name": "Incident management"}))
        .collect();
    let path = write(
        dir.path(),
        "three.json",
        &json!({ "processes": processes }).to_string(),
    );
    let (code, findings) = validate(&path, &["--max-processes", "2"]);
    assert_eq!(code, 2);
    let limit = limit_finding(&findings);
    assert_eq!(
        limit["message"],
        "the register holds 3 processes, more than the limit of 2"
    );
    assert!(limit["help"].as_str().unwrap().contains("--max-processes"));

    let (code, findings) = validate(&path, &["--max-file-size", "10"]);
    assert_eq!((code, codes(&findings)), (2, vec!["limit-exceeded"]));
    assert!(
        findings[0]["help"]
            .as_str()
            .unwrap()
            .contains("--max-file-size")
    );
}

#[test]
fn help_lists_every_limit_with_its_default() {
    let output = prmlint().args(["check", "--help"]).output().unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    for (flag, default) in [
        ("--max-file-size", "536870912"),
        ("--max-processes", "1000000"),
        ("--max-string-length", "100000"),
        ("--max-depth", "64"),
    ] {
        let line = help
            .lines()
            .position(|l| l.contains(flag))
            .unwrap_or_else(|| panic!("{flag} is not in --help:\n{help}"));
        let text: String = help.lines().skip(line).take(4).collect();
        assert!(
            text.contains(&format!("[default: {default}]")),
            "{flag}: {text}"
        );
    }
}

fn inline(reference: &str, text: &str) -> String {
    format!(r#"<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

#[test]
fn a_sheet_with_more_processes_than_the_limit_is_limit_exceeded_at_its_row() {
    let mut rows = format!(
        r#"<row r="1">{}{}</row>"#,
        inline("A1", "Process ID"),
        inline("B1", "Process name")
    );
    for i in 2..=3_000 {
        rows.push_str(&format!(
            r#"<row r="{i}">{}{}</row>"#,
            inline(&format!("A{i}"), &format!("P-{i}")),
            inline(&format!("B{i}"), "Incident management")
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.xlsx");
    std::fs::write(&path, xlsx::workbook(&rows)).unwrap();
    let (code, findings) = validate(&path, &["--max-processes", "1000"]);
    assert_eq!(code, 2);
    let limit = limit_finding(&findings);
    assert_eq!(
        limit["message"],
        "the register holds more than 1000 processes"
    );
    // The header is row 1, so the 1001st process is on sheet row 1002.
    assert_eq!(limit["location"]["line"], 1002);
    let output = prmlint()
        .arg("validate")
        .arg(&path)
        .args(["--max-processes", "1000"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("Register!A1002"), "{text}");
}

#[test]
fn a_workbook_that_unpacks_past_the_file_size_limit_is_limit_exceeded_before_it_is_read() {
    // 2 MB of blanks inside the worksheet: a 10 KB file.
    let blanks = " ".repeat(2_000_000);
    let bytes = xlsx::workbook(&format!(
        r#"<row r="1">{}{}</row>{blanks}"#,
        inline("A1", "id"),
        inline("B1", "name")
    ));
    assert!(bytes.len() < 20_000, "{}", bytes.len());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.xlsx");
    std::fs::write(&path, &bytes).unwrap();
    let (code, findings) = validate(&path, &["--max-file-size", "1000000"]);
    assert_eq!(code, 2);
    assert_eq!(codes(&findings), ["limit-exceeded"]);
    let message = findings[0]["message"].as_str().unwrap();
    assert!(message.starts_with("the workbook unpacks to"), "{message}");
    // Under the default limit the same workbook is read.
    let (code, _) = validate(&path, &[]);
    assert_eq!(code, 0);

    // The same archive with its stated sizes lowered (a bomb that lies about its size): the
    // bytes are unpacked and counted before calamine sees them, and the archive is refused as
    // damaged the moment an entry passes its stated size.
    let mut lying = bytes.clone();
    let name = b"xl/worksheets/sheet1.xml";
    let mut patched = 0;
    for at in 0..lying.len().saturating_sub(4) {
        let (size_at, name_at) = match &lying[at..at + 4] {
            [0x50, 0x4b, 0x03, 0x04] => (at + 22, at + 30),
            [0x50, 0x4b, 0x01, 0x02] => (at + 24, at + 46),
            _ => continue,
        };
        if lying.get(name_at..name_at + name.len()) == Some(&name[..]) {
            lying[size_at..size_at + 4].copy_from_slice(&100u32.to_le_bytes());
            patched += 1;
        }
    }
    assert_eq!(patched, 2);
    std::fs::write(&path, &lying).unwrap();
    let (code, findings) = validate(&path, &["--max-file-size", "1000000"]);
    assert_eq!(code, 2);
    assert_eq!(codes(&findings), ["invalid-workbook"]);
    let message = findings[0]["message"].as_str().unwrap();
    assert!(
        message.contains("larger than its declared uncompressed size"),
        "{message}"
    );
}

#[test]
fn the_committed_zip_bomb_is_refused_by_its_declared_size_in_a_moment() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/hostile/workbook-zip-bomb.xlsx");
    let started = std::time::Instant::now();
    let (code, findings) = validate(&path, &[]);
    assert_eq!(code, 2);
    assert_eq!(codes(&findings), ["limit-exceeded"]);
    // Refused by the 600 MiB its central directory states, not by counting unpacked bytes.
    let message = findings[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("the workbook unpacks to 6291")
            && !message.contains("it declares")
            && message.ends_with("more than the limit of 536870912 bytes"),
        "{message}"
    );
    assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
}
