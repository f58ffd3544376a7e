//! The `check` report for people: diagnostics, a coverage table by category, findings grouped
//! by kind, and a one-line summary.

use std::io::Write;

use super::owners::{Actions, GroupBy};
use super::run::CheckRun;
use super::terminal_safe;
use crate::analysis::{Coverage, CoverageStatus};
use crate::diag::finding::{Finding, Severity};
use crate::diag::rules::{Code, Stage};
use crate::i18n::{Translator, counted};
use crate::tr;

/// Groups of analysis findings, in the order a reader wants them.
/// Each group is named by its catalogue key.
pub(super) const GROUPS: &[(&str, &[Code])] = &[
    (
        "group.missing",
        &[Code::MissingProcess, Code::InactiveCoverage],
    ),
    ("group.duplicates", &[Code::DuplicateProcess]),
    ("group.reuse", &[Code::AdaptableProcess]),
    ("group.umbrellas", &[Code::UmbrellaProcess]),
    (
        "group.declared",
        &[Code::UnsupportedMapping, Code::SuggestedMapping],
    ),
    ("group.control-areas", &[Code::ControlAreaProcess]),
];

/// The findings of each group of [`GROUPS`], in order, empty groups included.
pub(super) fn by_kind(findings: &[Finding]) -> impl Iterator<Item = (&'static str, Vec<&Finding>)> {
    GROUPS.iter().map(move |(title, codes)| {
        let group = findings
            .iter()
            .filter(|f| codes.contains(&f.code))
            .collect();
        (*title, group)
    })
}

/// The findings about the registers themselves (schema and hygiene), not from the analysis.
pub(super) fn register_checks(findings: &[Finding]) -> impl Iterator<Item = &Finding> {
    findings
        .iter()
        .filter(|f| f.code.info().stage != Stage::Analysis)
}

/// Write the report. `diagnostics` is the rendered schema and hygiene findings.
pub fn write(
    out: &mut dyn Write,
    run: &CheckRun<'_>,
    diagnostics: &[u8],
    fail_line: &str,
    group_by: GroupBy,
) -> std::io::Result<()> {
    write_registers(out, run)?;
    if !diagnostics.is_empty() {
        writeln!(out, "{}", run.words.word("report.register-checks"))?;
        writeln!(out)?;
        out.write_all(diagnostics)?;
    }
    write_coverage(out, run)?;
    match group_by {
        GroupBy::Owner => write_actions(out, run)?,
        GroupBy::Kind => write_groups(out, run)?,
    }
    write_summary(out, run, fail_line)
}

/// One line a register: organisation, file, entries and the model it is checked against.
fn write_registers(out: &mut dyn Write, run: &CheckRun<'_>) -> std::io::Result<()> {
    let w = run.words;
    for document in run.documents {
        let organisation = document
            .register
            .metadata
            .organisation
            .as_deref()
            .map(|o| format!("{} ", terminal_safe(o)))
            .unwrap_or_default();
        let line = tr!(
            w,
            "text.register-line",
            file = terminal_safe(&document.source.name),
            n = document.register.entries,
            model = &run.knowledge.model.title
        );
        writeln!(out, "{organisation}{line}")?;
    }
    writeln!(out)
}

/// The coverage table: each category with a line per PRM process, then the overall figures.
fn write_coverage(out: &mut dyn Write, run: &CheckRun<'_>) -> std::io::Result<()> {
    let w = run.words;
    let heading = tr!(
        w,
        "report.coverage-of",
        total = run.knowledge.model.processes.len()
    );
    writeln!(out, "{heading}")?;
    for (category, figures) in &run.analysis.figures.categories {
        let name = run.category_name(category);
        let line = super::figures_text(w, "report.category-counts", name, figures);
        writeln!(out, "\n  {line}")?;
        for coverage in run
            .analysis
            .coverage
            .iter()
            .filter(|c| &c.category == category)
        {
            write_coverage_line(out, run, coverage)?;
        }
    }
    let o = &run.analysis.figures.overall;
    let counts = super::figures_text(w, "report.prm-counts", "", o);
    let ratios = tr!(
        w,
        "report.coverage-ratios",
        covered = w.percent(o.covered_ratio),
        weighted = w.percent(o.weighted_ratio)
    );
    let overall = tr!(w, "text.overall", counts = counts, ratios = ratios);
    writeln!(out, "\n  {overall}")
}

/// A PRM process: its status, and the best process behind it or the clauses left without one.
fn write_coverage_line(
    out: &mut dyn Write,
    run: &CheckRun<'_>,
    coverage: &Coverage,
) -> std::io::Result<()> {
    let w = run.words;
    let (mark, status) = match coverage.status {
        CoverageStatus::Covered => ("[x]", w.word("status.covered")),
        CoverageStatus::Adaptable => ("[~]", w.word("status.adaptable")),
        CoverageStatus::Missing => ("[ ]", w.word("status.missing").to_uppercase()),
    };
    let by = match run.contributions(coverage, terminal_safe).next() {
        Some(best) => {
            let more = if coverage.contributions.len() > 1 {
                let more = tr!(w, "text.more", n = coverage.contributions.len() - 1);
                format!(" {more}")
            } else {
                String::new()
            };
            format!("{best}{more}")
        }
        None => {
            let clauses = run
                .prm(&coverage.prm)
                .map(|p| w.clauses_label(p))
                .unwrap_or_default();
            format!("ISO/IEC 27001:2022 {clauses}")
        }
    };
    writeln!(out, "    {mark} {status:<9} {:<26} {by}", coverage.prm)
}

/// The findings by kind, a heading for each kind that has any.
fn write_groups(out: &mut dyn Write, run: &CheckRun<'_>) -> std::io::Result<()> {
    let w = run.words;
    for (title, group) in by_kind(run.findings).filter(|(_, group)| !group.is_empty()) {
        writeln!(out, "\n{} ({})", w.word(title), group.len())?;
        for finding in group {
            write_finding(out, finding, "  ", w)?;
        }
    }
    Ok(())
}

/// The closing line: findings by severity, register checks and whether the run fails.
fn write_summary(out: &mut dyn Write, run: &CheckRun<'_>, fail_line: &str) -> std::io::Result<()> {
    let w = run.words;
    let counts = super::json::SeverityCounts::of(run.findings);
    let summary = tr!(
        w,
        "text.summary",
        errors = counted(counts.error, "count.errors.one", "count.errors.other"),
        warnings = counted(counts.warning, "count.warnings.one", "count.warnings.other"),
        notes = counted(counts.note, "count.notes.one", "count.notes.other"),
        register = register_checks(run.findings).count(),
        fail = fail_line
    );
    writeln!(out, "\n{summary}")
}

/// Whether a severity reaches the failing level, for the summary line.
pub fn fails(findings: &[Finding], threshold: Option<Severity>) -> bool {
    threshold.is_some_and(|t| findings.iter().any(|f| f.severity >= t))
}

/// One finding: severity, code and message, then its advice, activities to add and evidence.
fn write_finding(
    out: &mut dyn Write,
    finding: &Finding,
    indent: &str,
    w: &Translator,
) -> std::io::Result<()> {
    let severity = w.severity(finding.severity);
    writeln!(
        out,
        "{indent}{severity:<7} [{}] {}",
        finding.code.as_str(),
        terminal_safe(&finding.message)
    )?;
    if let Some(help) = &finding.help {
        writeln!(out, "{indent}        -> {}", terminal_safe(help))?;
    }
    for activity in &finding.activities {
        writeln!(
            out,
            "{indent}           * {}",
            terminal_safe(&activity.text)
        )?;
    }
    for signal in &finding.evidence {
        writeln!(out, "{indent}         - {}", terminal_safe(signal))?;
    }
    Ok(())
}

/// The action list of `--group-by owner`: per owner, their processes and the findings on them;
/// then the PRM processes nobody owns.
fn write_actions(out: &mut dyn Write, run: &CheckRun<'_>) -> std::io::Result<()> {
    let w = run.words;
    let actions = Actions::of(run);
    for owner in &actions.owners {
        writeln!(out, "\n{}", owner.heading(terminal_safe, w))?;
        for p in &owner.processes {
            writeln!(
                out,
                "  {} {}",
                terminal_safe(&p.process.id),
                terminal_safe(&p.process.name)
            )?;
            for finding in &p.findings {
                write_finding(out, finding, "    ", w)?;
            }
        }
    }
    if !actions.unowned.is_empty() {
        let heading = tr!(w, "owners.nobody", n = actions.unowned.len());
        writeln!(out, "\n{heading}")?;
        for u in &actions.unowned {
            let on = u
                .ownerless(w)
                .map_or_else(String::new, |o| format!(": {}", terminal_safe(&o)));
            writeln!(
                out,
                "  {:<9} {} ({}){on}",
                u.status.word(w),
                u.prm.id,
                u.prm.name
            )?;
            for finding in &u.findings {
                write_finding(out, finding, "    ", w)?;
            }
        }
    }
    if !actions.other.is_empty() {
        let heading = tr!(w, "owners.other", n = actions.other.len());
        writeln!(out, "\n{heading}")?;
        for finding in &actions.other {
            write_finding(out, finding, "  ", w)?;
        }
    }
    Ok(())
}
