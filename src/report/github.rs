//! The `check --format github` report: GitHub Actions workflow commands (`::error file=...::`),
//! which the runner turns into annotations on the pull request. Most severe first, because the
//! runner shows only the first few annotations of each kind.

use std::io::Write;

use super::location;
use super::run::CheckRun;
use super::terminal_safe;
use crate::diag::finding::{Finding, Severity};

/// Write the report, with paths relative to the repository root (`run.paths`).
pub fn write(out: &mut dyn Write, run: &CheckRun<'_>) -> std::io::Result<()> {
    let base = run.paths;
    // (file, line, column); line 0 when the finding has no position in its file.
    type Place = Option<(String, usize, usize)>;
    let mut annotations: Vec<(&Finding, Place)> = run
        .findings
        .iter()
        .map(|finding| {
            let place = location::place(finding, run.sources).map(|place| {
                let (line, column) = place.start.unwrap_or((0, 0));
                (
                    location::report_path(&place.document.source.name, base),
                    line,
                    column,
                )
            });
            (finding, place)
        })
        .collect();
    // Stable: findings at one place keep their report order.
    annotations.sort_by(|(a, a_place), (b, b_place)| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a_place.cmp(b_place))
    });
    for (finding, place) in annotations {
        let command = match finding.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut properties = Vec::new();
        if let Some((file, line, column)) = place {
            properties.push(format!("file={}", escape_property(&file)));
            if line > 0 {
                properties.push(format!("line={line}"));
                properties.push(format!("col={column}"));
            }
        }
        properties.push(format!(
            "title={}",
            escape_property(&format!("prmlint {}", finding.code.as_str()))
        ));
        let message = match finding.advice() {
            Some(help) => format!("{}\nhelp: {help}", finding.message),
            None => finding.message.clone(),
        };
        writeln!(
            out,
            "::{command} {}::{}",
            properties.join(","),
            escape_data(&message)
        )?;
    }
    Ok(())
}

/// Escape a command's message as the runner expects (`%`, CR, LF), then show any other control
/// or bidi character as an escape so register text cannot restyle the log.
pub fn escape_data(text: &str) -> String {
    terminal_safe(
        &text
            .replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A"),
    )
}

/// Escape a property value: as data, plus `:` and `,`, which separate properties.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_and_properties_follow_the_runner_escaping() {
        assert_eq!(escape_data("100%\r\nsure: a,b"), "100%25%0D%0Asure: a,b");
        assert_eq!(escape_property("a,b:c%.json"), "a%2Cb%3Ac%25.json");
    }
}
