#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Consistency checks for the crosswalk catalogues in `mappings/crosswalks/`.
//!
//! Every file must validate against `schema/crosswalk.schema.json` and in addition:
//! no duplicate JSON keys, `id` equal to the file name, unique codes, coded entries listing
//! their code in an alias (alone or qualified, e.g. "CSF PR"), known PRM ids and control-area ids, at most one relation per PRM
//! process, `none` only on its own, a rationale on every relation, alias languages declared
//! in `languages`, and no alias (compared case- and whitespace-insensitively) shared by two
//! entries that point at different PRM targets.
//!
//! The second half of the file feeds deliberately broken data to the same checker, so a
//! checker that silently accepts everything fails the suite.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Value, json};

/// Catalogues that must be shipped.
const EXPECTED_FILES: [&str; 8] = [
    "bsi-it-grundschutz.json",
    "cobit-2019.json",
    "iso-22301-2019.json",
    "iso-9001-2015.json",
    "iso-iec-20000-1-2018.json",
    "itil-4.json",
    "nist-csf-2.0.json",
    "process-areas.json",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Ids the catalogues may refer to.
struct Reference {
    prm_ids: BTreeSet<String>,
    control_areas: BTreeSet<String>,
}

/// Reads `key[].id` from a JSON file, or returns `None` when the file does not exist.
fn ids_from(path: &Path, key: &str) -> Option<BTreeSet<String>> {
    if !path.exists() {
        return None;
    }
    let text = fs::read_to_string(path).expect("readable reference file");
    let doc: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()));
    let items = doc
        .get(key)
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("{} has no array '{key}'", path.display()));
    let ids: BTreeSet<String> = items
        .iter()
        .map(|item| {
            item.get("id")
                .and_then(Value::as_str)
                .unwrap_or_else(|| panic!("{}: an item of '{key}' has no id", path.display()))
                .to_owned()
        })
        .collect();
    assert!(!ids.is_empty(), "{}: '{key}' is empty", path.display());
    Some(ids)
}

fn load_reference(root: &Path) -> Reference {
    let mappings = root.join("mappings");
    let prm_ids = ids_from(&mappings.join("iso-iec-ts-27022-2021.json"), "processes")
        .expect("mappings/iso-iec-ts-27022-2021.json lists the PRM processes");
    let contract: BTreeSet<String> = prmlint::model::PRM_IDS
        .iter()
        .map(|id| (*id).to_owned())
        .collect();
    assert_eq!(prm_ids, contract, "the model's ids are the stable contract");
    let control_areas = ids_from(&mappings.join("control-areas.json"), "areas")
        .expect("mappings/control-areas.json lists the control areas");
    Reference {
        prm_ids,
        control_areas,
    }
}

fn load_validator(root: &Path) -> jsonschema::Validator {
    let path = root.join("schema").join("crosswalk.schema.json");
    let text = fs::read_to_string(&path).expect("schema/crosswalk.schema.json is readable");
    let schema: Value = serde_json::from_str(&text).expect("the crosswalk schema is valid JSON");
    jsonschema::validator_for(&schema)
        .unwrap_or_else(|e| panic!("the crosswalk schema does not compile: {e}"))
}

/// Deserialises any JSON value and fails on an object with a repeated key
/// (`serde_json::Value` would silently keep the last one).
struct NoDuplicateKeys;

impl<'de> Deserialize<'de> for NoDuplicateKeys {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NoDuplicateKeysVisitor)
    }
}

struct NoDuplicateKeysVisitor;

impl<'de> Visitor<'de> for NoDuplicateKeysVisitor {
    type Value = NoDuplicateKeys;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(NoDuplicateKeys)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(NoDuplicateKeys)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(NoDuplicateKeys)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(NoDuplicateKeys)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(NoDuplicateKeys)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(NoDuplicateKeys)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<NoDuplicateKeys>()?.is_some() {}
        Ok(NoDuplicateKeys)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                return Err(de::Error::custom(format!("duplicate key {key:?}")));
            }
            map.next_value::<NoDuplicateKeys>()?;
        }
        Ok(NoDuplicateKeys)
    }
}

/// Lowercase and collapse runs of whitespace, as alias matching does.
fn normalise(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn str_of<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

fn array_of<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Checks one catalogue given as text; returns every problem found (empty = valid).
fn check_catalogue(
    file_stem: &str,
    text: &str,
    validator: &jsonschema::Validator,
    reference: &Reference,
) -> Vec<String> {
    let mut errors = Vec::new();
    if let Err(e) = serde_json::from_str::<NoDuplicateKeys>(text) {
        errors.push(format!("JSON: {e}"));
        return errors;
    }
    let doc: Value = match serde_json::from_str(text) {
        Ok(doc) => doc,
        Err(e) => {
            errors.push(format!("JSON: {e}"));
            return errors;
        }
    };

    for error in validator.iter_errors(&doc) {
        errors.push(format!("schema: at '{}': {error}", error.instance_path()));
    }

    if str_of(&doc, "id") != Some(file_stem) {
        errors.push(format!(
            "id {:?} does not match the file name {file_stem:?}",
            str_of(&doc, "id")
        ));
    }

    let languages: Option<BTreeSet<&str>> = doc
        .get("languages")
        .and_then(Value::as_array)
        .map(|langs| langs.iter().filter_map(Value::as_str).collect());

    let mut codes = BTreeSet::new();
    // normalised alias -> (entry code, relation targets) of every entry that uses it
    let mut alias_owners: BTreeMap<String, Vec<(String, BTreeSet<String>)>> = BTreeMap::new();

    for (index, entry) in array_of(&doc, "entries").iter().enumerate() {
        let code = str_of(entry, "code").unwrap_or("").to_owned();
        let at = format!("entry {index} ({code})");
        if !code.is_empty() && !codes.insert(code.clone()) {
            errors.push(format!("{at}: duplicate code"));
        }

        // A real code ("APO13", "8.5.1") must be findable through an alias, alone or
        // qualified ("CSF PR": bare two-letter codes would be ambiguous on their own).
        let aliases = array_of(entry, "aliases");
        let wanted = normalise(&code);
        if !code.is_empty()
            && !code.contains(':')
            && !aliases
                .iter()
                .filter_map(|a| str_of(a, "text"))
                .any(|text| {
                    normalise(text) == wanted
                        || normalise(text).split(' ').any(|word| word == wanted)
                })
        {
            errors.push(format!("{at}: the code is not listed as an alias"));
        }
        if let Some(languages) = &languages {
            for alias in aliases {
                if let Some(lang) = str_of(alias, "lang")
                    && !languages.contains(lang)
                {
                    errors.push(format!(
                        "{at}: alias {:?} uses language {lang:?}, not declared in 'languages'",
                        str_of(alias, "text").unwrap_or("")
                    ));
                }
            }
        }

        let relations = array_of(entry, "relations");
        let mut targets = BTreeSet::new();
        let mut seen_prm = BTreeSet::new();
        let mut has_none = false;
        for relation in relations {
            let relationship = str_of(relation, "relationship").unwrap_or("");
            if relationship == "none" {
                has_none = true;
            }
            if str_of(relation, "rationale").is_none_or(|r| r.trim().is_empty()) {
                errors.push(format!("{at}: a relation has no rationale"));
            }
            if let Some(prm) = str_of(relation, "prm") {
                if !reference.prm_ids.contains(prm) {
                    errors.push(format!("{at}: unknown PRM id {prm:?}"));
                }
                if !seen_prm.insert(prm.to_owned()) {
                    errors.push(format!("{at}: more than one relation to PRM id {prm:?}"));
                }
            }
            targets.insert(format!(
                "{}:{relationship}",
                str_of(relation, "prm").unwrap_or("-")
            ));
        }
        if has_none && relations.len() > 1 {
            errors.push(format!(
                "{at}: relationship 'none' must be the entry's only relation"
            ));
        }
        if entry.get("umbrella") == Some(&Value::Bool(true)) && seen_prm.is_empty() {
            errors.push(format!(
                "{at}: an umbrella entry needs relations to PRM processes"
            ));
        }
        if let Some(area) = str_of(entry, "control_area")
            && !reference.control_areas.contains(area)
        {
            errors.push(format!("{at}: unknown control area {area:?}"));
        }

        let mut names: BTreeSet<String> = BTreeSet::new();
        for text in [str_of(entry, "code"), str_of(entry, "name")]
            .into_iter()
            .flatten()
            .chain(aliases.iter().filter_map(|a| str_of(a, "text")))
        {
            names.insert(normalise(text));
        }
        for name in names {
            alias_owners
                .entry(name)
                .or_default()
                .push((code.clone(), targets.clone()));
        }
    }

    for (alias, owners) in &alias_owners {
        if owners.len() < 2 {
            continue;
        }
        let first = &owners[0].1;
        if owners.iter().any(|(_, targets)| targets != first) {
            let codes: Vec<&str> = owners.iter().map(|(code, _)| code.as_str()).collect();
            errors.push(format!(
                "alias {alias:?} names entries with different PRM targets: {}",
                codes.join(", ")
            ));
        }
    }
    errors
}

/// Checks every `*.json` in `dir`; returns (file name, problems) for each file.
fn check_dir(
    dir: &Path,
    validator: &jsonschema::Validator,
    reference: &Reference,
) -> Vec<(String, Vec<String>)> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let stem = name.trim_end_matches(".json").to_owned();
            let text = fs::read_to_string(path).expect("readable catalogue");
            (name, check_catalogue(&stem, &text, validator, reference))
        })
        .collect()
}

fn report(results: &[(String, Vec<String>)]) -> usize {
    let mut total = 0;
    for (name, errors) in results {
        for error in errors {
            eprintln!("{name}: {error}");
        }
        total += errors.len();
    }
    total
}

#[test]
fn shipped_crosswalks_are_valid() {
    let root = root();
    let validator = load_validator(&root);
    let reference = load_reference(&root);
    let dir = root.join("mappings").join("crosswalks");

    for expected in EXPECTED_FILES {
        assert!(
            dir.join(expected).exists(),
            "missing catalogue mappings/crosswalks/{expected}"
        );
    }
    let results = check_dir(&dir, &validator, &reference);
    let total = report(&results);
    assert_eq!(
        total, 0,
        "{total} problem(s) in mappings/crosswalks (see stderr)"
    );
}

// ---------------------------------------------------------------------------------------
// The checker must reject broken data.

fn sample() -> Value {
    json!({
        "$schema": "../../schema/crosswalk.schema.json",
        "id": "sample",
        "title": "Sample catalogue",
        "languages": ["en", "de"],
        "entries": [
            {
                "code": "S1",
                "name": "Incident handling",
                "aliases": [
                    { "text": "S1", "lang": "en" },
                    { "text": "Störungsmanagement", "lang": "de" }
                ],
                "relations": [
                    {
                        "prm": "incident-management",
                        "relationship": "intersects",
                        "strength": "strong",
                        "security_variant": "equal",
                        "rationale": "test"
                    }
                ]
            },
            {
                "code": "S2",
                "name": "Capacity",
                "aliases": [{ "text": "S2", "lang": "en" }],
                "relations": [{ "relationship": "none", "rationale": "test" }],
                "control_area": "capacity"
            }
        ]
    })
}

fn problems(doc: &Value) -> Vec<String> {
    let root = root();
    let validator = load_validator(&root);
    let reference = load_reference(&root);
    check_catalogue(
        "sample",
        &serde_json::to_string_pretty(doc).unwrap(),
        &validator,
        &reference,
    )
}

fn assert_rejected(what: &str, doc: &Value, expected: &str) {
    let found = problems(doc);
    assert!(
        found.iter().any(|p| p.contains(expected)),
        "{what}: expected a problem containing {expected:?}, got {found:?}"
    );
}

#[test]
fn sample_is_accepted() {
    let found = problems(&sample());
    assert!(found.is_empty(), "unexpected problems: {found:?}");
}

#[test]
fn checker_rejects_broken_data() {
    let mut doc = sample();
    doc["entries"][0]["relations"][0]["prm"] = json!("incident-handling");
    assert_rejected("unknown PRM id", &doc, "unknown PRM id");

    let mut doc = sample();
    doc["entries"][0]["relations"][0]["prm"] = json!("Incident Management");
    assert_rejected("PRM id pattern", &doc, "schema:");

    let mut doc = sample();
    doc["entries"][1]["code"] = json!("S1");
    assert_rejected("duplicate code", &doc, "duplicate code");

    let mut doc = sample();
    doc["entries"][1]["aliases"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "text": "  störungsMANAGEMENT ", "lang": "de" }));
    assert_rejected("alias clash", &doc, "different PRM targets");

    let mut doc = sample();
    doc["entries"][1]["name"] = json!("incident   HANDLING");
    assert_rejected("name clash", &doc, "different PRM targets");

    let mut doc = sample();
    doc["entries"][1]["relations"][0]["prm"] = json!("incident-management");
    assert_rejected("none with prm", &doc, "schema:");

    let mut doc = sample();
    doc["entries"][1]["relations"][0]["strength"] = json!("weak");
    assert_rejected("none with strength", &doc, "schema:");

    let mut doc = sample();
    doc["entries"][0]["relations"][0]
        .as_object_mut()
        .unwrap()
        .remove("strength");
    assert_rejected("missing strength", &doc, "schema:");

    let mut doc = sample();
    doc["entries"][0]["relations"][0]
        .as_object_mut()
        .unwrap()
        .remove("prm");
    assert_rejected("missing prm", &doc, "schema:");

    let mut doc = sample();
    doc["entries"][0]["relations"][0]["relationship"] = json!("overlaps");
    assert_rejected("relationship enum", &doc, "schema:");

    let mut doc = sample();
    doc["entries"][0]["relations"][0]["strength"] = json!("high");
    assert_rejected("strength enum", &doc, "schema:");

    let mut doc = sample();
    doc["entries"][0]["aliases"][1]["lang"] = json!("xx");
    assert_rejected("lang enum", &doc, "schema:");

    let mut doc = sample();
    doc["languages"] = json!(["en"]);
    assert_rejected("undeclared language", &doc, "not declared");

    let mut doc = sample();
    doc["entries"][0]["owner"] = json!("someone");
    assert_rejected("unknown property", &doc, "schema:");

    let mut doc = sample();
    doc["entries"][0]["relations"][0]["rationale"] = json!("");
    assert_rejected("empty rationale", &doc, "rationale");

    let mut doc = sample();
    doc["entries"][1]["control_area"] = json!("database-security-x");
    assert_rejected("unknown control area", &doc, "unknown control area");

    let mut doc = sample();
    doc["id"] = json!("other");
    assert_rejected("id vs file name", &doc, "does not match the file name");

    let mut doc = sample();
    doc["entries"][0]["aliases"] = json!([]);
    assert_rejected("code not an alias", &doc, "code is not listed");

    let mut doc = sample();
    let extra = doc["entries"][0]["relations"][0].clone();
    doc["entries"][0]["relations"]
        .as_array_mut()
        .unwrap()
        .push(extra);
    assert_rejected(
        "two relations to one PRM id",
        &doc,
        "more than one relation",
    );

    let mut doc = sample();
    doc["entries"][1]["relations"].as_array_mut().unwrap().push(
        json!({ "prm": "risk-assessment", "relationship": "intersects",
                      "strength": "weak", "rationale": "test" }),
    );
    assert_rejected("none plus a relation", &doc, "only relation");

    let mut doc = sample();
    doc["entries"][1]["umbrella"] = json!(true);
    assert_rejected("umbrella without PRM targets", &doc, "umbrella");

    let mut doc = sample();
    doc["entries"] = json!([]);
    assert_rejected("no entries", &doc, "schema:");

    // duplicate keys are invisible in a serde_json::Value, so test the raw text
    let root = root();
    let text = r#"{ "id": "sample", "id": "sample", "title": "t", "entries": [] }"#;
    let found = check_catalogue(
        "sample",
        text,
        &load_validator(&root),
        &load_reference(&root),
    );
    assert!(
        found.iter().any(|p| p.contains("duplicate key")),
        "duplicate key not reported: {found:?}"
    );
}

#[test]
fn shared_alias_with_identical_targets_is_allowed() {
    let mut doc = sample();
    let mut twin = doc["entries"][0].clone();
    twin["code"] = json!("S3");
    twin["name"] = json!("Incident handling (twin)");
    twin["aliases"] = json!([
        { "text": "S3", "lang": "en" },
        { "text": "Störungsmanagement", "lang": "de" }
    ]);
    doc["entries"].as_array_mut().unwrap().push(twin);
    let found = problems(&doc);
    assert!(found.is_empty(), "unexpected problems: {found:?}");
}

#[test]
fn broken_copy_of_a_shipped_catalogue_is_rejected() {
    let root = root();
    let validator = load_validator(&root);
    let reference = load_reference(&root);
    let source = root.join("mappings").join("crosswalks").join("itil-4.json");
    let mut doc: Value = serde_json::from_str(&fs::read_to_string(source).unwrap()).unwrap();
    doc["entries"][0]["relations"][0]["prm"] = json!("not-a-prm-process");
    doc["entries"][1]["code"] = doc["entries"][0]["code"].clone();

    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("itil-4.json"),
        serde_json::to_string_pretty(&doc).unwrap(),
    )
    .unwrap();
    let results = check_dir(dir.path(), &validator, &reference);
    let found: Vec<&String> = results.iter().flat_map(|(_, errors)| errors).collect();
    assert!(
        found.iter().any(|p| p.contains("unknown PRM id")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|p| p.contains("duplicate code")),
        "{found:?}"
    );
}
