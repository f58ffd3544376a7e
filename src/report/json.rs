//! JSON output of findings (the `validate` report, and the `findings` of the `check` report).

use serde::Serialize;

use super::pretty::PrettyObject;
use crate::diag::finding::{Finding, Severity};
use crate::load::Document;

/// Where a finding points, as printed in machine output.
#[derive(Debug, Serialize)]
pub struct LocationView<'a> {
    pub file: Option<&'a str>,
    pub pointer: Option<&'a str>,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

/// A finding as printed in machine output.
#[derive(Debug, Serialize)]
pub struct FindingView<'a> {
    pub code: &'static str,
    pub severity: Severity,
    pub message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<&'a str>,
    pub processes: &'a [String],
    pub prm: Option<&'a str>,
    /// The signals that made the finding (duplicate groups).
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub evidence: &'a [String],
    /// PRM activities to add, by id and in words (reuse advice).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub activities: Vec<ActivityView<'a>>,
    pub location: LocationView<'a>,
}

/// A PRM activity in machine output.
#[derive(Debug, Serialize)]
pub struct ActivityView<'a> {
    pub id: &'a str,
    pub text: &'a str,
}

impl<'a> FindingView<'a> {
    pub fn new(finding: &'a Finding, documents: &'a [Document]) -> Self {
        let document = finding.file.and_then(|f| documents.get(f));
        let (line, column) = match (document, &finding.span) {
            (Some(document), Some(span)) => {
                let (line, column) = document.line_col(span);
                (Some(line), Some(column))
            }
            _ => (None, None),
        };
        FindingView {
            code: finding.code.as_str(),
            severity: finding.severity,
            message: &finding.message,
            help: finding.help.as_deref(),
            processes: &finding.processes,
            prm: finding.prm.as_deref(),
            evidence: &finding.evidence,
            activities: finding
                .activities
                .iter()
                .map(|a| ActivityView {
                    id: &a.id,
                    text: &a.text,
                })
                .collect(),
            location: LocationView {
                file: document.map(|d| d.source.name.as_str()),
                pointer: finding.pointer.as_deref(),
                line,
                column,
            },
        }
    }
}

/// Counts of findings per severity.
#[derive(Debug, Default, Serialize, Clone, Copy)]
pub struct SeverityCounts {
    pub error: usize,
    pub warning: usize,
    pub note: usize,
}

impl SeverityCounts {
    pub fn of(findings: &[Finding]) -> Self {
        let mut counts = SeverityCounts::default();
        for finding in findings {
            match finding.severity {
                Severity::Error => counts.error += 1,
                Severity::Warning => counts.warning += 1,
                Severity::Note => counts.note += 1,
            }
        }
        counts
    }
}

/// The `validate --format json` report.
pub fn write_findings(
    out: &mut dyn std::io::Write,
    findings: &[Finding],
    documents: &[Document],
) -> std::io::Result<()> {
    let mut report = PrettyObject::begin(out)?;
    report.array("findings", findings, |f| FindingView::new(f, documents))?;
    report.field("summary", &SeverityCounts::of(findings))?;
    report.end()
}

/// One register process and its mappings, as printed in machine output.
#[derive(Debug, Serialize)]
pub struct ProcessView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub file: &'a str,
    pub status: crate::source::register::Status,
    pub mappings: &'a [crate::mapping::Mapping],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub control_area: Option<&'a str>,
    pub umbrella: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'a str>,
}

impl<'a> ProcessView<'a> {
    /// Every register process with its mapping result, in register order.
    pub fn all(
        documents: &'a [Document],
        results: &'a [Vec<crate::mapping::ProcessMapping>],
    ) -> Vec<Self> {
        crate::mapping::mapped(documents, results)
            .map(|m| ProcessView::new(m.document, m.process, m.result))
            .collect()
    }

    pub fn new(
        document: &'a Document,
        process: &'a crate::source::register::Process,
        result: &'a crate::mapping::ProcessMapping,
    ) -> Self {
        ProcessView {
            id: &process.id,
            name: &process.name,
            file: &document.source.name,
            status: process.status,
            mappings: &result.mappings,
            control_area: result.control_area.as_deref(),
            umbrella: result.umbrella,
            note: result.note.as_deref(),
        }
    }
}

/// The `map --format json` report.
pub fn write_mappings(
    out: &mut dyn std::io::Write,
    documents: &[Document],
    results: &[Vec<crate::mapping::ProcessMapping>],
    knowledge: &crate::mapping::Knowledge,
) -> std::io::Result<()> {
    let processes = ProcessView::all(documents, results);
    let mut report = PrettyObject::begin(out)?;
    report.field("model", &knowledge.model.id)?;
    report.array("processes", &processes, |p| p)?;
    report.end()
}
