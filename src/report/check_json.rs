//! The `check --format json` report, described by `schema/report.schema.json`. Field names are
//! a contract for scripts: add fields, never rename or remove them.

use serde::Serialize;

use super::json::{FindingView, ProcessView, SeverityCounts};
use super::pretty::PrettyObject;
use crate::analysis::{Analysis, CategoryFigures, Coverage};
use crate::diag::finding::Finding;
use crate::load::Document;
use crate::mapping::{Knowledge, ProcessMapping};
use crate::model::PrmProcess;
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

/// Everything a report writer needs about one `check` run.
#[derive(Debug, Clone, Copy)]
pub struct CheckRun<'a> {
    /// The register documents (reference data files are not included).
    pub documents: &'a [Document],
    /// Every file of the run, registers first, then prmlint's own files and reference data: a
    /// finding's `file` indexes this list.
    pub sources: &'a [Document],
    pub results: &'a [Vec<ProcessMapping>],
    pub analysis: &'a Analysis,
    /// All findings, hygiene and analysis, in report order.
    pub findings: &'a [Finding],
    pub knowledge: &'a Knowledge,
    /// The report's language.
    pub words: &'a crate::i18n::Translator,
    /// Where CI report paths are written from (SARIF, GitHub annotations): the current
    /// directory and its git work tree, found by `app`; without it, file names as given.
    pub paths: Option<&'a super::location::PathBase>,
}

impl<'a> CheckRun<'a> {
    /// The PRM process with this id.
    pub(crate) fn prm(&self, id: &str) -> Option<&'a PrmProcess> {
        self.knowledge.model.processes.iter().find(|p| p.id == id)
    }

    /// The name of a PRM category, or its id when the model does not name it.
    pub(crate) fn category_name<'s>(&self, id: &'s str) -> &'s str
    where
        'a: 's,
    {
        self.knowledge
            .model
            .categories
            .iter()
            .find(|c| c.id == id)
            .map_or(id, |c| c.name.as_str())
    }

    /// The name of the first register process with this id; empty when there is none.
    pub(crate) fn process_name(&self, id: &str) -> &'a str {
        self.documents
            .iter()
            .flat_map(|d| &d.register.processes)
            .find(|p| p.id == id)
            .map_or("", |p| p.name.as_str())
    }

    /// The processes that contribute to a PRM process, best first, each as `ID Name
    /// (relationship score)` with its register text made safe by `show`.
    pub(crate) fn contributions<'c>(
        &'c self,
        coverage: &'c Coverage,
        show: impl Fn(&str) -> String + 'c,
    ) -> impl Iterator<Item = String> + 'c {
        coverage.contributions.iter().map(move |c| {
            format!(
                "{} {} ({} {})",
                show(&c.process),
                show(self.process_name(&c.process)),
                c.relationship.as_str(),
                self.words.number(c.score, 2)
            )
        })
    }
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
