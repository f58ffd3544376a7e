//! The one view of a checked run that every `check` writer reads: the documents, the mapping
//! results, the analysis, the settled findings, the reference data and the report's language.

use crate::analysis::{Analysis, Coverage};
use crate::diag::finding::Finding;
use crate::load::Document;
use crate::mapping::{Knowledge, ProcessMapping};
use crate::model::PrmProcess;

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
