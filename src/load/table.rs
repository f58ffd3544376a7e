//! Registers that are tables (CSV files and worksheets): a header row naming the fields, one
//! process per row, list fields split on `;` or line breaks, `maps_to` cells as
//! `prm-id:relationship` items. Both readers hand their cells here, with the span of each cell
//! in the document's text, and get the same register, index and findings back.

use serde_json::{Map, Value};

use super::columns::{self, Column, ColumnMap};
use super::{CsvIndex, Document, Limits, Loaded, Locator, truncate_long_strings};
use crate::finding::Finding;
use crate::register::{Metadata, Process, Register};
use crate::rules::Code;
use crate::schema::Validators;
use crate::source::{SourceFile, Span};

const LIST_FIELDS: &[&str] = &["activities", "inputs", "outputs", "frameworks", "tags"];

/// What kind of table is read, for messages and the code of fatal findings.
#[derive(Debug, Clone, Copy)]
pub(super) struct Kind {
    /// "the CSV header", "the header row of sheet `Prozesse`".
    pub header: &'static str,
    /// Code of findings that stop the table from being read.
    pub code: Code,
}

/// Reads rows of cells into processes, one at a time.
#[derive(Debug)]
pub(super) struct TableReader<'a> {
    file: usize,
    kind: Kind,
    limits: &'a Limits,
    columns: Vec<Column>,
    pub index: CsvIndex,
    pub findings: Vec<Finding>,
    processes: Vec<Process>,
    entries: usize,
    /// Set when a limit stopped the reading: later rows are not read.
    pub stopped: bool,
    /// Each row's value, when the caller keeps them.
    rows: Option<Vec<Value>>,
}

impl<'a> TableReader<'a> {
    /// Resolve the header row. Findings that stop the table (no id or name column, a mapped
    /// header the file does not have) are returned as `Err` with the reader's findings.
    pub(super) fn new(
        file: usize,
        kind: Kind,
        headers: Vec<String>,
        header_spans: Vec<Span>,
        options: &super::TableOptions,
        limits: &'a Limits,
        header_label: &str,
    ) -> Result<Self, Box<(CsvIndex, Vec<Finding>)>> {
        let map = &options.columns;
        let mut findings = Vec::new();
        let headers = truncate_headers(file, headers, &header_spans, limits, &mut findings);
        let mut columns = columns::resolve(&headers, map);
        let place = HeaderPlace {
            file,
            kind,
            span: header_spans.first().cloned(),
            label: header_label,
        };
        findings.extend(unmatched_findings(&place, &headers, map));
        findings.extend(missing_findings(&place, &headers, &columns));
        let fields: Vec<String> = columns
            .iter()
            .map(|c| c.field().unwrap_or_default().to_owned())
            .collect();
        let mut index = CsvIndex {
            headers: fields,
            header_texts: headers.clone(),
            header_spans,
            rows: Vec::new(),
            cells: None,
        };
        if findings.iter().any(|f| f.code == kind.code) {
            return Err(Box::new((index, findings)));
        }
        findings.extend(header_findings(file, &headers, &columns, &index));
        keep_repeated_columns(&headers, &mut columns, &mut index.headers);
        Ok(TableReader {
            rows: options.keep_rows.then(Vec::new),
            file,
            kind,
            limits,
            columns,
            index,
            findings,
            processes: Vec::new(),
            entries: 0,
            stopped: false,
        })
    }

    /// Read one row: its cells and their spans. Blank rows are skipped. `ragged` says whether
    /// a row with another number of cells than the header is an error (CSV) or normal (a
    /// worksheet row ends at its last filled cell).
    pub(super) fn row(&mut self, cells: &[&str], spans: Vec<Span>, ragged: bool) {
        if self.stopped || cells.iter().all(|cell| cell.trim().is_empty()) {
            return;
        }
        if self.entries == self.limits.max_processes {
            let finding = Finding::new(
                Code::Limit,
                format!(
                    "the register holds more than {} processes",
                    self.limits.max_processes
                ),
            )
            .at(self.file, "/processes", spans.first().cloned())
            .help("raise the limit with --max-processes");
            self.stop(finding);
            return;
        }
        let row = self.entries;
        self.entries += 1;
        if ragged && cells.len() != self.columns.len() {
            let finding = self.ragged_finding(row, cells.len(), &spans);
            self.findings.push(finding);
        }
        let mut value = row_value(&self.columns, cells);
        self.index.rows.push(spans);
        self.check_row(row, &mut value);
        if let Some(rows) = &mut self.rows {
            rows.push(value.clone());
        }
        if let Some(process) = Process::from_value(row, value) {
            self.processes.push(process);
        }
    }

    /// The error of a CSV row with another number of cells than the header.
    fn ragged_finding(&self, row: usize, cells: usize, spans: &[Span]) -> Finding {
        let row_span = spans
            .first()
            .map(|first| first.start..spans.last().map_or(first.end, |last| last.end));
        Finding::new(
            self.kind.code,
            format!(
                "row {} has {cells} cells but the header has {}",
                row + 1,
                self.columns.len()
            ),
        )
        .at(self.file, format!("/processes/{row}"), row_span)
        .help("every row needs one cell per header column; quote cells that contain the separator")
    }

    /// Cut the over-long strings of a row's value and check it with the schema, reporting each
    /// at its cell (the row's spans are already in the index).
    fn check_row(&mut self, row: usize, value: &mut Value) {
        let file = self.file;
        let mut long_strings = Vec::new();
        let pointer = format!("/processes/{row}");
        truncate_long_strings(
            value,
            &pointer,
            self.limits.max_string_length,
            &mut long_strings,
        );
        for long in long_strings {
            let span = self.index.span(&long.source_pointer);
            let finding = long.to_finding(self.limits.max_string_length);
            self.findings.push(finding.at(file, long.pointer, span));
        }
        if let Ok(validators) = Validators::get() {
            for error in validators.check_process(row, value) {
                let pointer = error.pointer().to_owned();
                if error.points_at_key() {
                    continue; // unknown columns were reported once, at the header
                }
                let span = self.index.span(&pointer);
                self.findings
                    .push(error.to_finding().at(file, pointer, span));
            }
        }
    }

    /// A finding that stops the reading of rows (a reader's own error).
    pub(super) fn stop(&mut self, finding: Finding) {
        self.findings.push(finding);
        self.stopped = true;
    }

    pub(super) fn finish(self, source: SourceFile) -> Loaded {
        let register = Register {
            metadata: Metadata::default(),
            processes: self.processes,
            entries: self.entries,
        };
        let mut loaded = finish(self.file, source, self.index, register, self.findings);
        loaded.rows = self.rows.unwrap_or_default();
        loaded
    }
}

/// Rows above the header that may hold titles, notes or nothing (a spreadsheet's title rows
/// come along in its CSV export too) before the readers stop looking for the header row.
pub(super) const HEADER_SEARCH_ROWS: usize = 50;

/// Whether a row of cells is a header row: it names an id and a name column.
pub(super) fn is_header<'h>(cells: impl IntoIterator<Item = &'h str>, map: &ColumnMap) -> bool {
    let headers: Vec<String> = cells.into_iter().map(str::to_owned).collect();
    let resolved = columns::resolve(&headers, map);
    let has = |field: &str| resolved.iter().any(|c| c.field() == Some(field));
    has("id") && has("name")
}

/// Where findings about the header row point, and what they call it.
struct HeaderPlace<'l> {
    file: usize,
    kind: Kind,
    /// The span of the first header cell.
    span: Option<Span>,
    /// "the header row", "the header row (Prozesse!3)".
    label: &'l str,
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
fn truncate_headers(
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
fn unmatched_findings(
    place: &HeaderPlace<'_>,
    headers: &[String],
    map: &ColumnMap,
) -> Vec<Finding> {
    let listed: Vec<&str> = headers.iter().map(String::as_str).collect();
    columns::unmatched(headers, map)
        .into_iter()
        .map(|choice| {
            let hint = crate::schema::closest(&choice.header, &listed)
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
fn missing_findings(
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
fn keep_repeated_columns(headers: &[String], columns: &mut [Column], fields: &mut [String]) {
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
fn header_findings(
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
        .severity(crate::finding::Severity::Warning)
        .at(file, format!("/processes/0/{header}"), span)
        .label("not a register field")
        .help(help)
}

pub(super) fn finish(
    file: usize,
    source: SourceFile,
    index: CsvIndex,
    register: Register,
    findings: Vec<Finding>,
) -> Loaded {
    let document = Document {
        source,
        locator: Locator::Csv(index),
        register,
        file,
    };
    Loaded::new(document, findings)
}

/// The JSON form of one row, so that the register schema can check it.
pub(super) fn row_value(columns: &[Column], cells: &[&str]) -> Value {
    let mut object = Map::new();
    for (column, cell) in columns.iter().zip(cells) {
        let cell = cell.trim();
        let Some(name) = column.field() else {
            continue;
        };
        if cell.is_empty() || object.contains_key(name) {
            continue;
        }
        let value = if LIST_FIELDS.contains(&name) {
            Value::Array(split_list(cell).map(Value::from).collect())
        } else if name == "maps_to" {
            Value::Array(split_list(cell).map(mapping_value).collect())
        } else if name == "status" {
            Value::from(columns::status(cell).unwrap_or(cell))
        } else {
            Value::from(cell)
        };
        object.insert(name.to_owned(), value);
    }
    Value::Object(object)
}

/// Items of a list cell: separated by `;` or by line breaks (a spreadsheet cell with one item
/// per line), bullets at the start of a line dropped.
fn split_list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split([';', '\n', '\r'])
        .map(|item| item.trim().trim_start_matches(['•', '◦', '▪']).trim())
        .filter(|s| !s.is_empty())
}

/// `risk-assessment:equal` -> `{"prm": "risk-assessment", "relationship": "equal"}`; an item
/// without a relationship keeps only `prm`, so the schema reports what is missing.
fn mapping_value(item: &str) -> Value {
    let mut object = Map::new();
    match item.split_once(':') {
        Some((prm, relationship)) => {
            object.insert("prm".into(), Value::from(prm.trim()));
            object.insert("relationship".into(), Value::from(relationship.trim()));
        }
        None => {
            object.insert("prm".into(), Value::from(item));
        }
    }
    Value::Object(object)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_to_cells_become_declared_mappings() {
        let columns = vec![Column::Named("id".into()), Column::Named("maps_to".into())];
        assert_eq!(
            row_value(&columns, &["P1", "risk-assessment:equal; improvement"]),
            serde_json::json!({"id": "P1", "maps_to": [
                {"prm": "risk-assessment", "relationship": "equal"},
                {"prm": "improvement"}
            ]})
        );
    }

    #[test]
    fn list_cells_split_on_semicolons_and_line_breaks() {
        let columns = vec![
            Column::Named("activities".into()),
            Column::Alias("status".into()),
            Column::Unknown {
                kept_as: "x-Prio".into(),
                suggestion: None,
            },
            Column::Blank,
        ];
        assert_eq!(
            row_value(
                &columns,
                &[
                    "• Log\r\n• Contain; Recover\n\nReport",
                    "Entwurf",
                    "high",
                    "lost"
                ]
            ),
            serde_json::json!({
                "activities": ["Log", "Contain", "Recover", "Report"],
                "status": "draft",
                "x-Prio": "high"
            })
        );
    }
}
