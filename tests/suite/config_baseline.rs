//! `prmlint.json` and baselines through the real binary: severities, `off`, `fail-on`,
//! suppressions, unknown keys with their place, discovery and `--isolated`; baselines written,
//! applied, going stale and updated.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use crate::common::{Run, run_in as prmlint};
use serde_json::{Value, json};

/// A small register (the `init` starter) with one missing owner (`OPS-02`, a warning), one
/// undeclared mapping (`AUD-01` onto `internal-audit`, a note) and missing PRM processes
/// (errors).
fn register() -> Value {
    let text = std::fs::read_to_string("templates/init/processes.json").unwrap();
    let mut register: Value = serde_json::from_str(&text).unwrap();
    for process in register["processes"].as_array_mut().unwrap() {
        let object = process.as_object_mut().unwrap();
        match object["id"].as_str().unwrap() {
            "OPS-02" => {
                object.remove("owner");
            }
            "AUD-01" => {
                object.remove("maps_to");
            }
            _ => {}
        }
    }
    register
}

fn write_json(path: &Path, value: &Value) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, serde_json::to_string_pretty(value).unwrap()).unwrap();
}

fn process_mut<'a>(register: &'a mut Value, id: &str) -> &'a mut serde_json::Map<String, Value> {
    register["processes"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|p| p["id"] == id)
        .unwrap()
        .as_object_mut()
        .unwrap()
}

impl Run {
    fn report(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("{e}: {}", self.stdout))
    }

    fn findings(&self, code: &str) -> Vec<Value> {
        self.report()["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == code)
            .cloned()
            .collect()
    }
}

/// A temporary project: `processes.json` and, when given, `prmlint.json` side by side.
fn project(config: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_json(&dir.path().join("processes.json"), &register());
    if let Some(config) = config {
        std::fs::write(dir.path().join("prmlint.json"), config).unwrap();
    }
    dir
}

fn check_json(dir: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["check", "processes.json", "--format", "json"];
    args.extend_from_slice(extra);
    prmlint(dir, &args)
}

#[test]
fn rule_severities_are_overridden_and_off_removes_findings() {
    let dir = project(Some(
        r#"{"rules": {"missing-owner": "error", "suggested-mapping": "off"}}"#,
    ));
    let run = check_json(dir.path(), &["--fail-on", "never"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let owner = run.findings("missing-owner");
    assert_eq!(owner.len(), 1);
    assert_eq!(owner[0]["severity"], "error");
    assert!(run.findings("suggested-mapping").is_empty());
    assert_eq!(
        run.report()["summary"]["note"],
        1,
        "only adaptable-process is left"
    );
}

#[test]
fn fail_on_comes_from_the_config_unless_given_on_the_command_line() {
    // Only the warning and the notes remain: missing-process is off.
    let config = r#"{"rules": {"missing-process": "off"}, "fail-on": "warning"}"#;
    let dir = project(Some(config));
    assert_eq!(check_json(dir.path(), &[]).code, 1);
    assert_eq!(check_json(dir.path(), &["--fail-on", "error"]).code, 0);
    let never = r#"{"fail-on": "never"}"#;
    let dir = project(Some(never));
    assert_eq!(check_json(dir.path(), &[]).code, 0);
    let text = prmlint(dir.path(), &["check", "processes.json"]);
    assert!(text.stdout.contains("never fails"), "{}", text.stdout);
    assert_eq!(check_json(dir.path(), &["--fail-on", "error"]).code, 1);
}

#[test]
fn an_unknown_key_stops_the_run_with_its_line_and_column() {
    let config = "{\n  \"rules\": {},\n  \"fail_on\": \"warning\"\n}\n";
    let dir = project(Some(config));
    let run = check_json(dir.path(), &[]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty(), "no report on a broken configuration");
    assert!(run.stderr.contains("config-invalid"), "{}", run.stderr);
    assert!(
        run.stderr.contains("unknown key `fail_on`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `fail-on`?"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("prmlint.json:3:3]"), "{}", run.stderr);
}

#[test]
fn unknown_rule_codes_and_bad_values_are_config_errors() {
    let config = "{\n  \"rules\": {\"mising-owner\": \"off\", \"missing-description\": \"loud\"},\n  \"thresholds\": {\"mapping\": 1.5}\n}\n";
    let dir = project(Some(config));
    let run = check_json(dir.path(), &[]);
    assert_eq!(run.code, 2);
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
    assert!(
        run.stderr.contains("\"loud\" is not one of"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("more than the maximum 1"),
        "{}",
        run.stderr
    );
    let input_rule = r#"{"rules": {"invalid-json": "off"}}"#;
    let run = check_json(project(Some(input_rule)).path(), &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("cannot be configured"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_suppression_with_a_reason_hides_its_finding() {
    let config = r#"{"suppress": [
        {"rule": "missing-owner", "process": "OPS-02", "reason": "owner is being appointed"},
        {"rule": "missing-process", "prm": "customer-relationship", "reason": "no external customers"}
    ]}"#;
    let dir = project(Some(config));
    let run = check_json(dir.path(), &["--fail-on", "never"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.findings("missing-owner").is_empty());
    let missing: Vec<Value> = run.findings("missing-process");
    assert_eq!(missing.len(), 10);
    assert!(missing.iter().all(|f| f["prm"] != "customer-relationship"));
    assert!(run.findings("unused-suppression").is_empty());
}

#[test]
fn a_suppression_without_a_reason_is_refused() {
    let config = "{\n  \"suppress\": [\n    {\"rule\": \"missing-owner\", \"process\": \"OPS-02\"}\n  ]\n}\n";
    let run = check_json(project(Some(config)).path(), &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("missing required key `reason`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("prmlint.json:3:5]"), "{}", run.stderr);
    let blank = r#"{"suppress": [{"rule": "missing-owner", "process": "OPS-02", "reason": " "}]}"#;
    let run = check_json(project(Some(blank)).path(), &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("must not be blank"), "{}", run.stderr);
}

#[test]
fn a_suppression_that_matches_nothing_is_a_warning_in_the_config_file() {
    let config = "{\n  \"suppress\": [\n    {\n      \"rule\": \"missing-owner\",\n      \"process\": \"GOV-01\",\n      \"reason\": \"was missing once\"\n    }\n  ]\n}\n";
    let dir = project(Some(config));
    let run = check_json(dir.path(), &["--fail-on", "warning"]);
    assert_eq!(run.code, 1);
    let unused = run.findings("unused-suppression");
    assert_eq!(unused.len(), 1, "{}", run.stdout);
    assert_eq!(unused[0]["severity"], "warning");
    assert_eq!(unused[0]["processes"], json!(["GOV-01"]));
    let location = &unused[0]["location"];
    assert_eq!(location["file"], "prmlint.json");
    assert_eq!(location["pointer"], "/suppress/0/process");
    assert_eq!(
        (location["line"].clone(), location["column"].clone()),
        (json!(5), json!(18))
    );
    // The text report shows it as a diagnostic in the configuration file.
    let text = prmlint(dir.path(), &["check", "processes.json"]);
    assert!(
        text.stdout.contains("prmlint.json:5:18]"),
        "{}",
        text.stdout
    );
    // And SARIF points at it too.
    let sarif = prmlint(
        dir.path(),
        &["check", "processes.json", "--format", "sarif"],
    );
    let log: Value = serde_json::from_str(&sarif.stdout).unwrap();
    let result = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "unused-suppression")
        .unwrap()
        .clone();
    let place = &result["locations"][0]["physicalLocation"];
    assert_eq!(place["artifactLocation"]["uri"], "prmlint.json");
    assert_eq!(place["region"]["startLine"], 5);
}

#[test]
fn the_config_is_found_by_walking_up_and_ignored_with_isolated() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".prmlint.json"),
        r#"{"rules": {"missing-owner": "off"}}"#,
    )
    .unwrap();
    write_json(
        &dir.path().join("isms/registers/processes.json"),
        &register(),
    );
    let register = "isms/registers/processes.json";
    let found = prmlint(dir.path(), &["check", register, "--format", "json"]);
    assert!(
        found.findings("missing-owner").is_empty(),
        "{}",
        found.stderr
    );
    // From inside a subdirectory, with a relative path going up.
    let inner = dir.path().join("isms/registers");
    let here = prmlint(&inner, &["check", "processes.json", "--format", "json"]);
    assert!(here.findings("missing-owner").is_empty());
    let isolated = prmlint(
        dir.path(),
        &["check", register, "--format", "json", "--isolated"],
    );
    assert_eq!(isolated.findings("missing-owner").len(), 1);
    // A nearer prmlint.json wins over the one further up.
    std::fs::write(dir.path().join("isms/prmlint.json"), r#"{"rules": {}}"#).unwrap();
    let nearer = prmlint(dir.path(), &["check", register, "--format", "json"]);
    assert_eq!(nearer.findings("missing-owner").len(), 1);
    // --config names a file anywhere.
    let elsewhere = tempfile::tempdir().unwrap();
    let config = elsewhere.path().join("strict.json");
    std::fs::write(&config, r#"{"rules": {"missing-owner": "error"}}"#).unwrap();
    let given = prmlint(
        dir.path(),
        &[
            "check",
            register,
            "--format",
            "json",
            "--config",
            config.to_str().unwrap(),
        ],
    );
    assert_eq!(given.findings("missing-owner")[0]["severity"], "error");
    let missing = prmlint(dir.path(), &["check", register, "--config", "nope.json"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("nope.json"), "{}", missing.stderr);
}

#[test]
fn crosswalks_in_the_config_are_relative_to_it() {
    let dir = project(Some(r#"{"crosswalks": ["reference/glossary.json"]}"#));
    let run = check_json(dir.path(), &[]);
    assert_eq!(run.code, 2, "the crosswalk does not exist yet");
    assert!(
        run.stderr.contains("reference/glossary.json"),
        "{}",
        run.stderr
    );
    let glossary = json!({
        "id": "acme-glossary",
        "title": "ACME process names",
        "entries": [{
            "code": "acme:audit",
            "name": "Internal audit",
            "aliases": [{"text": "Audit", "lang": "en"}],
            "relations": [{"prm": "internal-audit", "relationship": "equal", "strength": "strong"}]
        }]
    });
    write_json(&dir.path().join("reference/glossary.json"), &glossary);
    let run = check_json(dir.path(), &["--fail-on", "never"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

fn baseline_entries(path: &Path) -> Vec<Value> {
    let value: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(value["version"], 1);
    value["findings"].as_array().unwrap().clone()
}

fn write_baseline(dir: &Path) -> PathBuf {
    let run = check_json(dir, &["--write-baseline", "prmlint-baseline.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.report()["findings"].as_array().unwrap().is_empty());
    dir.join("prmlint-baseline.json")
}

#[test]
fn a_written_baseline_hides_every_current_finding() {
    let dir = project(None);
    let path = write_baseline(dir.path());
    let entries = baseline_entries(&path);
    assert_eq!(entries.len(), 14);
    assert!(entries.contains(&json!({"code": "missing-owner", "processes": ["OPS-02"]})));
    assert!(entries.contains(&json!({
        "code": "missing-process", "prm": "records-control", "processes": []
    })));
    // Deterministic: writing again gives the same bytes.
    let first = std::fs::read(&path).unwrap();
    write_baseline(dir.path());
    assert_eq!(std::fs::read(&path).unwrap(), first);

    let run = check_json(dir.path(), &["--baseline", "prmlint-baseline.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.report()["findings"].as_array().unwrap().is_empty());
    let text = prmlint(
        dir.path(),
        &[
            "check",
            "processes.json",
            "--baseline",
            "prmlint-baseline.json",
        ],
    );
    assert!(
        text.stdout.contains("14 finding(s) hidden by the baseline"),
        "{}",
        text.stdout
    );
}

#[test]
fn baseline_entries_survive_reordering_and_reformatting() {
    let dir = project(None);
    write_baseline(dir.path());
    let mut register = register();
    register["processes"].as_array_mut().unwrap().reverse();
    std::fs::write(
        dir.path().join("processes.json"),
        serde_json::to_string(&register).unwrap(),
    )
    .unwrap();
    let run = check_json(dir.path(), &["--baseline", "prmlint-baseline.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.report()["findings"].as_array().unwrap().is_empty());
}

#[test]
fn a_new_finding_fails_and_fixed_entries_are_reported_but_do_not_fail() {
    let dir = project(None);
    write_baseline(dir.path());
    let mut register = register();
    // Fixed: OPS-02 gets an owner. New: the internal audit process is removed, so
    // `internal-audit` is missing (an error).
    process_mut(&mut register, "OPS-02").insert("owner".into(), json!("Head of IT"));
    register["processes"]
        .as_array_mut()
        .unwrap()
        .retain(|p| p["id"] != "AUD-01");
    write_json(&dir.path().join("processes.json"), &register);

    let run = check_json(dir.path(), &["--baseline", "prmlint-baseline.json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let findings = run.report()["findings"].as_array().unwrap().clone();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["code"], "missing-process");
    assert_eq!(findings[0]["prm"], "internal-audit");
    assert!(
        run.stderr.contains("2 baselined finding(s) fixed"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("missing-owner OPS-02"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("suggested-mapping internal-audit AUD-01"),
        "{}",
        run.stderr
    );
    let text = prmlint(
        dir.path(),
        &[
            "check",
            "processes.json",
            "--baseline",
            "prmlint-baseline.json",
        ],
    );
    assert!(
        text.stdout
            .contains("2 fixed (--update-baseline removes them)"),
        "{}",
        text.stdout
    );

    // Fixed entries alone never fail the run.
    let mut fixed_only = self::register();
    process_mut(&mut fixed_only, "OPS-02").insert("owner".into(), json!("Head of IT"));
    write_json(&dir.path().join("processes.json"), &fixed_only);
    let run = check_json(
        dir.path(),
        &["--baseline", "prmlint-baseline.json", "--fail-on", "note"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("missing-owner OPS-02"),
        "{}",
        run.stderr
    );
}

#[test]
fn update_baseline_removes_fixed_entries_and_never_adds_new_ones() {
    let dir = project(None);
    let path = write_baseline(dir.path());
    let before = baseline_entries(&path);
    let mut register = register();
    process_mut(&mut register, "OPS-02").insert("owner".into(), json!("Head of IT"));
    process_mut(&mut register, "GOV-01").remove("owner");
    write_json(&dir.path().join("processes.json"), &register);

    let run = check_json(
        dir.path(),
        &[
            "--baseline",
            "prmlint-baseline.json",
            "--update-baseline",
            "--fail-on",
            "warning",
        ],
    );
    assert_eq!(run.code, 1, "the new missing owner still fails");
    assert_eq!(
        run.findings("missing-owner")[0]["processes"],
        json!(["GOV-01"])
    );
    let after = baseline_entries(&path);
    assert_eq!(after.len(), before.len() - 1);
    assert!(!after.iter().any(|e| e["code"] == "missing-owner"));
    assert!(after.iter().all(|e| before.contains(e)));
    // Nothing left to remove: the file stays as it is.
    let bytes = std::fs::read(&path).unwrap();
    check_json(
        dir.path(),
        &["--baseline", "prmlint-baseline.json", "--update-baseline"],
    );
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[test]
fn baseline_flags_are_checked() {
    let dir = project(None);
    let update_alone = prmlint(
        dir.path(),
        &["check", "processes.json", "--update-baseline"],
    );
    assert_eq!(update_alone.code, 2);
    let missing = check_json(dir.path(), &["--baseline", "nope.json"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("--write-baseline nope.json"),
        "{}",
        missing.stderr
    );
    std::fs::write(
        dir.path().join("bad.json"),
        "{\n  \"version\": 2,\n  \"findings\": []\n}\n",
    )
    .unwrap();
    let bad = check_json(dir.path(), &["--baseline", "bad.json"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("config-invalid"), "{}", bad.stderr);
    assert!(bad.stderr.contains("bad.json:2:14]"), "{}", bad.stderr);
    let over_input = check_json(dir.path(), &["--write-baseline", "processes.json"]);
    assert_eq!(over_input.code, 2);
}
