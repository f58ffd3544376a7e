//! prmlint's own JSON files that users keep beside their registers (configuration, baseline,
//! decisions): read with spans like a register, checked against their embedded schema, and
//! every problem reported as `config-invalid` at the exact key or value.

use serde_json::Value;

use crate::diag::finding::Finding;
use crate::diag::rules::Code;
use crate::load::{self, Document, Limits, Locator};
use crate::source::{SourceFile, decode};
use crate::validate::schema::{self, SchemaError};

/// A file as read: its document (for diagnostics) and its value when it is well-formed JSON.
#[derive(Debug)]
pub struct UserFile {
    pub document: Document,
    /// The parsed value; `None` when the file could not be read or is not JSON.
    pub value: Option<Value>,
    /// Read, encoding, syntax and duplicate-key findings.
    pub findings: Vec<Finding>,
    /// Schema violations, for the caller to turn into findings with [`schema_finding`].
    pub schema_errors: Vec<SchemaError>,
}

/// Read a JSON file as file number `file` of the run and check it against `schema_text`.
pub fn read(file: usize, path: &str, schema_text: &str) -> UserFile {
    let failed = |finding: Finding| UserFile {
        document: load::empty_document(file, path),
        value: None,
        findings: vec![finding.at(file, "", None)],
        schema_errors: Vec::new(),
    };
    let bytes = match load::read(path, &Limits::default()) {
        Ok(bytes) => bytes,
        Err(finding) => return failed(*finding),
    };
    let text = match decode(bytes) {
        Ok(text) => text,
        Err(e) => {
            return failed(Finding::new(
                Code::Encoding,
                format!("{path}: {}", e.message),
            ));
        }
    };
    let source = SourceFile::new(path, text);
    let index = match load::json::parse(file, &source) {
        Ok(index) => index,
        Err(finding) => {
            return UserFile {
                document: Document {
                    source,
                    locator: Locator::None,
                    register: Default::default(),
                    file,
                },
                value: None,
                findings: vec![*finding],
                schema_errors: Vec::new(),
            };
        }
    };
    let findings = load::json::duplicate_key_findings(file, &source, &index)
        .into_iter()
        .map(|mut finding| {
            finding.code = Code::ConfigInvalid;
            finding.severity = Code::ConfigInvalid.info().severity;
            finding.help = Some("remove one of the two: only the last would count".into());
            finding
        })
        .collect();
    let value: Option<Value> = serde_json::from_str(&source.text).ok();
    let schema_errors = match &value {
        Some(value) => match schema::check_document(schema_text, value) {
            Ok(errors) => errors,
            Err(message) => vec![SchemaError::Invalid {
                pointer: String::new(),
                message,
            }],
        },
        None => Vec::new(),
    };
    UserFile {
        document: Document {
            source,
            locator: Locator::Json {
                index,
                processes: Vec::new(),
            },
            register: Default::default(),
            file,
        },
        value,
        findings,
        schema_errors,
    }
}

/// A `config-invalid` finding at a pointer of a user file.
pub fn invalid_at(
    document: &Document,
    pointer: &str,
    at_key: bool,
    message: impl Into<crate::diag::finding::Text>,
) -> Finding {
    let span = if at_key {
        document.key_span(pointer)
    } else {
        document.span(pointer)
    };
    Finding::new(Code::ConfigInvalid, message).at(document.file, pointer, span)
}

/// The finding for one schema violation. `known_keys` names the keys valid in the object at a
/// pointer, for "did you mean".
pub fn schema_finding(
    document: &Document,
    error: &SchemaError,
    known_keys: impl Fn(&str) -> Vec<&'static str>,
) -> Finding {
    match error {
        SchemaError::UnknownProperty { pointer, name, .. } => {
            let parent = &pointer[..pointer.rfind('/').unwrap_or(0)];
            let known = known_keys(parent);
            let finding = invalid_at(document, pointer, true, format!("unknown key `{name}`"))
                .label("not a known key");
            match crate::diag::suggest::closest(name, &known) {
                Some(suggestion) => finding.help(format!("did you mean `{suggestion}`?")),
                None if known.is_empty() => finding.help("remove it"),
                None => finding.help(format!("remove it; known keys: {}", known.join(", "))),
            }
        }
        SchemaError::Missing { pointer, property } => {
            let span = document.start_span(pointer);
            Finding::new(
                Code::ConfigInvalid,
                format!("missing required key `{property}`"),
            )
            .at(document.file, pointer.clone(), span)
            .label(format!("`{property}` is required here"))
            .help(format!("add `{property}`"))
        }
        SchemaError::Invalid { pointer, message } => {
            let name = if pointer.is_empty() {
                "the file".to_owned()
            } else {
                format!("`{}`", &pointer[1..])
            };
            invalid_at(document, pointer, false, format!("{name} {message}")).label(message.clone())
        }
    }
}
