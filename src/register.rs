//! The register model: what prmlint knows about an organisation's processes once loaded.

use serde::Serialize;
use serde_json::Value;

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

/// Set-theory relationship after NIST IR 8477, read as "A is <relationship> B".
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Relationship {
    Equal,
    Superset,
    Subset,
    Intersects,
}

impl Relationship {
    pub fn as_str(self) -> &'static str {
        match self {
            Relationship::Equal => "equal",
            Relationship::Superset => "superset",
            Relationship::Subset => "subset",
            Relationship::Intersects => "intersects",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "equal" => Some(Relationship::Equal),
            "superset" => Some(Relationship::Superset),
            "subset" => Some(Relationship::Subset),
            "intersects" => Some(Relationship::Intersects),
            _ => None,
        }
    }

    /// Whether a process with this relationship fully covers the PRM process.
    pub fn covers(self) -> bool {
        matches!(self, Relationship::Equal | Relationship::Superset)
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
    /// value without a usable `id` and `name` gives `None`; the schema check reports why.
    pub fn from_value(index: usize, value: &Value) -> Option<Process> {
        let object = value.as_object()?;
        let text = |key: &str| {
            object
                .get(key)
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let list = |key: &str| -> Vec<String> {
            object
                .get(key)
                .and_then(Value::as_array)
                .map(|items| {
                    items
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default()
        };
        let id = text("id")?;
        let name = text("name")?;
        let status = match object.get("status").and_then(Value::as_str) {
            Some("draft") => Status::Draft,
            Some("retired") => Status::Retired,
            _ => Status::Active,
        };
        let maps_to = object
            .get("maps_to")
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|item| {
                        let prm = item.get("prm")?.as_str()?.trim().to_owned();
                        let relationship =
                            Relationship::parse(item.get("relationship")?.as_str()?)?;
                        let note = item.get("note").and_then(Value::as_str).map(str::to_owned);
                        Some(DeclaredMapping {
                            prm,
                            relationship,
                            note,
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        Some(Process {
            index,
            id,
            name,
            description: text("description"),
            owner: text("owner"),
            category: text("category"),
            status,
            parent: text("parent"),
            activities: list("activities"),
            inputs: list("inputs"),
            outputs: list("outputs"),
            frameworks: list("frameworks"),
            maps_to,
            tags: list("tags"),
            has_activities_field: object.get("activities").is_some_and(Value::is_array),
        })
    }
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
