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
        let mut headers = headers;
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
        let mut columns = columns::resolve(&headers, map);
        let first_span = header_spans.first().cloned();
        let fatal = |message: String, help: String| {
            Finding::new(kind.code, message)
                .at(file, "", first_span.clone())
                .help(help)
        };
        for choice in columns::unmatched(&headers, map) {
            let hint = crate::schema::closest(
                &choice.header,
                &headers.iter().map(String::as_str).collect::<Vec<_>>(),
            )
            .map(|h| format!("did you mean `{h}`? "))
            .unwrap_or_default();
            findings.push(
                fatal(
                    format!(
                        "{} has no column `{}` for `{}` ({})",
                        kind.header, choice.header, choice.field, choice.origin
                    ),
                    format!("{hint}the headers are: {}", headers.join(", ")),
                )
                .label(header_label.to_owned()),
            );
        }
        // A single header holding another separator: the file is split on the wrong one.
        let other_separator = match headers.as_slice() {
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
        for required in ["id", "name"] {
            if !columns.iter().any(|c| c.field() == Some(required)) {
                findings.push(
                    fatal(
                        format!("{} has no `{required}` column", kind.header),
                        help.clone(),
                    )
                    .label(header_label.to_owned()),
                );
                if other_separator.is_some() {
                    break; // one finding says it: every column is missing
                }
            }
        }
        let fields: Vec<String> = columns
            .iter()
            .map(|c| c.field().unwrap_or_default().to_owned())
            .collect();
        let index = CsvIndex {
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
        let mut index = index;
        // A second column read as the same field is kept as an `x-` field: nothing is lost.
        for i in 0..columns.len() {
            let field = columns[i].field().map(str::to_owned);
            if field.is_some() && columns[..i].iter().any(|c| c.field() == field.as_deref()) {
                columns[i] = Column::Unknown {
                    kept_as: format!("x-{}", headers[i]),
                    suggestion: None,
                };
                index.headers[i] = format!("x-{}", headers[i]);
            }
        }
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
        let file = self.file;
        if self.entries == self.limits.max_processes {
            self.findings.push(
                Finding::new(
                    Code::Limit,
                    format!(
                        "the register holds more than {} processes",
                        self.limits.max_processes
                    ),
                )
                .at(file, "/processes", spans.first().cloned())
                .help("raise the limit with --max-processes"),
            );
            self.stopped = true;
            return;
        }
        let row = self.entries;
        self.entries += 1;
        if ragged && cells.len() != self.columns.len() {
            let row_span = spans
                .first()
                .map(|first| first.start..spans.last().map_or(first.end, |last| last.end));
            self.findings.push(
                Finding::new(
                    self.kind.code,
                    format!(
                        "row {} has {} cells but the header has {}",
                        row + 1,
                        cells.len(),
                        self.columns.len()
                    ),
                )
                .at(file, format!("/processes/{row}"), row_span)
                .help(
                    "every row needs one cell per header column; quote cells that contain the separator",
                ),
            );
        }
        let mut value = row_value(&self.columns, cells);
        self.index.rows.push(spans);
        let mut long_strings = Vec::new();
        let pointer = format!("/processes/{row}");
        truncate_long_strings(
            &mut value,
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
            for error in validators.check_process(row, &value) {
                let pointer = error.pointer().to_owned();
                if error.points_at_key() {
                    continue; // unknown columns were reported once, at the header
                }
                let span = self.index.span(&pointer);
                self.findings
                    .push(error.to_finding().at(file, pointer, span));
            }
        }
        if let Some(rows) = &mut self.rows {
            rows.push(value.clone());
        }
        if let Some(process) = Process::from_value(row, value) {
            self.processes.push(process);
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
            findings.push(
                // A warning, not the error of an unknown JSON key: exports carry columns of
                // their own, and the values are kept as an `x-` field, so nothing is lost.
                Finding::new(Code::UnknownProperty, format!("unknown column `{header}`"))
                    .severity(crate::finding::Severity::Warning)
                    .at(file, format!("/processes/0/{header}"), span.clone())
                    .label("not a register field")
                    .help(help),
            );
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

pub(super) fn finish(
    file: usize,
    source: SourceFile,
    index: CsvIndex,
    register: Register,
    findings: Vec<Finding>,
) -> Loaded {
    Loaded {
        document: Document {
            source,
            locator: Locator::Csv(index),
            register,
            file,
        },
        findings,
        notes: Vec::new(),
        rows: Vec::new(),
    }
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
