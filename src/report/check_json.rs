//! The `check --format json` report, described by `schema/report.schema.json`. Field names are
//! a contract for scripts: add fields, never rename or remove them.

use serde::Serialize;

use super::json::{FindingView, ProcessView, SeverityCounts};
use super::pretty::PrettyObject;
use super::run::CheckRun;
use crate::analysis::{CategoryFigures, Coverage};
use crate::source::register::Metadata;

#[derive(Debug, Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Debug, Serialize)]
struct RegisterView<'a> {
    file: &'a str,
    #[serde(flatten)]
    metadata: &'a Metadata,
    processes: usize,
}

#[derive(Debug, Serialize)]
struct CoverageView<'a> {
    #[serde(flatten)]
    coverage: &'a Coverage,
    name: &'a str,
}

#[derive(Debug, Serialize)]
struct CoverageSummary<'a> {
    overall: &'a CategoryFigures,
    categories: std::collections::BTreeMap<&'a str, &'a CategoryFigures>,
}

#[derive(Debug, Serialize)]
struct Summary<'a> {
    #[serde(flatten)]
    counts: SeverityCounts,
    processes: usize,
    coverage: CoverageSummary<'a>,
}

/// Fields in schema order; the per-process entries and the findings, nearly all of the
/// report, are rendered on all cores.
pub fn write(out: &mut dyn std::io::Write, run: &CheckRun<'_>) -> std::io::Result<()> {
    let k = run.knowledge;
    let processes = ProcessView::all(run.documents, run.results);
    let registers: Vec<RegisterView<'_>> = run
        .documents
        .iter()
        .map(|d| RegisterView {
            file: &d.source.name,
            metadata: &d.register.metadata,
            processes: d.register.entries,
        })
        .collect();
    let coverage: Vec<CoverageView<'_>> = run
        .analysis
        .coverage
        .iter()
        .map(|coverage| CoverageView {
            name: run.prm(&coverage.prm).map_or("", |p| p.name.as_str()),
            coverage,
        })
        .collect();
    let summary = Summary {
        counts: SeverityCounts::of(run.findings),
        processes: processes.len(),
        coverage: CoverageSummary {
            overall: &run.analysis.figures.overall,
            categories: run
                .analysis
                .figures
                .categories
                .iter()
                .map(|(id, figures)| (id.as_str(), figures))
                .collect(),
        },
    };
    let mut report = PrettyObject::begin(out)?;
    report.field(
        "tool",
        &Tool {
            name: "prmlint",
            version: env!("CARGO_PKG_VERSION"),
        },
    )?;
    report.field("model", &k.model.id)?;
    report.field("registers", &registers)?;
    report.array("processes", &processes, |p| p)?;
    report.field("coverage", &coverage)?;
    report.field("clauses", &super::clauses::matrix(run))?;
    report.array("findings", run.findings, |f| {
        FindingView::new(f, run.sources)
    })?;
    report.field("summary", &summary)?;
    report.end()
}
