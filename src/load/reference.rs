//! The reference data a run uses: the embedded defaults from `mappings/`, or a user's model
//! file instead of the embedded one, plus any extra crosswalk files. User files are checked
//! against their schemas with the same spanned diagnostics as registers.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::diag::finding::Finding;
use crate::diag::rules::Code;
use crate::load::Document;
use crate::mapping::Knowledge;
use crate::model::{Concepts, ControlAreas, Crosswalk, Model};
use crate::validate::schema::{self, SchemaError};

// `MODEL`, `CONTROL_AREAS`, `CROSSWALKS` (the embedded files) and `KNOWLEDGE` (their mapping
// index, built at compile time): see `build.rs`.
include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// Which reference data to use.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    /// A model file replacing the embedded one.
    pub model: Option<String>,
    /// Extra catalogue files.
    pub crosswalks: Vec<String>,
}

/// The loaded reference data, and the documents of user files (for diagnostics).
#[derive(Debug)]
pub struct Loaded {
    pub knowledge: Option<Knowledge>,
    pub documents: Vec<Document>,
    pub findings: Vec<Finding>,
}

/// Load the embedded defaults and the user's files. `first_file` numbers the user files after
/// the registers, so findings can point into them.
pub fn load(sources: &Sources, first_file: usize) -> Loaded {
    if sources.model.is_none() && sources.crosswalks.is_empty() {
        return prebuilt();
    }
    let mut documents = Vec::new();
    let mut findings = Vec::new();
    let mut next_file = first_file;
    let mut user_file = |path: &str,
                         schema_text: &str,
                         documents: &mut Vec<Document>,
                         findings: &mut Vec<Finding>| {
        let file = next_file;
        next_file += 1;
        let (document, value, mut file_findings) = read_checked(file, path, schema_text);
        documents.push(document);
        let ok = file_findings.is_empty();
        findings.append(&mut file_findings);
        value.filter(|_| ok)
    };

    let model: Option<Model> = match &sources.model {
        Some(path) => user_file(path, schema::MODEL, &mut documents, &mut findings)
            .and_then(|v| typed(v, path, &mut findings)),
        None => embedded(MODEL, "model", &mut findings),
    };
    let control_areas: Option<ControlAreas> =
        embedded(CONTROL_AREAS, "control areas", &mut findings);
    let mut crosswalks: Vec<Crosswalk> = CROSSWALKS
        .iter()
        .filter_map(|(name, text)| embedded(text, name, &mut findings))
        .collect();
    for path in &sources.crosswalks {
        if let Some(crosswalk) = user_file(path, schema::CROSSWALK, &mut documents, &mut findings)
            .and_then(|v| typed::<Crosswalk>(v, path, &mut findings))
        {
            crosswalks.push(crosswalk);
        }
    }
    let concepts: Option<Concepts> = embedded(CONCEPTS, "concepts", &mut findings);
    let knowledge = match (model, control_areas, concepts) {
        (Some(model), Some(areas), Some(concepts)) if findings.is_empty() => {
            Some(Knowledge::build(model, crosswalks, areas.areas, &concepts))
        }
        _ => None,
    };
    Loaded {
        knowledge,
        documents,
        findings,
    }
}

/// The embedded defaults, from the index `build.rs` made of them: the same as
/// [`Knowledge::build`] gives (a test checks it), without its cost at every start.
fn prebuilt() -> Loaded {
    let (knowledge, findings) = match postcard::from_bytes::<Knowledge>(KNOWLEDGE) {
        Ok(knowledge) => (Some(knowledge), Vec::new()),
        Err(e) => (
            None,
            vec![Finding::new(
                Code::SchemaViolation,
                format!("the embedded mapping index is unreadable (a bug in prmlint): {e}"),
            )],
        ),
    };
    Loaded {
        knowledge,
        documents: Vec::new(),
        findings,
    }
}

/// The embedded defaults alone (tests, benchmarks, the evaluation).
pub fn embedded_knowledge() -> Result<Knowledge, String> {
    let loaded = load(&Sources::default(), 0);
    match loaded.knowledge {
        Some(knowledge) => Ok(knowledge),
        None => Err(loaded
            .findings
            .iter()
            .map(|f| f.message.clone())
            .collect::<Vec<_>>()
            .join("; ")),
    }
}

/// Embedded reference data, typed; broken data is a bug in prmlint, said as a finding.
fn embedded<T: DeserializeOwned>(text: &str, what: &str, findings: &mut Vec<Finding>) -> Option<T> {
    kept(serde_json::from_str(text), findings, |e| {
        format!("the embedded {what} data is invalid (a bug in prmlint): {e}")
    })
}

/// A user's reference file, typed once its schema has passed.
fn typed<T: DeserializeOwned>(value: Value, path: &str, findings: &mut Vec<Finding>) -> Option<T> {
    kept(serde_json::from_value(value), findings, |e| {
        format!("{path}: cannot be used: {e}")
    })
}

/// The value, or a `schema-violation` finding saying why there is none.
fn kept<T>(
    parsed: serde_json::Result<T>,
    findings: &mut Vec<Finding>,
    message: impl FnOnce(&serde_json::Error) -> String,
) -> Option<T> {
    parsed
        .map_err(|e| findings.push(Finding::new(Code::SchemaViolation, message(&e))))
        .ok()
}

/// Read a reference data file, check its syntax and schema, and keep it for diagnostics.
fn read_checked(
    file: usize,
    path: &str,
    schema_text: &str,
) -> (Document, Option<Value>, Vec<Finding>) {
    let read = match crate::load::userfile::read_json(file, path) {
        Ok(read) => read,
        Err(failed) => {
            let (document, finding) = *failed;
            return (document, None, vec![finding]);
        }
    };
    let mut findings = read.duplicate_keys;
    let value = read.value.unwrap_or_default();
    let document = read.document;
    match schema::check_document(schema_text, &value) {
        Ok(errors) => {
            for error in errors {
                let pointer = error.pointer().to_owned();
                let span = match &error {
                    SchemaError::UnknownProperty { .. } => document.key_span(&pointer),
                    SchemaError::Missing { .. } => document.start_span(&pointer),
                    SchemaError::Invalid { .. } => document.span(&pointer),
                };
                let mut finding = error.to_finding();
                if error.points_at_key() {
                    finding.label = Some("not a field of this format".into());
                    finding.help = Some("check the spelling against the schema (`prmlint schema crosswalk` / `prmlint schema model`)".into());
                }
                findings.push(finding.at(file, pointer, span));
            }
        }
        Err(message) => findings.push(Finding::new(Code::SchemaViolation, message)),
    }
    (document, Some(value), findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prebuilt_index_is_what_building_it_now_gives() {
        let prebuilt = embedded_knowledge().unwrap_or_else(|e| panic!("{e}"));
        let mut findings = Vec::new();
        let model = embedded(MODEL, "model", &mut findings);
        let areas: Option<ControlAreas> = embedded(CONTROL_AREAS, "control areas", &mut findings);
        let crosswalks: Vec<Crosswalk> = CROSSWALKS
            .iter()
            .filter_map(|(name, text)| embedded(text, name, &mut findings))
            .collect();
        let concepts: Option<Concepts> = embedded(CONCEPTS, "concepts", &mut findings);
        assert!(findings.is_empty(), "{findings:?}");
        let (Some(model), Some(areas), Some(concepts)) = (model, areas, concepts) else {
            panic!("embedded data unreadable");
        };
        let built = Knowledge::build(model, crosswalks, areas.areas, &concepts);
        assert!(
            prebuilt == built,
            "the index build.rs made differs from Knowledge::build"
        );
        // Read back, the index gets a lexicon generation of its own for the word cache.
        assert_ne!(
            prebuilt.normalizer.generation(),
            built.normalizer.generation()
        );
    }

    #[test]
    fn embedded_data_loads_and_has_the_seventeen_processes() {
        let knowledge = embedded_knowledge().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(knowledge.model.process_ids(), crate::model::PRM_IDS);
        assert_eq!(knowledge.crosswalks.len(), CROSSWALKS.len());
    }
}
