//! `prmlint decide` and `check --decisions` through the real binary: a rejected suggestion is
//! not shown again, an accepted one prints its `maps_to` entry, and both go stale when the
//! process changes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use crate::common::{Run, run_in as prmlint};
use serde_json::{Value, json};

/// The `init` starter register with `AUD-01`'s mapping taken out, so that `check` suggests
/// `AUD-01` -> `internal-audit`.
fn register() -> Value {
    let text = std::fs::read_to_string("templates/init/processes.json").unwrap();
    let mut register: Value = serde_json::from_str(&text).unwrap();
    process_mut(&mut register, "AUD-01").remove("maps_to");
    register
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

fn save(dir: &Path, register: &Value) {
    std::fs::write(
        dir.join("processes.json"),
        serde_json::to_string_pretty(register).unwrap(),
    )
    .unwrap();
}

fn findings(dir: &Path, code: &str) -> Vec<Value> {
    let run = prmlint(
        dir,
        &[
            "check",
            "processes.json",
            "--decisions",
            "decisions.json",
            "--format",
            "json",
            "--isolated",
        ],
    );
    assert_ne!(run.code, 2, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code)
        .cloned()
        .collect()
}

fn decide(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["decide"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["processes.json", "--decisions", "decisions.json"]);
    prmlint(dir, &all)
}

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    save(dir.path(), &register());
    dir
}

fn decisions_file(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("decisions.json")).unwrap()).unwrap()
}

#[test]
fn a_rejected_suggestion_is_not_suggested_again() {
    let dir = setup();
    let run = decide(
        dir.path(),
        &[
            "reject",
            "AUD-01",
            "internal-audit",
            "--reason",
            "audit is outsourced",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("rejected mapping `AUD-01` onto `internal-audit`")
    );
    let file = decisions_file(dir.path());
    assert_eq!(file["version"], 1);
    let decision = &file["decisions"][0];
    assert_eq!(decision["process"], "AUD-01");
    assert_eq!(decision["prm"], "internal-audit");
    assert_eq!(decision["decision"], "reject");
    assert_eq!(decision["reason"], "audit is outsourced");
    assert!(
        decision["fingerprint"]
            .as_str()
            .unwrap()
            .starts_with("fnv1a:")
    );
    assert!(findings(dir.path(), "suggested-mapping").is_empty());
    assert!(findings(dir.path(), "stale-decision").is_empty());
    // The register itself is never touched.
    let on_disk: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("processes.json")).unwrap())
            .unwrap();
    assert_eq!(on_disk, register());
}

#[test]
fn an_accepted_suggestion_prints_the_entry_to_declare() {
    let dir = setup();
    let run = decide(dir.path(), &["accept", "AUD-01", "internal-audit"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains(r#"{"prm": "internal-audit", "relationship": "equal"}"#),
        "{}",
        run.stdout
    );
    assert_eq!(
        decisions_file(dir.path())["decisions"][0]["relationship"],
        "equal"
    );
    assert!(findings(dir.path(), "suggested-mapping").is_empty());
    // Once declared, the decision is done: changing the process later raises nothing.
    let mut register = register();
    let audit = process_mut(&mut register, "AUD-01");
    audit.insert(
        "maps_to".into(),
        json!([{"prm": "internal-audit", "relationship": "equal"}]),
    );
    audit.insert("description".into(), json!("Audits the ISMS every year."));
    save(dir.path(), &register);
    assert!(findings(dir.path(), "stale-decision").is_empty());
    assert!(findings(dir.path(), "suggested-mapping").is_empty());
}

#[test]
fn a_decision_goes_stale_when_the_process_changes() {
    let dir = setup();
    assert_eq!(
        decide(dir.path(), &["reject", "AUD-01", "internal-audit"]).code,
        0
    );
    let mut register = register();
    // The owner is not part of the fingerprint: still settled.
    process_mut(&mut register, "AUD-01").insert("owner".into(), json!("Head of Audit"));
    save(dir.path(), &register);
    assert!(findings(dir.path(), "suggested-mapping").is_empty());
    // New activities are: the decision is stale and the suggestion is back.
    process_mut(&mut register, "AUD-01")["activities"]
        .as_array_mut()
        .unwrap()
        .push(json!("Report audit results to the board"));
    save(dir.path(), &register);
    let stale = findings(dir.path(), "stale-decision");
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0]["severity"], "note");
    assert_eq!(stale[0]["processes"], json!(["AUD-01"]));
    assert_eq!(stale[0]["prm"], "internal-audit");
    assert_eq!(stale[0]["location"]["file"], "decisions.json");
    assert_eq!(stale[0]["location"]["pointer"], "/decisions/0/fingerprint");
    assert!(stale[0]["location"]["line"].as_u64().is_some());
    assert_eq!(findings(dir.path(), "suggested-mapping").len(), 1);
    // Deciding again refreshes the fingerprint.
    assert_eq!(
        decide(dir.path(), &["reject", "AUD-01", "internal-audit"]).code,
        0
    );
    assert_eq!(
        decisions_file(dir.path())["decisions"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert!(findings(dir.path(), "stale-decision").is_empty());
    assert!(findings(dir.path(), "suggested-mapping").is_empty());
}

#[test]
fn a_decision_on_a_removed_process_is_stale() {
    let dir = setup();
    assert_eq!(
        decide(dir.path(), &["reject", "AUD-01", "internal-audit"]).code,
        0
    );
    let mut register = register();
    register["processes"]
        .as_array_mut()
        .unwrap()
        .retain(|p| p["id"] != "AUD-01");
    save(dir.path(), &register);
    let stale = findings(dir.path(), "stale-decision");
    assert_eq!(stale.len(), 1);
    assert!(
        stale[0]["message"]
            .as_str()
            .unwrap()
            .contains("no longer in the register")
    );
}

#[test]
fn unknown_ids_are_refused_with_a_suggestion() {
    let dir = setup();
    let run = decide(dir.path(), &["reject", "AUD-1", "internal-audit"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `AUD-01`?"),
        "{}",
        run.stderr
    );
    let run = decide(dir.path(), &["reject", "AUD-01", "internal-audits"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `internal-audit`?"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("decisions.json").exists());
    // No evidence for the pair: accepting needs an explicit relationship.
    let run = decide(dir.path(), &["accept", "AUD-01", "records-control"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stderr.contains("--relationship"), "{}", run.stderr);
    let run = decide(
        dir.path(),
        &[
            "accept",
            "AUD-01",
            "records-control",
            "--relationship",
            "intersects",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(r#""relationship": "intersects""#));
}

#[test]
fn a_malformed_decisions_file_stops_the_run() {
    let dir = setup();
    std::fs::write(
        dir.path().join("decisions.json"),
        "{\n  \"version\": 1,\n  \"decisions\": [{\"process\": \"AUD-01\"}]\n}\n",
    )
    .unwrap();
    let run = prmlint(
        dir.path(),
        &["check", "processes.json", "--decisions", "decisions.json"],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("config-invalid"), "{}", run.stderr);
    assert!(
        run.stderr.contains("missing required key `prm`"),
        "{}",
        run.stderr
    );
    let run = decide(dir.path(), &["reject", "AUD-01", "internal-audit"]);
    assert_eq!(
        run.code, 2,
        "decide does not overwrite a file it cannot read"
    );
}
