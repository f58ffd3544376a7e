//! CSV registers: the records and where each cell sits in the text; the separator is detected
//! or given. The rows are read into processes by [`super::table`].

use super::columns::ColumnMap;
use super::table::{HEADER_SEARCH_ROWS, Kind, TableReader, finish, is_header};
use super::text::sniff_delimiter;
use super::{Limits, Loaded, TableOptions};
use crate::diag::finding::Finding;
use crate::diag::rules::Code;
use crate::source::register::Register;
use crate::source::{SourceFile, Span};

/// Where each cell of a table register (CSV, or a worksheet's text) sits in its text.
#[derive(Debug, Default)]
pub struct CsvIndex {
    /// The register field each column is read into.
    pub(super) headers: Vec<String>,
    /// The header of each column as the file writes it.
    pub(super) header_texts: Vec<String>,
    pub(super) header_spans: Vec<Span>,
    /// Per data row, the span of each cell.
    pub(super) rows: Vec<Vec<Span>>,
    /// For a worksheet: the cell reference of each place in the text.
    pub(super) cells: Option<super::workbook::CellNames>,
}

impl CsvIndex {
    /// Each column's header as written and the field it is read into (empty for a column that
    /// is not read).
    pub fn columns(&self) -> impl Iterator<Item = (&str, &str)> {
        self.header_texts
            .iter()
            .map(String::as_str)
            .zip(self.headers.iter().map(String::as_str))
    }

    /// For a worksheet: the sheet read.
    pub fn sheet(&self) -> Option<&str> {
        self.cells.as_ref().map(|c| c.sheet())
    }

    /// Span of the cell a register pointer refers to (list items map to their cell).
    pub fn span(&self, pointer: &str) -> Option<Span> {
        let mut tokens = pointer.split('/').skip(1);
        if tokens.next() != Some("processes") {
            return self.header_spans.first().cloned();
        }
        let row = self.rows.get(tokens.next()?.parse::<usize>().ok()?)?;
        let Some(field) = tokens.next() else {
            return row.first().cloned();
        };
        let column = self.headers.iter().position(|h| h == field);
        column
            .and_then(|c| row.get(c).cloned())
            .or_else(|| row.first().cloned())
    }

    /// A cell has no key of its own: a finding about a field of one process points at that
    /// process's cell, never at the header, which all rows share. (Unknown columns are reported
    /// at their header cell by the loader.)
    pub fn key_span(&self, pointer: &str) -> Option<Span> {
        self.span(pointer)
    }
}

/// Where a record's first cell starts. After a CRLF line end the csv crate places the next
/// record at the `\n`; its first cell starts after the line break.
fn record_start(text: &str, record: &csv::StringRecord) -> usize {
    let start = record.position().map_or(0, |p| p.byte() as usize);
    start
        + text.as_bytes()[start.min(text.len())..]
            .iter()
            .take_while(|&&b| matches!(b, b'\r' | b'\n'))
            .count()
}

/// Spans of the cells of the record starting at `start`, scanning the text the way RFC 4180
/// reads it (quoted cells may hold the separator, quotes and line breaks).
fn cell_spans(text: &str, start: usize, delimiter: u8) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut i = start;
    loop {
        let cell_start = i;
        if bytes.get(i) == Some(&b'"') {
            i += 1;
            while i < bytes.len() {
                if bytes[i] == b'"' {
                    if bytes.get(i + 1) == Some(&b'"') {
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                i += 1;
            }
        }
        while i < bytes.len() && bytes[i] != delimiter && !matches!(bytes[i], b'\n' | b'\r') {
            i += 1;
        }
        spans.push(cell_start..i);
        if bytes.get(i) == Some(&delimiter) {
            i += 1;
        } else {
            return spans;
        }
    }
}

/// Load a CSV register: the separator given or detected, the header found below any title
/// rows, each record read as a row of the table.
pub(super) fn load(
    file: usize,
    source: SourceFile,
    limits: &Limits,
    options: &TableOptions,
) -> Loaded {
    let delimiter = options
        .delimiter
        .unwrap_or_else(|| sniff_delimiter(&source.text));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(source.text.as_bytes());
    let mut records = reader.records();
    let first = match records.next() {
        Some(Ok(first)) => first,
        first => {
            let finding = match first {
                Some(Err(e)) => csv_error(file, &e, "fix the header row"),
                _ => fatal(
                    file,
                    "the CSV file is empty".into(),
                    None,
                    "the first row must name the columns, at least `id` and `name`",
                ),
            };
            let index = CsvIndex::default();
            return finish(file, source, index, Register::default(), vec![finding]);
        }
    };
    let search = find_header(first, &mut records, &options.columns);
    let kind = Kind {
        header: "the CSV header",
        code: Code::Csv,
    };
    let header_start = record_start(&source.text, &search.header);
    let mut table = match TableReader::new(
        file,
        kind,
        search.header.iter().map(str::to_owned).collect(),
        cell_spans(&source.text, header_start, delimiter),
        options,
        limits,
        "the header row",
    ) {
        Ok(table) => table,
        Err(refused) => {
            let (index, findings) = *refused;
            return finish(file, source, index, Register::default(), findings);
        }
    };
    let rest = search
        .ahead
        .into_iter()
        .map(Ok)
        .chain(search.error_ahead.map(Err))
        .chain(records);
    read_rows(file, &mut table, rest, &source.text, delimiter);
    table.finish(source)
}

/// A finding that stops the CSV file from being read.
fn fatal(file: usize, message: String, span: Option<Span>, help: &str) -> Finding {
    Finding::new(Code::Csv, message)
        .at(file, "", span)
        .help(help.to_owned())
}

/// A CSV syntax error, placed at the byte where the reader found it.
fn csv_error(file: usize, e: &csv::Error, help: &str) -> Finding {
    let span = e
        .position()
        .map(|p| p.byte() as usize..p.byte() as usize + 1);
    fatal(file, format!("invalid CSV: {e}"), span, help)
}

/// The header record, the records read past it while looking for it, and the error that
/// stopped the search.
struct HeaderSearch {
    header: csv::StringRecord,
    ahead: Vec<csv::StringRecord>,
    error_ahead: Option<csv::Error>,
}

/// Title and note rows a spreadsheet writes above the header are skipped: the header is the
/// first of the first rows that names an id and a name column (else the first row, whose
/// missing columns are then reported).
fn find_header(
    first: csv::StringRecord,
    records: &mut impl Iterator<Item = csv::Result<csv::StringRecord>>,
    map: &ColumnMap,
) -> HeaderSearch {
    let mut search = HeaderSearch {
        header: first,
        ahead: Vec::new(),
        error_ahead: None,
    };
    if is_header(search.header.iter(), map) {
        return search;
    }
    while search.ahead.len() < HEADER_SEARCH_ROWS {
        match records.next() {
            Some(Ok(record)) => {
                let found = is_header(record.iter(), map);
                search.ahead.push(record);
                if found {
                    break;
                }
            }
            Some(Err(e)) => {
                search.error_ahead = Some(e);
                break;
            }
            None => break,
        }
    }
    if let Some(at) = search.ahead.iter().position(|r| is_header(r.iter(), map)) {
        search.header = search.ahead[at].clone();
        search.ahead.drain(..=at);
    }
    search
}

/// Hand each record after the header to the table, until the end, a CSV error or a limit.
fn read_rows(
    file: usize,
    table: &mut TableReader<'_>,
    records: impl Iterator<Item = csv::Result<csv::StringRecord>>,
    text: &str,
    delimiter: u8,
) {
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                table.stop(csv_error(
                    file,
                    &e,
                    "quote cells that contain the separator, quotes or line breaks",
                ));
                break;
            }
        };
        let cells: Vec<&str> = record.iter().collect();
        if cells.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let start = record_start(text, &record);
        table.row(&cells, cell_spans(text, start, delimiter), true);
        if table.stopped {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_spans_follow_quotes_and_embedded_newlines() {
        let text = "id,name\nP1,\"a, \"\"b\"\"\nc\"\nP2,x\n";
        let spans = cell_spans(text, 8, b',');
        let cells: Vec<&str> = spans.iter().map(|s| &text[s.clone()]).collect();
        assert_eq!(cells, vec!["P1", "\"a, \"\"b\"\"\nc\""]);
    }
}
