//! `prmlint explain`: what a rule checks, why it matters and how to fix it, from the texts in
//! `rules.rs` that SARIF's rule help shows too.

use std::io::Write;

use serde::Serialize;

use crate::diag::finding::Severity;
use crate::diag::rules::{Code, Stage};

/// Width explanations are wrapped to in text output.
const WIDTH: usize = 88;

#[derive(Debug, Serialize)]
struct RuleView {
    code: &'static str,
    stage: Stage,
    severity: Severity,
    summary: &'static str,
    explanation: &'static str,
}

impl RuleView {
    fn of(code: Code) -> RuleView {
        let info = code.info();
        RuleView {
            code: info.code,
            stage: info.stage,
            severity: info.severity,
            summary: info.summary,
            explanation: info.explanation,
        }
    }
}

pub fn stage_name(stage: Stage) -> &'static str {
    match stage {
        Stage::Input => "input",
        Stage::Schema => "schema",
        Stage::Hygiene => "hygiene",
        Stage::Analysis => "analysis",
        Stage::Config => "config",
    }
}

/// One rule for people.
pub fn write_text(out: &mut dyn Write, code: Code) -> std::io::Result<()> {
    let info = code.info();
    writeln!(out, "{}: {}", info.code, info.summary)?;
    writeln!(out)?;
    if info.stage == Stage::Input {
        writeln!(
            out,
            "Severity: {} (input errors stop the run with exit code 2; not configurable)",
            info.severity.as_str()
        )?;
    } else {
        writeln!(
            out,
            "Severity: {} by default; change it in prmlint.json: \"rules\": {{\"{}\": \"off\"}}",
            info.severity.as_str(),
            info.code
        )?;
    }
    writeln!(out, "Stage:    {}", stage_name(info.stage))?;
    writeln!(out)?;
    for line in wrap(info.explanation, WIDTH) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// Every rule for people: one line each.
pub fn write_all_text(out: &mut dyn Write) -> std::io::Result<()> {
    let width = Code::ALL
        .iter()
        .map(|c| c.as_str().len())
        .max()
        .unwrap_or(0);
    for code in Code::ALL {
        let info = code.info();
        writeln!(
            out,
            "{:<width$}  {:<7}  {:<8}  {}",
            info.code,
            info.severity.as_str(),
            stage_name(info.stage),
            info.summary
        )?;
    }
    writeln!(out)?;
    writeln!(out, "`prmlint explain CODE` explains one rule.")
}

/// One rule as JSON.
pub fn write_json(out: &mut dyn Write, code: Code) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &RuleView::of(code))?;
    out.write_all(b"\n")
}

/// Every rule as a JSON array.
pub fn write_all_json(out: &mut dyn Write) -> std::io::Result<()> {
    let rules: Vec<RuleView> = Code::ALL.iter().map(|c| RuleView::of(*c)).collect();
    serde_json::to_writer_pretty(&mut *out, &rules)?;
    out.write_all(b"\n")
}

/// The rule a user means: its code, in any case, with or without dashes (`MissingOwner`, the
/// SARIF rule name, works too).
pub fn find(name: &str) -> Option<Code> {
    let folded = |s: &str| -> String {
        s.chars()
            .filter(|c| *c != '-' && *c != '_')
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let wanted = folded(name);
    Code::ALL
        .iter()
        .copied()
        .find(|c| folded(c.as_str()) == wanted)
}

/// Greedy word wrap.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_accepts_sarif_names_and_any_case() {
        assert_eq!(find("missing-owner"), Some(Code::MissingOwner));
        assert_eq!(find("MissingOwner"), Some(Code::MissingOwner));
        assert_eq!(find("MISSING_OWNER"), Some(Code::MissingOwner));
        assert_eq!(find("owner"), None);
    }

    #[test]
    fn wrap_keeps_words_whole_and_lines_short() {
        let lines = wrap("aaa bbb ccc ddd", 7);
        assert_eq!(lines, ["aaa bbb", "ccc ddd"]);
        assert_eq!(wrap("", 7), Vec::<String>::new());
    }
}
