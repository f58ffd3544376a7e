//! `prmlint diff`: what a change to a register changes in coverage and findings, for a
//! pull request. Text, JSON and a Markdown body for a pull-request comment.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

use super::markdown::{escape, message};
use super::terminal_safe;
use crate::analysis::{Analysis, CoverageStatus};
use crate::diag::finding::{Finding, Severity};
use crate::load::Document;
use crate::mapping::{Knowledge, ProcessMapping};
use crate::project::baseline::Key;
use crate::source::register::Process;

/// One version of the register, checked.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    pub document: &'a Document,
    pub results: &'a [ProcessMapping],
    pub analysis: &'a Analysis,
    pub findings: &'a [Finding],
}

/// A process by id and name.
#[derive(Debug, Serialize)]
pub struct ProcessRef<'a> {
    pub id: &'a str,
    pub name: &'a str,
}

/// A process whose name changed under the same id, or whose id changed with the same content.
#[derive(Debug, Serialize)]
pub struct Renamed<'a> {
    pub before_id: &'a str,
    pub after_id: &'a str,
    pub before_name: &'a str,
    pub after_name: &'a str,
}

/// A process whose best mapping changed.
#[derive(Debug, Serialize)]
pub struct Remapped<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub before: String,
    pub after: String,
}

/// A PRM process whose coverage status changed.
#[derive(Debug, Serialize)]
pub struct CoverageChange<'a> {
    pub prm: &'a str,
    pub name: &'a str,
    pub before: &'static str,
    pub after: &'static str,
    /// Whether it got worse (covered to adaptable or missing, adaptable to missing).
    pub dropped: bool,
    pub before_processes: &'a [String],
    pub after_processes: &'a [String],
}

/// A finding in the machine output of the diff.
#[derive(Debug, Serialize)]
pub struct FindingRef<'a> {
    pub code: &'static str,
    pub severity: Severity,
    pub message: &'a str,
    pub processes: &'a [String],
    pub prm: Option<&'a str>,
}

/// Everything that changed.
#[derive(Debug, Serialize)]
pub struct RegisterDiff<'a> {
    pub base: &'a str,
    pub head: &'a str,
    pub added: Vec<ProcessRef<'a>>,
    pub removed: Vec<ProcessRef<'a>>,
    pub renamed: Vec<Renamed<'a>>,
    pub remapped: Vec<Remapped<'a>>,
    pub coverage: Vec<CoverageChange<'a>>,
    pub new_findings: Vec<FindingRef<'a>>,
    pub fixed_findings: Vec<FindingRef<'a>>,
}

fn rank(status: CoverageStatus) -> u8 {
    match status {
        CoverageStatus::Missing => 0,
        CoverageStatus::Adaptable => 1,
        CoverageStatus::Covered => 2,
    }
}

/// What a process maps onto, in a few words: `incident-management (equal)`, `control area
/// backup`, `umbrella`, `nothing`.
fn mapping_label(result: &ProcessMapping) -> String {
    if result.umbrella {
        return "umbrella".to_owned();
    }
    if let Some(area) = &result.control_area {
        return format!("control area {area}");
    }
    result.best().map_or_else(
        || "nothing".to_owned(),
        |m| format!("{} ({})", m.prm, m.relationship.as_str()),
    )
}

fn finding_ref(finding: &Finding) -> FindingRef<'_> {
    FindingRef {
        code: finding.code.as_str(),
        severity: finding.severity,
        message: &finding.message,
        processes: &finding.processes,
        prm: finding.prm.as_deref(),
    }
}

/// A finding's key with its process ids renamed (`renames`: old id to new id).
fn key(finding: &Finding, renames: &BTreeMap<&str, &str>) -> Key {
    let mut key = Key::of(finding);
    for id in &mut key.processes {
        if let Some(new) = renames.get(id.as_str()) {
            *id = (*new).to_owned();
        }
    }
    key.processes.sort();
    key
}

/// The findings of `a` that `b` does not have, matched by rule, PRM process and processes (not
/// by place or wording; a renumbered process counts as the same), as many times as they occur.
fn only_in<'a>(
    a: (&'a [Finding], &BTreeMap<&str, &str>),
    b: (&[Finding], &BTreeMap<&str, &str>),
) -> Vec<FindingRef<'a>> {
    let mut left: BTreeMap<Key, usize> = BTreeMap::new();
    for finding in b.0 {
        *left.entry(key(finding, b.1)).or_default() += 1;
    }
    a.0.iter()
        .filter(|finding| match left.get_mut(&key(finding, a.1)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .map(finding_ref)
        .collect()
}

/// Same content: name, description and activities.
fn same_content(a: &Process, b: &Process) -> bool {
    a.name == b.name && a.description == b.description && a.activities == b.activities
}

impl<'a> RegisterDiff<'a> {
    pub fn of(base: Side<'a>, head: Side<'a>, knowledge: &'a Knowledge) -> Self {
        let (added, removed, mut renamed) = added_and_removed(
            &base.document.register.processes,
            &head.document.register.processes,
        );
        let remapped = changed_in_place(base, head, &mut renamed);
        let coverage = coverage_changes(base.analysis, head.analysis, knowledge);
        // Base findings name processes by their old ids.
        let renames: BTreeMap<&str, &str> = renamed
            .iter()
            .filter(|r| r.before_id != r.after_id)
            .map(|r| (r.before_id, r.after_id))
            .collect();
        let none = BTreeMap::new();
        let process_ref = |p: &'a Process| ProcessRef {
            id: &p.id,
            name: &p.name,
        };
        RegisterDiff {
            base: &base.document.source.name,
            head: &head.document.source.name,
            added: added.into_iter().map(process_ref).collect(),
            removed: removed.into_iter().map(process_ref).collect(),
            renamed,
            remapped,
            coverage,
            new_findings: only_in((head.findings, &none), (base.findings, &renames)),
            fixed_findings: only_in((base.findings, &renames), (head.findings, &none)),
        }
    }

    /// Whether any PRM process lost coverage.
    pub fn coverage_dropped(&self) -> bool {
        self.coverage.iter().any(|c| c.dropped)
    }

    /// Whether nothing changed that the diff reports.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.renamed.is_empty()
            && self.remapped.is_empty()
            && self.coverage.is_empty()
            && self.new_findings.is_empty()
            && self.fixed_findings.is_empty()
    }
}

/// The processes only `after` has (added) and only `before` has (removed), by id; a removed
/// and an added process with the same content are a renumbering instead.
fn added_and_removed<'a>(
    before: &'a [Process],
    after: &'a [Process],
) -> (Vec<&'a Process>, Vec<&'a Process>, Vec<Renamed<'a>>) {
    let has = |list: &[Process], id: &str| list.iter().any(|p| p.id == id);
    let mut added: Vec<&'a Process> = after.iter().filter(|p| !has(before, &p.id)).collect();
    let mut removed: Vec<&'a Process> = before.iter().filter(|p| !has(after, &p.id)).collect();
    let mut renamed = Vec::new();
    // A new id for the same content is a renumbering, not a removal and an addition.
    removed.retain(|old| {
        let Some(i) = added.iter().position(|new| same_content(old, new)) else {
            return true;
        };
        let new = added.remove(i);
        renamed.push(Renamed {
            before_id: &old.id,
            after_id: &new.id,
            before_name: &old.name,
            after_name: &new.name,
        });
        false
    });
    (added, removed, renamed)
}

/// The processes both versions have under the same id: those renamed go to `renamed`; those
/// whose best mapping changed are returned.
fn changed_in_place<'a>(
    base: Side<'a>,
    head: Side<'a>,
    renamed: &mut Vec<Renamed<'a>>,
) -> Vec<Remapped<'a>> {
    let before = &base.document.register.processes;
    let after = &head.document.register.processes;
    let mut remapped = Vec::new();
    for (j, new) in after.iter().enumerate() {
        let Some(i) = before.iter().position(|p| p.id == new.id) else {
            continue;
        };
        let old = &before[i];
        if old.name != new.name {
            renamed.push(Renamed {
                before_id: &old.id,
                after_id: &new.id,
                before_name: &old.name,
                after_name: &new.name,
            });
        }
        let (was, is) = (
            base.results.get(i).map(mapping_label),
            head.results.get(j).map(mapping_label),
        );
        if was != is {
            remapped.push(Remapped {
                id: &new.id,
                name: &new.name,
                before: was.unwrap_or_default(),
                after: is.unwrap_or_default(),
            });
        }
    }
    remapped
}

/// The PRM processes whose coverage status changed, in the order of the head's analysis.
fn coverage_changes<'a>(
    base: &'a Analysis,
    head: &'a Analysis,
    knowledge: &'a Knowledge,
) -> Vec<CoverageChange<'a>> {
    head.coverage
        .iter()
        .filter_map(|now| {
            let then = base.coverage.iter().find(|c| c.prm == now.prm)?;
            (then.status != now.status).then(|| CoverageChange {
                prm: &now.prm,
                name: knowledge
                    .model
                    .processes
                    .iter()
                    .find(|p| p.id == now.prm)
                    .map_or("", |p| p.name.as_str()),
                before: then.status.as_str(),
                after: now.status.as_str(),
                dropped: rank(now.status) < rank(then.status),
                before_processes: &then.processes,
                after_processes: &now.processes,
            })
        })
        .collect()
}

/// The diff for people.
pub fn write_text(out: &mut dyn Write, diff: &RegisterDiff<'_>) -> std::io::Result<()> {
    let t = terminal_safe;
    writeln!(out, "prmlint diff: {} -> {}", t(diff.base), t(diff.head))?;
    if diff.is_empty() {
        return writeln!(
            out,
            "\nNo change in processes, mappings, coverage or findings."
        );
    }
    writeln!(
        out,
        "\nProcesses: {} added, {} removed, {} renamed, {} remapped",
        diff.added.len(),
        diff.removed.len(),
        diff.renamed.len(),
        diff.remapped.len()
    )?;
    for p in &diff.added {
        writeln!(out, "  + {} {}", t(p.id), t(p.name))?;
    }
    for p in &diff.removed {
        writeln!(out, "  - {} {}", t(p.id), t(p.name))?;
    }
    for r in &diff.renamed {
        writeln!(
            out,
            "  ~ {} {} -> {} {}",
            t(r.before_id),
            t(r.before_name),
            t(r.after_id),
            t(r.after_name)
        )?;
    }
    for m in &diff.remapped {
        writeln!(
            out,
            "  > {} {}: {} -> {}",
            t(m.id),
            t(m.name),
            m.before,
            m.after
        )?;
    }
    let dropped = diff.coverage.iter().filter(|c| c.dropped).count();
    writeln!(
        out,
        "\nCoverage: {dropped} dropped, {} improved",
        diff.coverage.len() - dropped
    )?;
    for c in &diff.coverage {
        writeln!(
            out,
            "  {} {} ({}): {} -> {}{}",
            if c.dropped { "v" } else { "^" },
            c.prm,
            c.name,
            c.before,
            c.after,
            processes_note(c, t)
        )?;
    }
    writeln!(
        out,
        "\nFindings: {} new, {} fixed",
        diff.new_findings.len(),
        diff.fixed_findings.len()
    )?;
    for (mark, list) in [("+", &diff.new_findings), ("-", &diff.fixed_findings)] {
        for f in list {
            writeln!(
                out,
                "  {mark} {:<7} [{}] {}",
                f.severity.as_str(),
                f.code,
                t(f.message)
            )?;
        }
    }
    Ok(())
}

/// " (was P-1, P-2; now P-3)": the processes behind the change.
fn processes_note(c: &CoverageChange<'_>, show: impl Fn(&str) -> String) -> String {
    let list = |ids: &[String]| {
        if ids.is_empty() {
            "none".to_owned()
        } else {
            show(&ids.join(", "))
        }
    };
    format!(
        " (was {}; now {})",
        list(c.before_processes),
        list(c.after_processes)
    )
}

/// The diff as a pull-request comment.
pub fn write_markdown(out: &mut dyn Write, diff: &RegisterDiff<'_>) -> std::io::Result<()> {
    let e = escape;
    writeln!(out, "## prmlint diff\n")?;
    writeln!(out, "{} → {}\n", e(diff.base), e(diff.head))?;
    if diff.is_empty() {
        return writeln!(
            out,
            "No change in processes, mappings, coverage or findings."
        );
    }
    let dropped: Vec<&CoverageChange<'_>> = diff.coverage.iter().filter(|c| c.dropped).collect();
    if dropped.is_empty() {
        writeln!(out, "✅ No PRM process loses coverage.\n")?;
    } else {
        writeln!(
            out,
            "❌ **{} PRM process(es) lose coverage.**\n",
            dropped.len()
        )?;
    }
    if !diff.coverage.is_empty() {
        writeln!(out, "### Coverage\n")?;
        writeln!(out, "| PRM process | Before | After | Processes |")?;
        writeln!(out, "|---|---|---|---|")?;
        for c in &diff.coverage {
            writeln!(
                out,
                "| {} {}: {} | {} | {} | {} |",
                if c.dropped { "🔻" } else { "🔺" },
                c.prm,
                e(c.name),
                c.before,
                c.after,
                processes_note(c, e).trim_start()
            )?;
        }
        writeln!(out)?;
    }
    let changes = diff.added.len() + diff.removed.len() + diff.renamed.len() + diff.remapped.len();
    if changes > 0 {
        writeln!(out, "### Processes\n")?;
        for p in &diff.added {
            writeln!(out, "- added: {} {}", e(p.id), e(p.name))?;
        }
        for p in &diff.removed {
            writeln!(out, "- removed: {} {}", e(p.id), e(p.name))?;
        }
        for r in &diff.renamed {
            writeln!(
                out,
                "- renamed: {} {} → {} {}",
                e(r.before_id),
                e(r.before_name),
                e(r.after_id),
                e(r.after_name)
            )?;
        }
        for m in &diff.remapped {
            writeln!(
                out,
                "- remapped: {} {}: {} → {}",
                e(m.id),
                e(m.name),
                e(&m.before),
                e(&m.after)
            )?;
        }
        writeln!(out)?;
    }
    for (title, list) in [
        ("New findings", &diff.new_findings),
        ("Fixed findings", &diff.fixed_findings),
    ] {
        if list.is_empty() {
            continue;
        }
        writeln!(out, "### {title} ({})\n", list.len())?;
        for f in list.iter() {
            writeln!(
                out,
                "- **{}** `{}`: {}",
                f.severity.as_str(),
                f.code,
                message(f.message)
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}
