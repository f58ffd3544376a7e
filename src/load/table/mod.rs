//! Registers that are tables (CSV files and worksheets): a header row naming the fields, one
//! process per row, list fields split on `;` or line breaks, `maps_to` cells as
//! `prm-id:relationship` items. Both readers hand their cells here, with the span of each cell
//! in the document's text, and get the same register, index and findings back.

mod header;

use serde_json::{Map, Value};

use super::columns::{self, Column, ColumnMap};
use super::{CsvIndex, Document, Limits, Loaded, Locator, truncate_long_strings};
use crate::diag::finding::Finding;
use crate::diag::rules::Code;
use crate::source::register::{Metadata, Process, Register};
use crate::source::{SourceFile, Span};
use crate::validate::schema::Validators;

use self::header::{
    HeaderPlace, header_findings, keep_repeated_columns, missing_findings, truncate_headers,
    unmatched_findings,
};

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
