//! The `check` JSON report: valid against `schema/report.schema.json`, byte-identical across
//! runs, and the domain findings a consultant expects on the bundled example registers.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use serde_json::Value;

const EXAMPLES: &[&str] = &[
    "fixtures/registers/service-provider.json",
    "fixtures/registers/bank-cobit.json",
    "fixtures/registers/university.csv",
    "fixtures/registers/mittelstand-de.json",
    "fixtures/registers/manufacturer-9001-22301.json",
];

fn check_json(register: &str) -> (Vec<u8>, Value) {
    let output = Command::cargo_bin("prmlint")
        .unwrap()
        .args(["check", register, "--format", "json", "--fail-on", "never"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let value = serde_json::from_slice(&output.stdout).unwrap();
    (output.stdout, value)
}

fn status_of<'a>(report: &'a Value, prm: &str) -> &'a str {
    report["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["prm"] == prm)
        .and_then(|c| c["status"].as_str())
        .unwrap()
}

fn findings<'a>(report: &'a Value, code: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code)
        .collect()
}

#[test]
fn every_example_report_validates_against_the_report_schema() {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string("schema/report.schema.json").unwrap())
            .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for register in EXAMPLES {
        let (_, report) = check_json(register);
        let errors: Vec<String> = validator
            .iter_errors(&report)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{register}: {errors:#?}");
        assert_eq!(report["coverage"].as_array().unwrap().len(), 17);
    }
}

#[test]
fn the_report_is_byte_identical_across_runs() {
    for register in EXAMPLES {
        let (first, _) = check_json(register);
        let (second, _) = check_json(register);
        assert!(first == second, "{register} differs between runs");
    }
}

#[test]
fn processes_appear_in_register_order_with_mappings_best_first() {
    let (_, report) = check_json("fixtures/registers/service-provider.json");
    let ids: Vec<&str> = report["processes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    let register: Value = serde_json::from_str(
        &std::fs::read_to_string("fixtures/registers/service-provider.json").unwrap(),
    )
    .unwrap();
    let expected: Vec<&str> = register["processes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, expected);
    for process in report["processes"].as_array().unwrap() {
        let scores: Vec<f64> = process["mappings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["score"].as_f64().unwrap())
            .collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{process}");
    }
}

fn control_area_of<'a>(report: &'a Value, id: &str) -> Option<&'a str> {
    report["processes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .and_then(|p| p["control_area"].as_str())
}

fn has_finding(report: &Value, code: &str, prm: Option<&str>, process: &str) -> bool {
    findings(report, code).iter().any(|f| {
        prm.is_none_or(|prm| f["prm"] == prm)
            && f["processes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p == process)
    })
}

#[test]
fn service_provider_gaps_duplicates_and_reuse_make_sense() {
    let (_, r) = check_json("fixtures/registers/service-provider.json");
    for prm in [
        "policy-management",
        "risk-assessment",
        "incident-management",
        "internal-audit",
    ] {
        assert_eq!(status_of(&r, prm), "covered", "{prm}");
    }
    for prm in [
        "requirements-management",
        "awareness-competence",
        "records-control",
        "resource-management",
    ] {
        assert_eq!(status_of(&r, prm), "missing", "{prm}");
        assert!(
            findings(&r, "missing-process")
                .iter()
                .any(|f| f["prm"] == prm),
            "{prm}"
        );
    }
    // The parallel pattern: ITSM incident management beside a security-only twin.
    assert!(has_finding(
        &r,
        "duplicate-process",
        Some("incident-management"),
        "SP-INC-01"
    ));
    assert!(has_finding(
        &r,
        "duplicate-process",
        Some("incident-management"),
        "SP-SEC-02"
    ));
    // Reuse instead of new processes.
    assert_eq!(status_of(&r, "change-management"), "adaptable");
    assert!(has_finding(
        &r,
        "adaptable-process",
        Some("change-management"),
        "SP-CHG-01"
    ));
    assert!(has_finding(
        &r,
        "adaptable-process",
        Some("outsourced-services"),
        "SP-SUP-01"
    ));
    assert!(has_finding(&r, "umbrella-process", None, "SP-ISM-01"));
    assert_eq!(control_area_of(&r, "SP-ACC-01"), Some("identity-access"));
    assert_eq!(control_area_of(&r, "SP-BCK-01"), Some("backup"));
    assert_eq!(
        control_area_of(&r, "SP-SCM-01"),
        Some("business-continuity")
    );
    assert_eq!(control_area_of(&r, "SP-CAP-01"), Some("capacity"));
    // A service desk declared equal to the communication process is not evidence of one.
    assert!(has_finding(
        &r,
        "unsupported-mapping",
        Some("communication"),
        "SP-DSK-01"
    ));
    assert_ne!(status_of(&r, "communication"), "covered");
}

#[test]
fn bank_register_finds_parallel_risk_processes_and_false_friends() {
    let (_, r) = check_json("fixtures/registers/bank-cobit.json");
    assert!(has_finding(
        &r,
        "duplicate-process",
        Some("risk-assessment"),
        "SEC-02"
    ));
    assert!(has_finding(
        &r,
        "duplicate-process",
        Some("risk-assessment"),
        "APO12"
    ));
    assert!(has_finding(&r, "umbrella-process", None, "APO13"));
    assert_eq!(control_area_of(&r, "IAM-01"), Some("identity-access"));
    assert_eq!(control_area_of(&r, "BCM-01"), Some("business-continuity"));
    // KYC is customer due diligence against money laundering, not customer security.
    assert!(has_finding(
        &r,
        "unsupported-mapping",
        Some("customer-relationship"),
        "KYC-01"
    ));
    assert_eq!(status_of(&r, "incident-management"), "covered");
    assert_eq!(status_of(&r, "records-control"), "missing");
}

#[test]
fn sparse_university_csv_register_has_many_gaps() {
    let (_, r) = check_json("fixtures/registers/university.csv");
    assert_eq!(status_of(&r, "policy-management"), "covered");
    assert_eq!(status_of(&r, "change-management"), "adaptable");
    for prm in [
        "internal-audit",
        "performance-evaluation",
        "improvement",
        "records-control",
    ] {
        assert_eq!(status_of(&r, prm), "missing", "{prm}");
    }
    assert!(report_missing_count(&r) >= 10);
    assert!(has_finding(
        &r,
        "unsupported-mapping",
        Some("records-control"),
        "ITS-06"
    ));
}

fn report_missing_count(report: &Value) -> u64 {
    report["summary"]["coverage"]["overall"]["missing"]
        .as_u64()
        .unwrap()
}

#[test]
fn german_bsi_register_maps_german_names() {
    let (_, r) = check_json("fixtures/registers/mittelstand-de.json");
    assert_eq!(status_of(&r, "incident-management"), "covered");
    assert_eq!(status_of(&r, "awareness-competence"), "covered");
    assert_eq!(status_of(&r, "internal-audit"), "covered");
    assert_eq!(status_of(&r, "policy-management"), "missing");
    assert!(has_finding(&r, "umbrella-process", None, "P-01"));
    assert!(has_finding(
        &r,
        "adaptable-process",
        Some("outsourced-services"),
        "P-07"
    ));
    assert_eq!(control_area_of(&r, "P-04"), Some("backup"));
}

#[test]
fn quality_and_continuity_manufacturer_reuses_its_management_system() {
    let (_, r) = check_json("fixtures/registers/manufacturer-9001-22301.json");
    assert!(has_finding(&r, "umbrella-process", None, "PRC-0030"));
    for prm in [
        "internal-audit",
        "improvement",
        "awareness-competence",
        "outsourced-services",
    ] {
        assert_eq!(status_of(&r, prm), "adaptable", "{prm}");
    }
    assert_eq!(status_of(&r, "policy-management"), "missing");
    assert!(has_finding(
        &r,
        "unsupported-mapping",
        Some("communication"),
        "PRC-0024"
    ));
}

#[test]
fn map_json_is_byte_identical_across_runs() {
    let run = || {
        Command::cargo_bin("prmlint")
            .unwrap()
            .args(["map", "fixtures/eval/eval-set.json", "--format", "json"])
            .output()
            .unwrap()
    };
    let (first, second) = (run(), run());
    assert_eq!(first.status.code(), Some(0));
    assert!(!first.stdout.is_empty());
    assert!(
        first.stdout == second.stdout,
        "map output differs between runs"
    );
}
