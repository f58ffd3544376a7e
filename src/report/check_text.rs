//! The `check` report for people: diagnostics, a coverage table by category, findings grouped
//! by kind, and a one-line summary.

use std::io::Write;

use super::check_json::CheckRun;
use super::owners::{Actions, GroupBy};
use super::terminal_safe;
use crate::analysis::CoverageStatus;
use crate::finding::{Finding, Severity};
use crate::rules::{Code, Stage};

/// Groups of analysis findings, in the order a reader wants them.
pub(super) const GROUPS: &[(&str, &[Code])] = &[
    (
        "Missing processes",
        &[Code::MissingProcess, Code::InactiveCoverage],
    ),
    ("Duplicate processes", &[Code::DuplicateProcess]),
    ("Reuse: processes to adapt", &[Code::AdaptableProcess]),
    ("Umbrella processes", &[Code::UmbrellaProcess]),
    (
        "Declared mappings",
        &[Code::UnsupportedMapping, Code::SuggestedMapping],
    ),
    ("Control areas outside the PRM", &[Code::ControlAreaProcess]),
];

/// Write the report. `diagnostics` is the rendered schema and hygiene findings.
pub fn write(
    out: &mut dyn Write,
    run: &CheckRun<'_>,
    diagnostics: &[u8],
    fail_line: &str,
    group_by: GroupBy,
) -> std::io::Result<()> {
    let k = run.knowledge;
    for document in run.documents {
        let organisation = document
            .register
            .metadata
            .organisation
            .as_deref()
            .map(|o| format!("{} ", terminal_safe(o)))
            .unwrap_or_default();
        writeln!(
            out,
            "{organisation}({}): {} processes, checked against {}",
            terminal_safe(&document.source.name),
            document.register.entries,
            k.model.title
        )?;
    }
    writeln!(out)?;
    if !diagnostics.is_empty() {
        writeln!(out, "Register checks")?;
        writeln!(out)?;
        out.write_all(diagnostics)?;
    }

    writeln!(
        out,
        "Coverage of the {} PRM processes",
        k.model.processes.len()
    )?;
    for (category, figures) in &run.analysis.figures.categories {
        let name = k
            .model
            .categories
            .iter()
            .find(|c| &c.id == category)
            .map_or(category.as_str(), |c| c.name.as_str());
        writeln!(
            out,
            "\n  {name}: {} of {} covered, {} adaptable, {} missing",
            figures.covered, figures.total, figures.adaptable, figures.missing
        )?;
        for coverage in run
            .analysis
            .coverage
            .iter()
            .filter(|c| &c.category == category)
        {
            let (mark, status) = match coverage.status {
                CoverageStatus::Covered => ("[x]", "covered"),
                CoverageStatus::Adaptable => ("[~]", "adaptable"),
                CoverageStatus::Missing => ("[ ]", "MISSING"),
            };
            let by = match coverage.contributions.first() {
                Some(c) => {
                    let name = find_name(run, &c.process);
                    let more = if coverage.contributions.len() > 1 {
                        format!(" +{}", coverage.contributions.len() - 1)
                    } else {
                        String::new()
                    };
                    format!(
                        "{} {} ({} {:.2}){more}",
                        terminal_safe(&c.process),
                        terminal_safe(&name),
                        c.relationship.as_str(),
                        c.score
                    )
                }
                None => {
                    let clauses = k
                        .model
                        .processes
                        .iter()
                        .find(|p| p.id == coverage.prm)
                        .map(|p| p.clauses_label())
                        .unwrap_or_default();
                    format!("ISO/IEC 27001:2022 {clauses}")
                }
            };
            writeln!(out, "    {mark} {status:<9} {:<26} {by}", coverage.prm)?;
        }
    }
    let o = &run.analysis.figures.overall;
    writeln!(
        out,
        "\n  Overall: {} covered, {} adaptable, {} missing of {}: {:.0}% covered, {:.0}% counting each adaptable process as half",
        o.covered,
        o.adaptable,
        o.missing,
        o.total,
        o.covered_ratio * 100.0,
        o.weighted_ratio * 100.0
    )?;

    if group_by == GroupBy::Owner {
        write_actions(out, run)?;
    }
    for (title, codes) in GROUPS.iter().filter(|_| group_by == GroupBy::Kind) {
        let group: Vec<&Finding> = run
            .findings
            .iter()
            .filter(|f| codes.contains(&f.code))
            .collect();
        if group.is_empty() {
            continue;
        }
        writeln!(out, "\n{title} ({})", group.len())?;
        for finding in group {
            write_finding(out, finding, "  ")?;
        }
    }
    let counts = super::json::SeverityCounts::of(run.findings);
    let hygiene = run
        .findings
        .iter()
        .filter(|f| f.code.info().stage != Stage::Analysis)
        .count();
    writeln!(
        out,
        "\nSummary: {} error(s), {} warning(s), {} note(s) ({} from register checks); {}",
        counts.error, counts.warning, counts.note, hygiene, fail_line
    )
}

fn find_name(run: &CheckRun<'_>, id: &str) -> String {
    run.documents
        .iter()
        .flat_map(|d| &d.register.processes)
        .find(|p| p.id == id)
        .map(|p| p.name.clone())
        .unwrap_or_default()
}

/// Whether a severity reaches the failing level, for the summary line.
pub fn fails(findings: &[Finding], threshold: Option<Severity>) -> bool {
    threshold.is_some_and(|t| findings.iter().any(|f| f.severity >= t))
}

/// One finding: severity, code and message, then its advice, activities to add and evidence.
fn write_finding(out: &mut dyn Write, finding: &Finding, indent: &str) -> std::io::Result<()> {
    writeln!(
        out,
        "{indent}{:<7} [{}] {}",
        finding.severity.as_str(),
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
    let actions = Actions::of(run);
    for owner in &actions.owners {
        writeln!(out, "\n{}", owner.heading(terminal_safe))?;
        for p in &owner.processes {
            writeln!(
                out,
                "  {} {}",
                terminal_safe(&p.process.id),
                terminal_safe(&p.process.name)
            )?;
            for finding in &p.findings {
                write_finding(out, finding, "    ")?;
            }
        }
    }
    if !actions.unowned.is_empty() {
        writeln!(
            out,
            "\nPRM processes nobody owns ({})",
            actions.unowned.len()
        )?;
        for u in &actions.unowned {
            let on = u
                .ownerless()
                .map_or_else(String::new, |o| format!(": {}", terminal_safe(&o)));
            writeln!(
                out,
                "  {:<9} {} ({}){on}",
                u.status.as_str(),
                u.prm.id,
                u.prm.name
            )?;
            for finding in &u.findings {
                write_finding(out, finding, "    ")?;
            }
        }
    }
    if !actions.other.is_empty() {
        writeln!(out, "\nOther findings ({})", actions.other.len())?;
        for finding in &actions.other {
            write_finding(out, finding, "  ")?;
        }
    }
    Ok(())
}
