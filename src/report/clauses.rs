//! The ISO/IEC 27001:2022 clause matrix: every clause 4.1-10.2 and Annex A control that the PRM
//! processes and the control areas reach, with the register processes that implement it,
//! through which PRM process or control area, and its status. One view that the text, JSON,
//! CSV, Markdown and HTML writers share.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

use super::run::CheckRun;
use super::terminal_safe;
use crate::analysis::CoverageStatus;
use crate::i18n::Translator;
use crate::source::register::{Relationship, Status};
use crate::tr;

/// A management-system clause (4.1-10.2) or an Annex A control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Clause,
    Control,
}

/// How far a clause is met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ClauseStatus {
    /// Every PRM process and control area that implements the clause is covered by a
    /// process (an equal or superset process for a PRM process, an active process running
    /// the control area).
    Covered,
    /// Processes only contribute: they overlap the PRM process (adaptable), or the PRM process
    /// only contributes to the clause.
    Partly,
    /// No register process reaches it.
    None,
}

impl ClauseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ClauseStatus::Covered => "covered",
            ClauseStatus::Partly => "partly",
            ClauseStatus::None => "none",
        }
    }

    /// The status in the report's language.
    pub fn word(self, w: &Translator) -> String {
        match self {
            ClauseStatus::Covered => w.word("clauses.status-covered"),
            ClauseStatus::Partly => w.word("clauses.status-partly"),
            ClauseStatus::None => w.word("clauses.status-none"),
        }
    }
}

/// What a register process does for a clause, and through what.
#[derive(Debug, Clone, Serialize)]
pub struct Implementer<'a> {
    pub process: &'a str,
    pub name: &'a str,
    /// The PRM process or control area it goes through.
    pub via: &'a str,
    /// `prm` or `control-area`.
    pub via_kind: &'static str,
    /// Whether the PRM process implements the clause (`primary`) or contributes (`partial`);
    /// a control area implements its controls.
    pub reach: &'static str,
    /// The process's relationship to the PRM process (none for a control area).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relationship: Option<Relationship>,
    /// Whether this process covers the clause's share of its PRM process or control area
    /// (the clause is covered when every one that implements it is).
    pub covers: bool,
}

/// One row of the matrix.
#[derive(Debug, Clone, Serialize)]
pub struct ClauseRow<'a> {
    /// "9.2" or "5.24".
    #[serde(rename = "ref")]
    pub reference: &'a str,
    pub kind: Kind,
    pub status: ClauseStatus,
    /// The PRM processes and control areas that reach it, whether the register runs them or not.
    pub through: Vec<&'a str>,
    pub implementers: Vec<Implementer<'a>>,
    /// Those of `through` that no register process runs: where the gap is.
    pub unrun: Vec<&'a str>,
    /// Those of `through` that implement it (the rest only contribute).
    pub primary: Vec<&'a str>,
}

/// Order clause numbers as numbers: 9.2 < 9.2.1 < 9.3 < 10.1.
fn numeric(reference: &str) -> Vec<u32> {
    reference
        .split('.')
        .map(|n| n.parse().unwrap_or(u32::MAX))
        .collect()
}

/// The matrix: clauses first, then Annex A controls, each in numeric order.
pub fn matrix<'a>(run: &CheckRun<'a>) -> Vec<ClauseRow<'a>> {
    let k = run.knowledge;
    let mut names: BTreeMap<&str, &str> = BTreeMap::new();
    for process in run.documents.iter().flat_map(|d| &d.register.processes) {
        names
            .entry(process.id.as_str())
            .or_insert(process.name.as_str());
    }
    let mut rows: BTreeMap<(Kind, Vec<u32>), ClauseRow<'a>> = BTreeMap::new();
    let mut reach: Vec<(Kind, &'a str, &'a str, &'static str)> = Vec::new();
    for prm in &k.model.processes {
        for (kind, clauses) in [(Kind::Clause, &prm.iso27001), (Kind::Control, &prm.annex_a)] {
            for c in &clauses.primary {
                reach.push((kind, c.as_str(), prm.id.as_str(), "primary"));
            }
            for c in &clauses.partial {
                reach.push((kind, c.as_str(), prm.id.as_str(), "partial"));
            }
        }
    }
    for area in &k.control_areas {
        for c in &area.annex_a {
            reach.push((Kind::Control, c.as_str(), area.id.as_str(), "primary"));
        }
    }
    for (kind, reference, via, how) in reach {
        let row = rows
            .entry((kind, numeric(reference)))
            .or_insert_with(|| ClauseRow {
                reference,
                kind,
                status: ClauseStatus::None,
                through: Vec::new(),
                implementers: Vec::new(),
                unrun: Vec::new(),
                primary: Vec::new(),
            });
        if !row.through.contains(&via) {
            row.through.push(via);
        }
        if how == "primary" && !row.primary.contains(&via) {
            row.primary.push(via);
        }
        let found = implementers(run, &names, via, how);
        if found.is_empty() && !row.unrun.contains(&via) {
            row.unrun.push(via);
        }
        row.implementers.extend(found);
    }
    let mut rows: Vec<ClauseRow<'a>> = rows.into_values().collect();
    for row in &mut rows {
        // Covered only when every PRM process and control area that implements the clause is
        // covered: 8.1 needs incident, change, supplier and implementation management alike.
        let covered = |via: &&str| row.implementers.iter().any(|i| i.via == *via && i.covers);
        row.status = if !row.primary.is_empty() && row.primary.iter().all(covered) {
            ClauseStatus::Covered
        } else if row.implementers.is_empty() {
            ClauseStatus::None
        } else {
            ClauseStatus::Partly
        };
    }
    rows
}

/// The register processes that reach a clause through one PRM process or control area.
fn implementers<'a>(
    run: &CheckRun<'a>,
    names: &BTreeMap<&'a str, &'a str>,
    via: &'a str,
    reach: &'static str,
) -> Vec<Implementer<'a>> {
    let name = |id: &str| names.get(id).copied().unwrap_or_default();
    if let Some(coverage) = run.analysis.coverage.iter().find(|c| c.prm == via) {
        return coverage
            .contributions
            .iter()
            .filter_map(|c| {
                let (&process, _) = names.get_key_value(c.process.as_str())?;
                Some(Implementer {
                    process,
                    name: name(process),
                    via,
                    via_kind: "prm",
                    reach,
                    relationship: Some(c.relationship),
                    covers: reach == "primary"
                        && coverage.status == CoverageStatus::Covered
                        && matches!(c.relationship, Relationship::Equal | Relationship::Superset),
                })
            })
            .collect();
    }
    // A control area: the active processes that run it.
    crate::mapping::mapped(run.documents, run.results)
        .map(|m| (m.process, m.result))
        .filter(|(p, r)| p.status == Status::Active && r.control_area.as_deref() == Some(via))
        .map(|(p, _)| Implementer {
            process: p.id.as_str(),
            name: p.name.as_str(),
            via,
            via_kind: "control-area",
            reach,
            relationship: None,
            covers: true,
        })
        .collect()
}

impl Implementer<'_> {
    /// "(governance-interface, primary, subset)": the way it reaches the clause.
    pub fn how(&self, w: &Translator) -> String {
        let reach = if self.reach == "primary" {
            w.word("clauses.reach-primary")
        } else {
            w.word("clauses.reach-partial")
        };
        match self.relationship {
            Some(r) => format!("{}, {reach}, {}", self.via, r.as_str()),
            None => format!("{}, {}", self.via, w.word("clauses.control-area")),
        }
    }
}

/// Counts per status of the rows of one kind: `(covered, partly, none)`.
pub fn counts(rows: &[ClauseRow<'_>], kind: Kind) -> (usize, usize, usize) {
    let of = |status| {
        rows.iter()
            .filter(|r| r.kind == kind && r.status == status)
            .count()
    };
    (
        of(ClauseStatus::Covered),
        of(ClauseStatus::Partly),
        of(ClauseStatus::None),
    )
}

/// `check --format clauses`: the matrix for people.
pub fn write_text(out: &mut dyn Write, run: &CheckRun<'_>) -> std::io::Result<()> {
    let w = run.words;
    let rows = matrix(run);
    // The status column fits the longest status word of the language (8 wide at least).
    let width = [
        ClauseStatus::Covered,
        ClauseStatus::Partly,
        ClauseStatus::None,
    ]
    .iter()
    .map(|s| s.word(w).chars().count())
    .max()
    .unwrap_or(0)
    .max(8);
    // As wide as the reference and status columns of a row.
    let continued = " ".repeat(2 + 8 + 1 + width);
    for (kind, title) in [
        (Kind::Clause, w.word("clauses.heading")),
        (Kind::Control, w.word("clauses.heading-controls")),
    ] {
        let (covered, partly, none) = counts(&rows, kind);
        let counts = tr!(
            w,
            "clauses.counts",
            covered = covered,
            partly = partly,
            none = none
        );
        let line = tr!(w, "clauses.reached", title = title, counts = counts);
        writeln!(out, "{line}\n")?;
        for row in rows.iter().filter(|r| r.kind == kind) {
            let status = row.status.word(w);
            let head = format!("  {:<8} {status:<width$}", row.reference);
            let mut lines: Vec<String> = row
                .implementers
                .iter()
                .map(|i| {
                    format!(
                        "{} {} ({})",
                        terminal_safe(i.process),
                        terminal_safe(i.name),
                        i.how(w)
                    )
                })
                .collect();
            if !row.unrun.is_empty() {
                lines.push(tr!(
                    w,
                    "clauses.no-process-runs",
                    ids = row.unrun.join(", ")
                ));
            }
            for (i, line) in lines.iter().enumerate() {
                let lead = if i == 0 { head.as_str() } else { &continued };
                writeln!(out, "{lead} {line}")?;
            }
        }
        writeln!(out)?;
    }
    Ok(())
}
