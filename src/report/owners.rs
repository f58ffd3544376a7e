//! The action list of `check --group-by owner`: per process owner, the findings on their
//! processes (with the activities to add), and the PRM processes nobody owns. One view that the
//! text, Markdown, HTML and CSV writers share.

use std::collections::BTreeMap;

use super::run::CheckRun;
use crate::analysis::CoverageStatus;
use crate::diag::finding::Finding;
use crate::diag::rules::Code;
use crate::i18n::{Translator, counted};
use crate::model::PrmProcess;
use crate::source::register::Process;
use crate::tr;

/// How `check` groups its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum GroupBy {
    /// By kind of finding: gaps, duplicates, reuse, umbrellas, declared mappings, control areas.
    #[default]
    Kind,
    /// By process owner: an action list per owner, then the PRM processes nobody owns.
    Owner,
}

/// The actions of one owner (or of the processes that name none).
#[derive(Debug)]
pub struct OwnerActions<'a> {
    /// The owner as the register writes it; `None` for processes without an owner.
    pub owner: Option<&'a str>,
    /// Their processes that have findings, in register order.
    pub processes: Vec<ProcessActions<'a>>,
}

impl OwnerActions<'_> {
    /// "Owner: NAME" or "Processes without an owner", the name made safe by `show`.
    pub fn title(&self, show: impl Fn(&str) -> String, w: &Translator) -> String {
        self.owner.map_or_else(
            || w.word("owners.without-owner"),
            |o| tr!(w, "owners.owner", owner = show(o)),
        )
    }

    /// The title with the counts: "Owner: NAME (2 process(es), 3 finding(s))".
    pub fn heading(&self, show: impl Fn(&str) -> String, w: &Translator) -> String {
        tr!(
            w,
            "owners.owner-counts",
            title = self.title(show, w),
            processes = counted(
                self.processes.len(),
                "count.processes.one",
                "count.processes.other"
            ),
            findings = counted(
                self.findings(),
                "count.findings.one",
                "count.findings.other"
            )
        )
    }

    /// How many findings are on their processes.
    pub fn findings(&self) -> usize {
        self.processes.iter().map(|p| p.findings.len()).sum()
    }
}

/// One process and the findings on it.
#[derive(Debug)]
pub struct ProcessActions<'a> {
    pub process: &'a Process,
    pub findings: Vec<&'a Finding>,
}

/// A PRM process that no owner answers for: missing, or covered or adaptable only by processes
/// without an owner.
#[derive(Debug)]
pub struct Unowned<'a> {
    pub prm: &'a PrmProcess,
    pub status: CoverageStatus,
    /// The register processes on it (none when missing).
    pub processes: Vec<&'a str>,
    /// Its findings that name no process (the gap itself).
    pub findings: Vec<&'a Finding>,
}

impl Unowned<'_> {
    /// "P-1, P-2 without an owner" when ownerless processes run it.
    pub fn ownerless(&self, w: &Translator) -> Option<String> {
        (!self.processes.is_empty())
            .then(|| tr!(w, "owners.ownerless", ids = self.processes.join(", ")))
    }
}

/// The whole action list.
#[derive(Debug)]
pub struct Actions<'a> {
    /// Owners in alphabetical order (case-insensitive), then the processes without an owner.
    pub owners: Vec<OwnerActions<'a>>,
    pub unowned: Vec<Unowned<'a>>,
    /// Findings that name neither a process nor an unowned PRM process (about a register file).
    pub other: Vec<&'a Finding>,
}

/// The processes a finding asks to act on: all of a duplicate group, but of a process to adapt
/// only the best candidate (the others are named in the message).
fn subjects(finding: &Finding) -> &[String] {
    match finding.code {
        Code::AdaptableProcess => &finding.processes[..finding.processes.len().min(1)],
        _ => &finding.processes,
    }
}

/// One owner as first written, and the findings on each of their processes (by position).
type Grouped<'a> = (Option<&'a str>, BTreeMap<usize, Vec<&'a Finding>>);

/// An owner's name as written, trimmed; blank is no owner.
fn owner_of(process: &Process) -> Option<&str> {
    process
        .owner
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty())
}

impl<'a> Actions<'a> {
    pub fn of(run: &CheckRun<'a>) -> Self {
        let processes: Vec<&'a Process> = run
            .documents
            .iter()
            .flat_map(|d| &d.register.processes)
            .collect();
        // The first process of each id: a finding names processes by id.
        let mut by_id: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, p) in processes.iter().enumerate() {
            by_id.entry(p.id.as_str()).or_insert(i);
        }
        // Owners compared case-insensitively, shown as first written.
        let key = |owner: Option<&str>| owner.map(str::to_lowercase);
        let mut spelling: BTreeMap<Option<String>, Option<&'a str>> = BTreeMap::new();
        for p in &processes {
            spelling.entry(key(owner_of(p))).or_insert(owner_of(p));
        }
        let mut owners: BTreeMap<Option<String>, Grouped<'a>> = BTreeMap::new();
        let mut unowned = unowned(run, &processes, &by_id);
        let mut other = Vec::new();
        for finding in run.findings {
            // Under each owner of its processes once, at the first of them that owner has.
            let mut placed: Vec<Option<String>> = Vec::new();
            for id in subjects(finding) {
                let Some(&i) = by_id.get(id.as_str()) else {
                    continue;
                };
                let owner = owner_of(processes[i]);
                if placed.contains(&key(owner)) {
                    continue;
                }
                placed.push(key(owner));
                owners
                    .entry(key(owner))
                    .or_insert_with(|| (spelling[&key(owner)], BTreeMap::new()))
                    .1
                    .entry(i)
                    .or_default()
                    .push(finding);
            }
            if !placed.is_empty() {
                continue;
            }
            // Not placed with an owner: under its PRM process when nobody owns that and the
            // finding names no process (the gap itself), otherwise with the other findings, so
            // that every finding is somewhere.
            let gap = finding
                .processes
                .is_empty()
                .then_some(())
                .and(finding.prm.as_deref());
            match gap.and_then(|prm| unowned.iter_mut().find(|u| u.prm.id == prm)) {
                Some(u) => u.findings.push(finding),
                None => other.push(finding),
            }
        }
        // `None` sorts first in a BTreeMap; the processes without an owner come last.
        let mut owners: Vec<OwnerActions<'a>> = owners
            .into_values()
            .map(|(owner, found)| OwnerActions {
                owner,
                processes: found
                    .into_iter()
                    .map(|(i, findings)| ProcessActions {
                        process: processes[i],
                        findings,
                    })
                    .collect(),
            })
            .collect();
        let without_owner = owners.first().is_some_and(|o| o.owner.is_none());
        owners.rotate_left(usize::from(without_owner));
        Actions {
            owners,
            unowned,
            other,
        }
    }
}

/// The PRM processes in model order whose coverage no owner answers for.
fn unowned<'a>(
    run: &CheckRun<'a>,
    processes: &[&'a Process],
    by_id: &BTreeMap<&str, usize>,
) -> Vec<Unowned<'a>> {
    let model = &run.knowledge.model;
    run.analysis
        .coverage
        .iter()
        .filter_map(|c| {
            let prm = model.processes.iter().find(|p| p.id == c.prm)?;
            let on: Vec<&'a str> = c
                .processes
                .iter()
                .filter_map(|id| by_id.get(id.as_str()))
                .map(|&i| processes[i].id.as_str())
                .collect();
            let owned = on
                .iter()
                .filter_map(|id| by_id.get(id))
                .any(|&i| owner_of(processes[i]).is_some());
            // A gap the configuration accepts (its `missing-process` suppressed or off) asks
            // nobody for anything.
            let accepted = c.status == CoverageStatus::Missing
                && !run
                    .findings
                    .iter()
                    .any(|f| f.code == Code::MissingProcess && f.prm.as_deref() == Some(&c.prm));
            (!accepted && (c.status == CoverageStatus::Missing || !owned)).then_some(Unowned {
                prm,
                status: c.status,
                processes: on,
                findings: Vec::new(),
            })
        })
        .collect()
}
