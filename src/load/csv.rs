//! CSV registers: a header row of register field names, one process per row, list fields
//! separated by `;`, `maps_to` cells as `prm-id:relationship` items.

use serde_json::{Map, Value};

use super::{Document, Limits, Loaded, Locator, truncate_long_strings};
use crate::finding::Finding;
use crate::register::{Process, Register};
use crate::rules::Code;
use crate::schema::{PROCESS_KEYS, Validators, closest};
use crate::source::{SourceFile, Span};

const LIST_FIELDS: &[&str] = &["activities", "inputs", "outputs", "frameworks", "tags"];

/// Where each cell of a CSV register sits in its text.
#[derive(Debug, Default)]
pub struct CsvIndex {
    headers: Vec<String>,
    header_spans: Vec<Span>,
    /// Per data row, the span of each cell.
    rows: Vec<Vec<Span>>,
}

impl CsvIndex {
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

/// Spans of the cells of the record starting at `start`, scanning the text the way RFC 4180
/// reads it (quoted cells may hold commas, quotes and line breaks).
fn cell_spans(text: &str, start: usize) -> Vec<Span> {
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
        while i < bytes.len() && !matches!(bytes[i], b',' | b'\n' | b'\r') {
            i += 1;
        }
        spans.push(cell_start..i);
        if bytes.get(i) == Some(&b',') {
            i += 1;
        } else {
            return spans;
        }
    }
}

pub(super) fn load(file: usize, source: SourceFile, limits: &Limits) -> Loaded {
    let mut findings = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(source.text.as_bytes());
    let mut index = CsvIndex::default();
    let mut records = reader.records();
    let fatal = |message: String, span: Option<Span>, help: &str| {
        Finding::new(Code::Csv, message)
            .at(file, "", span)
            .help(help.to_owned())
    };
    let header = match records.next() {
        Some(Ok(header)) => header,
        Some(Err(e)) => {
            let span = e
                .position()
                .map(|p| p.byte() as usize..p.byte() as usize + 1);
            findings.push(fatal(
                format!("invalid CSV: {e}"),
                span,
                "fix the header row",
            ));
            return finish(file, source, index, Register::default(), findings);
        }
        None => {
            findings.push(fatal(
                "the CSV file is empty".into(),
                None,
                "the first row must name the columns, at least `id` and `name`",
            ));
            return finish(file, source, index, Register::default(), findings);
        }
    };
    index.headers = header.iter().map(|h| h.trim().to_owned()).collect();
    index.header_spans = cell_spans(&source.text, 0);
    // Spreadsheets set to a European locale export `;`-separated files, whose header then
    // reads as one column.
    let other_separator = match index.headers.as_slice() {
        [only] => [';', '\t'].into_iter().find(|&c| only.contains(c)),
        _ => None,
    };
    let help = match other_separator {
        Some(';') => "the header is separated by `;`: export the CSV with commas as separators",
        Some(_) => "the header is separated by tabs: export the CSV with commas as separators",
        None => "the first row must name the columns, at least `id` and `name`",
    };
    for required in ["id", "name"] {
        if !index.headers.iter().any(|h| h == required) {
            findings.push(fatal(
                format!("the CSV header has no `{required}` column"),
                index.header_spans.first().cloned(),
                help,
            ));
            if other_separator.is_some() {
                break; // one finding says it: every column is missing
            }
        }
    }
    if !findings.is_empty() {
        return finish(file, source, index, Register::default(), findings);
    }
    for (column, name) in index.headers.iter_mut().enumerate() {
        let mut cell = Value::from(std::mem::take(name));
        let mut long_strings = Vec::new();
        truncate_long_strings(&mut cell, "", limits.max_string_length, &mut long_strings);
        *name = cell.as_str().unwrap_or_default().to_owned();
        for long in long_strings {
            let finding = long.to_finding(limits.max_string_length);
            findings.push(finding.at(file, "", index.header_spans.get(column).cloned()));
        }
    }
    for (column, name) in index.headers.iter().enumerate() {
        let known = PROCESS_KEYS.contains(&name.as_str()) || name.starts_with("x-");
        if !known {
            let suggestion = closest(name, PROCESS_KEYS);
            findings.push(
                Finding::new(Code::UnknownProperty, format!("unknown column `{name}`"))
                    .at(
                        file,
                        format!("/processes/0/{name}"),
                        index.header_spans.get(column).cloned(),
                    )
                    .label("not a register field")
                    .help(match suggestion {
                        Some(s) => format!("did you mean `{s}`? Prefix vendor columns with `x-`"),
                        None => "remove the column, or prefix it with `x-` to keep it".into(),
                    }),
            );
        }
        let first = index.headers[..column].iter().position(|h| h == name);
        if let (Some(first), false) = (first, name.is_empty()) {
            findings.push(
                Finding::new(Code::DuplicateKey, format!("column `{name}` appears twice"))
                    .at(
                        file,
                        format!("/processes/0/{name}"),
                        index.header_spans.get(column).cloned(),
                    )
                    .label("repeated here")
                    .secondary(index.header_spans.get(first).cloned(), "first here")
                    .help("remove or rename one of them: only one value per row is read"),
            );
        }
    }

    let validators = Validators::get();
    let mut processes = Vec::new();
    let mut entries = 0;
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let span = e
                    .position()
                    .map(|p| p.byte() as usize..p.byte() as usize + 1);
                findings.push(fatal(
                    format!("invalid CSV: {e}"),
                    span,
                    "quote cells that contain commas, quotes or line breaks",
                ));
                break;
            }
        };
        // After a CRLF line end the csv crate places the next record at the `\n`; its first
        // cell starts after the line break.
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let start = start
            + source.text.as_bytes()[start.min(source.text.len())..]
                .iter()
                .take_while(|&&b| matches!(b, b'\r' | b'\n'))
                .count();
        let spans = cell_spans(&source.text, start);
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if entries == limits.max_processes {
            findings.push(
                Finding::new(
                    Code::Limit,
                    format!(
                        "the register holds more than {} processes",
                        limits.max_processes
                    ),
                )
                .at(file, "/processes", spans.first().cloned())
                .help("raise the limit with --max-processes"),
            );
            break;
        }
        let row = entries;
        entries += 1;
        if record.len() != index.headers.len() {
            let row_span = spans
                .first()
                .map(|first| first.start..spans.last().map_or(first.end, |last| last.end));
            findings.push(
                Finding::new(
                    Code::Csv,
                    format!(
                        "row {} has {} cells but the header has {}",
                        row + 1,
                        record.len(),
                        index.headers.len()
                    ),
                )
                .at(file, format!("/processes/{row}"), row_span)
                .help(
                    "every row needs one cell per header column; quote cells that contain commas",
                ),
            );
        }
        let mut value = row_value(&index.headers, &record);
        index.rows.push(spans);
        let mut long_strings = Vec::new();
        let pointer = format!("/processes/{row}");
        truncate_long_strings(
            &mut value,
            &pointer,
            limits.max_string_length,
            &mut long_strings,
        );
        for long in long_strings {
            let span = index.span(&long.source_pointer);
            let finding = long.to_finding(limits.max_string_length);
            findings.push(finding.at(file, long.pointer, span));
        }
        if let Ok(validators) = validators {
            for error in validators.check_process(row, &value) {
                let pointer = error.pointer().to_owned();
                if error.points_at_key() {
                    continue; // unknown columns were reported once, at the header
                }
                let span = index.span(&pointer);
                findings.push(error.to_finding().at(file, pointer, span));
            }
        }
        if let Some(process) = Process::from_value(row, value) {
            processes.push(process);
        }
    }
    let register = Register {
        metadata: Default::default(),
        processes,
        entries,
    };
    finish(file, source, index, register, findings)
}

fn finish(
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
    }
}

/// The JSON form of one CSV row, so that the register schema can check it.
fn row_value(headers: &[String], record: &csv::StringRecord) -> Value {
    let mut object = Map::new();
    for (name, cell) in headers.iter().zip(record.iter()) {
        let cell = cell.trim();
        if cell.is_empty() || name.is_empty() {
            continue;
        }
        let value = if LIST_FIELDS.contains(&name.as_str()) {
            Value::Array(split_list(cell).map(Value::from).collect())
        } else if name == "maps_to" {
            Value::Array(split_list(cell).map(mapping_value).collect())
        } else {
            Value::from(cell)
        };
        object.insert(name.clone(), value);
    }
    Value::Object(object)
}

fn split_list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(';').map(str::trim).filter(|s| !s.is_empty())
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
    fn cell_spans_follow_quotes_and_embedded_newlines() {
        let text = "id,name\nP1,\"a, \"\"b\"\"\nc\"\nP2,x\n";
        let spans = cell_spans(text, 8);
        let cells: Vec<&str> = spans.iter().map(|s| &text[s.clone()]).collect();
        assert_eq!(cells, vec!["P1", "\"a, \"\"b\"\"\nc\""]);
    }

    #[test]
    fn maps_to_cells_become_declared_mappings() {
        let headers = vec!["id".to_owned(), "maps_to".to_owned()];
        let record = csv::StringRecord::from(vec!["P1", "risk-assessment:equal; improvement"]);
        assert_eq!(
            row_value(&headers, &record),
            serde_json::json!({"id": "P1", "maps_to": [
                {"prm": "risk-assessment", "relationship": "equal"},
                {"prm": "improvement"}
            ]})
        );
    }
}
