//! The `check --format junit` report: JUnit XML for CI test dashboards. One test case per PRM
//! process (covered passes, adaptable and missing fail) and one per register-check rule (fails
//! when it has findings).

use std::fmt::Write as _;
use std::io::Write;

use super::json::FindingView;
use super::run::CheckRun;
use crate::analysis::CoverageStatus;
use crate::diag::finding::Finding;
use crate::diag::rules::{Code, Stage};

/// One `<testcase>`.
struct Case {
    classname: String,
    name: String,
    /// `(message, type, text)` of the `<failure>`, when the case fails.
    failure: Option<(String, String, String)>,
    /// Findings worth showing on a passing case.
    output: String,
}

struct Suite {
    name: &'static str,
    cases: Vec<Case>,
}

impl Suite {
    fn failures(&self) -> usize {
        self.cases.iter().filter(|c| c.failure.is_some()).count()
    }
}

pub fn write(out: &mut dyn Write, run: &CheckRun<'_>) -> std::io::Result<()> {
    let suites = [coverage_suite(run), register_suite(run)];
    let tests: usize = suites.iter().map(|s| s.cases.len()).sum();
    let failures: usize = suites.iter().map(Suite::failures).sum();
    let mut xml = String::new();
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"prmlint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">"
    );
    for suite in &suites {
        let _ = writeln!(
            xml,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">",
            escape(suite.name, true),
            suite.cases.len(),
            suite.failures()
        );
        for case in &suite.cases {
            let _ = write!(
                xml,
                "    <testcase classname=\"{}\" name=\"{}\"",
                escape(&case.classname, true),
                escape(&case.name, true)
            );
            if case.failure.is_none() && case.output.is_empty() {
                xml.push_str("/>\n");
                continue;
            }
            xml.push_str(">\n");
            if let Some((message, kind, text)) = &case.failure {
                let _ = writeln!(
                    xml,
                    "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                    escape(message, true),
                    escape(kind, true),
                    escape(text, false)
                );
            }
            if !case.output.is_empty() {
                let _ = writeln!(
                    xml,
                    "      <system-out>{}</system-out>",
                    escape(&case.output, false)
                );
            }
            xml.push_str("    </testcase>\n");
        }
        xml.push_str("  </testsuite>\n");
    }
    xml.push_str("</testsuites>\n");
    out.write_all(xml.as_bytes())
}

fn coverage_suite(run: &CheckRun<'_>) -> Suite {
    let model = &run.knowledge.model;
    let cases = run
        .analysis
        .coverage
        .iter()
        .map(|coverage| {
            let name = model
                .processes
                .iter()
                .find(|p| p.id == coverage.prm)
                .map_or("", |p| p.name.as_str());
            let related: Vec<&Finding> = run
                .findings
                .iter()
                .filter(|f| f.prm.as_deref() == Some(coverage.prm.as_str()))
                .collect();
            let listing = list(&related, run);
            let by = coverage.processes.join(", ");
            let failure = match coverage.status {
                CoverageStatus::Covered => None,
                CoverageStatus::Adaptable => Some((
                    format!("{name} is not covered; adaptable from {by}"),
                    "adaptable".to_owned(),
                    listing.clone(),
                )),
                CoverageStatus::Missing => Some((
                    format!("{name} is missing: no register process covers it"),
                    "missing".to_owned(),
                    listing.clone(),
                )),
            };
            let output = if failure.is_none() && !related.is_empty() {
                format!("covered by {by}\n{listing}")
            } else {
                String::new()
            };
            Case {
                classname: format!("prmlint.coverage.{}", coverage.category),
                name: coverage.prm.clone(),
                failure,
                output,
            }
        })
        .collect();
    Suite {
        name: "PRM coverage",
        cases,
    }
}

fn register_suite(run: &CheckRun<'_>) -> Suite {
    let cases = Code::ALL
        .iter()
        .filter(|code| code.info().stage != Stage::Analysis)
        .map(|code| {
            let info = code.info();
            let found: Vec<&Finding> = run.findings.iter().filter(|f| f.code == *code).collect();
            let failure = (!found.is_empty()).then(|| {
                (
                    format!("{} finding(s): {}", found.len(), info.summary),
                    info.code.to_owned(),
                    list(&found, run),
                )
            });
            let stage = match info.stage {
                Stage::Input => "input",
                Stage::Schema => "schema",
                Stage::Hygiene | Stage::Analysis => "hygiene",
                Stage::Config => "config",
            };
            Case {
                classname: format!("prmlint.register.{stage}"),
                name: info.code.to_owned(),
                failure,
                output: String::new(),
            }
        })
        .collect();
    Suite {
        name: "Register checks",
        cases,
    }
}

/// One line per finding: `file:line:col: severity [code] message`.
fn list(findings: &[&Finding], run: &CheckRun<'_>) -> String {
    let mut text = String::new();
    for finding in findings {
        let view = FindingView::new(finding, run.sources);
        let place = match (
            &view.location.file,
            view.location.line,
            view.location.column,
        ) {
            (Some(file), Some(line), Some(column)) => format!("{file}:{line}:{column}: "),
            (Some(file), _, _) => format!("{file}: "),
            _ => String::new(),
        };
        let _ = writeln!(
            text,
            "{place}{} [{}] {}",
            finding.severity.as_str(),
            finding.code.as_str(),
            finding.message
        );
    }
    text
}

/// Escape text for XML 1.0 and drop the characters XML 1.0 cannot carry at all. In attributes,
/// tab and line ends are written as character references, which parsers would otherwise
/// normalise to spaces.
fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' if attribute => {
                let _ = write!(out, "&#{};", u32::from(c));
            }
            '\t' | '\n' => out.push(c),
            c if allowed_in_xml(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// The `Char` production of XML 1.0, less the tab and line ends handled above.
fn allowed_in_xml(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_drops_forbidden_characters() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>", false),
            "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;"
        );
        assert_eq!(escape("a\u{0}b\u{1b}c\u{FFFE}", false), "abc");
        assert_eq!(escape("a\nb\tc\rd", true), "a&#10;b&#9;c&#13;d");
        assert_eq!(escape("a\nb\tc", false), "a\nb\tc");
    }
}
