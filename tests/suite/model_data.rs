//! Checks the shipped reference data in `mappings/` against its schemas and against the
//! invariants the schemas cannot express (fixed process ids, unique ids and aliases, references
//! between the files).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

const MODEL: &str = "mappings/iso-iec-ts-27022-2021.json";
const MODEL_SCHEMA: &str = "schema/model.schema.json";
const AREAS: &str = "mappings/control-areas.json";
const AREAS_SCHEMA: &str = "schema/control-areas.schema.json";

/// The 17 ISO/IEC TS 27022:2021 processes in report order, with their category.
const PRM: [(&str, &str); 17] = [
    ("governance-interface", "management"),
    ("policy-management", "core"),
    ("requirements-management", "core"),
    ("risk-assessment", "core"),
    ("risk-treatment", "core"),
    ("implementation-management", "core"),
    ("outsourced-services", "core"),
    ("awareness-competence", "core"),
    ("incident-management", "core"),
    ("change-management", "core"),
    ("internal-audit", "core"),
    ("performance-evaluation", "core"),
    ("improvement", "core"),
    ("records-control", "support"),
    ("resource-management", "support"),
    ("communication", "support"),
    ("customer-relationship", "support"),
];

fn load(relative: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{relative} is not valid JSON: {e}"))
}

fn array<'a>(value: &'a Value, key: &str) -> &'a Vec<Value> {
    value[key]
        .as_array()
        .unwrap_or_else(|| panic!("`{key}` is not an array"))
}

fn string<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("`{key}` is not a string"))
}

/// Aliases are compared the way a register would be matched: case-insensitive, with runs of
/// whitespace collapsed.
fn normalise(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn count_lang(texts: &[Value], lang: &str) -> usize {
    texts.iter().filter(|t| t["lang"] == lang).count()
}

/// Every schema error of `instance`, one line each (empty when valid).
fn schema_errors(schema: &Value, instance: &Value) -> Vec<String> {
    let validator = jsonschema::validator_for(schema).expect("schema must compile");
    validator
        .iter_errors(instance)
        .map(|e| {
            // The message embeds the offending value, which can be a whole process.
            let message: String = e.to_string().chars().take(300).collect();
            format!("{}: {message}", e.instance_path())
        })
        .collect()
}

/// Errors of the model invariants the schema cannot express.
fn model_errors(model: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    let processes = array(model, "processes");

    let ids: Vec<&str> = processes.iter().map(|p| string(p, "id")).collect();
    let expected: Vec<&str> = PRM.iter().map(|(id, _)| *id).collect();
    if ids != expected {
        errors.push(format!(
            "process ids differ from the 17 PRM ids in order: {ids:?}"
        ));
    }

    let categories: BTreeSet<&str> = array(model, "categories")
        .iter()
        .map(|c| string(c, "id"))
        .collect();
    let mut activity_ids = BTreeSet::new();
    for process in processes {
        let id = string(process, "id");
        let category = string(process, "category");
        if !categories.contains(category) {
            errors.push(format!("{id}: category {category} is not declared"));
        }
        if let Some((_, want)) = PRM.iter().find(|(prm, _)| *prm == id)
            && category != *want
        {
            errors.push(format!("{id}: category {category}, expected {want}"));
        }

        let activities = array(process, "activities");
        if !(5..=10).contains(&activities.len()) {
            errors.push(format!(
                "{id}: {} activities, expected 5-10",
                activities.len()
            ));
        }
        for activity in activities {
            let activity_id = string(activity, "id");
            if !activity_id.starts_with(&format!("{id}/")) {
                errors.push(format!(
                    "{activity_id}: not prefixed by its process id {id}"
                ));
            }
            if !activity_ids.insert(activity_id) {
                errors.push(format!("{activity_id}: duplicate activity id"));
            }
            let terms = array(activity, "terms");
            if count_lang(terms, "en") == 0 || count_lang(terms, "de") == 0 {
                errors.push(format!("{activity_id}: needs terms in en and de"));
            }
        }

        let aliases = array(process, "aliases");
        let (en, de) = (count_lang(aliases, "en"), count_lang(aliases, "de"));
        // The format demands one alias per language; the shipped model promises more.
        if en < 4 || de < 3 {
            errors.push(format!(
                "{id}: {en} en / {de} de aliases, expected >= 4 / >= 3"
            ));
        }
    }
    errors
}

/// Errors of the control-area invariants: unique ids and steering processes that exist.
fn area_errors(areas: &Value, model: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    let processes: BTreeSet<&str> = array(model, "processes")
        .iter()
        .map(|p| string(p, "id"))
        .collect();
    let mut ids = BTreeSet::new();
    for area in array(areas, "areas") {
        let id = string(area, "id");
        if !ids.insert(id) {
            errors.push(format!("{id}: duplicate control area id"));
        }
        for steering in array(area, "steered_by") {
            let steering = steering.as_str().unwrap_or_default();
            if !processes.contains(steering) {
                errors.push(format!(
                    "{id}: steered_by {steering} is not a model process"
                ));
            }
        }
        let aliases = array(area, "aliases");
        let (en, de) = (count_lang(aliases, "en"), count_lang(aliases, "de"));
        if en < 4 || de < 2 {
            errors.push(format!(
                "{id}: {en} en / {de} de aliases, expected >= 4 / >= 2"
            ));
        }
    }
    errors
}

/// Errors for texts (aliases or keywords) listed under more than one owner; `owners` yields
/// (owner, list of localised texts).
fn alias_clashes<'a>(owners: impl Iterator<Item = (String, &'a Vec<Value>)>) -> Vec<String> {
    let mut seen: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (owner, aliases) in owners {
        for alias in aliases {
            seen.entry(normalise(string(alias, "text")))
                .or_default()
                .insert(owner.clone());
        }
    }
    seen.into_iter()
        .filter(|(_, owners)| owners.len() > 1)
        .map(|(alias, owners)| format!("{alias:?} is listed under {owners:?}"))
        .collect()
}

fn model_alias_owners(model: &Value) -> impl Iterator<Item = (String, &Vec<Value>)> {
    array(model, "processes")
        .iter()
        .map(|p| (format!("process {}", string(p, "id")), array(p, "aliases")))
}

fn area_alias_owners(areas: &Value) -> impl Iterator<Item = (String, &Vec<Value>)> {
    array(areas, "areas").iter().map(|a| {
        (
            format!("control area {}", string(a, "id")),
            array(a, "aliases"),
        )
    })
}

fn assert_no_errors(what: &str, errors: &[String]) {
    assert!(
        errors.is_empty(),
        "{what}: {} error(s):\n  {}",
        errors.len(),
        errors.join("\n  ")
    );
}

#[test]
fn model_validates_against_its_schema() {
    assert_no_errors(MODEL, &schema_errors(&load(MODEL_SCHEMA), &load(MODEL)));
}

#[test]
fn control_areas_validate_against_their_schema() {
    assert_no_errors(AREAS, &schema_errors(&load(AREAS_SCHEMA), &load(AREAS)));
}

#[test]
fn model_has_the_17_prm_processes_with_well_formed_activities_and_aliases() {
    assert_no_errors(MODEL, &model_errors(&load(MODEL)));
}

#[test]
fn control_areas_have_unique_ids_and_are_steered_by_model_processes() {
    assert_no_errors(AREAS, &area_errors(&load(AREAS), &load(MODEL)));
}

#[test]
fn no_alias_names_two_processes_or_two_control_areas() {
    let model = load(MODEL);
    let areas = load(AREAS);
    assert_no_errors(MODEL, &alias_clashes(model_alias_owners(&model)));
    assert_no_errors(AREAS, &alias_clashes(area_alias_owners(&areas)));
    // A name that is both a PRM process and a control area would make the report contradict
    // itself.
    assert_no_errors(
        "model and control areas",
        &alias_clashes(model_alias_owners(&model).chain(area_alias_owners(&areas))),
    );
}

#[test]
fn keywords_are_not_shared_between_processes() {
    let model = load(MODEL);
    let owners = array(&model, "processes")
        .iter()
        .map(|p| (format!("process {}", string(p, "id")), array(p, "keywords")));
    // Keywords are evidence for exactly one process; a shared keyword discriminates nothing.
    assert_no_errors(MODEL, &alias_clashes(owners));
}

/// The checks above must catch broken data, not just pass on good data.
#[test]
fn checks_reject_broken_data() {
    let good_model = load(MODEL);
    let good_areas = load(AREAS);
    let model_schema = load(MODEL_SCHEMA);
    let areas_schema = load(AREAS_SCHEMA);

    let mut model = good_model.clone();
    model["processes"][0]["annex_a"]["primary"][0] = "A.5.2".into();
    model["processes"][1]["category"] = "operational".into();
    model["processes"][2]["unexpected"] = true.into();
    assert_eq!(schema_errors(&model_schema, &model).len(), 3);

    let mut model = good_model.clone();
    array_mut(&mut model, "processes").swap(0, 1);
    model["processes"][3]["activities"][0]["id"] = "risk-treatment/criteria-method".into();
    model["processes"][4]["activities"][1] = model["processes"][4]["activities"][0].clone();
    let errors = model_errors(&model);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("differ from the 17 PRM ids"))
    );
    assert!(errors.iter().any(|e| e.contains("not prefixed")));
    assert!(errors.iter().any(|e| e.contains("duplicate activity id")));

    let mut model = good_model.clone();
    let alias = model["processes"][0]["aliases"][0].clone();
    let mut shouted = alias.clone();
    shouted["text"] = format!("  {}  ", string(&alias, "text").to_uppercase()).into();
    array_mut(&mut model["processes"][5], "aliases").push(shouted);
    assert_eq!(alias_clashes(model_alias_owners(&model)).len(), 1);

    let mut areas = good_areas.clone();
    areas["areas"][1]["id"] = areas["areas"][0]["id"].clone();
    areas["areas"][2]["steered_by"][0] = "risk-management".into();
    areas["areas"][3]["annex_a"][0] = "8.35".into();
    assert_eq!(area_errors(&areas, &good_model).len(), 2);
    assert_eq!(schema_errors(&areas_schema, &areas).len(), 1);
}

fn array_mut<'a>(value: &'a mut Value, key: &str) -> &'a mut Vec<Value> {
    value[key]
        .as_array_mut()
        .unwrap_or_else(|| panic!("`{key}` is not an array"))
}
