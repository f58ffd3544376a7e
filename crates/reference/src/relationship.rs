//! How a register process relates to a PRM process.

use serde::{Deserialize, Serialize};

/// Set-theory relationship after NIST IR 8477, read as "A is <relationship> B".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
