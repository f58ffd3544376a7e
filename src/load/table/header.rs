//! The header row of a table register: cut and trimmed, the findings that stop the table (a
//! mapped header the file lacks, no id or name column) and those that do not (unknown and
//! repeated columns), and repeated columns kept as `x-` fields.

use serde_json::Value;

use super::Kind;
use crate::diag::finding::Finding;
use crate::diag::rules::Code;
use crate::load::columns::{self, Column, ColumnMap};
use crate::load::{CsvIndex, Limits, truncate_long_strings};
use crate::source::Span;

/// Where findings about the header row point, and what they call it.
pub(super) struct HeaderPlace<'l> {
    pub(super) file: usize,
    pub(super) kind: Kind,
    /// The span of the first header cell.
    pub(super) span: Option<Span>,
    /// "the header row", "the header row (Prozesse!3)".
    pub(super) label: &'l str,
}

impl HeaderPlace<'_> {
    /// A finding that stops the table from being read, at the header row.
    fn fatal(&self, message: String, help: String) -> Finding {
        Finding::new(self.kind.code, message)
            .at(self.file, "", self.span.clone())
            .help(help)
            .label(self.label.to_owned())
    }
}

/// The headers cut to the longest string allowed (each cut reported at its cell) and trimmed.
pub(super) fn truncate_headers(
    file: usize,
    mut headers: Vec<String>,
    header_spans: &[Span],
    limits: &Limits,
    findings: &mut Vec<Finding>,
) -> Vec<String> {
    for (column, name) in headers.iter_mut().enumerate() {
        let mut cell = Value::from(std::mem::take(name));
        let mut long_strings = Vec::new();
        truncate_long_strings(&mut cell, "", limits.max_string_length, &mut long_strings);
        *name = cell.as_str().unwrap_or_default().trim().to_owned();
        for long in long_strings {
            let finding = long.to_finding(limits.max_string_length);
            findings.push(finding.at(file, "", header_spans.get(column).cloned()));
        }
    }
    headers
}

/// Fatal findings for the user's mappings that name a header the file does not have.
pub(super) fn unmatched_findings(
    place: &HeaderPlace<'_>,
    headers: &[String],
    map: &ColumnMap,
) -> Vec<Finding> {
    let listed: Vec<&str> = headers.iter().map(String::as_str).collect();
    columns::unmatched(headers, map)
        .into_iter()
        .map(|choice| {
            let hint = crate::diag::suggest::closest(&choice.header, &listed)
                .map(|h| format!("did you mean `{h}`? "))
                .unwrap_or_default();
            place.fatal(
                format!(
                    "{} has no column `{}` for `{}` ({})",
                    place.kind.header, choice.header, choice.field, choice.origin
                ),
                format!("{hint}the headers are: {}", headers.join(", ")),
            )
        })
        .collect()
}

/// Fatal findings for a missing `id` or `name` column; one only when the single header holds
/// another separator (the file is split on the wrong one, so every column is missing).
pub(super) fn missing_findings(
    place: &HeaderPlace<'_>,
    headers: &[String],
    columns: &[Column],
) -> Vec<Finding> {
    let other_separator = match headers {
        [only] => [';', '\t', '|', ',']
            .into_iter()
            .find(|&c| only.contains(c)),
        _ => None,
    };
    let help = match other_separator {
        Some('\t') => "the header is separated by tabs: give --delimiter tab".to_owned(),
        Some(c) => format!("the header is separated by `{c}`: give --delimiter '{c}'"),
        None => "the header row must name the columns, at least `id` and `name`; map other \
                 headers with --column FIELD=HEADER or `columns` in prmlint.json"
            .to_owned(),
    };
    let mut findings = Vec::new();
    for required in ["id", "name"] {
        if !columns.iter().any(|c| c.field() == Some(required)) {
            findings.push(place.fatal(
                format!("{} has no `{required}` column", place.kind.header),
                help.clone(),
            ));
            if other_separator.is_some() {
                break; // one finding says it: every column is missing
            }
        }
    }
    findings
}

/// A second column read as the same field is kept as an `x-` field: nothing is lost.
pub(super) fn keep_repeated_columns(
    headers: &[String],
    columns: &mut [Column],
    fields: &mut [String],
) {
    for i in 0..columns.len() {
        let field = columns[i].field().map(str::to_owned);
        if field.is_some() && columns[..i].iter().any(|c| c.field() == field.as_deref()) {
            columns[i] = Column::Unknown {
                kept_as: format!("x-{}", headers[i]),
                suggestion: None,
            };
            fields[i] = format!("x-{}", headers[i]);
        }
    }
}

/// Findings about the header row that do not stop the reading: unknown and repeated columns.
pub(super) fn header_findings(
    file: usize,
    headers: &[String],
    columns: &[Column],
    index: &CsvIndex,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (column, (header, resolved)) in headers.iter().zip(columns).enumerate() {
        let span = index.header_spans.get(column).cloned();
        if let Column::Unknown {
            kept_as,
            suggestion,
        } = resolved
        {
            findings.push(unknown_column_finding(
                file,
                header,
                kept_as,
                *suggestion,
                span.clone(),
            ));
        }
        let Some(field) = resolved.field() else {
            continue;
        };
        let first = columns[..column]
            .iter()
            .position(|c| c.field() == Some(field));
        if let Some(first) = first {
            let message = if headers[first] == *header {
                format!("column `{header}` appears twice")
            } else {
                format!(
                    "columns `{}` and `{header}` are both read as `{field}`",
                    headers[first]
                )
            };
            findings.push(
                Finding::new(Code::DuplicateKey, message)
                    .at(file, format!("/processes/0/{field}"), span)
                    .label("repeated here")
                    .secondary(index.header_spans.get(first).cloned(), "first here")
                    .help(
                        "remove or rename one of them, or say which is which with --column: only \
                         one value per row is read",
                    ),
            );
        }
    }
    findings
}

/// The warning for a column that is no register field, kept as `kept_as`.
fn unknown_column_finding(
    file: usize,
    header: &str,
    kept_as: &str,
    suggestion: Option<&str>,
    span: Option<Span>,
) -> Finding {
    let help = match suggestion {
        Some(s) => format!(
            "did you mean `{s}`? Map it with --column {s}=\"{header}\" or `columns` in \
             prmlint.json; otherwise its values are kept as `{kept_as}`"
        ),
        None => format!(
            "map it onto a register field with --column FIELD=\"{header}\" or `columns` \
             in prmlint.json, or name it `x-...` to keep it as vendor data (it is kept \
             as `{kept_as}`)"
        ),
    };
    // A warning, not the error of an unknown JSON key: exports carry columns of their own, and
    // the values are kept as an `x-` field, so nothing is lost.
    Finding::new(Code::UnknownProperty, format!("unknown column `{header}`"))
        .severity(crate::diag::finding::Severity::Warning)
        .at(file, format!("/processes/0/{header}"), span)
        .label("not a register field")
        .help(help)
}
