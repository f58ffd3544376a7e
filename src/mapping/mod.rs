//! Mapping register processes onto the PRM: normalise the process's text, retrieve candidate
//! reference phrases through a token index, score them, and turn the best into PRM mappings
//! with their evidence.

mod matcher;
pub mod typo;
mod vocab;

use serde::Serialize;

use crate::source::register::Relationship;

pub use prmlint_reference::{knowledge, text};

pub use self::knowledge::{Knowledge, cue_text, find_cue};
pub use self::matcher::{Mapper, MapperIndex, Thresholds};

/// Where a mapping comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// The register declares it in `maps_to`.
    Declared,
    /// A curated catalogue entry (ITIL, COBIT, ...) links the process to the PRM process.
    Crosswalk,
    /// Names, aliases, keywords and activities of the PRM process match the process.
    Fuzzy,
}

/// One PRM process a register process maps onto.
#[derive(Debug, Clone, Serialize)]
pub struct Mapping {
    pub prm: String,
    pub relationship: Relationship,
    /// Confidence in [0, 1], rounded to two decimals.
    pub score: f64,
    pub source: Source,
    /// Short reasons a reader can follow.
    pub evidence: Vec<String>,
    /// Ids of the PRM process's activities the register process shows no evidence of.
    pub missing_activities: Vec<String>,
    /// The relationship the register declared, when it declared one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared: Option<Relationship>,
}

/// The result of mapping one register process.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ProcessMapping {
    /// Best first.
    pub mappings: Vec<Mapping>,
    /// Id of the control area the process belongs to, when it is one.
    pub control_area: Option<String>,
    /// Evidence for the control area.
    pub control_area_evidence: Vec<String>,
    /// The process spans most of the ISMS ("ISMS", "Security management").
    pub umbrella: bool,
    /// The process's name or description says it is about (information) security.
    pub security_specific: bool,
    /// Why a process maps onto nothing, when the reason is worth saying (its text is in no
    /// language or vocabulary the reference data knows).
    pub note: Option<String>,
}

impl ProcessMapping {
    /// The best mapping, if any.
    pub fn best(&self) -> Option<&Mapping> {
        self.mappings.first()
    }
}

/// One register process with its mapping result.
#[derive(Debug, Clone, Copy)]
pub struct Mapped<'a> {
    pub document: &'a crate::load::Document,
    pub process: &'a crate::source::register::Process,
    pub result: &'a ProcessMapping,
}

/// Every process of the mapped documents with its result, in register order. The results
/// come as one list per document with one entry per process ([`crate::pipeline::map_all`]);
/// this is the one place where they meet their processes again.
pub fn mapped<'a>(
    documents: &'a [crate::load::Document],
    results: &'a [Vec<ProcessMapping>],
) -> impl Iterator<Item = Mapped<'a>> + 'a {
    documents
        .iter()
        .zip(results)
        .flat_map(|(document, results)| {
            document
                .register
                .processes
                .iter()
                .zip(results)
                .map(move |(process, result)| Mapped {
                    document,
                    process,
                    result,
                })
        })
}
