//! The `check --format markdown` report, for a pull-request comment or a document: summary
//! figures, coverage by category, findings by kind and the mapping table. Register text is
//! escaped so that markup in a register renders as text.

use std::io::Write;

use super::check_json::CheckRun;
use super::check_text::GROUPS;
use super::clauses;
use super::is_unsafe_char;
use super::json::{FindingView, SeverityCounts};
use super::owners::{Actions, GroupBy};
use crate::analysis::CoverageStatus;
use crate::finding::{Finding, Severity};
use crate::i18n::{Translator, counted};
use crate::rules::Stage;
use crate::tr;

pub fn write(out: &mut dyn Write, run: &CheckRun<'_>, group_by: GroupBy) -> std::io::Result<()> {
    let k = run.knowledge;
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
    let title = escape(&k.model.title);
    writeln!(out, "- {}", tr!(w, "report.checked-against", model = title))?;

    let counts = SeverityCounts::of(run.findings);
    let register_checks: Vec<&Finding> = run
        .findings
        .iter()
        .filter(|f| f.code.info().stage != Stage::Analysis)
        .collect();
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
        register = register_checks.len()
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
    writeln!(out, "| {} | {ratios} |", w.word("report.coverage"))?;

    writeln!(
        out,
        "\n## {}",
        tr!(w, "report.coverage-of", total = o.total)
    )?;
    for (category, figures) in &run.analysis.figures.categories {
        let name = k
            .model
            .categories
            .iter()
            .find(|c| &c.id == category)
            .map_or(category.as_str(), |c| c.name.as_str());
        let line = super::figures_text(w, "report.category-counts", &escape(name), figures);
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
            .filter(|c| &c.category == category)
        {
            let status = status_label(coverage.status, w);
            let prm = k.model.processes.iter().find(|p| p.id == coverage.prm);
            let title = match prm {
                Some(p) => format!("{}: {}", escape(&p.id), escape(&p.name)),
                None => escape(&coverage.prm),
            };
            let by = if coverage.contributions.is_empty() {
                let clauses = prm.map(|p| w.clauses_label(p)).unwrap_or_default();
                tr!(w, "report.none-clauses", clauses = escape(&clauses))
            } else {
                coverage
                    .contributions
                    .iter()
                    .map(|c| {
                        format!(
                            "{} {} ({} {})",
                            escape(&c.process),
                            escape(&process_name(run, &c.process)),
                            c.relationship.as_str(),
                            w.number(c.score, 2)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            writeln!(out, "| {status} | {title} | {by} |")?;
        }
    }

    if group_by == GroupBy::Owner {
        write_actions(out, run)?;
        write_clauses(out, run)?;
        return write_mappings(out, run);
    }
    if !register_checks.is_empty() {
        let heading = tr!(w, "report.register-checks-n", n = register_checks.len());
        writeln!(out, "\n## {heading}\n")?;
        for finding in &register_checks {
            write_finding(out, finding, run, true)?;
        }
    }
    let mut heading = false;
    for (title, codes) in GROUPS {
        let group: Vec<&Finding> = run
            .findings
            .iter()
            .filter(|f| codes.contains(&f.code))
            .collect();
        if group.is_empty() {
            continue;
        }
        if !heading {
            writeln!(out, "\n## {}", w.word("report.findings"))?;
            heading = true;
        }
        writeln!(out, "\n### {} ({})\n", w.word(title), group.len())?;
        for finding in group {
            write_finding(out, finding, run, false)?;
        }
    }

    write_clauses(out, run)?;
    write_mappings(out, run)
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

/// A finding's message: identifiers it quotes in backticks stay code spans when they are made
/// of characters that cannot form markup; everything else is escaped.
pub(crate) fn message(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len().is_multiple_of(2) {
        // An odd number of backticks: no pairs to trust.
        return escape(text);
    }
    let mut out = String::with_capacity(text.len());
    for (i, part) in parts.iter().enumerate() {
        let identifier = !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '/' | '-'));
        match (i % 2 == 1, identifier) {
            (true, true) => {
                out.push('`');
                out.push_str(part);
                out.push('`');
            }
            (true, false) => out.push_str(&escape(&format!("`{part}`"))),
            (false, _) => out.push_str(&escape(part)),
        }
    }
    out
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
    for (document, results) in run.documents.iter().zip(run.results) {
        for (process, result) in document.register.processes.iter().zip(results) {
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
    }
    writeln!(out, "\n</details>")
}

fn process_name(run: &CheckRun<'_>, id: &str) -> String {
    run.documents
        .iter()
        .flat_map(|d| &d.register.processes)
        .find(|p| p.id == id)
        .map(|p| p.name.clone())
        .unwrap_or_default()
}

/// Make untrusted text inert in Markdown while it stays readable as raw text. For text inside a
/// line (after a list marker, in a heading or a table cell), which is where this report puts
/// it: backslash-escape only what would start markup there (backslashes, code spans, emphasis
/// with `*`, `~` and `_` at a word edge, link brackets, table pipes); write `<` and `>`, and `&`
/// where it would start an entity, as entities so no HTML (`<script>`) survives; put line
/// breaks as spaces, so text stays in its table cell or list item; show control and bidi
/// characters as `\u{...}` escapes. Hyphens, dots and parentheses in prose stay as they are.
pub fn escape(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\n' | '\r' => out.push(' '),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' if starts_entity(&chars[i + 1..]) => out.push_str("&amp;"),
            '_' if !within_word(&chars, i) => out.push_str("\\_"),
            '\\' | '`' | '*' | '~' | '[' | ']' | '|' => {
                out.push('\\');
                out.push(c);
            }
            c if is_unsafe_char(c) => out.push_str(&format!("\\\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Whether the text after an `&` would make it an entity or character reference (`amp;`,
/// `#38;`, `#x26;`).
fn starts_entity(rest: &[char]) -> bool {
    let body = rest.strip_prefix(&['#']).unwrap_or(rest);
    let body = if body.len() < rest.len() {
        body.strip_prefix(&['x'])
            .or(body.strip_prefix(&['X']))
            .unwrap_or(body)
    } else {
        body
    };
    let name = body
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    name > 0 && body.get(name) == Some(&';')
}

/// Whether the `_` at `i` has a letter or digit on both sides, where it cannot start or end
/// emphasis (`snake_case`).
fn within_word(chars: &[char], i: usize) -> bool {
    let alphanumeric = |j: Option<usize>| {
        j.and_then(|j| chars.get(j))
            .is_some_and(|c| c.is_alphanumeric())
    };
    alphanumeric(i.checked_sub(1)) && alphanumeric(Some(i + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped_and_html_is_inert() {
        assert_eq!(
            escape("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(escape("**b** [l](u) | x"), "\\*\\*b\\*\\* \\[l\\](u) \\| x");
        assert_eq!(escape("a\nb\r\nc"), "a b  c");
        assert_eq!(
            escape("R&D, a & b, &amp; &#38; &#x26;"),
            "R&D, a & b, &amp;amp; &amp;#38; &amp;#x26;"
        );
        assert_eq!(escape("\u{1b}[31m"), "\\\\u{1b}\\[31m");
        assert_eq!(escape("snake_case _em_ x_"), "snake_case \\_em\\_ x\\_");
        assert_eq!(
            escape("top-level policy (the 5.2 one) - v1.0!"),
            "top-level policy (the 5.2 one) - v1.0!"
        );
    }

    #[test]
    fn quoted_identifiers_stay_code_and_quoted_markup_is_escaped() {
        assert_eq!(message("process `SP-01` has"), "process `SP-01` has");
        assert_eq!(message("key `<b>|x`"), "key \\`&lt;b&gt;\\|x\\`");
        assert_eq!(message("odd ` tick"), "odd \\` tick");
    }

    /// The text a CommonMark reader shows for a list item holding `markdown`, and whether any
    /// markup (emphasis, a link, HTML, strikethrough, code) came out of it.
    fn rendered(markdown: &str) -> (String, bool) {
        use pulldown_cmark::{Event, Options, Parser, Tag};
        let mut text = String::new();
        let mut markup = false;
        let line = format!("- note: {markdown}\n");
        let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
        for event in Parser::new_ext(&line, options) {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::Start(Tag::List(_) | Tag::Item | Tag::Paragraph) | Event::End(_) => {}
                _ => markup = true,
            }
        }
        let text = text.strip_prefix("note:").unwrap_or(&text);
        (text.strip_prefix(' ').unwrap_or(text).to_owned(), markup)
    }

    #[test]
    fn escaped_text_reads_the_same_once_rendered() {
        let samples = [
            "top-level policy (the 5.2 one) - v1.0! #1 + 2",
            "**b** __u__ *i* _e_ ~s~ ~~x~~ `c` [l](u) ![i](s) <https://x> <b>h</b>",
            "R&D, a & b, &amp; &#38; &#x26; &copy; AT&T;",
            "snake_case x_ _y a_b_c 1_000 \\ \\* trailing\\",
            "Lenkung der ISMS-Dokumentation (ISO 27001, 7.5) | Teil [A]",
            "*",
            "_",
            "`",
            "[",
            "]",
            "|",
            "~",
            "<",
            ">",
            "&",
            "\\",
            "a]b[c",
        ];
        for sample in samples {
            let (text, markup) = rendered(&escape(sample));
            assert_eq!(text, sample, "{sample:?} escaped as {:?}", escape(sample));
            assert!(!markup, "{sample:?} made markup: {:?}", escape(sample));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 512,
            failure_persistence: None,
            ..proptest::prelude::ProptestConfig::default()
        })]
        #[test]
        fn any_printable_text_reads_the_same_once_rendered(
            sample in "[ -~äöüßé€]{0,40}"
        ) {
            // Leading and trailing spaces are not content in Markdown.
            let sample = sample.trim();
            let (text, markup) = rendered(&escape(sample));
            proptest::prop_assert_eq!(&text, sample, "escaped as {:?}", escape(sample));
            proptest::prop_assert!(!markup, "escaped as {:?}", escape(sample));
        }
    }
}
