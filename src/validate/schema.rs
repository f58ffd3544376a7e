//! The JSON Schemas prmlint ships, embedded at build time, and schema validation of registers.

use crate::diag::suggest::closest;
use std::sync::OnceLock;

use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

use crate::diag::finding::Finding;
use crate::diag::rules::Code;

pub const REGISTER: &str = include_str!("../../schema/register.schema.json");
pub const MODEL: &str = include_str!("../../schema/model.schema.json");
pub const CROSSWALK: &str = include_str!("../../schema/crosswalk.schema.json");
pub const CONTROL_AREAS: &str = include_str!("../../schema/control-areas.schema.json");
pub const CONCEPTS: &str = include_str!("../../schema/concepts.schema.json");
pub const REPORT: &str = include_str!("../../schema/report.schema.json");
pub const CONFIG: &str = include_str!("../../schema/prmlint-config.schema.json");
pub const BASELINE: &str = include_str!("../../schema/baseline.schema.json");
pub const DECISIONS: &str = include_str!("../../schema/decisions.schema.json");

/// Names `prmlint schema <name>` accepts, with their text.
pub const SCHEMAS: &[(&str, &str)] = &[
    ("register", REGISTER),
    ("model", MODEL),
    ("crosswalk", CROSSWALK),
    ("control-areas", CONTROL_AREAS),
    ("concepts", CONCEPTS),
    ("report", REPORT),
    ("config", CONFIG),
    ("baseline", BASELINE),
    ("decisions", DECISIONS),
];

/// The compiled validators a run needs: the register's top level and one process.
#[derive(Debug)]
pub struct Validators {
    top: jsonschema::Validator,
    process: jsonschema::Validator,
}

/// Property names the register format defines, per kind of object, for "did you mean" help.
const TOP_KEYS: &[&str] = &["$schema", "register", "processes"];
const METADATA_KEYS: &[&str] = &["organisation", "version", "source", "exported"];
pub const PROCESS_KEYS: &[&str] = &[
    "id",
    "name",
    "description",
    "owner",
    "category",
    "status",
    "parent",
    "activities",
    "inputs",
    "outputs",
    "frameworks",
    "maps_to",
    "tags",
];
const MAPPING_KEYS: &[&str] = &["prm", "relationship", "note"];

impl Validators {
    /// The validators for the embedded register schema, compiled once per process.
    pub fn get() -> Result<&'static Validators, String> {
        static VALIDATORS: OnceLock<Result<Validators, String>> = OnceLock::new();
        VALIDATORS
            .get_or_init(Validators::compile)
            .as_ref()
            .map_err(Clone::clone)
    }

    fn compile() -> Result<Validators, String> {
        let schema: Value = serde_json::from_str(REGISTER)
            .map_err(|e| format!("embedded register schema is not JSON: {e}"))?;
        let top = jsonschema::validator_for(&schema)
            .map_err(|e| format!("embedded register schema does not compile: {e}"))?;
        let process_schema = serde_json::json!({
            "$schema": schema.get("$schema"),
            "$defs": schema.get("$defs"),
            "$ref": "#/$defs/process",
        });
        let process = jsonschema::validator_for(&process_schema)
            .map_err(|e| format!("embedded process schema does not compile: {e}"))?;
        Ok(Validators { top, process })
    }

    /// Check the register's top level (with `processes` emptied: processes are checked one by
    /// one with [`Validators::check_process`]).
    pub fn check_top(&self, value: &Value) -> Vec<SchemaError> {
        collect(&self.top, value, "", known_keys)
    }

    /// Check one process; pointers in the result are relative to the register.
    pub fn check_process(&self, index: usize, value: &Value) -> Vec<SchemaError> {
        collect(
            &self.process,
            value,
            &format!("/processes/{index}"),
            known_keys,
        )
    }
}

/// One schema violation, in terms prmlint can place and explain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaError {
    /// An object member the schema does not allow; `pointer` names the member.
    UnknownProperty {
        pointer: String,
        name: String,
        suggestion: Option<&'static str>,
    },
    /// A required member is absent from the object at `pointer`.
    Missing { pointer: String, property: String },
    /// Any other violation at `pointer`.
    Invalid { pointer: String, message: String },
}

/// Validate a whole document against one of the embedded schemas (reference data files).
pub fn check_document(schema_text: &str, value: &Value) -> Result<Vec<SchemaError>, String> {
    let schema: Value = serde_json::from_str(schema_text)
        .map_err(|e| format!("embedded schema is not JSON: {e}"))?;
    let validator = jsonschema::validator_for(&schema)
        .map_err(|e| format!("embedded schema does not compile: {e}"))?;
    Ok(collect(&validator, value, "", |_| &[]))
}

fn collect(
    validator: &jsonschema::Validator,
    value: &Value,
    prefix: &str,
    known_keys: fn(&str) -> &'static [&'static str],
) -> Vec<SchemaError> {
    // Most values are valid, and telling so is much cheaper than collecting errors.
    if validator.is_valid(value) {
        return Vec::new();
    }
    let mut errors = Vec::new();
    // An empty string breaks `minLength` and usually `pattern` too; "must not be empty" is the
    // one worth saying, so a pattern error on an empty string waits to see if it is needed.
    let mut empty_patterns = Vec::new();
    for error in validator.iter_errors(value) {
        let pointer = format!("{prefix}{}", error.instance_path().as_str());
        match error.kind() {
            ValidationErrorKind::Pattern { .. } if error.instance().as_str() == Some("") => {
                empty_patterns.push(SchemaError::Invalid {
                    message: describe(error.kind(), error.instance()),
                    pointer,
                });
            }
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let known = known_keys(&pointer);
                for name in unexpected {
                    errors.push(SchemaError::UnknownProperty {
                        pointer: format!(
                            "{pointer}/{}",
                            crate::source::json::escape_pointer_token(name)
                        ),
                        name: name.clone(),
                        suggestion: closest(name, known),
                    });
                }
            }
            ValidationErrorKind::Required { property } => errors.push(SchemaError::Missing {
                pointer,
                property: property.as_str().unwrap_or_default().to_owned(),
            }),
            kind => errors.push(SchemaError::Invalid {
                message: describe(kind, error.instance()),
                pointer,
            }),
        }
    }
    for pattern in empty_patterns {
        let said_empty = errors.iter().any(|e| {
            matches!(e, SchemaError::Invalid { pointer, message }
                if pointer == pattern.pointer() && message == EMPTY)
        });
        if !said_empty {
            errors.push(pattern);
        }
    }
    errors
}

const EMPTY: &str = "must not be empty";

/// Which property names are valid at an object pointer.
fn known_keys(pointer: &str) -> &'static [&'static str] {
    let depth = pointer.split('/').count() - 1;
    match (depth, pointer) {
        (0, _) => TOP_KEYS,
        (1, "/register") => METADATA_KEYS,
        (2, _) => PROCESS_KEYS,
        _ => MAPPING_KEYS,
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn describe(kind: &ValidationErrorKind, instance: &Value) -> String {
    match kind {
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                jsonschema::error::TypeKind::Single(t) => t.to_string(),
                jsonschema::error::TypeKind::Multiple(ts) => {
                    let names: Vec<String> = ts.iter().map(|t| t.to_string()).collect();
                    names.join(" or ")
                }
            };
            format!("expected {expected}, found {}", type_name(instance))
        }
        ValidationErrorKind::Enum { options } => {
            let options: Vec<String> = options
                .as_array()
                .map(|o| o.iter().map(ToString::to_string).collect())
                .unwrap_or_default();
            format!("{} is not one of {}", preview(instance), options.join(", "))
        }
        ValidationErrorKind::MinLength { .. } => EMPTY.to_owned(),
        ValidationErrorKind::Minimum { limit } => {
            format!("{} is less than the minimum {limit}", preview(instance))
        }
        ValidationErrorKind::Maximum { limit } => {
            format!("{} is more than the maximum {limit}", preview(instance))
        }
        ValidationErrorKind::Pattern { pattern } => {
            if pattern == "\\S" {
                "must not be blank".to_owned()
            } else {
                format!("{} does not match the pattern {pattern}", preview(instance))
            }
        }
        other => format!("{} is invalid ({other:?})", preview(instance))
            .chars()
            .take(200)
            .collect(),
    }
}

/// A short rendering of a value for messages: register text may be huge.
pub fn preview(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 {
        let short: String = text.chars().take(57).collect();
        format!("{short}...")
    } else {
        text
    }
}

/// How a message names the value at a pointer: "`owner`", "process 3", "item 2 of `activities`".
fn subject(pointer: &str) -> String {
    let mut tokens = pointer.rsplit('/');
    let last = tokens.next().unwrap_or_default();
    let parent = tokens.next().unwrap_or_default();
    match (last.parse::<usize>(), parent) {
        (Ok(n), "processes") => format!("process {n}:"),
        (Ok(n), parent) => format!("item {n} of `{parent}`:"),
        _ if pointer.is_empty() => "the register:".to_owned(),
        _ => format!("`{last}`:"),
    }
}

impl SchemaError {
    /// The finding for this violation; the caller places it in the source.
    pub fn to_finding(&self) -> Finding {
        match self {
            SchemaError::UnknownProperty {
                name, suggestion, ..
            } => {
                let help = match suggestion {
                    Some(s) => format!(
                        "did you mean `{s}`? Vendor data is kept when its name starts with `x-`"
                    ),
                    None => "remove it, or prefix it with `x-` to keep it as vendor data".into(),
                };
                Finding::new(Code::UnknownProperty, format!("unknown property `{name}`"))
                    .label("not a register field")
                    .help(help)
            }
            SchemaError::Missing { property, .. } => Finding::new(
                Code::SchemaViolation,
                format!("missing required property `{property}`"),
            )
            .label(format!("`{property}` is required here"))
            .help(format!("add `{property}`")),
            SchemaError::Invalid { message, pointer } => Finding::new(
                Code::SchemaViolation,
                format!("{} {message}", subject(pointer)),
            )
            .label(message.clone()),
        }
    }

    pub fn pointer(&self) -> &str {
        match self {
            SchemaError::UnknownProperty { pointer, .. }
            | SchemaError::Missing { pointer, .. }
            | SchemaError::Invalid { pointer, .. } => pointer,
        }
    }

    /// Whether the finding should underline the key rather than the value.
    pub fn points_at_key(&self) -> bool {
        matches!(self, SchemaError::UnknownProperty { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(value: Value) -> Vec<SchemaError> {
        match Validators::get() {
            Ok(v) => v.check_process(3, &value),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn unknown_property_suggests_the_field_and_allows_vendor_fields() {
        let errors = check(json!({"id": "a", "name": "n", "ownr": "x", "x-sys_id": 1}));
        assert_eq!(
            errors,
            vec![SchemaError::UnknownProperty {
                pointer: "/processes/3/ownr".into(),
                name: "ownr".into(),
                suggestion: Some("owner"),
            }]
        );
    }

    #[test]
    fn an_empty_id_is_reported_once_as_empty() {
        let errors = check(json!({"id": "", "name": "n"}));
        assert_eq!(
            errors,
            vec![SchemaError::Invalid {
                pointer: "/processes/3/id".into(),
                message: "must not be empty".into(),
            }]
        );
    }

    #[test]
    fn wrong_types_and_missing_fields_are_reported_with_pointers() {
        let errors = check(json!({"id": "a b", "activities": [1], "status": "live"}));
        let pointers: Vec<&str> = errors.iter().map(SchemaError::pointer).collect();
        assert!(pointers.contains(&"/processes/3"), "{errors:?}");
        assert!(pointers.contains(&"/processes/3/id"), "{errors:?}");
        assert!(
            pointers.contains(&"/processes/3/activities/0"),
            "{errors:?}"
        );
        assert!(pointers.contains(&"/processes/3/status"), "{errors:?}");
    }
}
