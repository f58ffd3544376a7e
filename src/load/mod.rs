//! Loading registers: bytes -> text -> register model, with every problem placed in the source.
//!
//! JSON, CSV and workbook registers end up as the same [`Register`]; all are checked by the same
//! schema, and a [`Document`] can turn any JSON pointer into a span of its source text (for a
//! workbook, the sheet written out as text, one line per row).

pub mod args;
pub mod columns;
mod csv;
pub(crate) mod json;
mod limits;
pub mod reference;
mod table;
pub mod text;
pub mod userfile;
pub mod workbook;

use std::path::Path;

use crate::diag::finding::Finding;
use crate::diag::rules::Code;
use crate::source::json::JsonIndex;
use crate::source::register::Register;
use crate::source::{SourceFile, Span, decode};

pub use self::csv::CsvIndex;
pub use self::limits::{Limits, MAX_DEPTH_CEILING};
pub(crate) use self::limits::{LongString, truncate_long_strings};

/// Input format of a register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    /// Pick by file extension (`.csv` and `.tsv` are CSV; `.xlsx`, `.xlsm`, `.xls`, `.xlsb`
    /// and `.ods` workbooks), and by content for any other name.
    Auto,
    Json,
    Csv,
    /// A spreadsheet workbook: Excel (.xlsx, .xlsm, .xls, .xlsb) or OpenDocument (.ods).
    Workbook,
}

/// How to read a table register (CSV or workbook): which sheet, which separator and
/// encoding, and which header holds which field.
#[derive(Debug, Clone, Default)]
pub struct TableOptions {
    pub columns: columns::ColumnMap,
    pub sheet: Option<workbook::SheetChoice>,
    /// The CSV separator; detected when `None`.
    pub delimiter: Option<u8>,
    /// The text encoding; detected when `None`.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Keep each row's JSON value in [`Loaded::rows`] (for `convert`, which writes every field,
    /// `x-` fields too).
    pub keep_rows: bool,
}

/// Where the values of a register sit in its source text.
#[derive(Debug)]
pub enum Locator {
    /// Nothing could be indexed (unreadable or unparsable input).
    None,
    Json {
        index: JsonIndex,
        /// Node of each entry of `processes`, for constant-time lookups.
        processes: Vec<crate::source::json::NodeId>,
    },
    Csv(CsvIndex),
}

/// A register file: its text, the index of its values and what could be read from it.
#[derive(Debug)]
pub struct Document {
    pub source: SourceFile,
    pub locator: Locator,
    pub register: Register,
    /// Position of this file in the run's list of inputs.
    pub file: usize,
}

impl Document {
    /// The document with run number `file` among `documents`: a slice of the run's files (all
    /// of them, registers first, or only some, such as prmlint's own).
    pub fn numbered(documents: &[Document], file: usize) -> Option<&Document> {
        match documents.get(file) {
            Some(document) if document.file == file => Some(document),
            _ => documents.iter().find(|d| d.file == file),
        }
    }

    /// Span of the value at a JSON pointer, or of the nearest enclosing value that exists.
    pub fn span(&self, pointer: &str) -> Option<Span> {
        match &self.locator {
            Locator::None => None,
            Locator::Json { index, processes } => {
                let (node, rest) = json_start(index, processes, pointer)?;
                Some(index.span(index.resolve(&self.source.text, node, rest).0))
            }
            Locator::Csv(index) => index.span(pointer),
        }
    }

    /// Span of the key of the member at a JSON pointer (CSV: the header cell); falls back to
    /// the value's span.
    pub fn key_span(&self, pointer: &str) -> Option<Span> {
        match &self.locator {
            Locator::Json { index, processes } => {
                let (node, rest) = json_start(index, processes, pointer)?;
                let (node, found) = index.resolve(&self.source.text, node, rest);
                if found {
                    index.key_span(node).or_else(|| Some(index.span(node)))
                } else {
                    Some(index.span(node))
                }
            }
            Locator::Csv(index) => index.key_span(pointer),
            Locator::None => None,
        }
    }

    /// The cell reference (`Prozesse!C12`) of a span in a workbook register.
    pub fn cell_name(&self, span: &Span) -> Option<String> {
        match &self.locator {
            Locator::Csv(index) => index.cells.as_ref()?.name(&self.source, span.start),
            _ => None,
        }
    }

    /// Span of the start of the value at a pointer (for "missing property" findings, which
    /// would otherwise underline a whole object).
    pub fn start_span(&self, pointer: &str) -> Option<Span> {
        let span = self.span(pointer)?;
        let end = self.source.text[span.start..]
            .chars()
            .next()
            .map_or(span.start, |c| span.start + c.len_utf8());
        Some(span.start..end.min(span.end.max(span.start + 1)))
    }

    /// Whether the member at a pointer is present with a JSON type other than `expected`; the
    /// schema check has reported it, so rules that read the field as absent stay quiet. CSV
    /// cells always have the type the register model gives them.
    pub fn has_wrong_type(&self, pointer: &str, expected: crate::source::json::Kind) -> bool {
        match &self.locator {
            Locator::Json { index, processes } => json_start(index, processes, pointer)
                .map(|(node, rest)| index.resolve(&self.source.text, node, rest))
                .is_some_and(|(node, found)| found && index.kind(node) != expected),
            Locator::Csv(_) | Locator::None => false,
        }
    }

    /// 1-based line and column of a span's start.
    pub fn line_col(&self, span: &Span) -> (usize, usize) {
        self.source.line_col(span.start)
    }
}

fn json_start<'a>(
    index: &JsonIndex,
    processes: &[crate::source::json::NodeId],
    pointer: &'a str,
) -> Option<(crate::source::json::NodeId, &'a str)> {
    let root = index.root()?;
    if let Some(rest) = pointer.strip_prefix("/processes/") {
        let (number, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if let Some(&node) = number.parse::<usize>().ok().and_then(|n| processes.get(n)) {
            return Some((node, tail));
        }
    }
    Some((root, pointer))
}

/// Result of loading one register: the document (if any text could be read) and findings.
#[derive(Debug)]
pub struct Loaded {
    pub document: Document,
    pub findings: Vec<Finding>,
    /// What the reader assumed and the user should know (the encoding of a CSV file, the sheet
    /// read from a workbook): told on standard error, never a finding.
    pub notes: Vec<String>,
    /// For a table register read with [`TableOptions::keep_rows`]: each row's JSON value.
    pub rows: Vec<serde_json::Value>,
}

impl Loaded {
    /// A loaded register with no notes and no kept rows.
    pub(crate) fn new(document: Document, findings: Vec<Finding>) -> Loaded {
        Loaded {
            document,
            findings,
            notes: Vec::new(),
            rows: Vec::new(),
        }
    }
}

/// Read and load a register from a path (`-` is standard input).
pub fn load_path(file: usize, path: &str, format: InputFormat, limits: &Limits) -> Loaded {
    load_path_with(file, path, format, limits, &TableOptions::default())
}

/// [`load_path`] with the options of table registers.
pub fn load_path_with(
    file: usize,
    path: &str,
    format: InputFormat,
    limits: &Limits,
    options: &TableOptions,
) -> Loaded {
    let name = if path == "-" { "<stdin>" } else { path };
    match read(path, limits) {
        Ok(bytes) => {
            let format = detect(path, format, &bytes);
            load_bytes_with(file, name, bytes, format, limits, options)
        }
        Err(finding) => Loaded::new(empty_document(file, name), vec![finding.at(file, "", None)]),
    }
}

/// The format of a register: the one given, else by extension, else by content (a zip or OLE
/// container is a workbook; anything else JSON).
pub fn detect(path: &str, format: InputFormat, bytes: &[u8]) -> InputFormat {
    match format {
        InputFormat::Auto => {
            let extension = Path::new(path)
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase());
            match extension.as_deref() {
                Some("csv" | "tsv") => InputFormat::Csv,
                Some("xlsx" | "xlsm" | "xls" | "xlsb" | "ods") => InputFormat::Workbook,
                Some("json") => InputFormat::Json,
                _ if workbook::is_workbook(bytes) => InputFormat::Workbook,
                _ => InputFormat::Json,
            }
        }
        other => other,
    }
}

pub(crate) fn read(path: &str, limits: &Limits) -> Result<Vec<u8>, Box<Finding>> {
    use std::io::Read;
    let too_big = |size: u64| {
        Box::new(
            Finding::new(
                Code::Limit,
                format!(
                    "{path}: file is larger than the limit of {} bytes (at least {size} bytes)",
                    limits.max_file_size
                ),
            )
            .help("raise the limit with --max-file-size if the register really is this large"),
        )
    };
    let io_error = |e: std::io::Error| {
        Box::new(
            Finding::new(Code::Io, format!("cannot read {path}: {e}"))
                .help("check the path; `-` reads from standard input"),
        )
    };
    let mut bytes = Vec::new();
    if path == "-" {
        std::io::stdin()
            .lock()
            .take(limits.max_file_size + 1)
            .read_to_end(&mut bytes)
            .map_err(io_error)?;
    } else {
        let file = std::fs::File::open(path).map_err(io_error)?;
        let metadata = file.metadata().map_err(io_error)?;
        if metadata.is_dir() {
            return Err(Box::new(
                Finding::new(Code::Io, format!("cannot read {path}: it is a directory"))
                    .help("name the register file itself"),
            ));
        }
        if metadata.len() > limits.max_file_size {
            return Err(too_big(metadata.len()));
        }
        // Sized up front: grown by doubling, the buffer of a 200 MB file would take 256 MB.
        bytes.reserve_exact(usize::try_from(metadata.len()).unwrap_or(0));
        file.take(limits.max_file_size + 1)
            .read_to_end(&mut bytes)
            .map_err(io_error)?;
    }
    if bytes.len() as u64 > limits.max_file_size {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

pub(crate) fn empty_document(file: usize, name: &str) -> Document {
    Document {
        source: SourceFile::new(name, String::new()),
        locator: Locator::None,
        register: Register::default(),
        file,
    }
}

/// Load a register from bytes already read.
pub fn load_bytes(
    file: usize,
    name: &str,
    bytes: Vec<u8>,
    format: InputFormat,
    limits: &Limits,
) -> Loaded {
    load_bytes_with(file, name, bytes, format, limits, &TableOptions::default())
}

/// [`load_bytes`] with the options of table registers.
pub fn load_bytes_with(
    file: usize,
    name: &str,
    bytes: Vec<u8>,
    format: InputFormat,
    limits: &Limits,
    options: &TableOptions,
) -> Loaded {
    let format = detect(name, format, &bytes);
    if format == InputFormat::Workbook {
        return workbook::load(file, name, bytes, limits, options);
    }
    let decoded = match (format, options.encoding) {
        (InputFormat::Csv, encoding) => text::decode_csv(bytes, encoding),
        (_, Some(encoding)) => text::decode_as(&bytes, encoding).map(|text| text::Decoded {
            text,
            assumed: None,
        }),
        (_, None) => decode(bytes).map(|text| text::Decoded {
            text,
            assumed: None,
        }),
    };
    let decoded = match decoded {
        Ok(decoded) => decoded,
        Err(e) => {
            let help = if options.encoding.is_some() {
                "check --encoding, or export the register again as UTF-8"
            } else {
                "export the register again as UTF-8, or name its encoding with --encoding"
            };
            let finding = Finding::new(Code::Encoding, format!("{name}: {}", e.message))
                .at(file, "", None)
                .help(help);
            return Loaded::new(empty_document(file, name), vec![finding]);
        }
    };
    let source = SourceFile::new(name, decoded.text);
    let mut loaded = match format {
        InputFormat::Csv => csv::load(file, source, limits, options),
        _ => json::load(file, source, limits),
    };
    if let Some(encoding) = decoded.assumed {
        loaded.notes.push(format!(
            "the file is not UTF-8: read as {encoding} (give --encoding if it is another)"
        ));
    }
    loaded
}
