//! The register model: what prmlint knows about an organisation's processes once loaded.

use serde::Serialize;
use serde_json::Value;

pub use prmlint_reference::Relationship;

/// Lifecycle state of a process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Active,
    Draft,
    Retired,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Draft => "draft",
            Status::Retired => "retired",
        }
    }
}

/// A mapping the organisation declared itself in `maps_to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredMapping {
    pub prm: String,
    pub relationship: Relationship,
    pub note: Option<String>,
}

/// One process of the register.
#[derive(Debug, Clone, Default)]
pub struct Process {
    /// Position in the register's `processes` array.
    pub index: usize,
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub owner: Option<String>,
    pub category: Option<String>,
    pub status: Status,
    pub parent: Option<String>,
    pub activities: Vec<String>,
    pub inputs: Vec<String>,
    pub outputs: Vec<String>,
    pub frameworks: Vec<String>,
    pub maps_to: Vec<DeclaredMapping>,
    pub tags: Vec<String>,
    /// Whether `activities` was present at all (an explicit empty list is a finding).
    pub has_activities_field: bool,
}

impl Process {
    /// JSON pointer of the process in its register.
    pub fn pointer(&self) -> String {
        format!("/processes/{}", self.index)
    }

    /// Build a process from its JSON value, keeping every field that has the right type. A
    /// value without a usable `id` and `name` gives `None`; the schema check reports why. The
    /// value is taken apart rather than copied: a large register reads a million strings.
    pub fn from_value(index: usize, value: Value) -> Option<Process> {
        let Value::Object(object) = value else {
            return None;
        };
        let mut process = Process {
            index,
            ..Process::default()
        };
        let (mut id, mut name) = (None, None);
        for (key, value) in object {
            match key.as_str() {
                "id" => id = text(value),
                "name" => name = text(value),
                "description" => process.description = text(value),
                "owner" => process.owner = text(value),
                "category" => process.category = text(value),
                "parent" => process.parent = text(value),
                "status" => {
                    process.status = match value.as_str() {
                        Some("draft") => Status::Draft,
                        Some("retired") => Status::Retired,
                        _ => Status::Active,
                    }
                }
                "activities" => {
                    process.has_activities_field = value.is_array();
                    process.activities = list(value);
                }
                "inputs" => process.inputs = list(value),
                "outputs" => process.outputs = list(value),
                "frameworks" => process.frameworks = list(value),
                "tags" => process.tags = list(value),
                "maps_to" => process.maps_to = declared_mappings(value),
                _ => {}
            }
        }
        process.id = id?;
        process.name = name?;
        Some(process)
    }
}

/// A string field, trimmed; `None` when it is not a string or is blank.
fn text(value: Value) -> Option<String> {
    let Value::String(text) = value else {
        return None;
    };
    let trimmed = text.trim();
    if trimmed.is_empty() {
        None
    } else if trimmed.len() == text.len() {
        Some(text)
    } else {
        Some(trimmed.to_owned())
    }
}

/// The non-blank strings of a list field, trimmed.
fn list(value: Value) -> Vec<String> {
    let Value::Array(items) = value else {
        return Vec::new();
    };
    items.into_iter().filter_map(text).collect()
}

/// The `maps_to` entries that name a PRM process and a known relationship.
fn declared_mappings(value: Value) -> Vec<DeclaredMapping> {
    let Value::Array(items) = value else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let prm = item.get("prm")?.as_str()?.trim().to_owned();
            let relationship = Relationship::parse(item.get("relationship")?.as_str()?)?;
            let note = item.get("note").and_then(Value::as_str).map(str::to_owned);
            Some(DeclaredMapping {
                prm,
                relationship,
                note,
            })
        })
        .collect()
}

/// Register metadata.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Metadata {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exported: Option<String>,
}

impl Metadata {
    pub fn from_value(value: &Value) -> Metadata {
        let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
        Metadata {
            organisation: text("organisation"),
            version: text("version"),
            source: text("source"),
            exported: text("exported"),
        }
    }
}

/// A loaded register: metadata and the processes that could be read.
#[derive(Debug, Clone, Default)]
pub struct Register {
    pub metadata: Metadata,
    pub processes: Vec<Process>,
    /// Number of entries in `processes`, including ones that could not be read.
    pub entries: usize,
}
