//! Rendering findings for people: miette's graphical report, fed from the source text.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use crate::diag::finding::{Finding, Severity};
use crate::load::Document;
use crate::report::{is_unsafe_char, terminal_safe};

/// Lines of context shown around an underlined span.
const CONTEXT_LINES: usize = 1;

/// Longest span underlined whole; a longer one (a whole process, a whole minified register) is
/// underlined at its first character, so a diagnostic never reprints the file.
const MAX_SPAN: usize = 400;

/// Bytes of a long line shown on each side of a span: a minified register is one line, and
/// printing it whole for every finding would bury the report.
const LINE_WINDOW: usize = 80;

/// A source file as miette sees it, reading spans through the file's line index so that a
/// large register is not rescanned for every finding.
struct Source<'a> {
    document: &'a Document,
    /// The text snippets are cut from: the document's, made safe for a terminal.
    text: &'a str,
}

/// The text with every character that is unsafe on a terminal (see [`is_unsafe_char`]) replaced
/// by a placeholder of the same UTF-8 length (U+FFFD for the three-byte bidi controls, `?` per
/// byte otherwise), so that spans, character boundaries and line breaks stay where they are;
/// the `\r` of a `\r\n` line end becomes a space. `None` when there is nothing to replace.
fn terminal_safe_source(text: &str) -> Option<String> {
    if !text.chars().any(is_unsafe_char) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => out.push(' '),
            c if is_unsafe_char(c) => match c.len_utf8() {
                3 => out.push('\u{FFFD}'),
                n => out.extend(std::iter::repeat_n('?', n)),
            },
            c => out.push(c),
        }
    }
    Some(out)
}

impl SourceCode for Source<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let file = &self.document.source;
        let text = self.text;
        let start = span.offset();
        let end = start + span.len();
        if end > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let with_context = before > 0 || after > 0;
        // miette merges the contexts of nearby labels into one span; refusing a long one keeps
        // them apart, so two places far apart on one long line are shown as two snippets.
        if with_context && span.len() > MAX_SPAN {
            return Err(MietteError::OutOfBounds);
        }
        let start_line = file.line_of(start);
        let end_line = file.line_of(end.saturating_sub(usize::from(!span.is_empty())));
        let mut first_line = start_line.saturating_sub(before);
        let mut data_start = file.line_start(first_line);
        let mut data_end = file.line_start(end_line + after + 1).min(text.len());
        // On a long line, show a window around the span instead of the whole line (and no
        // context lines on that side, which would no longer be contiguous with the window).
        if start - file.line_start(start_line) > 2 * LINE_WINDOW {
            data_start = floor_char_boundary(text, start - LINE_WINDOW);
            first_line = start_line;
        }
        let end_of_line = file.line_start(end_line + 1).min(text.len());
        if end_of_line.saturating_sub(end) > 2 * LINE_WINDOW {
            data_end = ceil_char_boundary(text, end + LINE_WINDOW);
        }
        let data = &text.as_bytes()[data_start..data_end];
        // With no context asked for, miette wants the span's own position (for the
        // `file:line:column` header); with context, the position where the data starts.
        let (line, column) = if !with_context {
            let (line, column) = file.line_col(start);
            (line - 1, column - 1)
        } else {
            (first_line, file.line_col(data_start).1 - 1)
        };
        let (data, data_start) = if !with_context {
            (&text.as_bytes()[start..end], start)
        } else {
            (data, data_start)
        };
        let data_end = data_start + data.len();
        Ok(Box::new(MietteSpanContents::new_named(
            terminal_safe(&file.name),
            data,
            SourceSpan::from(data_start..data_end),
            line,
            column,
            data.iter().filter(|&&b| b == b'\n').count() + 1,
        )))
    }
}

/// The largest character boundary at or before `i`.
fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest character boundary at or after `i` (at most the text's end).
fn ceil_char_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// A span short enough to underline: long ones shrink to their first character.
fn underline(text: &str, span: &std::ops::Range<usize>) -> SourceSpan {
    if span.len() <= MAX_SPAN {
        return SourceSpan::from(span.clone());
    }
    let first = text
        .get(span.start..)
        .and_then(|rest| rest.chars().next())
        .map_or(0, char::len_utf8);
    SourceSpan::from(span.start..span.start + first)
}

struct Rendered<'a> {
    finding: &'a Finding,
    source: Option<Source<'a>>,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rendered").finish_non_exhaustive()
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&terminal_safe(&self.finding.message))
    }
}

impl std::error::Error for Rendered<'_> {}

impl Diagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.finding.code.as_str()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.finding
            .advice()
            .map(|h| Box::new(terminal_safe(&h).to_string()) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let document = self.source.as_ref()?.document;
        let text = &document.source.text;
        // In a workbook, every underline names its cell (`Prozesse!C12`).
        let named = |span: &std::ops::Range<usize>, label: Option<&str>| match (
            document.cell_name(span),
            label,
        ) {
            (Some(cell), Some(label)) => Some(terminal_safe(&format!("{cell}: {label}"))),
            (Some(cell), None) => Some(terminal_safe(&cell)),
            (None, label) => label.map(terminal_safe),
        };
        let primary = self.finding.span.as_ref().map(|span| {
            LabeledSpan::new_primary_with_span(
                named(span, self.finding.label.as_deref()),
                underline(text, span),
            )
        });
        let secondary = self.finding.labels.iter().map(move |label| {
            LabeledSpan::new_with_span(
                named(&label.span, Some(&label.text)),
                underline(text, &label.span),
            )
        });
        Some(Box::new(primary.into_iter().chain(secondary)))
    }
}

/// Renders findings as compiler-style diagnostics.
#[derive(Debug)]
pub struct DiagnosticRenderer {
    handler: GraphicalReportHandler,
    /// Per document (file number and length), its text made safe for a terminal, when it needs
    /// it: made once, not once per finding.
    safe_sources: RefCell<HashMap<(usize, usize), Option<String>>>,
}

impl DiagnosticRenderer {
    pub fn new(color: bool) -> Self {
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_context_lines(CONTEXT_LINES)
            .with_width(100)
            .with_links(false);
        Self {
            handler,
            safe_sources: RefCell::default(),
        }
    }

    /// Render one finding; `document` is the file it points into, if any.
    pub fn render(
        &self,
        out: &mut String,
        finding: &Finding,
        document: Option<&Document>,
    ) -> fmt::Result {
        let has_text = document.is_some_and(|d| !d.source.text.is_empty());
        let mut safe_sources = self.safe_sources.borrow_mut();
        let source = match (document, finding.span.is_some() && has_text) {
            (Some(document), true) => {
                let text = &document.source.text;
                let safe = safe_sources
                    .entry((document.file, text.len()))
                    .or_insert_with(|| terminal_safe_source(text));
                Some(Source {
                    document,
                    text: safe.as_deref().unwrap_or(text),
                })
            }
            _ => None,
        };
        let rendered = Rendered { finding, source };
        self.handler.render_report(out, &rendered)?;
        // Without a span miette cannot name the file: say where the finding is.
        if rendered.source.is_none()
            && let Some(document) = document
        {
            let pointer = finding.pointer.as_deref().unwrap_or("");
            out.push_str(&format!(
                "  at {}{}{}\n",
                terminal_safe(&document.source.name),
                if pointer.is_empty() { "" } else { " " },
                terminal_safe(pointer)
            ));
        }
        Ok(())
    }
}
