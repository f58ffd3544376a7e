//! Workbooks (`.xlsx`, `.xlsm`, `.xls`, `.ods`, `.xlsb`), read with calamine: one sheet becomes
//! a table register. The sheet is also written out as text, one line per sheet row, so that
//! diagnostics can show the row and name the cell (`Prozesse!C12`).

use std::io::{Cursor, Read};

use calamine::{Data, Ods, Reader, Xls, XlsError, Xlsb, Xlsx, XlsxError};

use super::columns;
use super::table::{HEADER_SEARCH_ROWS, Kind, TableReader, finish, is_header};
use super::{CsvIndex, Limits, Loaded, TableOptions};
use crate::finding::Finding;
use crate::register::Register;
use crate::rules::Code;
use crate::source::{SourceFile, Span};

/// Most entries a workbook archive may hold: a workbook has a few dozen parts.
const MAX_ZIP_ENTRIES: usize = 10_000;

/// Between an item of a list cell and the next, in the sheet's text (a line break in a cell).
const CELL_LINE_BREAK: &str = " ↵ ";
/// Between two cells of a row, in the sheet's text.
const CELL_SEPARATOR: &str = " │ ";
/// Most empty cells shown between two filled ones.
const MAX_GAP: usize = 8;

/// Which sheet to read: `--sheet`, by name or 1-based position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SheetChoice {
    Name(String),
    Position(usize),
}

impl SheetChoice {
    pub fn parse(text: &str) -> SheetChoice {
        match text.trim().parse::<usize>() {
            Ok(n) if n > 0 => SheetChoice::Position(n),
            _ => SheetChoice::Name(text.to_owned()),
        }
    }
}

/// The cell reference of each place in a sheet's text.
#[derive(Debug, Default)]
pub struct CellNames {
    sheet: String,
    /// Per line of the text (sheet row - 1): where each written cell starts, and its column.
    lines: Vec<Vec<(usize, u32)>>,
}

impl CellNames {
    pub(crate) fn sheet(&self) -> &str {
        &self.sheet
    }

    /// `Prozesse!C12` for a byte offset into the sheet's text.
    pub(crate) fn name(&self, source: &SourceFile, offset: usize) -> Option<String> {
        let line = source.line_of(offset);
        let cells = self.lines.get(line)?;
        let at = cells.partition_point(|&(start, _)| start <= offset);
        let column = cells.get(at.checked_sub(1)?)?.1;
        Some(format!(
            "{}!{}{}",
            quote_sheet(&self.sheet),
            column_letters(column),
            line + 1
        ))
    }
}

/// A sheet name as a formula writes it: quoted when it holds anything but letters and digits.
fn quote_sheet(name: &str) -> String {
    if name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        name.to_owned()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

/// `0` -> `A`, `25` -> `Z`, `26` -> `AA`.
pub(crate) fn column_letters(column: u32) -> String {
    let mut n = u64::from(column) + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        letters.push(char::from(b'A' + rem));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// A filled cell: 0-based row and column, and its text.
type GridCell = (u32, u32, String);
/// A row of filled cells: its 0-based number and its cells in column order.
type GridRow<'a> = (u32, &'a [GridCell]);

/// The filled cells of one sheet, as text, sorted by row and column (0-based).
#[derive(Debug, Default)]
struct Grid {
    cells: Vec<GridCell>,
    /// Rows with a filled cell seen so far, and the last of them (cells come row by row).
    rows: usize,
    last_row: Option<u32>,
}

impl Grid {
    /// Add a cell unless it is empty; `false` when it would start row `max_rows + 1`, which is
    /// not added.
    fn add(&mut self, row: u32, column: u32, text: String, max_rows: usize) -> bool {
        if text.is_empty() {
            return true;
        }
        if self.last_row != Some(row) {
            self.rows += 1;
            self.last_row = Some(row);
            if self.rows > max_rows {
                return false;
            }
        }
        self.cells.push((row, column, text));
        true
    }

    /// The rows, each with its 0-based row number and its cells in column order.
    fn rows(&self) -> Vec<GridRow<'_>> {
        let mut rows = Vec::new();
        let mut start = 0;
        while start < self.cells.len() {
            let row = self.cells[start].0;
            let end = start + self.cells[start..].partition_point(|c| c.0 == row);
            rows.push((row, &self.cells[start..end]));
            start = end;
        }
        rows
    }
}

/// A workbook opened by calamine, whatever its format.
enum Book {
    Xlsx(Xlsx<Cursor<Vec<u8>>>),
    Xls(Xls<Cursor<Vec<u8>>>),
    Xlsb(Xlsb<Cursor<Vec<u8>>>),
    Ods(Ods<Cursor<Vec<u8>>>),
}

impl Book {
    fn sheet_names(&self) -> Vec<String> {
        match self {
            Book::Xlsx(b) => b.sheet_names(),
            Book::Xls(b) => b.sheet_names(),
            Book::Xlsb(b) => b.sheet_names(),
            Book::Ods(b) => b.sheet_names(),
        }
    }

    /// The filled cells of a sheet, with vertically merged cells filled down (a category cell
    /// merged over several processes belongs to each of them). At most `max_rows` rows are
    /// read; `Ok((grid, true))` says there were more.
    fn grid(&mut self, sheet: &str, max_rows: usize) -> Result<(Grid, bool), String> {
        let mut grid = Grid::default();
        let mut more = false;
        let merged = match self {
            Book::Xlsx(book) => {
                // Streamed cell by cell: calamine's ranges are dense, and a hostile sheet with
                // one cell in A1 and one in XFD1048576 would ask for terabytes.
                let mut reader = book
                    .worksheet_cells_reader(sheet)
                    .map_err(|e| e.to_string())?;
                while let Some(cell) = reader.next_cell().map_err(|e| e.to_string())? {
                    let (row, column) = cell.get_position();
                    let text = data_text(&Data::from(cell.get_value().clone()));
                    if !grid.add(row, column, text, max_rows) {
                        more = true;
                        break;
                    }
                }
                drop(reader);
                book.merge_cells_by_sheet_name(sheet).unwrap_or_default()
            }
            Book::Xls(book) => {
                let range = book.worksheet_range(sheet).map_err(|e| e.to_string())?;
                more = range_cells(&range, max_rows, &mut grid);
                book.merge_cells_by_sheet_name(sheet).unwrap_or_default()
            }
            Book::Xlsb(book) => {
                let range = book.worksheet_range(sheet).map_err(|e| e.to_string())?;
                more = range_cells(&range, max_rows, &mut grid);
                Vec::new()
            }
            Book::Ods(book) => {
                let range = book.worksheet_range(sheet).map_err(|e| e.to_string())?;
                more = range_cells(&range, max_rows, &mut grid);
                Vec::new()
            }
        };
        grid.cells.sort_by_key(|c| (c.0, c.1));
        grid.cells.dedup_by_key(|c| (c.0, c.1));
        for region in merged {
            let (top, left) = region.start;
            let (bottom, _) = region.end;
            if bottom <= top || bottom - top > 10_000 {
                continue;
            }
            let Some(value) = grid
                .cells
                .binary_search_by_key(&(top, left), |c| (c.0, c.1))
                .ok()
                .map(|i| grid.cells[i].2.clone())
            else {
                continue;
            };
            for row in top + 1..=bottom {
                if let Err(at) = grid
                    .cells
                    .binary_search_by_key(&(row, left), |c| (c.0, c.1))
                {
                    grid.cells.insert(at, (row, left, value.clone()));
                }
            }
        }
        Ok((grid, more))
    }
}

/// Copy the filled cells of a calamine range; `true` when rows past `max_rows` were left out.
fn range_cells(range: &calamine::Range<Data>, max_rows: usize, grid: &mut Grid) -> bool {
    let Some((top, left)) = range.start() else {
        return false;
    };
    for (row, column, data) in range.used_cells() {
        let row = top.saturating_add(u32::try_from(row).unwrap_or(u32::MAX));
        let column = left.saturating_add(u32::try_from(column).unwrap_or(u32::MAX));
        if !grid.add(row, column, data_text(data), max_rows) {
            return true;
        }
    }
    false
}

fn data_text(data: &Data) -> String {
    match data {
        Data::Int(n) => n.to_string(),
        Data::Float(f) => number_text(*f),
        Data::String(s) => s.clone(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => date_text(d),
        Data::DateTimeIso(s) | Data::DurationIso(s) => {
            s.strip_suffix("T00:00:00").unwrap_or(s).to_owned()
        }
        Data::Error(e) => e.to_string(),
        Data::Empty => String::new(),
    }
}

/// A number as the sheet shows it without formatting: whole numbers without `.0` (a process
/// number 7 is `7`, not `7.0`).
fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

/// A date cell as an ISO 8601 date, with the time when it has one.
fn date_text(date: &calamine::ExcelDateTime) -> String {
    if date.is_duration() {
        return number_text(date.as_f64());
    }
    let (y, mo, d, h, mi, s, _) = date.to_ymd_hms_milli();
    if (h, mi, s) == (0, 0, 0) {
        format!("{y:04}-{mo:02}-{d:02}")
    } else {
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}")
    }
}

/// Whether a file's first bytes are those of a workbook container (zip or OLE).
pub(crate) fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&OLE_MAGIC)
}

const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Why a workbook cannot be read: the finding to report.
fn unreadable(file: usize, message: String, help: &str) -> Box<Finding> {
    Box::new(
        Finding::new(Code::Workbook, message)
            .at(file, "", None)
            .help(help.to_owned()),
    )
}

/// Check what a zip container would unpack to before any of it is unpacked: the sizes the
/// central directory declares, then the real sizes, entry by entry, stopping at the limit (a
/// bomb may declare small sizes and unpack to gigabytes).
fn check_zip(file: usize, bytes: &[u8], limits: &Limits) -> Result<(), Box<Finding>> {
    let corrupt = |e: &dyn std::fmt::Display| {
        unreadable(
            file,
            format!("the workbook is damaged: {e}"),
            "open it in the spreadsheet program and save it again",
        )
    };
    let too_big = |what: String| {
        Box::new(
            Finding::new(
                Code::Limit,
                format!(
                    "the workbook unpacks to {what}, more than the limit of {} bytes",
                    limits.max_file_size
                ),
            )
            .at(file, "", None)
            .help(
                "a register workbook unpacks to a few megabytes; raise the limit with \
                 --max-file-size if this one really is this large",
            ),
        )
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| corrupt(&e))?;
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(unreadable(
            file,
            format!(
                "the workbook archive holds {} entries, more than the {MAX_ZIP_ENTRIES} a workbook could need",
                archive.len()
            ),
            "open it in the spreadsheet program and save it again",
        ));
    }
    let mut declared: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|e| corrupt(&e))?;
        declared = declared.saturating_add(entry.size());
    }
    if declared > limits.max_file_size {
        return Err(too_big(format!("{declared} bytes")));
    }
    let mut unpacked: u64 = 0;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| corrupt(&e))?;
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        let room = limits.max_file_size - unpacked;
        let read = std::io::copy(&mut (&mut entry).take(room + 1), &mut std::io::sink())
            .map_err(|e| corrupt(&format!("{name}: {e}")))?;
        unpacked += read;
        if unpacked > limits.max_file_size {
            return Err(too_big(format!(
                "more than the {declared} bytes it declares (`{name}` unpacks to more than its \
                 stated size)"
            )));
        }
    }
    Ok(())
}

/// Open a workbook from its bytes, by what the bytes are rather than by the file's name.
fn open(file: usize, bytes: Vec<u8>, limits: &Limits) -> Result<Book, Box<Finding>> {
    let password = || {
        unreadable(
            file,
            "the workbook is password-protected (encrypted)".into(),
            "save a copy without a password (File > Info > Protect Workbook), or export the \
             register sheet as CSV",
        )
    };
    let damaged = |e: &dyn std::fmt::Display| {
        unreadable(
            file,
            format!("the workbook cannot be read: {e}"),
            "open it in the spreadsheet program and save it again as .xlsx or .ods",
        )
    };
    if bytes.starts_with(&OLE_MAGIC) {
        // An encrypted .xlsx is an OLE container holding the encrypted package.
        match Xlsx::new(Cursor::new(bytes.clone())) {
            Err(XlsxError::Password) => return Err(password()),
            Ok(book) => return Ok(Book::Xlsx(book)),
            Err(_) => {}
        }
        return match Xls::new(Cursor::new(bytes)) {
            Ok(book) => Ok(Book::Xls(book)),
            Err(XlsError::Password) => Err(password()),
            Err(e) => Err(damaged(&e)),
        };
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(unreadable(
            file,
            "the file is not a workbook (.xlsx, .xlsm, .xls or .ods)".into(),
            "save it from the spreadsheet program as .xlsx or .ods, or give \
             --input-format csv or json for a text register",
        ));
    }
    check_zip(file, &bytes, limits)?;
    let (is_ods, is_xlsb) = {
        let archive = zip::ZipArchive::new(Cursor::new(&bytes)).map_err(|e| damaged(&e))?;
        let names: Vec<String> = archive
            .file_names()
            .filter_map(Result::ok)
            .map(|n| n.into_owned())
            .collect();
        let has = |name: &str| names.iter().any(|n| n == name);
        (has("content.xml"), has("xl/workbook.bin"))
    };
    if is_ods {
        return match Ods::new(Cursor::new(bytes)) {
            Ok(book) => Ok(Book::Ods(book)),
            Err(calamine::OdsError::Password) => Err(password()),
            Err(e) => Err(damaged(&e)),
        };
    }
    if is_xlsb {
        return Xlsb::new(Cursor::new(bytes))
            .map(Book::Xlsb)
            .map_err(|e| damaged(&e));
    }
    match Xlsx::new(Cursor::new(bytes)) {
        Ok(book) => Ok(Book::Xlsx(book)),
        Err(XlsxError::Password) => Err(password()),
        Err(e) => Err(damaged(&e)),
    }
}

/// The 0-based row of a grid that is its header: the first of the first rows whose cells name
/// an id and a name column (titles, notes and blank rows above it are skipped).
fn header_row(rows: &[GridRow<'_>], map: &columns::ColumnMap) -> Option<usize> {
    rows.iter()
        .take(HEADER_SEARCH_ROWS)
        .position(|(_, cells)| is_header(cells.iter().map(|c| c.2.as_str()), map))
}

/// Load a workbook register: the sheet asked for, or the first whose header row has an id
/// and a name column.
pub(super) fn load(
    file: usize,
    name: &str,
    bytes: Vec<u8>,
    limits: &Limits,
    options: &TableOptions,
) -> Loaded {
    let empty = |findings: Vec<Finding>| {
        finish(
            file,
            SourceFile::new(name, String::new()),
            CsvIndex::default(),
            Register::default(),
            findings,
        )
    };
    let mut book = match open(file, bytes, limits) {
        Ok(book) => book,
        Err(finding) => return empty(vec![*finding]),
    };
    let sheets = book.sheet_names();
    if sheets.is_empty() {
        return empty(vec![*unreadable(
            file,
            "the workbook has no sheets".into(),
            "open it in the spreadsheet program and save it again",
        )]);
    }
    // Header search rows and a row past the limit, so the limit is reported.
    let max_rows = limits.max_processes.saturating_add(HEADER_SEARCH_ROWS + 1);
    let read = |book: &mut Book, sheet: &str| {
        book.grid(sheet, max_rows).map_err(|e| {
            unreadable(
                file,
                format!("sheet `{sheet}` cannot be read: {e}"),
                "open the workbook in the spreadsheet program and save it again",
            )
        })
    };
    let chosen = match &options.sheet {
        Some(choice) => {
            let found = match choice {
                SheetChoice::Position(n) => sheets.get(n - 1).cloned(),
                SheetChoice::Name(wanted) => sheets
                    .iter()
                    .find(|s| *s == wanted)
                    .or_else(|| sheets.iter().find(|s| s.eq_ignore_ascii_case(wanted)))
                    .cloned(),
            };
            let Some(sheet) = found else {
                let listed: Vec<&str> = sheets.iter().map(String::as_str).collect();
                let hint = match choice {
                    SheetChoice::Name(wanted) => crate::schema::closest(wanted, &listed)
                        .map(|s| format!("did you mean `{s}`? "))
                        .unwrap_or_default(),
                    SheetChoice::Position(_) => String::new(),
                };
                let wanted = match choice {
                    SheetChoice::Name(n) => format!("no sheet `{n}`"),
                    SheetChoice::Position(n) => format!("no sheet number {n}"),
                };
                return empty(vec![*unreadable(
                    file,
                    format!("the workbook has {wanted}"),
                    &format!("{hint}its sheets are: {}", listed.join(", ")),
                )]);
            };
            match read(&mut book, &sheet) {
                Ok((grid, more)) => (sheet, grid, more),
                Err(finding) => return empty(vec![*finding]),
            }
        }
        None => {
            let mut first = None;
            let mut found = None;
            for sheet in &sheets {
                let (grid, more) = match read(&mut book, sheet) {
                    Ok(read) => read,
                    Err(finding) => return empty(vec![*finding]),
                };
                if header_row(&grid.rows(), &options.columns).is_some() {
                    found = Some((sheet.clone(), grid, more));
                    break;
                }
                if first.is_none() {
                    first = Some((sheet.clone(), grid, more));
                }
            }
            match found.or(first) {
                Some(chosen) => chosen,
                None => return empty(Vec::new()),
            }
        }
    };
    let (sheet, grid, more) = chosen;
    load_sheet(file, name, &sheet, &sheets, &grid, more, limits, options)
}

/// Read one sheet's grid as a table register.
#[allow(clippy::too_many_arguments)] // one call site; a struct would only rename them
fn load_sheet(
    file: usize,
    name: &str,
    sheet: &str,
    sheets: &[String],
    grid: &Grid,
    more: bool,
    limits: &Limits,
    options: &TableOptions,
) -> Loaded {
    let rows = grid.rows();
    let (text, names, spans) = sheet_text(sheet, &rows);
    let source = SourceFile::new(name, text);
    let header_at = header_row(&rows, &options.columns).unwrap_or(0);
    let Some((header_row_number, header_cells)) = rows.get(header_at) else {
        let finding = Finding::new(Code::Workbook, format!("sheet `{sheet}` is empty"))
            .at(file, "", None)
            .help(if sheets.len() > 1 {
                format!(
                    "choose the register's sheet with --sheet (the workbook has: {})",
                    sheets.join(", ")
                )
            } else {
                "the first row must name the columns, at least an id and a name".to_owned()
            });
        let index = CsvIndex {
            cells: Some(names),
            ..CsvIndex::default()
        };
        return finish(file, source, index, Register::default(), vec![finding]);
    };
    // The header cells in column order, with the columns between them that have no header.
    let first_column = header_cells.first().map_or(0, |c| c.1);
    let last_column = header_cells.last().map_or(0, |c| c.1);
    let width = (last_column - first_column) as usize + 1;
    let mut headers = vec![String::new(); width];
    let mut header_spans = vec![Span::default(); width];
    let row_spans = &spans[header_at];
    for (i, cell) in header_cells.iter().enumerate() {
        headers[(cell.1 - first_column) as usize] = cell.2.clone();
        header_spans[(cell.1 - first_column) as usize] = row_spans[i].clone();
    }
    let header_label = format!(
        "the header row ({}!{})",
        quote_sheet(sheet),
        header_row_number + 1
    );
    let kind = Kind {
        header: "the header row of the sheet",
        code: Code::Workbook,
    };
    let mut table = match TableReader::new(
        file,
        kind,
        headers,
        header_spans,
        options,
        limits,
        &header_label,
    ) {
        Ok(table) => table,
        Err(refused) => {
            let (mut index, mut findings) = *refused;
            index.cells = Some(names);
            if sheets.len() > 1 {
                for finding in &mut findings {
                    if let Some(help) = &mut finding.help {
                        help.push_str(&format!(
                            "; or choose another sheet with --sheet (the workbook has: {})",
                            sheets.join(", ")
                        ));
                    }
                }
            }
            return finish(file, source, index, Register::default(), findings);
        }
    };
    let mut cells: Vec<&str> = Vec::with_capacity(width);
    let mut cell_spans: Vec<Span> = Vec::with_capacity(width);
    for (at, (_, row)) in rows.iter().enumerate().skip(header_at + 1) {
        cells.clear();
        cells.resize(width, "");
        // A cell left of the header's first column or right of its last has no column: the
        // row's own span stands for the columns it lacks.
        let line_start = spans[at].first().map_or(0, |s| s.start);
        cell_spans.clear();
        cell_spans.resize(width, line_start..line_start);
        for (i, cell) in row.iter().enumerate() {
            if cell.1 < first_column || cell.1 > last_column {
                continue;
            }
            let column = (cell.1 - first_column) as usize;
            cells[column] = &cell.2;
            cell_spans[column] = spans[at][i].clone();
        }
        // Empty cells of a filled row sit at the end of the cell before them.
        let mut last_end = line_start;
        for span in cell_spans.iter_mut() {
            if span.start == span.end && span.start == line_start {
                *span = last_end..last_end;
            }
            last_end = span.end;
        }
        table.row(&cells, cell_spans.clone(), false);
        if table.stopped {
            break;
        }
    }
    if more && !table.stopped {
        table.stop(
            Finding::new(
                Code::Limit,
                format!(
                    "the sheet holds more than {} processes",
                    limits.max_processes
                ),
            )
            .at(file, "/processes", None)
            .help("raise the limit with --max-processes"),
        );
    }
    let mut loaded = table.finish(source);
    if let super::Locator::Csv(index) = &mut loaded.document.locator {
        index.cells = Some(names);
    }
    if sheets.len() > 1 {
        loaded.notes.push(format!(
            "read sheet `{sheet}` (choose another with --sheet)"
        ));
    }
    loaded
}

/// The sheet as text: line `n` is sheet row `n`, its cells separated by ` │ `, line breaks in
/// a cell shown as ` ↵ `. Also where each cell starts (for cell references) and the span of
/// each written cell, per row of `rows`.
fn sheet_text(sheet: &str, rows: &[GridRow<'_>]) -> (String, CellNames, Vec<Vec<Span>>) {
    let mut text = String::new();
    let mut names = CellNames {
        sheet: sheet.to_owned(),
        lines: Vec::new(),
    };
    let mut spans = Vec::with_capacity(rows.len());
    let mut line = 0u32;
    for (row, cells) in rows {
        while line < *row {
            text.push('\n');
            names.lines.push(Vec::new());
            line += 1;
        }
        let mut starts = Vec::with_capacity(cells.len());
        let mut row_spans = Vec::with_capacity(cells.len());
        let mut next_column = 0;
        for (i, (_, column, value)) in cells.iter().enumerate() {
            // Empty cells keep their place, so the columns of nearby rows line up (a run of
            // them is shown as at most MAX_GAP).
            let gap = (column.saturating_sub(next_column) as usize).min(MAX_GAP);
            if i > 0 {
                text.push_str(CELL_SEPARATOR);
            }
            for _ in 0..gap {
                text.push_str(CELL_SEPARATOR.trim_start());
            }
            next_column = column.saturating_add(1);
            let start = text.len();
            for (j, part) in value.split(['\n', '\r']).enumerate() {
                if j > 0 {
                    text.push_str(CELL_LINE_BREAK);
                }
                text.push_str(part);
            }
            starts.push((start, *column));
            row_spans.push(start..text.len());
        }
        text.push('\n');
        names.lines.push(starts);
        spans.push(row_spans);
        line += 1;
    }
    (text, names, spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_lettered_as_spreadsheets_do() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(2), "C");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(16_383), "XFD");
    }

    #[test]
    fn the_sheet_text_has_one_line_per_row_and_names_each_cell() {
        let cells = vec![
            (0, 0, "Title".to_owned()),
            (2, 0, "id".to_owned()),
            (2, 2, "name".to_owned()),
            (3, 0, "P1".to_owned()),
            (3, 2, "a\nb".to_owned()),
        ];
        let grid = Grid {
            cells,
            ..Grid::default()
        };
        let rows = grid.rows();
        let (text, names, spans) = sheet_text("Prozesse 1", &rows);
        assert_eq!(text, "Title\n\nid │ │ name\nP1 │ │ a ↵ b\n");
        let source = SourceFile::new("t", text.clone());
        assert_eq!(&text[spans[2][1].clone()], "a ↵ b");
        assert_eq!(
            names.name(&source, spans[2][1].start).as_deref(),
            Some("'Prozesse 1'!C4")
        );
        assert_eq!(names.name(&source, 0).as_deref(), Some("'Prozesse 1'!A1"));
    }

    #[test]
    fn numbers_and_dates_read_as_a_sheet_shows_them() {
        assert_eq!(number_text(7.0), "7");
        assert_eq!(number_text(2.5), "2.5");
        let date =
            calamine::ExcelDateTime::new(46_000.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(date_text(&date), "2025-12-09");
    }

    #[test]
    fn a_sheet_is_chosen_by_name_or_position() {
        assert_eq!(SheetChoice::parse("2"), SheetChoice::Position(2));
        assert_eq!(SheetChoice::parse("0"), SheetChoice::Name("0".into()));
        assert_eq!(
            SheetChoice::parse("Prozesse"),
            SheetChoice::Name("Prozesse".into())
        );
    }
}
