//! Gap analysis: which PRM processes the register covers, which it could cover by adapting an
//! existing process, which are missing; duplicates, umbrellas, control areas and declared
//! mappings. Takes mappings in, gives coverage and findings out.

mod coverage;
mod duplicates;
mod findings;

use rayon::prelude::*;
use serde::Serialize;

use crate::diag::finding::Finding;
use crate::load::Document;
use crate::mapping::{Knowledge, Mapping, ProcessMapping};
use crate::source::register::Process;

pub use self::coverage::{CategoryFigures, Coverage, CoverageStatus, Figures};

/// Score limits of the analysis.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// A declared mapping below this score has no support.
    pub unsupported_below: f64,
    /// An undeclared mapping at or above this score is suggested.
    pub suggest_from: f64,
    /// A subset/intersects mapping at or above this score makes a PRM process adaptable.
    pub adaptable_from: f64,
    /// Mappings at or above this score can make two processes duplicates.
    pub duplicate_from: f64,
    /// A process declaring at least this many PRM processes is an umbrella.
    pub umbrella_declared: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            unsupported_below: 0.3,
            suggest_from: 0.8,
            adaptable_from: 0.6,
            duplicate_from: 0.6,
            umbrella_declared: 5,
        }
    }
}

/// One register process with what the mapping engine said about it.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub document: &'a Document,
    pub process: &'a Process,
    pub mapping: &'a ProcessMapping,
}

/// The result of the analysis.
#[derive(Debug, Serialize)]
pub struct Analysis {
    pub coverage: Vec<Coverage>,
    pub figures: Figures,
    #[serde(skip)]
    pub findings: Vec<Finding>,
}

/// Analyse mapped registers. `results[i][j]` is the mapping of process `j` of document `i`.
pub fn analyse(
    documents: &[Document],
    results: &[Vec<ProcessMapping>],
    knowledge: &Knowledge,
    settings: &Settings,
) -> Analysis {
    let entries: Vec<Entry<'_>> = crate::mapping::mapped(documents, results)
        .map(|m| Entry {
            document: m.document,
            process: m.process,
            mapping: m.result,
        })
        .collect();
    let coverage = coverage::compute(&entries, knowledge, settings);
    let figures = coverage::figures(&coverage, knowledge);
    let mut findings = Vec::new();
    findings::gaps(&coverage, &entries, documents, knowledge, &mut findings);
    duplicates::find(&entries, knowledge, settings, &mut findings);
    findings::per_process(&entries, knowledge, settings, &mut findings);
    // The PRM order is looked up once per finding, not once per comparison; both sorts are
    // stable, so the order is the same on any number of cores.
    let mut keyed: Vec<(usize, Finding)> = findings
        .into_iter()
        .map(|f| (prm_order(knowledge, &f.prm), f))
        .collect();
    keyed.par_sort_by(|(prm_a, a), (prm_b, b)| {
        (a.code, prm_a, &a.processes, &a.message).cmp(&(b.code, prm_b, &b.processes, &b.message))
    });
    Analysis {
        coverage,
        figures,
        findings: keyed.into_iter().map(|(_, f)| f).collect(),
    }
}

/// Whether a declared mapping claims more than the evidence shows: it declares coverage
/// (equal/superset), the evidence says only subset/intersects, and the process shows fewer
/// than half of the PRM process's activities.
pub(crate) fn overclaimed(mapping: &Mapping, knowledge: &Knowledge) -> bool {
    let total = knowledge
        .prm_index(&mapping.prm)
        .map_or(0, |p| knowledge.model.processes[p].activities.len());
    mapping.declared.is_some_and(|d| d.covers())
        && !mapping.relationship.covers()
        && mapping.missing_activities.len() * 2 > total
}

/// The relationship the analysis goes by: the declared one when the evidence supports it
/// (declarations are honoured), otherwise what the evidence shows.
pub(crate) fn effective_relationship(
    mapping: &Mapping,
    knowledge: &Knowledge,
    settings: &Settings,
) -> crate::source::register::Relationship {
    match mapping.declared {
        Some(declared)
            if mapping.score >= settings.unsupported_below && !overclaimed(mapping, knowledge) =>
        {
            declared
        }
        _ => mapping.relationship,
    }
}

fn prm_order(knowledge: &Knowledge, prm: &Option<String>) -> usize {
    prm.as_deref()
        .and_then(|id| knowledge.prm_index(id))
        .unwrap_or(usize::MAX)
}
