//! The CI and document formats of `prmlint check` (sarif, github, junit, csv, markdown) through
//! the real binary: each is parsed back by a real consumer (the SARIF schema and, when
//! installed, Microsoft's SARIF multitool; a JUnit XML parser; the csv crate) and checked
//! against the JSON report, register text is shown to be inert, and output is deterministic.
//!
//! Fixtures: `fixtures/registers/` (the examples) and `fixtures/formats/` (see its README).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::prmlint;
use serde_json::Value;

use crate::common::EXAMPLES;

const FORMAT_FIXTURES: &[&str] = &[
    "fixtures/formats/formula-injection.json",
    "fixtures/formats/markup.json",
    "fixtures/formats/workflow-escaping.json",
];

const FORMATS: &[&str] = &["sarif", "github", "junit", "csv", "markdown"];

fn all_registers() -> impl Iterator<Item = &'static str> {
    EXAMPLES.iter().chain(FORMAT_FIXTURES).copied()
}

/// `prmlint check <register> --format <format> [extra...] --fail-on never`: stdout as text.
fn check(register: &str, format: &str, extra: &[&str]) -> String {
    let output = prmlint()
        .args(["check", register, "--format", format, "--fail-on", "never"])
        .args(extra)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{register} --format {format}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// `check`, run once per distinct command line in this test binary: the debug build takes about
/// a second per run, and most tests read the same reports.
fn cached(register: &str, format: &str, extra: &[&str]) -> String {
    static CACHE: std::sync::OnceLock<std::sync::Mutex<BTreeMap<String, String>>> =
        std::sync::OnceLock::new();
    let key = format!("{register} {format} {}", extra.join(" "));
    let cache = CACHE.get_or_init(Default::default);
    if let Some(text) = cache.lock().unwrap().get(&key) {
        return text.clone();
    }
    let text = check(register, format, extra);
    cache.lock().unwrap().insert(key, text.clone());
    text
}

fn json_report(register: &str) -> Value {
    serde_json::from_str(&cached(register, "json", &[])).unwrap()
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

// ---------------------------------------------------------------------------------------------
// SARIF

fn sarif(register: &str) -> Value {
    serde_json::from_str(&cached(register, "sarif", &[])).unwrap()
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().unwrap()
}

#[test]
fn sarif_validates_against_the_official_schema_with_format_checks() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/vendor/sarif-schema-2.1.0.json"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("SKIPPED: the SARIF 2.1.0 schema is not at {path}");
        return;
    };
    let schema: Value = serde_json::from_str(&text).unwrap();
    // The schema says draft-04, which has no `uri-reference` format; Draft 7 semantics check it,
    // as GitHub's upload does.
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    for register in all_registers() {
        let log = sarif(register);
        let errors: Vec<String> = validator
            .iter_errors(&log)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{register}: {errors:#?}");
    }
}

#[test]
fn sarif_meets_github_code_scanning_requirements() {
    for register in all_registers() {
        let log = sarif(register);
        assert_eq!(log["version"], "2.1.0");
        assert_eq!(log["runs"].as_array().unwrap().len(), 1);
        let driver = &log["runs"][0]["tool"]["driver"];
        assert_eq!(driver["name"], "prmlint");
        assert_eq!(driver["semanticVersion"], env!("CARGO_PKG_VERSION"));
        let rules = driver["rules"].as_array().unwrap();
        for rule in rules {
            let help = rule["help"]["text"].as_str().unwrap_or_default();
            assert!(
                !help.is_empty(),
                "{register}: rule {} has no help",
                rule["id"]
            );
        }
        let mut fingerprints = BTreeSet::new();
        assert!(!results(&log).is_empty(), "{register}: no results");
        for result in results(&log) {
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], result["ruleId"], "{register}");
            assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
            assert!(!result["message"]["text"].as_str().unwrap().is_empty());
            let location = &result["locations"][0]["physicalLocation"];
            let uri = location["artifactLocation"]["uri"].as_str().unwrap();
            assert!(!uri.is_empty(), "{register}: empty uri");
            assert!(
                !uri.starts_with('/') && !uri.contains(':') && !uri.contains('\\'),
                "{register}: {uri} is not a relative path with forward slashes"
            );
            assert!(
                !uri.split('/').any(|s| s == ".." || s == "."),
                "{register}: {uri}"
            );
            assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
            assert!(location["region"]["startColumn"].as_u64().unwrap() >= 1);
            let fingerprint = result["partialFingerprints"]["prmlint/v1"]
                .as_str()
                .unwrap();
            assert_eq!(fingerprint.len(), 16, "{fingerprint}");
            assert!(
                fingerprints.insert(fingerprint.to_owned()),
                "{register}: fingerprint {fingerprint} repeats"
            );
        }
    }
}

#[test]
fn sarif_rules_carry_every_code_with_the_explain_text() {
    let log = sarif(EXAMPLES[0]);
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(rules.len(), prmlint::diag::rules::Code::ALL.len());
    for (rule, code) in rules.iter().zip(prmlint::diag::rules::Code::ALL) {
        let info = code.info();
        assert_eq!(rule["id"], info.code);
        assert_eq!(rule["shortDescription"]["text"], info.summary);
        assert_eq!(rule["fullDescription"]["text"], info.explanation);
        assert_eq!(rule["help"]["text"], info.explanation);
        assert_eq!(
            rule["defaultConfiguration"]["level"],
            info.severity.as_str()
        );
        let name = rule["name"].as_str().unwrap();
        assert!(name.chars().next().unwrap().is_ascii_uppercase() && !name.contains('-'));
    }
}

#[test]
fn sarif_results_match_the_json_findings() {
    for register in EXAMPLES {
        let log = sarif(register);
        let report = json_report(register);
        let findings = report["findings"].as_array().unwrap();
        assert_eq!(results(&log).len(), findings.len(), "{register}");
        for (result, finding) in results(&log).iter().zip(findings) {
            assert_eq!(result["ruleId"], finding["code"]);
            assert_eq!(result["level"], finding["severity"]);
            // Findings without a position point at the start of their file.
            let region = &result["locations"][0]["physicalLocation"]["region"];
            let line = finding["location"]["line"].as_u64().unwrap_or(1);
            let column = finding["location"]["column"].as_u64().unwrap_or(1);
            assert_eq!(region["startLine"], line, "{register}");
            assert_eq!(region["startColumn"], column, "{register}");
            assert_eq!(result["properties"]["processes"], finding["processes"]);
        }
    }
}

#[test]
fn sarif_uris_are_relative_whatever_path_form_the_register_was_given_in() {
    let root = env!("CARGO_MANIFEST_DIR");
    let absolute = format!("{root}/fixtures/registers/service-provider.json");
    let forms = [
        "fixtures/registers/service-provider.json",
        "./fixtures/registers/service-provider.json",
        "fixtures/./registers/../registers/service-provider.json",
        absolute.as_str(),
    ];
    for form in forms {
        let log = sarif(form);
        for result in results(&log) {
            assert_eq!(
                result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                "fixtures/registers/service-provider.json",
                "{form}"
            );
        }
    }
    let output = prmlint()
        .args(["check", "-", "--format", "sarif", "--fail-on", "never"])
        .write_stdin(std::fs::read(EXAMPLES[0]).unwrap())
        .output()
        .unwrap();
    let log: Value = serde_json::from_slice(&output.stdout).unwrap();
    for result in results(&log) {
        assert_eq!(
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "stdin"
        );
    }
    // A name that needs percent-encoding.
    let dir = temp_dir();
    std::fs::copy(
        Path::new(root).join(EXAMPLES[0]),
        dir.path().join("my register #1.json"),
    )
    .unwrap();
    let output = prmlint()
        .current_dir(dir.path())
        .args(["check", "my register #1.json", "--format", "sarif"])
        .args(["--fail-on", "never"])
        .output()
        .unwrap();
    let log: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        results(&log)[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "my%20register%20%231.json"
    );
}

/// Fingerprints by rule id, from a SARIF log.
fn fingerprints(log: &Value) -> BTreeSet<String> {
    results(log)
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r["ruleId"].as_str().unwrap(),
                r["partialFingerprints"]["prmlint/v1"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn sarif_fingerprints_survive_lines_moving() {
    let dir = temp_dir();
    let text = std::fs::read_to_string(EXAMPLES[0]).unwrap();
    let moved = format!("\n\n\n{}", text.replacen("{", "{\n\n", 1));
    std::fs::write(dir.path().join("before.json"), &text).unwrap();
    std::fs::write(dir.path().join("after.json"), &moved).unwrap();
    let run = |name: &str| -> Value {
        let output = prmlint()
            .current_dir(dir.path())
            .args(["check", name, "--format", "sarif", "--fail-on", "never"])
            .output()
            .unwrap();
        serde_json::from_slice(&output.stdout).unwrap()
    };
    let before = run("before.json");
    let after = run("after.json");
    assert_eq!(fingerprints(&before), fingerprints(&after));
    let lines = |log: &Value| -> Vec<u64> {
        results(log)
            .iter()
            .map(|r| {
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap()
            })
            .collect()
    };
    assert!(
        lines(&before)
            .iter()
            .zip(lines(&after))
            .all(|(b, a)| a == b + 5)
    );
}

/// Microsoft's SARIF multitool, when CI installed it (`.ci/run` sets PRMLINT_SARIF_MULTITOOL).
#[test]
fn sarif_passes_the_microsoft_sarif_multitool_when_installed() {
    let Some(tool) = std::env::var_os("PRMLINT_SARIF_MULTITOOL") else {
        eprintln!("SKIPPED: PRMLINT_SARIF_MULTITOOL is not set (see .ci/run)");
        return;
    };
    let dir = temp_dir();
    for (i, register) in all_registers().enumerate() {
        let input = dir.path().join(format!("report-{i}.sarif"));
        let output = dir.path().join(format!("validation-{i}.sarif"));
        std::fs::write(&input, cached(register, "sarif", &[])).unwrap();
        let status = std::process::Command::new(&tool)
            .arg("validate")
            .arg("-o")
            .arg(&output)
            .arg(&input)
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "{register}: multitool failed: {}",
            String::from_utf8_lossy(&status.stdout)
        );
        let validation: Value =
            serde_json::from_str(&std::fs::read_to_string(&output).unwrap()).unwrap();
        let problems: Vec<String> = results(&validation)
            .iter()
            .map(|r| {
                format!(
                    "{} {} {}",
                    r["level"].as_str().unwrap_or("warning"),
                    r["ruleId"].as_str().unwrap_or(""),
                    r["message"]["arguments"]
                )
            })
            .collect();
        for problem in &problems {
            eprintln!("{register}: {problem}");
        }
        assert!(
            !problems.iter().any(|p| p.starts_with("error")),
            "{register}: {problems:#?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// GitHub workflow commands

#[test]
fn github_commands_escape_messages_and_file_names() {
    let dir = temp_dir();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/formats/workflow-escaping.json"),
        dir.path().join("a,b:c.json"),
    )
    .unwrap();
    let output = prmlint()
        .current_dir(dir.path())
        .args(["check", "a,b:c.json", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "errors fail the run as usual"
    );
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(!lines.is_empty());
    for line in &lines {
        assert!(
            line.starts_with("::error ")
                || line.starts_with("::warning ")
                || line.starts_with("::notice "),
            "not a workflow command: {line}"
        );
        let (properties, _) = line.split_once("::").unwrap().1.split_once("::").unwrap();
        assert!(properties.contains("file=a%2Cb%3Ac.json,"), "{properties}");
        assert!(properties.contains(",title=prmlint "), "{properties}");
    }
    let unknown = lines
        .iter()
        .find(|l| l.contains("title=prmlint unknown-property"))
        .unwrap();
    assert!(
        unknown.starts_with("::error file=a%2Cb%3Ac.json,line=11,col=7,"),
        "{unknown}"
    );
    assert!(
        unknown.contains("::unknown property `100%25%0Asure`"),
        "{unknown}"
    );
    let adaptable = lines
        .iter()
        .find(|l| l.contains("title=prmlint adaptable-process"))
        .unwrap();
    assert!(
        adaptable.contains("Incident management: 100%25 of%0Aincidents, handled"),
        "{adaptable}"
    );
}

#[test]
fn github_commands_come_most_severe_first_then_by_place() {
    let text = cached(EXAMPLES[1], "github", &[]);
    let rank = |line: &str| match line.split(' ').next().unwrap() {
        "::error" => 0,
        "::warning" => 1,
        "::notice" => 2,
        other => panic!("{other}"),
    };
    let keys: Vec<(i32, u64)> = text
        .lines()
        .map(|line| {
            let value = |name: &str| -> u64 {
                line.split([' ', ','])
                    .find_map(|p| p.strip_prefix(name))
                    .map_or(0, |v| v.parse().unwrap())
            };
            (rank(line), value("line="))
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    let report = json_report(EXAMPLES[1]);
    assert_eq!(keys.len(), report["findings"].as_array().unwrap().len());
}

// ---------------------------------------------------------------------------------------------
// JUnit XML

#[derive(Debug, Default)]
struct Suite {
    name: String,
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
    /// `(classname, name, failure message)`.
    cases: Vec<(String, String, Option<String>)>,
}

#[derive(Debug, Default)]
struct Junit {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
    suites: Vec<Suite>,
}

fn attributes(element: &quick_xml::events::BytesStart<'_>) -> BTreeMap<String, String> {
    element
        .attributes()
        .map(|a| {
            let a = a.unwrap();
            (
                a.key.as_ref().to_owned(),
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .unwrap()
                    .into_owned(),
            )
        })
        .collect()
}

/// Parse a JUnit report the way a CI dashboard does: elements, attributes and counts.
fn parse_junit(xml: &str) -> Junit {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut junit = Junit::default();
    let count = |map: &BTreeMap<String, String>, key: &str| -> usize {
        map.get(key).map_or(0, |v| v.parse().unwrap())
    };
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) => {
                let map = attributes(&e);
                match e.name().as_ref() {
                    "testsuites" => {
                        junit.tests = count(&map, "tests");
                        junit.failures = count(&map, "failures");
                        junit.errors = count(&map, "errors");
                        junit.skipped = count(&map, "skipped");
                    }
                    "testsuite" => junit.suites.push(Suite {
                        name: map["name"].clone(),
                        tests: count(&map, "tests"),
                        failures: count(&map, "failures"),
                        errors: count(&map, "errors"),
                        skipped: count(&map, "skipped"),
                        cases: Vec::new(),
                    }),
                    "testcase" => junit.suites.last_mut().unwrap().cases.push((
                        map["classname"].clone(),
                        map["name"].clone(),
                        None,
                    )),
                    "failure" => {
                        let case = junit.suites.last_mut().unwrap().cases.last_mut().unwrap();
                        case.2 = Some(map["message"].clone());
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    junit
}

#[test]
fn junit_parses_with_consistent_counts_and_one_case_per_prm_process() {
    for register in all_registers() {
        let junit = parse_junit(&cached(register, "junit", &[]));
        let report = json_report(register);
        assert_eq!(junit.suites.len(), 2, "{register}");
        let mut total = (0, 0);
        for suite in &junit.suites {
            let failing = suite.cases.iter().filter(|c| c.2.is_some()).count();
            assert_eq!(suite.tests, suite.cases.len(), "{register} {}", suite.name);
            assert_eq!(suite.failures, failing, "{register} {}", suite.name);
            assert_eq!((suite.errors, suite.skipped), (0, 0));
            let names: BTreeSet<(&str, &str)> = suite
                .cases
                .iter()
                .map(|(c, n, _)| (c.as_str(), n.as_str()))
                .collect();
            assert_eq!(names.len(), suite.cases.len(), "{register}: names repeat");
            total.0 += suite.tests;
            total.1 += suite.failures;
        }
        assert_eq!((junit.tests, junit.failures), total, "{register}");
        assert_eq!((junit.errors, junit.skipped), (0, 0));

        let coverage = &junit.suites[0];
        assert_eq!(coverage.name, "PRM coverage");
        assert_eq!(coverage.cases.len(), 17);
        for entry in report["coverage"].as_array().unwrap() {
            let case = coverage
                .cases
                .iter()
                .find(|(_, name, _)| name == entry["prm"].as_str().unwrap())
                .unwrap();
            assert_eq!(
                case.0,
                format!("prmlint.coverage.{}", entry["category"].as_str().unwrap())
            );
            assert_eq!(case.2.is_none(), entry["status"] == "covered", "{case:?}");
        }

        let checks = &junit.suites[1];
        assert_eq!(checks.name, "Register checks");
        let codes: BTreeSet<&str> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap())
            .collect();
        for (_, name, failure) in &checks.cases {
            assert_eq!(failure.is_some(), codes.contains(name.as_str()), "{name}");
        }
    }
}

#[test]
fn junit_keeps_register_markup_as_text() {
    let xml = cached("fixtures/formats/markup.json", "junit", &[]);
    assert!(!xml.contains("<script"), "raw markup in the XML");
    let junit = parse_junit(&xml);
    let unknown = junit.suites[1]
        .cases
        .iter()
        .find(|c| c.1 == "unknown-property")
        .unwrap();
    assert!(unknown.2.is_some());
    assert!(xml.contains("unknown property `&lt;script&gt;alert(1)&lt;/script&gt;`"));
}

// ---------------------------------------------------------------------------------------------
// CSV

fn csv_rows(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

/// A cell as written, less the quote that neutralises a formula.
fn unquote(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

#[test]
fn csv_mapping_matrix_round_trips_against_the_json_report() {
    for register in all_registers() {
        let (header, rows) = csv_rows(&cached(register, "csv", &[]));
        assert_eq!(
            header,
            [
                "process_id",
                "process_name",
                "status",
                "prm",
                "relationship",
                "score",
                "source",
                "control_area",
                "umbrella",
                "evidence"
            ]
        );
        let report = json_report(register);
        let mut expected = Vec::new();
        for process in report["processes"].as_array().unwrap() {
            let common = |prm: &str, rel: &str, score: String, source: &str, evidence: String| {
                vec![
                    process["id"].as_str().unwrap().to_owned(),
                    process["name"].as_str().unwrap().to_owned(),
                    process["status"].as_str().unwrap().to_owned(),
                    prm.to_owned(),
                    rel.to_owned(),
                    score,
                    source.to_owned(),
                    process["control_area"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                    process["umbrella"].as_bool().unwrap().to_string(),
                    evidence,
                ]
            };
            let mappings = process["mappings"].as_array().unwrap();
            if mappings.is_empty() {
                expected.push(common("", "", String::new(), "", String::new()));
            }
            for m in mappings {
                let evidence: Vec<&str> = m["evidence"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| e.as_str().unwrap())
                    .collect();
                expected.push(common(
                    m["prm"].as_str().unwrap(),
                    m["relationship"].as_str().unwrap(),
                    format!("{:.2}", m["score"].as_f64().unwrap()),
                    m["source"].as_str().unwrap(),
                    evidence.join(" | "),
                ));
            }
        }
        let actual: Vec<Vec<String>> = rows
            .iter()
            .map(|row| row.iter().map(|c| unquote(c).to_owned()).collect())
            .collect();
        assert_eq!(actual, expected, "{register}");
    }
}

#[test]
fn csv_coverage_table_round_trips_against_the_json_report() {
    for register in EXAMPLES {
        let (header, rows) = csv_rows(&cached(register, "csv", &["--csv", "coverage"]));
        assert_eq!(
            header,
            [
                "prm",
                "name",
                "category",
                "status",
                "processes",
                "missing_activities"
            ]
        );
        let report = json_report(register);
        let coverage = report["coverage"].as_array().unwrap();
        assert_eq!(rows.len(), 17);
        for (row, entry) in rows.iter().zip(coverage) {
            assert_eq!(row[0], entry["prm"].as_str().unwrap());
            assert_eq!(row[1], entry["name"].as_str().unwrap());
            assert_eq!(row[2], entry["category"].as_str().unwrap());
            assert_eq!(row[3], entry["status"].as_str().unwrap());
            let processes: Vec<&str> = entry["processes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_str().unwrap())
                .collect();
            assert_eq!(unquote(&row[4]), processes.join(" | "));
            if entry["status"] == "missing" {
                assert!(!row[5].is_empty(), "a missing process lacks every activity");
            }
        }
    }
}

#[test]
fn csv_neutralises_formula_injection_from_register_text() {
    let register = "fixtures/formats/formula-injection.json";
    for extra in [&[][..], &["--csv", "coverage"][..]] {
        let text = cached(register, "csv", extra);
        let (_, rows) = csv_rows(&text);
        for cell in rows.iter().flatten() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "formula cell {cell:?}"
            );
        }
    }
    let (_, rows) = csv_rows(&cached(register, "csv", &[]));
    let names: BTreeSet<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    assert!(names.contains("'=HYPERLINK(\"http://x\",\"Incident management\")"));
    assert!(names.contains("'+Change management"));
    assert!(names.contains("'-Internal audit"));
    assert!(names.contains("'@SUM(1+1)*cmd|' /C calc'!A0"));
    let ids: BTreeSet<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert!(ids.contains("'-FX-07"));
}

// ---------------------------------------------------------------------------------------------
// Markdown

/// Cells of a Markdown table row, split at pipes that no backslash escapes.
fn cells(row: &str) -> usize {
    let mut count = 0_usize;
    let mut chars = row.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '|' => count += 1,
            _ => {}
        }
    }
    count.saturating_sub(1)
}

#[test]
fn markdown_renders_register_markup_inert() {
    let text = cached("fixtures/formats/markup.json", "markdown", &[]);
    assert!(!text.to_lowercase().contains("<script"), "raw <script>");
    assert!(!text.contains("**bold**"), "unescaped emphasis");
    assert!(!text.contains("[link](http"), "unescaped link");
    assert!(text.contains("&lt;script&gt;"));
    // Every table row has as many cells as its header.
    let mut width = None;
    for line in text.lines() {
        if line.starts_with('|') {
            let n = cells(line);
            match width {
                None => width = Some(n),
                Some(w) => assert_eq!(n, w, "row breaks its table: {line}"),
            }
        } else {
            width = None;
        }
    }
    // The organisation heading stays one heading.
    assert!(text.starts_with("# prmlint report: Markup &lt;script&gt;"));
    // A line break in register text does not end its table cell or list item.
    assert!(!text.lines().any(|l| l.starts_with("second line")));
}

/// The text a CommonMark reader sees in a Markdown report, and the raw HTML it holds.
fn rendered_markdown(markdown: &str) -> (String, Vec<String>) {
    use pulldown_cmark::{Event, Options, Parser};
    let mut text = String::new();
    let mut html = Vec::new();
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
            Event::Html(h) | Event::InlineHtml(h) => html.push(h.trim().to_owned()),
            _ => {}
        }
    }
    (text, html)
}

#[test]
fn markdown_reads_as_the_findings_say_once_rendered() {
    for register in all_registers() {
        // In English, as the JSON report is by default.
        let markdown = cached(register, "markdown", &["--lang", "en"]);
        let (text, html) = rendered_markdown(&markdown);
        // Identifiers are code spans, other quoted text keeps its backticks as text.
        let text = text.replace('`', "");
        // The only HTML is the report's own folding of the mapping table.
        for h in &html {
            assert!(
                h == "<details>"
                    || h == "</details>"
                    || h.strip_prefix("<summary>")
                        .and_then(|h| h.strip_suffix("</summary>"))
                        .is_some_and(|inner| !inner.contains(['<', '>'])),
                "{register}: HTML {h:?} in the Markdown report"
            );
        }
        let report = json_report(register);
        for finding in report["findings"].as_array().unwrap() {
            let message = finding["message"].as_str().unwrap();
            if message.chars().any(|c| c.is_control()) {
                continue; // shown as escapes, which tests/suite/output_safety.rs covers
            }
            let message = message.replace('`', "");
            assert!(
                text.contains(&message),
                "{register}: the rendered report does not read {message:?}"
            );
        }
        // Prose stays readable as raw text: no escaped hyphens, dots or parentheses.
        for escaped in ["\\-", "\\.", "\\(", "\\)", "\\#", "\\!"] {
            assert!(
                !markdown.contains(escaped),
                "{register}: {escaped} in the raw Markdown"
            );
        }
    }
}

#[test]
fn reuse_advice_names_activities_in_words_in_every_format() {
    let model: Value = serde_json::from_str(
        &std::fs::read_to_string("mappings/iso-iec-ts-27022-2021.json").unwrap(),
    )
    .unwrap();
    let english: BTreeMap<String, String> = model["processes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["activities"].as_array().unwrap())
        .map(|a| {
            (
                a["id"].as_str().unwrap().to_owned(),
                a["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let german: Value =
        serde_json::from_str(&std::fs::read_to_string("mappings/i18n/de.json").unwrap()).unwrap();
    let german: BTreeMap<String, String> =
        serde_json::from_value(german["activities"].clone()).unwrap();
    let register = "fixtures/registers/mittelstand-de.json";
    for (lang, words) in [("en", english), ("de", german)] {
        let extra = ["--lang", lang];
        let report: Value = serde_json::from_str(&cached(register, "json", &extra)).unwrap();
        let advice: Vec<&Value> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "adaptable-process" && f["activities"].is_array())
            .collect();
        assert!(
            advice.len() >= 3,
            "{register}: too few findings with activities to add"
        );
        let outputs: Vec<(&str, String)> = ["text", "markdown", "sarif", "github"]
            .into_iter()
            .map(|format| (format, cached(register, format, &extra)))
            .collect();
        for finding in advice {
            let help = finding["help"].as_str().unwrap();
            for activity in finding["activities"].as_array().unwrap() {
                let id = activity["id"].as_str().unwrap();
                let text = activity["text"].as_str().unwrap();
                assert_eq!(
                    Some(text),
                    words.get(id).map(String::as_str),
                    "{lang}: {id}"
                );
                let slug = id.rsplit('/').next().unwrap();
                assert!(!help.contains(slug), "{help:?} names the activity {slug}");
                for (format, output) in &outputs {
                    // GitHub commands escape line ends only; the words themselves are kept.
                    assert!(
                        output.contains(text),
                        "{lang} --format {format} lacks {text:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn markdown_shows_status_as_text_and_emoji() {
    let text = cached(EXAMPLES[0], "markdown", &[]);
    for status in ["✅ covered", "🟡 adaptable", "❌ missing"] {
        assert!(text.contains(status), "{status}");
    }
    for heading in [
        "## Summary",
        "## Coverage of the 17 PRM processes",
        "## Mappings",
    ] {
        assert!(text.contains(heading), "{heading}");
    }
}

// ---------------------------------------------------------------------------------------------
// Every format

/// Every `check` format on every example register, pinned: a change to what a report says or
/// how it looks shows here as a reviewable diff (`cargo insta review`, or `INSTA_UPDATE=always
/// cargo test --test suite formats::` to accept). The safety net for refactors that must keep output
/// byte-identical.
#[test]
fn every_format_of_every_example_is_pinned_by_a_snapshot() {
    let variants: &[(&str, &str, &[&str])] = &[
        ("text", "text", &[]),
        ("json", "json", &[]),
        ("markdown", "markdown", &[]),
        ("html", "html", &["--date", "2026-11-28"]),
        ("sarif", "sarif", &[]),
        ("github", "github", &[]),
        ("junit", "junit", &[]),
        ("csv-mappings", "csv", &["--csv", "mappings"]),
        ("csv-coverage", "csv", &["--csv", "coverage"]),
        ("csv-actions", "csv", &["--csv", "actions"]),
        ("csv-clauses", "csv", &["--csv", "clauses"]),
        ("clauses", "clauses", &[]),
        ("text-by-owner", "text", &["--group-by", "owner"]),
    ];
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_snapshot_path("snapshots/check");
    settings.bind(|| {
        // English whatever the register's language: these pin the English wording.
        for register in EXAMPLES {
            let stem = Path::new(register).file_stem().unwrap().to_str().unwrap();
            for (name, format, extra) in variants {
                let extra = [*extra, &["--lang", "en"]].concat();
                insta::assert_snapshot!(format!("{stem}.{name}"), cached(register, format, &extra));
            }
        }
        // The German register in the language it is written in, as a consultant hands it on
        // (reports for people follow the register; JSON only when asked).
        let german: &[(&str, &str, &[&str])] = &[
            ("text", "text", &[]),
            ("markdown", "markdown", &[]),
            ("html", "html", &["--date", "2026-11-28"]),
            ("clauses", "clauses", &[]),
            ("json", "json", &["--lang", "de"]),
        ];
        for (name, format, extra) in german {
            let register = "fixtures/registers/mittelstand-de.json";
            insta::assert_snapshot!(
                format!("mittelstand-de.{name}.de"),
                cached(register, format, extra)
            );
        }
    });
}

#[test]
fn every_format_is_byte_identical_across_runs() {
    let registers = [EXAMPLES[0], EXAMPLES[2], "fixtures/formats/markup.json"];
    for register in registers {
        for format in FORMATS {
            assert_eq!(
                check(register, format, &[]),
                check(register, format, &[]),
                "{register} --format {format}"
            );
        }
        assert_eq!(
            check(register, "csv", &["--csv", "coverage"]),
            check(register, "csv", &["--csv", "coverage"])
        );
    }
}

#[test]
fn every_format_keeps_the_exit_code_contract() {
    for format in FORMATS {
        let output = prmlint()
            .args(["check", EXAMPLES[0], "--format", format])
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(1),
            "{format}: errors fail the run"
        );
        let output = prmlint()
            .args([
                "check",
                "fixtures/invalid/not-json.json",
                "--format",
                format,
            ])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{format}: unreadable input");
    }
}

#[test]
fn options_of_another_format_are_reported_as_ignored() {
    let register = "fixtures/registers/service-provider.json";
    let plain = check(register, "json", &[]);
    for (extra, warning) in [
        (
            &["--csv", "coverage"][..],
            "--csv only applies to --format csv",
        ),
        (
            &["--date", "2026-11-28"][..],
            "--date only applies to --format html",
        ),
    ] {
        let output = prmlint()
            .args(["check", register, "--format", "json", "--fail-on", "never"])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(warning), "{extra:?}: {stderr}");
        assert_eq!(String::from_utf8_lossy(&output.stdout), plain, "{extra:?}");
    }
    // With their own format, no warning.
    for (format, extra) in [
        ("csv", ["--csv", "coverage"]),
        ("html", ["--date", "2026-11-28"]),
    ] {
        let output = prmlint()
            .args(["check", register, "--format", format, "--fail-on", "never"])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0));
        assert!(!String::from_utf8_lossy(&output.stderr).contains("warning"));
    }
}

#[test]
fn sarif_and_annotation_paths_are_relative_to_the_work_tree_root() {
    // A repository with the register in a subdirectory, checked from that subdirectory: GitHub
    // resolves both SARIF uris and annotation files from the repository root.
    let repo = temp_dir();
    std::fs::create_dir(repo.path().join(".git")).unwrap();
    let isms = repo.path().join("isms");
    std::fs::create_dir(&isms).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(EXAMPLES[0]),
        isms.join("register.json"),
    )
    .unwrap();
    let run = |format: &str, register: &str| {
        let output = prmlint()
            .current_dir(&isms)
            .args(["check", register, "--format", format, "--fail-on", "never"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0));
        String::from_utf8(output.stdout).unwrap()
    };
    for register in ["register.json", "./register.json", "../isms/register.json"] {
        let log: Value = serde_json::from_str(&run("sarif", register)).unwrap();
        assert!(!results(&log).is_empty());
        for result in results(&log) {
            assert_eq!(
                result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                "isms/register.json",
                "{register}"
            );
        }
        let annotations = run("github", register);
        assert!(
            annotations.contains("file=isms/register.json"),
            "{annotations}"
        );
        assert!(!annotations.contains("file=register.json"), "{annotations}");
    }
}

#[test]
fn a_german_register_is_reported_in_german_unless_told_otherwise() {
    let register = "fixtures/registers/mittelstand-de.json";
    let catalogue: Value =
        serde_json::from_str(&std::fs::read_to_string("mappings/i18n/de.json").unwrap()).unwrap();
    let german: Value = serde_json::from_str(&cached(register, "json", &["--lang", "de"])).unwrap();
    // Machine formats stay English unless a language is asked for.
    let english: Value = serde_json::from_str(&cached(register, "json", &[])).unwrap();
    let (de, en) = (
        german["findings"].as_array().unwrap(),
        english["findings"].as_array().unwrap(),
    );
    // The same findings, codes and places; only the words differ.
    assert_eq!(de.len(), en.len());
    let words = ["message", "help", "label", "evidence", "activities"];
    for (d, e) in de.iter().zip(en) {
        let (mut d, mut e) = (d.clone(), e.clone());
        assert_ne!(
            d["message"], e["message"],
            "still English: {}",
            e["message"]
        );
        for field in words {
            d.as_object_mut().unwrap().remove(field);
            e.as_object_mut().unwrap().remove(field);
        }
        assert!(d.as_object().unwrap().contains_key("location"), "{d}");
        assert_eq!(d, e);
    }
    // PRM names in the coverage come from the German reference data.
    for coverage in german["coverage"].as_array().unwrap() {
        let prm = coverage["prm"].as_str().unwrap();
        assert_eq!(
            coverage["name"], catalogue["processes"][prm]["name"],
            "{prm}"
        );
    }
    let markdown = cached(register, "markdown", &[]);
    let heading = catalogue["messages"]["report.summary"].as_str().unwrap();
    assert!(markdown.contains(&format!("## {heading}\n")), "{heading}");
    assert!(!markdown.contains("## Summary\n"));
    let html = cached(register, "html", &["--date", "2026-11-28"]);
    assert!(html.contains("<html lang=\"de\">"));
    // --lang wins over the register's language; so does `lang` in prmlint.json.
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("prmlint.json");
    std::fs::write(&config, r#"{"lang": "fr"}"#).unwrap();
    let french = check(
        register,
        "markdown",
        &["--config", config.to_str().unwrap()],
    );
    let fr: Value =
        serde_json::from_str(&std::fs::read_to_string("mappings/i18n/fr.json").unwrap()).unwrap();
    let heading = fr["messages"]["report.summary"].as_str().unwrap();
    assert!(french.contains(&format!("## {heading}\n")), "{heading}");
    let english = check(
        register,
        "markdown",
        &["--config", config.to_str().unwrap(), "--lang", "en"],
    );
    assert!(english.contains("## Summary\n"));
}

#[test]
fn machine_formats_of_a_german_register_stay_english_unless_asked() {
    let register = "fixtures/registers/mittelstand-de.json";
    for (format, extra) in [
        ("sarif", &[][..]),
        ("github", &[][..]),
        ("junit", &[][..]),
        ("csv", &["--csv", "actions"][..]),
        ("json", &[][..]),
    ] {
        let default = cached(register, format, extra);
        let english = cached(register, format, &[extra, &["--lang", "en"]].concat());
        assert_eq!(default, english, "--format {format}");
        let german = cached(register, format, &[extra, &["--lang", "de"]].concat());
        assert_ne!(
            default, german,
            "--format {format} --lang de changes nothing"
        );
    }
}

#[test]
fn every_language_renders_every_report_for_people_without_a_gap() {
    let placeholder = |text: &str| {
        text.match_indices('{').any(|(i, _)| {
            let rest = &text[i + 1..];
            let end = rest.find(|c: char| !(c.is_ascii_lowercase() || c == '_'));
            end.is_some_and(|end| end > 0 && rest[end..].starts_with('}'))
        })
    };
    for lang in ["de", "fr", "es", "it", "nl", "pt"] {
        for register in [EXAMPLES[0], "fixtures/registers/mittelstand-de.json"] {
            for (format, extra) in [
                ("text", &["--group-by", "owner"][..]),
                ("markdown", &[][..]),
                ("html", &[][..]),
                ("clauses", &[][..]),
            ] {
                let report = check(register, format, &[extra, &["--lang", lang]].concat());
                let context = format!("{lang} {register} --format {format}");
                assert!(!placeholder(&report), "{context}: a placeholder is left");
                // The English headings are gone.
                for english in [
                    "Coverage of the 17 PRM processes",
                    "## Summary",
                    ">Summary</h2>",
                    "reached by the PRM processes and the control areas",
                ] {
                    assert!(!report.contains(english), "{context}: {english:?}");
                }
                if format == "markdown" {
                    let (_, html) = rendered_markdown(&report);
                    for h in &html {
                        assert!(
                            h == "<details>"
                                || h == "</details>"
                                || (h.starts_with("<summary>") && h.ends_with("</summary>")),
                            "{context}: HTML {h:?}"
                        );
                    }
                }
                if format == "html" {
                    assert!(
                        report.contains(&format!("<html lang=\"{lang}\">")),
                        "{context}"
                    );
                }
            }
        }
    }
}
