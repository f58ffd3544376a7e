//! `prmlint model` and user reference data (`--crosswalk`, `--model`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::prmlint;
use std::path::Path;

use serde_json::Value;

#[test]
fn model_lists_all_seventeen_processes_grouped_by_category() {
    let out = prmlint().arg("model").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    for id in prmlint::model::PRM_IDS {
        assert!(text.contains(id), "{id} missing from:\n{text}");
    }
    let management = text.find("Management processes").unwrap();
    let core = text.find("Core processes").unwrap();
    let support = text.find("Support processes").unwrap();
    assert!(management < core && core < support);
    assert!(text.find("governance-interface").unwrap() < core);
    assert!(text.find("customer-relationship").unwrap() > support);
}

#[test]
fn model_show_prints_activities_and_references() {
    let out = prmlint()
        .args(["model", "show", "incident-management"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("incident-management/triage"));
    assert!(text.contains("ISO/IEC 27035"));
    assert!(text.contains("5.24"));
}

#[test]
fn model_show_unknown_id_exits_2_with_a_suggestion() {
    let out = prmlint()
        .args(["model", "show", "incident-managment"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `incident-management`"));
}

#[test]
fn model_json_formats_parse() {
    let out = prmlint()
        .args(["model", "--format", "json"])
        .output()
        .unwrap();
    let model: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(model["processes"].as_array().unwrap().len(), 17);
    let out = prmlint()
        .args(["model", "crosswalks", "--format", "json"])
        .output()
        .unwrap();
    let catalogues: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = catalogues
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    for id in [
        "itil-4",
        "cobit-2019",
        "nist-csf-2.0",
        "bsi-it-grundschutz",
        "process-areas",
    ] {
        assert!(ids.contains(&id), "{id} not in {ids:?}");
    }
}

#[test]
fn a_user_crosswalk_is_listed_and_changes_the_mapping() {
    let out = prmlint()
        .args([
            "model",
            "crosswalks",
            "--crosswalk",
            "fixtures/reference/acme-glossary.json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("acme-glossary"));

    let dir = tempfile::tempdir().unwrap();
    let register = dir.path().join("r.json");
    std::fs::write(
        &register,
        r#"{"processes": [{"id": "P1", "name": "Blue team operations"}]}"#,
    )
    .unwrap();
    let map = |extra: &[&str]| -> Value {
        let out = prmlint()
            .args(["map", register.to_str().unwrap(), "--format", "json"])
            .args(extra)
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let without = map(&[]);
    let best = &without["processes"][0]["mappings"][0];
    assert!(
        !(best["prm"] == "incident-management" && best["relationship"] == "equal"),
        "{without}"
    );
    let with = map(&["--crosswalk", "fixtures/reference/acme-glossary.json"]);
    assert_eq!(
        with["processes"][0]["mappings"][0]["prm"],
        "incident-management"
    );
    assert_eq!(with["processes"][0]["mappings"][0]["relationship"], "equal");
}

#[test]
fn a_malformed_user_crosswalk_gets_spanned_diagnostics_and_exit_2() {
    let out = prmlint()
        .args([
            "check",
            "fixtures/registers/service-provider.json",
            "--crosswalk",
            "fixtures/reference/malformed-crosswalk.json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unknown property `aliasses`"), "{stderr}");
    assert!(stderr.contains("malformed-crosswalk.json:8:7"), "{stderr}");
    assert!(stderr.contains("overlaps"), "{stderr}");
}

#[test]
fn a_user_model_with_its_own_ids_is_what_maps_to_is_checked_against() {
    let dir = tempfile::tempdir().unwrap();
    let model_path = model_with_incident_management(dir.path(), |process| {
        process["id"] = Value::from("incident-handling");
    });
    let register = serde_json::json!({"processes": [{
        "id": "P1",
        "name": "Incident handling",
        "owner": "CISO",
        "description": "Handles security incidents.",
        "activities": ["Triage incidents"],
        "maps_to": [{"prm": "incident-handling", "relationship": "equal"}]
    }, {
        "id": "P2",
        "name": "Change management",
        "owner": "CIO",
        "description": "Approves changes.",
        "activities": ["Approve changes"],
        "maps_to": [{"prm": "incident-management", "relationship": "subset"}]
    }]});
    let register_path = dir.path().join("register.json");
    std::fs::write(&register_path, register.to_string()).unwrap();
    let out = prmlint()
        .arg("check")
        .arg(&register_path)
        .arg("--model")
        .arg(&model_path)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let unknown: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "unknown-prm-id")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    // The model's own id is known; the embedded model's id, which it renamed, is not.
    assert_eq!(
        unknown,
        ["`incident-management` is not a PRM process id"],
        "{report:#}"
    );
}

#[test]
fn a_user_model_keeps_its_own_names_in_a_translated_report() {
    let dir = tempfile::tempdir().unwrap();
    let model_path = model_with_incident_management(dir.path(), |process| {
        process["name"] = Value::from("Störungs- und Vorfallbehandlung (Hausmodell)");
    });
    let run = |extra: &[&str]| {
        let out = prmlint()
            .args(["check", "fixtures/registers/service-provider.json"])
            .args(["--format", "json", "--lang", "de"])
            .args(extra)
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        report["coverage"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["prm"] == "incident-management")
            .map(|c| c["name"].as_str().unwrap().to_owned())
            .unwrap()
    };
    let german: Value =
        serde_json::from_str(&std::fs::read_to_string("mappings/i18n/de.json").unwrap()).unwrap();
    // The embedded model is shown in German; a model of one's own as it writes itself.
    assert_eq!(
        run(&[]),
        german["processes"]["incident-management"]["name"]
            .as_str()
            .unwrap()
    );
    assert_eq!(
        run(&["--model", model_path.to_str().unwrap()]),
        "Störungs- und Vorfallbehandlung (Hausmodell)"
    );
}

#[test]
fn decide_weighs_the_evidence_with_the_configuration_beside_the_register() {
    // "Blue team operations" is incident management only through the organisation's own
    // glossary, which its prmlint.json adds; `decide` must see it as `check` does.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/reference/acme-glossary.json"),
        dir.path().join("acme-glossary.json"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("prmlint.json"),
        r#"{"crosswalks": ["acme-glossary.json"]}"#,
    )
    .unwrap();
    let register = dir.path().join("r.json");
    std::fs::write(
        &register,
        r#"{"processes": [{"id": "P1", "name": "Blue team operations"}]}"#,
    )
    .unwrap();
    let decisions = dir.path().join("decisions.json");
    let out = prmlint()
        .args(["decide", "accept", "P1", "incident-management"])
        .arg(&register)
        .arg("--decisions")
        .arg(&decisions)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(r#"{"prm": "incident-management", "relationship": "equal"}"#),
        "{stdout}"
    );
}

#[test]
fn decide_knows_the_ids_of_a_model_of_ones_own() {
    let dir = tempfile::tempdir().unwrap();
    let model_path = model_with_incident_management(dir.path(), |process| {
        process["id"] = Value::from("incident-handling");
    });
    let register = dir.path().join("r.json");
    std::fs::write(
        &register,
        r#"{"processes": [{"id": "P1", "name": "Incident handling"}]}"#,
    )
    .unwrap();
    let decide = |prm: &str| {
        prmlint()
            .args(["decide", "reject", "P1", prm])
            .arg(&register)
            .arg("--decisions")
            .arg(dir.path().join("decisions.json"))
            .arg("--model")
            .arg(&model_path)
            .output()
            .unwrap()
    };
    assert_eq!(decide("incident-handling").status.code(), Some(0));
    let renamed = decide("incident-management");
    assert_eq!(renamed.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&renamed.stderr).contains("is not a PRM process id"));
}

/// The embedded model with its `incident-management` process changed by `edit`, written into
/// `dir`; its path.
fn model_with_incident_management(dir: &Path, edit: impl Fn(&mut Value)) -> std::path::PathBuf {
    let out = prmlint()
        .args(["model", "--format", "json"])
        .output()
        .unwrap();
    let mut model: Value = serde_json::from_slice(&out.stdout).unwrap();
    for process in model["processes"].as_array_mut().unwrap() {
        if process["id"] == "incident-management" {
            edit(process);
        }
    }
    let model_path = dir.join("model.json");
    std::fs::write(&model_path, serde_json::to_vec(&model).unwrap()).unwrap();
    model_path
}
