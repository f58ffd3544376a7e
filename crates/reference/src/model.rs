//! The reference model and the knowledge used to map onto it: the PRM processes, the
//! crosswalk catalogues and the control areas, as read from `mappings/`.

use serde::Deserialize;

use crate::Relationship;

/// The 17 PRM process ids of ISO/IEC TS 27022:2021, in the model's order. A stable contract:
/// reports, baselines and suppressions use them.
pub const PRM_IDS: &[&str] = &[
    "governance-interface",
    "policy-management",
    "requirements-management",
    "risk-assessment",
    "risk-treatment",
    "implementation-management",
    "outsourced-services",
    "awareness-competence",
    "incident-management",
    "change-management",
    "internal-audit",
    "performance-evaluation",
    "improvement",
    "records-control",
    "resource-management",
    "communication",
    "customer-relationship",
];

/// A term in a given language.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub text: String,
    pub lang: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Clauses {
    #[serde(default)]
    pub primary: Vec<String>,
    #[serde(default)]
    pub partial: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    pub id: String,
    pub text: String,
    #[serde(default)]
    pub terms: Vec<Term>,
}

/// One PRM process.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct PrmProcess {
    pub id: String,
    pub category: String,
    pub name: String,
    pub short_name: String,
    pub purpose: String,
    pub activities: Vec<Activity>,
    #[serde(default)]
    pub inputs: Vec<String>,
    #[serde(default)]
    pub outputs: Vec<String>,
    #[serde(default)]
    pub iso27001: Clauses,
    #[serde(default)]
    pub annex_a: Clauses,
    #[serde(default)]
    pub related_standards: Vec<String>,
    #[serde(default)]
    pub aliases: Vec<Term>,
    #[serde(default)]
    pub keywords: Vec<Term>,
}

impl PrmProcess {
    /// The ISO/IEC 27001:2022 clauses the process implements, for display: its primary clauses,
    /// or, for a process that only contributes (customer relationship), those marked "part".
    pub fn clauses_label(&self) -> String {
        if self.iso27001.primary.is_empty() {
            format!("(part) {}", self.iso27001.partial.join(", "))
        } else {
            self.iso27001.primary.join(", ")
        }
    }
}

/// The reference model file.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    #[serde(rename = "$schema", default)]
    pub schema: Option<String>,
    pub id: String,
    pub title: String,
    pub edition: String,
    pub categories: Vec<Category>,
    #[serde(default)]
    pub security_qualifiers: Vec<Term>,
    pub processes: Vec<PrmProcess>,
}

impl Model {
    /// The ids of its processes, in model order.
    pub fn process_ids(&self) -> Vec<&str> {
        self.processes.iter().map(|p| p.id.as_str()).collect()
    }

    /// What a PRM activity asks for, in words, from its id (`prm-id/activity`).
    pub fn activity_text(&self, id: &str) -> Option<&str> {
        let (prm, _) = id.split_once('/')?;
        self.processes
            .iter()
            .find(|p| p.id == prm)?
            .activities
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.text.as_str())
    }
}

/// Relationship of a catalogue entry to a PRM process, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CrosswalkRelationship {
    Equal,
    Subset,
    Superset,
    Intersects,
    None,
}

impl CrosswalkRelationship {
    pub fn relationship(self) -> Option<Relationship> {
        match self {
            CrosswalkRelationship::Equal => Some(Relationship::Equal),
            CrosswalkRelationship::Subset => Some(Relationship::Subset),
            CrosswalkRelationship::Superset => Some(Relationship::Superset),
            CrosswalkRelationship::Intersects => Some(Relationship::Intersects),
            CrosswalkRelationship::None => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Strength {
    Strong,
    Medium,
    Weak,
}

impl Strength {
    /// How much a match through this relation is worth, before name similarity.
    pub fn weight(self) -> f64 {
        match self {
            Strength::Strong => 1.0,
            Strength::Medium => 0.85,
            Strength::Weak => 0.65,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Relation {
    #[serde(default)]
    pub prm: Option<String>,
    pub relationship: CrosswalkRelationship,
    #[serde(default)]
    pub strength: Option<Strength>,
    #[serde(default)]
    pub security_variant: Option<Relationship>,
    #[serde(default)]
    pub rationale: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct CrosswalkEntry {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<Term>,
    #[serde(default)]
    pub relations: Vec<Relation>,
    #[serde(default)]
    pub umbrella: bool,
    #[serde(default)]
    pub control_area: Option<String>,
    #[serde(default = "yes")]
    pub verified: bool,
}

fn yes() -> bool {
    true
}

/// One catalogue file.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Crosswalk {
    #[serde(rename = "$schema", default)]
    pub schema: Option<String>,
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub publisher: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub languages: Vec<String>,
    pub entries: Vec<CrosswalkEntry>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct ControlArea {
    pub id: String,
    pub name: String,
    pub description: String,
    pub annex_a: Vec<String>,
    pub steered_by: Vec<String>,
    #[serde(default)]
    pub aliases: Vec<Term>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct ControlAreas {
    #[serde(rename = "$schema", default)]
    pub schema: Option<String>,
    pub areas: Vec<ControlArea>,
}

/// What a concept stands for in a process name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ConceptKind {
    /// What is done: assess, review, approve, train, report...
    Action,
    /// What it is done to: supplier, incident, change, risk, document...
    Object,
    /// A scope that narrows the object: security, privacy, quality, legal...
    Qualifier,
    /// A kind of document a process is named after: policy, guideline, standard...
    Document,
}

/// One concept and the words that express it in each supported language.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Concept {
    pub id: String,
    pub kind: ConceptKind,
    /// The English word the reference data uses for it; every term is read as this word.
    pub canonical: String,
    /// Terms by language code (`en`, `de`, `fr`, `es`, `it`, `nl`, `pt`).
    pub terms: std::collections::BTreeMap<String, Vec<String>>,
}

/// The concept lexicon (`mappings/concepts.json`): how text in each supported language is
/// read onto the vocabulary of the reference data.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Concepts {
    #[serde(rename = "$schema", default)]
    pub schema: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    pub languages: Vec<String>,
    /// Words without meaning for matching, by language, beside the built-in English and German ones.
    #[serde(default)]
    pub stop_words: std::collections::BTreeMap<String, Vec<String>>,
    pub concepts: Vec<Concept>,
    /// Words in process text that tell a parallel process from a legitimate split.
    #[serde(default)]
    pub cues: Cues,
}

/// Cues for duplicate detection, each a word or a word start (matched at the start of a word of
/// the folded text, so "escalat" finds "escalates" and "escalation"), by language.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Cues {
    /// Text saying a process runs beside another one doing the same job ("alongside",
    /// "legacy", "parallel").
    #[serde(default)]
    pub parallel: std::collections::BTreeMap<String, Vec<String>>,
    /// Text saying a process passes its work on to another one ("escalates to", "feeds"):
    /// two steps of one chain, not two processes doing one job.
    #[serde(default)]
    pub handover: std::collections::BTreeMap<String, Vec<String>>,
    /// Organisation-wide functions that share a PRM process's subject but do a different job,
    /// so they are never the twin of the security process.
    #[serde(default)]
    pub distinct: Vec<DistinctRole>,
}

/// A function with its own mandate beside a PRM process (third-line audit beside the ISMS
/// internal audit, enterprise risk management beside the security risk assessment).
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct DistinctRole {
    /// The PRM process whose subject it shares.
    pub prm: String,
    /// What it is, in a few words, for the report ("third-line corporate audit").
    pub role: String,
    /// Terms by language, matched like cues.
    pub terms: std::collections::BTreeMap<String, Vec<String>>,
}
