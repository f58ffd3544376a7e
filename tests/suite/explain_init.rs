//! `prmlint explain`, `prmlint init`, `prmlint schema config` and the pre-commit hook
//! definition, through the real binary.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use crate::common::run_in as prmlint;
use serde_json::Value;

fn here() -> &'static Path {
    Path::new(".")
}

#[test]
fn explain_prints_what_why_and_how_with_severity_and_stage() {
    let run = prmlint(here(), &["explain", "missing-owner"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("missing-owner: A process has no owner.")
    );
    assert!(run.stdout.contains("Severity: warning"));
    assert!(run.stdout.contains("Stage:    hygiene"));
    assert!(run.stdout.contains("clause 5.3"), "{}", run.stdout);
    assert!(run.stdout.contains("Name the accountable role or person."));
    assert!(run.stdout.lines().all(|l| l.chars().count() <= 100));
    // The SARIF rule name works too.
    let sarif_name = prmlint(here(), &["explain", "MissingOwner"]);
    assert_eq!(sarif_name.stdout, run.stdout);
    let input = prmlint(here(), &["explain", "invalid-json"]);
    assert!(
        input.stdout.contains("not configurable"),
        "{}",
        input.stdout
    );
}

#[test]
fn explain_of_an_unknown_code_fails_with_a_suggestion() {
    let run = prmlint(here(), &["explain", "mising-owner"]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr.contains("unknown rule `mising-owner`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `missing-owner`?"),
        "{}",
        run.stderr
    );
    let nothing = prmlint(here(), &["explain"]);
    assert_eq!(nothing.code, 2, "a code or --all is required");
}

#[test]
fn explain_all_as_json_lists_every_rule_with_the_sarif_help_text() {
    let run = prmlint(here(), &["explain", "--all", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rules: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(rules.len(), prmlint::diag::rules::Code::ALL.len());
    for rule in &rules {
        for field in ["code", "stage", "severity", "summary", "explanation"] {
            assert!(rule[field].is_string(), "{field} of {rule}");
        }
    }
    let codes: Vec<&str> = rules.iter().map(|r| r["code"].as_str().unwrap()).collect();
    for code in ["config-invalid", "unused-suppression", "stale-decision"] {
        assert!(codes.contains(&code), "{code}");
    }
    let sarif = prmlint(
        here(),
        &[
            "check",
            "fixtures/valid/minimal.json",
            "--format",
            "sarif",
            "--isolated",
        ],
    );
    let log: Value = serde_json::from_str(&sarif.stdout).unwrap();
    for sarif_rule in log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
    {
        let rule = rules
            .iter()
            .find(|r| r["code"] == sarif_rule["id"])
            .unwrap();
        assert_eq!(sarif_rule["help"]["text"], rule["explanation"]);
        assert_eq!(sarif_rule["shortDescription"]["text"], rule["summary"]);
    }
    let text = prmlint(here(), &["explain", "--all"]);
    assert_eq!(
        text.stdout.lines().filter(|l| l.contains("  ")).count(),
        rules.len()
    );
}

#[test]
fn init_writes_a_valid_register_and_a_config_that_check_picks_up() {
    let dir = tempfile::tempdir().unwrap();
    let run = prmlint(dir.path(), &["init", "--dir", "isms"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("prmlint check"), "{}", run.stdout);
    let register = dir.path().join("isms/processes.json");
    let config = dir.path().join("isms/prmlint.json");
    let value: Value = serde_json::from_str(&std::fs::read_to_string(&register).unwrap()).unwrap();
    assert!(value["$schema"].is_string());
    let validate = prmlint(dir.path(), &["validate", "isms/processes.json"]);
    assert_eq!(validate.code, 0, "{}", validate.stdout);
    assert!(
        validate
            .stdout
            .contains("0 error(s), 0 warning(s), 0 note(s)")
    );
    // The config is valid (a broken one would exit 2) and found next to the register.
    let check = prmlint(
        dir.path(),
        &["check", "isms/processes.json", "--format", "json"],
    );
    assert_eq!(
        check.code, 1,
        "a starter register has gaps: {}",
        check.stderr
    );
    let schema: Value =
        serde_json::from_str(&prmlint(here(), &["schema", "config"]).stdout).unwrap();
    let config: Value = serde_json::from_str(&std::fs::read_to_string(&config).unwrap()).unwrap();
    assert!(
        jsonschema::validator_for(&schema)
            .unwrap()
            .is_valid(&config)
    );
}

#[test]
fn init_refuses_to_overwrite_and_then_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("prmlint.json"), "{}").unwrap();
    let run = prmlint(dir.path(), &["init"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("refusing to overwrite"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("prmlint.json"), "{}", run.stderr);
    assert!(!dir.path().join("processes.json").exists());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("prmlint.json")).unwrap(),
        "{}"
    );
    // A second init over the first one's files refuses too.
    let fresh = tempfile::tempdir().unwrap();
    assert_eq!(prmlint(fresh.path(), &["init"]).code, 0);
    let register = std::fs::read(fresh.path().join("processes.json")).unwrap();
    std::fs::write(fresh.path().join("processes.json"), b"mine").unwrap();
    assert_eq!(prmlint(fresh.path(), &["init"]).code, 2);
    assert_eq!(
        std::fs::read(fresh.path().join("processes.json")).unwrap(),
        b"mine"
    );
    assert!(!register.is_empty());
}

#[test]
fn the_pre_commit_hook_runs_check_on_registers() {
    let text = std::fs::read_to_string(".pre-commit-hooks.yaml").unwrap();
    assert!(text.contains("- id: prmlint"));
    assert!(text.contains("entry: prmlint check"));
    assert!(text.contains("language: rust"));
    assert!(text.contains("files: "));
}
