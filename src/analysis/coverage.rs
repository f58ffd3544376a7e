//! Coverage of each PRM process, and the figures that sum it up.

use rayon::prelude::*;
use serde::Serialize;

use super::{Entry, Settings};
use crate::mapping::{Knowledge, Mapping};
use crate::source::register::{Relationship, Status};

/// How far the register covers one PRM process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CoverageStatus {
    /// An active process is equal to it or a superset of it.
    Covered,
    /// Active processes overlap it (subset or intersects) and could be adapted.
    Adaptable,
    /// Nothing covers it or could be adapted.
    Missing,
}

impl CoverageStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CoverageStatus::Covered => "covered",
            CoverageStatus::Adaptable => "adaptable",
            CoverageStatus::Missing => "missing",
        }
    }

    /// The status in the report's language.
    pub fn word(self, w: &crate::i18n::Translator) -> String {
        match self {
            CoverageStatus::Covered => w.word("status.covered"),
            CoverageStatus::Adaptable => w.word("status.adaptable"),
            CoverageStatus::Missing => w.word("status.missing"),
        }
    }
}

/// A register process's contribution to a PRM process.
#[derive(Debug, Clone, Serialize)]
pub struct Contribution {
    pub process: String,
    pub relationship: Relationship,
    pub score: f64,
    /// PRM activities the process shows no evidence of.
    pub missing_activities: Vec<String>,
}

/// Coverage of one PRM process.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    pub prm: String,
    pub category: String,
    pub status: CoverageStatus,
    /// Register ids that cover it (covered) or could be adapted (adaptable), best first.
    pub processes: Vec<String>,
    /// The same, with relationship, score and missing activities.
    pub contributions: Vec<Contribution>,
    /// Draft or retired processes that map onto it; they do not count.
    pub inactive: Vec<String>,
    /// Umbrella processes that claim it; they do not count.
    pub umbrellas: Vec<String>,
}

/// Counts and ratios for a set of PRM processes.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CategoryFigures {
    pub total: usize,
    pub covered: usize,
    pub adaptable: usize,
    pub missing: usize,
    /// `covered / total`.
    pub covered_ratio: f64,
    /// `(covered + adaptable / 2) / total`: an adaptable process counts as half covered.
    pub weighted_ratio: f64,
}

impl CategoryFigures {
    fn add(&mut self, status: CoverageStatus) {
        self.total += 1;
        match status {
            CoverageStatus::Covered => self.covered += 1,
            CoverageStatus::Adaptable => self.adaptable += 1,
            CoverageStatus::Missing => self.missing += 1,
        }
    }

    fn finish(&mut self) {
        if self.total > 0 {
            let total = self.total as f64;
            self.covered_ratio = round3(self.covered as f64 / total);
            self.weighted_ratio =
                round3((self.covered as f64 + 0.5 * self.adaptable as f64) / total);
        }
    }
}

/// Overall and per-category figures.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Figures {
    pub overall: CategoryFigures,
    /// In the model's category order.
    pub categories: Vec<(String, CategoryFigures)>,
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Whether a mapping can count for coverage at all.
fn counts(mapping: &Mapping, settings: &Settings) -> bool {
    mapping.declared.is_none() || mapping.score >= settings.unsupported_below
}

pub(super) fn compute(
    entries: &[Entry<'_>],
    knowledge: &Knowledge,
    settings: &Settings,
) -> Vec<Coverage> {
    // Each entry's mapping onto each PRM process (the first, were there two), in register
    // order: one pass over the register instead of one per PRM process.
    let mut by_prm: Vec<Vec<(&Entry<'_>, &Mapping)>> =
        vec![Vec::new(); knowledge.model.processes.len()];
    for entry in entries {
        let mappings = &entry.mapping.mappings;
        for (i, mapping) in mappings.iter().enumerate() {
            let first = mappings[..i].iter().all(|m| m.prm != mapping.prm);
            if let (true, Some(prm)) = (first, knowledge.prm_index(&mapping.prm)) {
                by_prm[prm].push((entry, mapping));
            }
        }
    }
    // The PRM processes on all cores (the incident or risk process may gather tens of
    // thousands of contributions); the indexed `collect` keeps the model's order.
    knowledge
        .model
        .processes
        .par_iter()
        .zip(by_prm)
        .map(|(prm, mapped)| {
            let mut covering = Vec::new();
            let mut adapting = Vec::new();
            let mut inactive = Vec::new();
            let mut umbrellas = Vec::new();
            for (entry, mapping) in mapped {
                if entry.mapping.umbrella {
                    umbrellas.push(entry.process.id.clone());
                    continue;
                }
                // A control-area process counts only through a mapping its name supports
                // (declared mappings of control areas need the same evidence).
                if entry.mapping.control_area.is_some()
                    && mapping.source == crate::mapping::Source::Declared
                    && mapping.score < 0.8
                {
                    continue;
                }
                if !counts(mapping, settings) {
                    continue;
                }
                if entry.process.status != Status::Active {
                    inactive.push(entry.process.id.clone());
                    continue;
                }
                let relationship = super::effective_relationship(mapping, knowledge, settings);
                let contribution = Contribution {
                    process: entry.process.id.clone(),
                    relationship,
                    score: mapping.score,
                    missing_activities: mapping.missing_activities.clone(),
                };
                if relationship.covers() {
                    covering.push(contribution);
                } else if mapping.score >= settings.adaptable_from {
                    adapting.push(contribution);
                }
            }
            let best_first = |a: &Contribution, b: &Contribution| {
                b.score
                    .total_cmp(&a.score)
                    .then_with(|| a.missing_activities.len().cmp(&b.missing_activities.len()))
            };
            covering.sort_by(best_first);
            adapting.sort_by(best_first);
            let (status, contributions) = if !covering.is_empty() {
                (CoverageStatus::Covered, covering)
            } else if !adapting.is_empty() {
                (CoverageStatus::Adaptable, adapting)
            } else {
                (CoverageStatus::Missing, Vec::new())
            };
            Coverage {
                prm: prm.id.clone(),
                category: prm.category.clone(),
                status,
                processes: contributions.iter().map(|c| c.process.clone()).collect(),
                contributions,
                inactive,
                umbrellas,
            }
        })
        .collect()
}

pub(super) fn figures(coverage: &[Coverage], knowledge: &Knowledge) -> Figures {
    let mut figures = Figures::default();
    for category in &knowledge.model.categories {
        let mut figures_of = CategoryFigures::default();
        for c in coverage.iter().filter(|c| c.category == category.id) {
            figures_of.add(c.status);
        }
        figures_of.finish();
        figures.categories.push((category.id.clone(), figures_of));
    }
    for c in coverage {
        figures.overall.add(c.status);
    }
    figures.overall.finish();
    figures
}
