//! JSON output of findings (the `validate` report, and the `findings` of the `check` report).

use serde::Serialize;

use crate::finding::{Finding, Severity};
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
    pub location: LocationView<'a>,
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

#[derive(Debug, Serialize)]
struct ValidateReport<'a> {
    findings: Vec<FindingView<'a>>,
    summary: SeverityCounts,
}

/// The `validate --format json` report.
pub fn write_findings(
    out: &mut dyn std::io::Write,
    findings: &[Finding],
    documents: &[Document],
) -> std::io::Result<()> {
    let report = ValidateReport {
        findings: findings
            .iter()
            .map(|f| FindingView::new(f, documents))
            .collect(),
        summary: SeverityCounts::of(findings),
    };
    write_pretty(out, &report)
}

/// Write a report as pretty JSON and a final newline. The serialiser writes a few bytes at a
/// time, so they are gathered before they reach `out`, which may not be buffered.
pub(crate) fn write_pretty(
    out: &mut dyn std::io::Write,
    report: &impl Serialize,
) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, out);
    serde_json::to_writer_pretty(&mut out, report)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// One register process and its mappings, as printed in machine output.
#[derive(Debug, Serialize)]
pub struct ProcessView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub file: &'a str,
    pub status: crate::register::Status,
    pub mappings: &'a [crate::mapping::Mapping],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub control_area: Option<&'a str>,
    pub umbrella: bool,
}

impl<'a> ProcessView<'a> {
    pub fn new(
        document: &'a Document,
        process: &'a crate::register::Process,
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
        }
    }
}

#[derive(Debug, Serialize)]
struct MapReport<'a> {
    model: &'a str,
    processes: Vec<ProcessView<'a>>,
}

/// The `map --format json` report.
pub fn write_mappings(
    out: &mut dyn std::io::Write,
    documents: &[Document],
    results: &[Vec<crate::mapping::ProcessMapping>],
    knowledge: &crate::mapping::Knowledge,
) -> std::io::Result<()> {
    let processes = documents
        .iter()
        .zip(results)
        .flat_map(|(document, results)| {
            document
                .register
                .processes
                .iter()
                .zip(results)
                .map(move |(process, result)| ProcessView::new(document, process, result))
        })
        .collect();
    let report = MapReport {
        model: &knowledge.model.id,
        processes,
    };
    write_pretty(out, &report)
}
