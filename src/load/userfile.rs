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

/// A JSON file that is not a register (a configuration, baseline or decisions file, a model or
/// crosswalk of one's own), read with spans like a register.
#[derive(Debug)]
pub struct JsonFile {
    pub document: Document,
    /// The parsed value; `None` in the rare case serde_json refuses what the span parser took.
    pub value: Option<Value>,
    /// Keys given twice in an object (`duplicate-key`).
    pub duplicate_keys: Vec<Finding>,
}

/// Read `path` as file number `file` of the run: its bytes within the default limits, its
/// text, its syntax with a span for every value, and its duplicate keys. The one reader of
/// prmlint's own JSON files and of the reference data given on the command line. A file that
/// cannot be read, decoded or parsed gives its document and the finding that says why.
pub fn read_json(file: usize, path: &str) -> Result<JsonFile, Box<(Document, Finding)>> {
    let failed =
        |finding: Finding| Box::new((load::empty_document(file, path), finding.at(file, "", None)));
    let bytes = load::read(path, &Limits::default()).map_err(|finding| failed(*finding))?;
    let text = decode(bytes).map_err(|e| {
        failed(Finding::new(
            Code::Encoding,
            format!("{path}: {}", e.message),
        ))
    })?;
    let source = SourceFile::new(path, text);
    let index = match load::json::parse(file, &source) {
        Ok(index) => index,
        Err(finding) => {
            let document = Document {
                source,
                locator: Locator::None,
                register: Default::default(),
                file,
            };
            return Err(Box::new((document, *finding)));
        }
    };
    let duplicate_keys = load::json::duplicate_key_findings(file, &source, &index);
    let value: Option<Value> = serde_json::from_str(&source.text).ok();
    Ok(JsonFile {
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
        duplicate_keys,
    })
}

/// Read a JSON file as file number `file` of the run and check it against `schema_text`.
pub fn read(file: usize, path: &str, schema_text: &str) -> UserFile {
    let read = match read_json(file, path) {
        Ok(read) => read,
        Err(failed) => {
            let (document, finding) = *failed;
            return UserFile {
                document,
                value: None,
                findings: vec![finding],
                schema_errors: Vec::new(),
            };
        }
    };
    let findings = read
        .duplicate_keys
        .into_iter()
        .map(|mut finding| {
            finding.code = Code::ConfigInvalid;
            finding.severity = Code::ConfigInvalid.info().severity;
            finding.help = Some("remove one of the two: only the last would count".into());
            finding
        })
        .collect();
    let schema_errors = match &read.value {
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
        document: read.document,
        value: read.value,
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
