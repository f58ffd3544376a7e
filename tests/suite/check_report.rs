//! The `check` JSON report: valid against `schema/report.schema.json`, byte-identical across
//! runs, and the domain findings a consultant expects on the bundled example registers.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use serde_json::Value;

use crate::common::EXAMPLES;

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

fn duplicate_groups(report: &Value) -> Vec<(String, Vec<String>, Vec<String>)> {
    findings(report, "duplicate-process")
        .iter()
        .map(|f| {
            let strings = |v: &Value| -> Vec<String> {
                v.as_array()
                    .into_iter()
                    .flatten()
                    .map(|s| s.as_str().unwrap().to_owned())
                    .collect()
            };
            (
                f["prm"].as_str().unwrap().to_owned(),
                strings(&f["processes"]),
                strings(&f["evidence"]),
            )
        })
        .collect()
}

#[test]
fn twins_after_a_merger_are_found_across_languages_with_the_signals_that_made_them() {
    let (_, r) = check_json("fixtures/duplicates/merger.json");
    let groups = duplicate_groups(&r);
    assert_eq!(groups.len(), 2, "{groups:#?}");
    let (prm, ids, why) = &groups[0];
    assert_eq!(prm, "outsourced-services");
    assert_eq!(ids, &["GRP-SUP", "DE-SUP", "ES-SUP"]);
    assert!(
        why.iter().any(|w| w.starts_with("different owners: ")),
        "{why:?}"
    );
    assert!(
        why.iter().any(|w| w.starts_with("different units: ")),
        "{why:?}"
    );
    // A QMS and an ISMS document control: one job, two management systems.
    let (prm, ids, why) = &groups[1];
    assert_eq!(prm, "records-control");
    assert_eq!(ids, &["QMS-DOC", "ISMS-DOC"]);
    assert!(
        why.iter()
            .any(|w| w.starts_with("a quality-management variant (`QMS-DOC`)")),
        "{why:?}"
    );
    let message = findings(&r, "duplicate-process")[1]["message"]
        .as_str()
        .unwrap();
    assert!(message.contains("a quality-management process beside a security one"));
}

#[test]
fn legitimate_splits_are_not_twins_and_the_finding_says_why() {
    let (_, r) = check_json("fixtures/duplicates/splits.json");
    let groups = duplicate_groups(&r);
    // Only the legacy site procedure runs beside the CSIRT process. The playbook is a child,
    // the DPO notifies, the service desk hands over, and the third-line audit has its own
    // mandate: none of them is a second process doing the job.
    assert_eq!(groups.len(), 1, "{groups:#?}");
    let (prm, ids, why) = &groups[0];
    assert_eq!(prm, "incident-management");
    assert_eq!(ids, &["SEC-INC", "LNZ-INC"]);
    assert!(
        why.iter()
            .any(|w| w.contains("`LNZ-INC` says it runs beside another")),
        "{why:?}"
    );
    assert!(
        why.contains(
            &"`DPO-NOT` is not a twin: a notification step beside the handling".to_owned()
        ),
        "{why:?}"
    );
    assert!(
        why.iter()
            .any(|w| w.starts_with("`IT-SD` is not a twin: the IT service desk")),
        "{why:?}"
    );
    assert!(!ids.contains(&"SEC-INC-RW".to_owned()));
    assert!(
        !groups
            .iter()
            .any(|(_, ids, _)| ids.contains(&"GIA".to_owned())),
        "third-line audit grouped: {groups:#?}"
    );
}

/// `A` pairs with both `B` and `C`, which do not pair with each other: which twin `A` is
/// grouped with must not depend on the order of the register's rows.
#[test]
fn which_processes_are_twins_does_not_depend_on_the_register_order() {
    let processes = [
        r#"{"id": "A", "name": "ISMS internal audit",
            "description": "Audits the information security controls against ISO/IEC 27001 clause 9.2."}"#,
        r#"{"id": "B", "name": "Internal audit",
            "description": "Plans and runs internal audits across the company and reports results to management."}"#,
        r#"{"id": "C", "name": "Compliance inspections",
            "description": "Periodic internal audit of departments against company policies."}"#,
    ];
    let dir = tempfile::tempdir().unwrap();
    let orders = [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
    ];
    let mut seen = Vec::new();
    for order in orders {
        let rows: Vec<&str> = order.iter().map(|&i| processes[i]).collect();
        let path = dir.path().join("register.json");
        std::fs::write(
            &path,
            format!(
                r#"{{"register": {{"organisation": "Order test", "version": "1"}},
                    "processes": [{}]}}"#,
                rows.join(",")
            ),
        )
        .unwrap();
        let (_, r) = check_json(path.to_str().unwrap());
        let mut groups = duplicate_groups(&r);
        // The finding lists its processes in register order; which they are is the point.
        for (_, ids, _) in &mut groups {
            ids.sort();
        }
        seen.push((order, groups));
    }
    let (_, first) = &seen[0];
    assert_eq!(first.len(), 1, "{first:#?}");
    assert_eq!(first[0].1, ["A", "B"], "{first:#?}");
    for (order, groups) in &seen {
        assert_eq!(groups, first, "rows in order {order:?}");
    }
}

#[test]
fn duplicate_signals_are_shown_in_the_text_markdown_and_html_reports() {
    for format in ["text", "markdown", "html"] {
        let output = Command::cargo_bin("prmlint")
            .unwrap()
            .args([
                "check",
                "fixtures/duplicates/splits.json",
                "--fail-on",
                "never",
            ])
            .args(["--format", format])
            .output()
            .unwrap();
        let out = String::from_utf8(output.stdout).unwrap();
        for signal in ["says it runs beside another", "is not a twin"] {
            assert!(out.contains(signal), "{format}: {signal}");
        }
    }
}

/// `check --group-by owner` on a register: stdout as text.
fn by_owner(register: &str, format: &str) -> String {
    let output = Command::cargo_bin("prmlint")
        .unwrap()
        .args(["check", register, "--group-by", "owner", "--format", format])
        .args(["--fail-on", "never"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn the_action_list_gives_every_finding_to_the_owners_of_its_processes() {
    for register in EXAMPLES {
        let (_, report) = check_json(register);
        let owners: std::collections::BTreeMap<String, String> = {
            let csv = by_owner(register, "csv");
            let mut rows = csv::Reader::from_reader(csv.as_bytes());
            let header = rows.headers().unwrap().clone();
            assert_eq!(
                header.iter().collect::<Vec<_>>(),
                [
                    "owner",
                    "process_id",
                    "process_name",
                    "prm",
                    "code",
                    "severity",
                    "message",
                    "help",
                    "activities"
                ]
            );
            let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
            // Nothing is lost: every finding of the JSON report is on the list.
            for finding in report["findings"].as_array().unwrap() {
                let message = finding["message"].as_str().unwrap();
                let rows: Vec<&csv::StringRecord> = records
                    .iter()
                    .filter(|r| r[6].trim_start_matches('\'') == message)
                    .collect();
                assert!(!rows.is_empty(), "{register}: {message} is not on the list");
                // A process to adapt goes to the owner of the best candidate only.
                if finding["code"] == "adaptable-process" {
                    let first = finding["processes"][0].as_str().unwrap();
                    assert!(rows.iter().all(|r| &r[1] == first), "{register}: {message}");
                }
                for activity in finding["activities"].as_array().into_iter().flatten() {
                    let text = activity["text"].as_str().unwrap();
                    assert!(rows.iter().all(|r| r[8].contains(text)), "{text}");
                }
            }
            records
                .iter()
                .filter(|r| !r[0].is_empty())
                .map(|r| (r[1].to_owned(), r[0].to_owned()))
                .collect()
        };
        // Each process's findings are under the owner the register names for it.
        let text = std::fs::read_to_string(register).unwrap();
        for (process, owner) in &owners {
            assert!(
                text.contains(owner.as_str()),
                "{register}: {process} listed under {owner}, not in the register"
            );
        }
        assert!(!owners.is_empty(), "{register}: no owner has an action");
    }
}

#[test]
fn the_prm_processes_nobody_owns_are_the_gaps_and_those_run_only_by_ownerless_processes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register.json");
    std::fs::write(
        &path,
        r#"{"register": {"organisation": "Owners test", "version": "1"},
            "processes": [
              {"id": "INC", "name": "Information security incident management", "owner": "Anna Berg",
               "description": "Detects, triages, contains and resolves information security incidents and learns from them.",
               "activities": ["Report security events", "Triage incidents", "Contain and eradicate", "Lessons learned"]},
              {"id": "AUD", "name": "ISMS internal audit", "owner": " anna berg ",
               "activities": ["Plan the audit programme", "Conduct audits", "Report findings"]},
              {"id": "RISK", "name": "Information security risk assessment",
               "description": "Identifies, analyses and evaluates information security risks.",
               "activities": ["Identify risks", "Analyse risks", "Evaluate risks"]}
            ]}"#,
    )
    .unwrap();
    let register = path.to_str().unwrap();
    let (_, report) = check_json(register);
    let text = by_owner(register, "text");
    // One owner however the name is spaced or capitalised, shown as first written; the
    // processes without an owner come after the owners. Only processes with findings are
    // listed (`AUD` lacks a description).
    assert_eq!(text.matches("Owner: ").count(), 1, "{text}");
    assert!(text.contains("  AUD ISMS internal audit\n    warning [missing-description]"));
    assert!(text.contains("Owner: Anna Berg ("), "{text}");
    let owner_at = text.find("Owner: Anna Berg").unwrap();
    let ownerless_at = text.find("Processes without an owner").unwrap();
    assert!(owner_at < ownerless_at, "{text}");
    // Nobody owns: every missing PRM process, and risk assessment, run only by `RISK`.
    let section = &text[text.find("PRM processes nobody owns").unwrap()..];
    let missing: Vec<&str> = report["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "missing")
        .map(|c| c["prm"].as_str().unwrap())
        .collect();
    assert!(!missing.is_empty());
    for prm in &missing {
        assert!(
            section.contains(&format!(" {prm} (")),
            "{prm} not in {section}"
        );
    }
    assert_ne!(status_of(&report, "risk-assessment"), "missing");
    assert!(
        section.contains("risk-assessment (") && section.contains("RISK without an owner"),
        "{section}"
    );
    for owned in ["incident-management (", "internal-audit ("] {
        assert!(!section.contains(owned), "{owned} is owned: {section}");
    }
    // Those that `RISK` alone covers or could be adapted to (risk assessment, and risk
    // treatment, which it overlaps) are nobody's either.
    let only_risk = report["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] != "missing" && c["processes"] == serde_json::json!(["RISK"]))
        .count();
    assert!(only_risk >= 1);
    let expected = missing.len() + only_risk;
    assert!(
        section.starts_with(&format!("PRM processes nobody owns ({expected})")),
        "{section}"
    );
    // A finding on a process the register lacks, about a PRM process nobody owns (an unused
    // suppression), is still on the list.
    std::fs::write(
        dir.path().join("prmlint.json"),
        r#"{"suppress": [{"rule": "missing-process", "process": "SEC-77",
            "prm": "records-control", "reason": "retired, replaced"}]}"#,
    )
    .unwrap();
    for format in ["text", "markdown", "html", "csv"] {
        assert!(
            by_owner(register, format).contains("unused-suppression"),
            "--format {format}"
        );
    }
    // A gap the configuration accepts is nobody's action.
    let accepted = missing[0];
    std::fs::write(
        dir.path().join("prmlint.json"),
        format!(
            r#"{{"suppress": [{{"rule": "missing-process", "prm": "{accepted}",
                "reason": "out of scope"}}]}}"#
        ),
    )
    .unwrap();
    let text = by_owner(register, "text");
    let section = &text[text.find("PRM processes nobody owns").unwrap()..];
    assert!(!section.contains(&format!(" {accepted} (")), "{section}");
    assert!(section.contains(&format!(" {} (", missing[1])), "{section}");
    std::fs::remove_file(dir.path().join("prmlint.json")).unwrap();
    // The same list in Markdown and HTML.
    let markdown = by_owner(register, "markdown");
    assert!(markdown.contains("## Actions by owner"), "{markdown}");
    assert!(markdown.contains("### Owner: Anna Berg"), "{markdown}");
    assert!(markdown.contains(&format!("### PRM processes nobody owns ({expected})")));
    let html = by_owner(register, "html");
    assert!(
        html.contains("<h3>Owner: Anna Berg <span class=\"count\">"),
        "{html}"
    );
    assert!(html.contains("<h3>PRM processes nobody owns <span class=\"count\">"));
    assert!(html.contains("listed per owner of the processes they concern"));
}

/// The row of the clause matrix for `reference` ("9.2", or "A.5.24" for an Annex A control).
fn clause<'a>(report: &'a Value, reference: &str) -> &'a Value {
    let (kind, number) = match reference.strip_prefix("A.") {
        Some(number) => ("control", number),
        None => ("clause", reference),
    };
    report["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == kind && c["ref"] == number)
        .unwrap_or_else(|| panic!("no row for {reference}"))
}

fn implementer_ids(row: &Value) -> Vec<&str> {
    row["implementers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["process"].as_str().unwrap())
        .collect()
}

/// (clause, status, a process that implements it, a PRM process or control area nobody runs).
type ClauseExpectation = (
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
);

/// Worked out by hand for each example register from its processes and the PRM's clause and
/// control references (../shared/reference/prm-facts.md, mappings/control-areas.json): a clause
/// that only one PRM process reaches follows that process's coverage (covered, adaptable: partly,
/// missing: none), an Annex A control of a control area is covered when an active process runs
/// the area.
const CLAUSE_EXPECTATIONS: &[(&str, &[ClauseExpectation])] = &[
    (
        "fixtures/registers/service-provider.json",
        &[
            ("5.2", "covered", Some("SP-ISM-02"), None),
            ("6.1.2", "covered", Some("SP-ISM-03"), None),
            ("9.2", "covered", Some("SP-AUD-01"), None),
            ("9.3", "partly", Some("SP-GOV-01"), None),
            ("4.2", "partly", None, Some("requirements-management")),
            ("7.2", "none", None, Some("awareness-competence")),
            ("7.5.1", "none", None, Some("records-control")),
            ("6.3", "partly", Some("SP-CHG-01"), None),
            ("10.1", "partly", Some("SP-CSI-01"), None),
            ("A.5.24", "covered", Some("SP-SEC-02"), None),
            ("A.8.13", "covered", Some("SP-BCK-01"), None),
            ("A.5.15", "covered", Some("SP-ACC-01"), None),
            ("A.7.1", "none", None, Some("physical-security")),
        ],
    ),
    (
        "fixtures/registers/bank-cobit.json",
        &[
            ("4.4", "covered", Some("SEC-06"), None),
            ("5.2", "covered", Some("SEC-01"), Some("communication")),
            ("6.1.3", "covered", Some("SEC-03"), None),
            ("7.2", "covered", Some("SEC-04"), None),
            ("9.2", "partly", Some("IA-01"), None),
            ("9.1", "partly", Some("MEA01"), None),
            ("7.5.1", "none", None, Some("records-control")),
            ("6.3", "partly", Some("BAI06"), None),
            ("10.1", "partly", Some("ISS-01"), None),
            ("A.5.24", "covered", Some("SEC-05"), None),
            ("A.5.15", "covered", Some("IAM-01"), None),
            ("A.8.13", "none", None, Some("backup")),
            ("A.5.29", "covered", Some("BCM-01"), None),
        ],
    ),
    (
        "fixtures/registers/university.csv",
        &[
            ("5.2", "covered", Some("ITS-01"), None),
            ("4.4", "none", None, Some("governance-interface")),
            ("9.2", "none", None, Some("internal-audit")),
            ("9.1", "none", None, Some("performance-evaluation")),
            ("10.1", "none", None, Some("improvement")),
            ("6.3", "partly", Some("ITS-04"), None),
            ("7.2", "partly", Some("ITS-07"), None),
            ("7.5.1", "none", None, Some("records-control")),
            ("A.8.13", "covered", Some("ITS-06"), None),
            ("A.5.15", "covered", Some("ITS-05"), None),
            ("A.8.8", "covered", Some("ITS-11"), None),
            // The cloud security process is a draft; supplier control is missing.
            ("A.5.23", "none", None, Some("cloud-security")),
        ],
    ),
    (
        "fixtures/registers/mittelstand-de.json",
        &[
            ("5.2", "none", None, Some("policy-management")),
            ("6.1.2", "covered", Some("P-10"), None),
            ("7.2", "covered", Some("P-06"), None),
            ("9.2", "covered", Some("P-08"), None),
            ("7.5.1", "covered", Some("P-16"), None),
            ("6.3", "none", None, Some("change-management")),
            ("4.4", "partly", Some("P-11"), None),
            ("9.1", "partly", Some("P-12"), None),
            ("A.8.13", "covered", Some("P-04"), None),
            ("A.5.24", "covered", Some("P-02"), None),
            ("A.8.20", "covered", Some("P-17"), None),
            ("A.7.1", "none", None, Some("physical-security")),
            // Operational planning: incident handling is covered, but implementation and
            // change management, which implement 8.1 too, are missing.
            ("8.1", "partly", Some("P-02"), Some("change-management")),
        ],
    ),
    (
        "fixtures/registers/manufacturer-9001-22301.json",
        &[
            ("4.4", "partly", Some("PRC-0001"), None),
            // No policy process, but crisis communication contributes to 5.2.
            ("5.2", "partly", Some("PRC-0024"), Some("policy-management")),
            ("9.2", "partly", Some("PRC-0003"), None),
            ("7.5.1", "partly", Some("PRC-0002"), None),
            ("10.1", "partly", Some("PRC-0004"), None),
            ("6.3", "partly", Some("PRC-0011"), None),
            ("7.2", "partly", Some("PRC-0005"), None),
            (
                "4.2",
                "partly",
                Some("PRC-0001"),
                Some("requirements-management"),
            ),
            ("A.5.29", "covered", Some("PRC-0020"), None),
            ("A.5.30", "covered", Some("PRC-0021"), None),
            ("A.8.13", "none", None, Some("backup")),
            ("A.5.15", "none", None, Some("identity-access")),
        ],
    ),
];

#[test]
fn the_clause_matrix_of_each_example_names_who_implements_each_clause() {
    for (register, expected) in CLAUSE_EXPECTATIONS {
        let (_, report) = check_json(register);
        assert!(expected.len() >= 10, "{register}");
        for (reference, status, process, unrun) in *expected {
            let row = clause(&report, reference);
            assert_eq!(row["status"], *status, "{register} {reference}: {row:#}");
            if let Some(process) = process {
                assert!(
                    implementer_ids(row).contains(process),
                    "{register} {reference}: {row:#}"
                );
            }
            if let Some(unrun) = unrun {
                assert!(
                    row["unrun"].as_array().unwrap().iter().any(|u| u == unrun),
                    "{register} {reference}: {row:#}"
                );
            }
        }
    }
    // The draft vulnerability process of the service provider does not implement A.8.8; the
    // risk assessment, which contributes to it, makes it only partly met.
    let (_, report) = check_json("fixtures/registers/service-provider.json");
    let row = clause(&report, "A.8.8");
    assert!(!implementer_ids(row).contains(&"SP-VUL-01"), "{row:#}");
    assert_eq!(row["status"], "partly", "{row:#}");
}

#[test]
fn every_clause_status_follows_from_the_coverage_of_what_reaches_it() {
    for register in EXAMPLES {
        let (_, report) = check_json(register);
        let rows = report["clauses"].as_array().unwrap();
        // Every clause 4.1-10.2 the PRM names, and all 93 Annex A controls.
        assert_eq!(rows.iter().filter(|r| r["kind"] == "control").count(), 93);
        assert!(
            rows.iter()
                .any(|r| r["kind"] == "clause" && r["ref"] == "10.2")
        );
        for row in rows {
            let implementers = row["implementers"].as_array().unwrap();
            let covering = implementers.iter().any(|i| {
                let via_covered = i["via_kind"] == "control-area"
                    || (i["reach"] == "primary"
                        && status_of(&report, i["via"].as_str().unwrap()) == "covered"
                        && (i["relationship"] == "equal" || i["relationship"] == "superset"));
                assert_eq!(i["covers"], via_covered, "{register}: {row:#}");
                via_covered
            });
            // Covered when every PRM process or control area implementing it (not only
            // contributing) has a covering process.
            let primary = row["primary"].as_array().unwrap();
            let all_covered = !primary.is_empty()
                && primary.iter().all(|via| {
                    implementers
                        .iter()
                        .any(|i| &i["via"] == via && i["covers"] == true)
                });
            assert!(!all_covered || covering, "{register}: {row:#}");
            let expected = match (all_covered, implementers.is_empty()) {
                (true, _) => "covered",
                (false, true) => "none",
                (false, false) => "partly",
            };
            assert_eq!(row["status"], expected, "{register}: {row:#}");
            // Whatever reaches it and has no implementer is named as unrun.
            for via in row["through"].as_array().unwrap() {
                let runs = implementers.iter().any(|i| &i["via"] == via);
                let unrun = row["unrun"].as_array().unwrap().contains(via);
                assert_ne!(runs, unrun, "{register}: {via} in {row:#}");
            }
        }
    }
}

#[test]
fn the_clause_matrix_reads_the_same_as_text_csv_and_markdown() {
    let register = "fixtures/registers/service-provider.json";
    let (_, report) = check_json(register);
    let run = |extra: &[&str]| {
        let output = Command::cargo_bin("prmlint")
            .unwrap()
            .args(["check", register, "--fail-on", "never"])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0));
        String::from_utf8(output.stdout).unwrap()
    };
    let text = run(&["--format", "clauses"]);
    assert!(
        text.contains("  5.2      covered  SP-ISM-02 Security policy and standards (policy-management, primary, equal)"),
        "{text}"
    );
    assert!(text.contains("  7.2      none     no process runs awareness-competence"));
    let csv = run(&["--format", "csv", "--csv", "clauses"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    for row in report["clauses"].as_array().unwrap() {
        let kind = row["kind"].as_str().unwrap();
        let reference = row["ref"].as_str().unwrap();
        let lines: Vec<&csv::StringRecord> = records
            .iter()
            .filter(|r| &r[0] == reference && &r[1] == kind)
            .collect();
        let ids = implementer_ids(row);
        assert_eq!(lines.len(), ids.len().max(1), "{kind} {reference}");
        for line in &lines {
            assert_eq!(&line[2], row["status"].as_str().unwrap());
        }
        for id in ids {
            assert!(lines.iter().any(|r| &r[4] == id), "{kind} {reference} {id}");
        }
    }
    let markdown = run(&["--format", "markdown"]);
    assert!(markdown.contains("## ISO/IEC 27001:2022 clauses"));
    assert!(markdown.contains("| A.5.24 | covered | "), "{markdown}");
}

/// `prmlint diff` with arguments, run in `dir`: (exit code, stdout).
fn diff_in(dir: &std::path::Path, args: &[&str]) -> (i32, String) {
    let output = Command::cargo_bin("prmlint")
        .unwrap()
        .current_dir(dir)
        .arg("diff")
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.code().is_some_and(|c| c < 2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

/// The service-provider register edited: internal audit removed, continual improvement
/// renamed, problem management renumbered, the backup process turned into awareness training.
fn edited_service_provider() -> Value {
    let text = std::fs::read_to_string("fixtures/registers/service-provider.json").unwrap();
    let mut register: Value = serde_json::from_str(&text).unwrap();
    let processes = register["processes"].as_array_mut().unwrap();
    processes.retain(|p| p["id"] != "SP-AUD-01");
    for p in processes.iter_mut() {
        match p["id"].as_str().unwrap() {
            "SP-CSI-01" => p["name"] = "Continual service improvement".into(),
            "SP-PRB-01" => p["id"] = "SP-PRB-02".into(),
            "SP-BCK-01" => {
                p["name"] = "Security awareness and training".into();
                p["description"] = "Makes all staff aware of the security policy and their duties, and trains those in security roles to the competence they need.".into();
                p["activities"] = serde_json::json!([
                    "Plan the awareness programme",
                    "Run security awareness training",
                    "Check the competence of staff in security roles"
                ]);
                p["outputs"] = serde_json::json!(["Training records"]);
                p["frameworks"] = serde_json::json!(["ISO/IEC 27001:2022 7.2, 7.3"]);
                p["tags"] = serde_json::json!(["awareness"]);
            }
            _ => {}
        }
    }
    register
}

#[test]
fn diff_names_exactly_the_changes_made_to_a_register() {
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::canonicalize("fixtures/registers/service-provider.json").unwrap();
    let head = dir.path().join("head.json");
    std::fs::write(
        &head,
        serde_json::to_string_pretty(&edited_service_provider()).unwrap(),
    )
    .unwrap();
    let (base, head) = (base.to_str().unwrap(), head.to_str().unwrap());
    let (code, json) = diff_in(dir.path(), &[base, head, "--format", "json"]);
    // Internal audit loses its only covering process: coverage drops, exit 1 (0 only with
    // --fail-on never).
    assert_eq!(code, 1, "{json}");
    let (never, _) = diff_in(dir.path(), &[base, head, "--fail-on", "never"]);
    assert_eq!(never, 0);
    let diff: Value = serde_json::from_str(&json).unwrap();
    let ids = |field: &str, key: &str| -> Vec<String> {
        diff[field]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v[key].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids("added", "id"), Vec::<String>::new());
    assert_eq!(ids("removed", "id"), ["SP-AUD-01"]);
    let mut renamed: Vec<(String, String)> = diff["renamed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["before_id"].as_str().unwrap().to_owned(),
                r["after_id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    renamed.sort();
    assert_eq!(
        renamed,
        [
            ("SP-BCK-01".into(), "SP-BCK-01".into()),
            ("SP-CSI-01".into(), "SP-CSI-01".into()),
            ("SP-PRB-01".into(), "SP-PRB-02".into()),
        ]
    );
    assert_eq!(ids("remapped", "id"), ["SP-BCK-01"]);
    let coverage: Vec<(String, String, String, bool)> = diff["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["prm"].as_str().unwrap().to_owned(),
                c["before"].as_str().unwrap().to_owned(),
                c["after"].as_str().unwrap().to_owned(),
                c["dropped"].as_bool().unwrap(),
            )
        })
        .collect();
    assert!(
        coverage.contains(&(
            "internal-audit".into(),
            "covered".into(),
            "adaptable".into(),
            true
        )),
        "{coverage:?}"
    );
    assert!(
        coverage
            .iter()
            .any(|(prm, before, _, dropped)| prm == "awareness-competence"
                && before == "missing"
                && !dropped),
        "{coverage:?}"
    );
    // A renumbered process keeps its findings: none is new or fixed because of the new id.
    for field in ["new_findings", "fixed_findings"] {
        for f in diff[field].as_array().unwrap() {
            let processes = f["processes"].as_array().unwrap();
            assert!(
                !processes
                    .iter()
                    .any(|p| p == "SP-PRB-01" || p == "SP-PRB-02"),
                "{field}: {f}"
            );
        }
    }
    // The same in the pull-request comment.
    let (_, markdown) = diff_in(dir.path(), &[base, head, "--format", "markdown"]);
    assert!(
        markdown.contains("❌ **1 PRM process(es) lose coverage.**"),
        "{markdown}"
    );
    assert!(
        markdown.contains("- removed: SP-AUD-01 Internal audit"),
        "{markdown}"
    );
    let codes = |diff: &Value| -> Vec<String> {
        ["new_findings", "fixed_findings"]
            .iter()
            .flat_map(|field| diff[*field].as_array().unwrap())
            .map(|f| f["code"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(
        codes(&diff).iter().any(|c| c == "suggested-mapping"),
        "{json}"
    );
    // The configuration found from HEAD applies to both versions.
    std::fs::write(
        dir.path().join("prmlint.json"),
        r#"{"rules": {"suggested-mapping": "off"}}"#,
    )
    .unwrap();
    let (_, json) = diff_in(dir.path(), &[base, head, "--format", "json"]);
    let configured: Value = serde_json::from_str(&json).unwrap();
    assert!(
        !codes(&configured).iter().any(|c| c == "suggested-mapping"),
        "{json}"
    );
    assert_eq!(configured["coverage"], diff["coverage"]);
    let (_, json) = diff_in(dir.path(), &[base, head, "--format", "json", "--isolated"]);
    assert_eq!(serde_json::from_str::<Value>(&json).unwrap(), diff);
    // `-o` never writes over a register or the configuration.
    for target in ["prmlint.json", "head.json"] {
        let output = Command::cargo_bin("prmlint")
            .unwrap()
            .current_dir(dir.path())
            .args(["diff", base, head, "-o", target])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "-o {target}");
    }
    let config = std::fs::read_to_string(dir.path().join("prmlint.json")).unwrap();
    assert_eq!(config, r#"{"rules": {"suggested-mapping": "off"}}"#);
    // A register compared with itself: nothing changed, exit 0, although it has errors (the
    // missing processes): --fail-on applies to new findings only.
    let (code, text) = diff_in(dir.path(), &[base, base]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("No change in processes, mappings, coverage or findings."));
}

#[test]
fn diff_git_compares_a_register_with_its_committed_version() {
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .current_dir(dir.path())
            .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
            .args(args)
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    std::fs::create_dir(dir.path().join("isms")).unwrap();
    let register = dir.path().join("isms/register.json");
    std::fs::copy("fixtures/registers/service-provider.json", &register).unwrap();
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "register"]);
    std::fs::write(
        &register,
        serde_json::to_string_pretty(&edited_service_provider()).unwrap(),
    )
    .unwrap();
    let (code, text) = diff_in(dir.path(), &["--git", "HEAD", "isms/register.json"]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.starts_with("prmlint diff: HEAD:isms/register.json -> isms/register.json"),
        "{text}"
    );
    assert!(text.contains("  - SP-AUD-01 Internal audit"), "{text}");
    assert!(text.contains("  v internal-audit (Internal audit process): covered -> adaptable"));
    // The same with the register's absolute path, from outside the work tree.
    let absolute = register.to_str().unwrap();
    let (code, text) = diff_in(std::path::Path::new("/"), &["--git", "HEAD", absolute]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("  - SP-AUD-01 Internal audit"), "{text}");
    // A register the change adds is compared with an empty one: all its processes are added,
    // and coverage only rises (exit 0).
    std::fs::copy(
        "fixtures/registers/bank-cobit.json",
        dir.path().join("isms/new.json"),
    )
    .unwrap();
    let (code, json) = diff_in(
        dir.path(),
        &["--git", "HEAD", "isms/new.json", "--format", "json"],
    );
    assert_eq!(code, 0, "{json}");
    let added: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(added["removed"], serde_json::json!([]));
    assert!(added["added"].as_array().unwrap().len() > 10, "{json}");
    assert!(
        added["coverage"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["dropped"] == false)
    );
    std::fs::remove_file(dir.path().join("isms/new.json")).unwrap();
    // No temporary copy is left behind in the work tree.
    let entries = std::fs::read_dir(dir.path().join("isms")).unwrap().count();
    assert_eq!(entries, 1);
}
