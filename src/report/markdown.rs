//! The `check --format markdown` report, for a pull-request comment or a document: summary
//! figures, coverage by category, findings by kind and the mapping table. Register text is
//! escaped so that markup in a register renders as text.

mod escape;

use std::io::Write;

pub use self::escape::escape;
pub(crate) use self::escape::message;
use super::check_text::{by_kind, register_checks};
use super::clauses;
use super::json::{FindingView, SeverityCounts};
use super::owners::{Actions, GroupBy};
use super::run::CheckRun;
use crate::analysis::{CategoryFigures, Coverage, CoverageStatus};
use crate::diag::finding::{Finding, Severity};
use crate::i18n::{Translator, counted};
use crate::tr;

pub fn write(out: &mut dyn Write, run: &CheckRun<'_>, group_by: GroupBy) -> std::io::Result<()> {
    write_title(out, run)?;
    write_summary(out, run)?;
    write_coverage(out, run)?;
    if group_by == GroupBy::Owner {
        write_actions(out, run)?;
        write_clauses(out, run)?;
        return write_mappings(out, run);
    }
    write_findings(out, run)?;
    write_clauses(out, run)?;
    write_mappings(out, run)
}

/// The title (with the organisations the registers name), the registers and the model.
fn write_title(out: &mut dyn Write, run: &CheckRun<'_>) -> std::io::Result<()> {
    let w = run.words;
    let organisations: Vec<String> = run
        .documents
        .iter()
        .filter_map(|d| d.register.metadata.organisation.as_deref())
        .map(escape)
        .collect();
    if organisations.is_empty() {
        writeln!(out, "# {}", w.word("report.title"))?;
    } else {
        let organisations = organisations.join(", ");
        writeln!(
            out,
            "# {}",
            tr!(w, "report.title-of", organisations = organisations)
        )?;
    }
    writeln!(out)?;
    for document in run.documents {
        let register = tr!(
            w,
            "report.register",
            file = escape(&document.source.name),
            n = document.register.entries
        );
        writeln!(out, "- {register}")?;
    }
    let title = escape(&run.knowledge.model.title);
    writeln!(out, "- {}", tr!(w, "report.checked-against", model = title))
}

/// The summary table: findings by severity, PRM processes by status, coverage ratios.
fn write_summary(out: &mut dyn Write, run: &CheckRun<'_>) -> std::io::Result<()> {
    let w = run.words;
    let counts = SeverityCounts::of(run.findings);
    let o = &run.analysis.figures.overall;
    writeln!(out, "\n## {}\n", w.word("report.summary"))?;
    writeln!(
        out,
        "| {} | {} |",
        w.word("report.figure"),
        w.word("report.value")
    )?;
    writeln!(out, "|---|---|")?;
    let findings = tr!(
        w,
        "report.findings-counts",
        errors = counted(counts.error, "count.errors.one", "count.errors.other"),
        warnings = counted(counts.warning, "count.warnings.one", "count.warnings.other"),
        notes = counted(counts.note, "count.notes.one", "count.notes.other"),
        register = register_checks(run.findings).count()
    );
    writeln!(out, "| {} | {findings} |", w.word("report.findings"))?;
    let prm = super::figures_text(w, "report.prm-counts", "", o);
    writeln!(out, "| {} | {prm} |", w.word("report.prm-processes"))?;
    let ratios = tr!(
        w,
        "report.coverage-ratios",
        covered = w.percent(o.covered_ratio),
        weighted = w.percent(o.weighted_ratio)
    );
    writeln!(out, "| {} | {ratios} |", w.word("report.coverage"))
}

/// Coverage by category: a table of the PRM processes of each, with what covers them.
fn write_coverage(out: &mut dyn Write, run: &CheckRun<'_>) -> std::io::Result<()> {
    let w = run.words;
    let total = run.analysis.figures.overall.total;
    writeln!(out, "\n## {}", tr!(w, "report.coverage-of", total = total))?;
    for (category, figures) in &run.analysis.figures.categories {
        write_category(out, run, category, figures)?;
    }
    Ok(())
}

/// One category's heading, with its figures, and its table.
fn write_category(
    out: &mut dyn Write,
    run: &CheckRun<'_>,
    category: &str,
    figures: &CategoryFigures,
) -> std::io::Result<()> {
    let w = run.words;
    let name = escape(run.category_name(category));
    let line = super::figures_text(w, "report.category-counts", &name, figures);
    writeln!(out, "\n### {line}\n")?;
    writeln!(
        out,
        "| {} | {} | {} |",
        w.word("report.status"),
        w.word("report.prm-process"),
        w.word("report.register-processes")
    )?;
    writeln!(out, "|---|---|---|")?;
    for coverage in run
        .analysis
        .coverage
        .iter()
        .filter(|c| c.category == category)
    {
        let status = status_label(coverage.status, w);
        let prm = run.prm(&coverage.prm);
        let title = match prm {
            Some(p) => format!("{}: {}", escape(&p.id), escape(&p.name)),
            None => escape(&coverage.prm),
        };
        writeln!(
            out,
            "| {status} | {title} | {} |",
            covered_by(run, coverage)
        )?;
    }
    Ok(())
}

/// The register processes behind a PRM process, or the clauses left without one.
fn covered_by(run: &CheckRun<'_>, coverage: &Coverage) -> String {
    let w = run.words;
    if coverage.contributions.is_empty() {
        let clauses = run
            .prm(&coverage.prm)
            .map(|p| w.clauses_label(p))
            .unwrap_or_default();
        tr!(w, "report.none-clauses", clauses = escape(&clauses))
    } else {
        run.contributions(coverage, escape)
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// The findings about the registers themselves, then the analysis findings by kind.
fn write_findings(out: &mut dyn Write, run: &CheckRun<'_>) -> std::io::Result<()> {
    let w = run.words;
    let register_checks: Vec<&Finding> = register_checks(run.findings).collect();
    if !register_checks.is_empty() {
        let heading = tr!(w, "report.register-checks-n", n = register_checks.len());
        writeln!(out, "\n## {heading}\n")?;
        for finding in &register_checks {
            write_finding(out, finding, run, true)?;
        }
    }
    let mut heading = false;
    for (title, group) in by_kind(run.findings).filter(|(_, group)| !group.is_empty()) {
        if !heading {
            writeln!(out, "\n## {}", w.word("report.findings"))?;
            heading = true;
        }
        writeln!(out, "\n### {} ({})\n", w.word(title), group.len())?;
        for finding in group {
            write_finding(out, finding, run, false)?;
        }
    }
    Ok(())
}

/// The ISO/IEC 27001:2022 clause matrix, folded: a reviewer opens it when a clause matters.
fn write_clauses(out: &mut dyn Write, run: &CheckRun<'_>) -> std::io::Result<()> {
    let w = run.words;
    let rows = clauses::matrix(run);
    writeln!(out, "\n## {}\n", w.word("clauses.heading"))?;
    for (kind, what) in [
        (clauses::Kind::Clause, w.word("clauses.clauses")),
        (clauses::Kind::Control, w.word("clauses.controls")),
    ] {
        let (covered, partly, none) = clauses::counts(&rows, kind);
        let counts = tr!(
            w,
            "clauses.counts",
            covered = covered,
            partly = partly,
            none = none
        );
        writeln!(out, "- {what}: {counts}")?;
    }
    writeln!(out, "\n<details>")?;
    let summary = tr!(w, "clauses.how-each", n = rows.len());
    writeln!(out, "<summary>{summary}</summary>\n")?;
    writeln!(
        out,
        "| {} | {} | {} | {} |",
        w.word("clauses.clause"),
        w.word("report.status"),
        w.word("clauses.implemented-by"),
        w.word("clauses.unrun")
    )?;
    writeln!(out, "|---|---|---|---|")?;
    for row in &rows {
        let reference = match row.kind {
            clauses::Kind::Clause => row.reference.to_owned(),
            clauses::Kind::Control => format!("A.{}", row.reference),
        };
        let by: Vec<String> = row
            .implementers
            .iter()
            .map(|i| format!("{} {} ({})", escape(i.process), escape(i.name), i.how(w)))
            .collect();
        writeln!(
            out,
            "| {reference} | {} | {} | {} |",
            row.status.word(w),
            by.join("; "),
            row.unrun.join(", ")
        )?;
    }
    writeln!(out, "\n</details>")
}

/// A coverage status as an emoji and a word, so it reads without colour.
fn status_label(status: CoverageStatus, w: &Translator) -> String {
    let (mark, key) = match status {
        CoverageStatus::Covered => ("✅", "status.covered"),
        CoverageStatus::Adaptable => ("🟡", "status.adaptable"),
        CoverageStatus::Missing => ("❌", "status.missing"),
    };
    format!("{mark} {}", w.word(key))
}

/// The action list of `--group-by owner`: every finding under the owners of its processes,
/// then the PRM processes nobody owns, then findings about a register as a whole.
fn write_actions(out: &mut dyn Write, run: &CheckRun<'_>) -> std::io::Result<()> {
    let w = run.words;
    let actions = Actions::of(run);
    writeln!(out, "\n## {}", w.word("owners.heading"))?;
    for owner in &actions.owners {
        writeln!(out, "\n### {}", owner.heading(escape, w))?;
        for p in &owner.processes {
            writeln!(
                out,
                "\n**{}** {}\n",
                escape(&p.process.id),
                escape(&p.process.name)
            )?;
            for finding in &p.findings {
                write_finding(out, finding, run, false)?;
            }
        }
    }
    if !actions.unowned.is_empty() {
        let heading = tr!(w, "owners.nobody", n = actions.unowned.len());
        writeln!(out, "\n### {heading}\n")?;
        for u in &actions.unowned {
            let on = u
                .ownerless(w)
                .map_or_else(String::new, |o| format!(": {}", escape(&o)));
            writeln!(
                out,
                "- {} `{}` {}{on}",
                status_label(u.status, w),
                u.prm.id,
                escape(&u.prm.name)
            )?;
            for help in u.findings.iter().filter_map(|f| f.help.as_deref()) {
                writeln!(out, "  \n  {}: {}", w.word("report.help"), message(help))?;
            }
        }
    }
    if !actions.other.is_empty() {
        let heading = tr!(w, "owners.other", n = actions.other.len());
        writeln!(out, "\n### {heading}\n")?;
        for finding in &actions.other {
            write_finding(out, finding, run, true)?;
        }
    }
    Ok(())
}

fn write_finding(
    out: &mut dyn Write,
    finding: &Finding,
    run: &CheckRun<'_>,
    with_place: bool,
) -> std::io::Result<()> {
    let w = run.words;
    let mark = match finding.severity {
        Severity::Error => "❌",
        Severity::Warning => "⚠️",
        Severity::Note => "ℹ️",
    };
    let severity = format!("{mark} **{}**", w.severity(finding.severity));
    let place = if with_place {
        let view = FindingView::new(finding, run.sources);
        match (view.location.file, view.location.line, view.location.column) {
            (Some(file), Some(line), Some(column)) => {
                format!(" ({}:{line}:{column})", escape(file))
            }
            (Some(file), _, _) => format!(" ({})", escape(file)),
            _ => String::new(),
        }
    } else {
        String::new()
    };
    write!(
        out,
        "- {severity} `{}`: {}{place}",
        finding.code.as_str(),
        message(&finding.message)
    )?;
    match &finding.help {
        Some(help) => writeln!(out, "  \n  {}: {}", w.word("report.help"), message(help))?,
        None => writeln!(out)?,
    }
    for activity in &finding.activities {
        writeln!(out, "  - {}", message(&activity.text))?;
    }
    for signal in &finding.evidence {
        writeln!(out, "  - {}", message(signal))?;
    }
    Ok(())
}

fn write_mappings(out: &mut dyn Write, run: &CheckRun<'_>) -> std::io::Result<()> {
    let processes: usize = run
        .documents
        .iter()
        .map(|d| d.register.processes.len())
        .sum();
    let w = run.words;
    writeln!(out, "\n## {}\n", w.word("mappings.heading"))?;
    writeln!(out, "<details>")?;
    let summary = tr!(w, "mappings.how-each", n = processes);
    writeln!(out, "<summary>{summary}</summary>\n")?;
    let columns: Vec<String> = [
        "mappings.process",
        "mappings.name",
        "report.status",
        "report.prm-process",
        "mappings.relationship",
        "mappings.score",
        "mappings.source",
        "mappings.notes",
    ]
    .into_iter()
    .map(|key| w.word(key))
    .collect();
    writeln!(out, "| {} |", columns.join(" | "))?;
    writeln!(out, "|---|---|---|---|---|---|---|---|")?;
    for crate::mapping::Mapped {
        process, result, ..
    } in crate::mapping::mapped(run.documents, run.results)
    {
        let mut notes = Vec::new();
        if result.umbrella {
            notes.push(w.word("mappings.umbrella"));
        }
        if let Some(area) = &result.control_area {
            notes.push(tr!(w, "mappings.control-area", area = escape(area)));
        }
        let notes = notes.join(", ");
        let id = escape(&process.id);
        let name = escape(&process.name);
        let status = process.status.as_str();
        if result.mappings.is_empty() {
            let none = w.word("mappings.none");
            writeln!(out, "| {id} | {name} | {status} | {none} | | | | {notes} |")?;
        }
        for mapping in &result.mappings {
            let source = w.word(match mapping.source {
                crate::mapping::Source::Declared => "mappings.source-declared",
                crate::mapping::Source::Crosswalk => "mappings.source-crosswalk",
                crate::mapping::Source::Fuzzy => "mappings.source-fuzzy",
            });
            writeln!(
                out,
                "| {id} | {name} | {status} | {} | {} | {} | {source} | {notes} |",
                escape(&mapping.prm),
                mapping.relationship.as_str(),
                w.number(mapping.score, 2)
            )?;
        }
    }
    writeln!(out, "\n</details>")
}
