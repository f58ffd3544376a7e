//! Workbooks (`.xlsx`, `.xlsm`, `.xls`, `.ods`, `.xlsb`), read with calamine: one sheet becomes
//! a table register. The sheet is also written out as text, one line per sheet row, so that
//! diagnostics can show the row and name the cell (`Prozesse!C12`).

mod book;
mod grid;
mod sheet_text;

use super::columns;
use super::table::{HEADER_SEARCH_ROWS, Kind, TableReader, finish, is_header};
use super::{CsvIndex, Limits, Loaded, TableOptions};
use crate::diag::finding::Finding;
use crate::diag::rules::Code;
use crate::source::register::Register;
use crate::source::{SourceFile, Span};

use self::book::{Book, open, unreadable};
use self::grid::{Grid, GridCell, GridRow};
use self::sheet_text::{quote_sheet, sheet_text};

pub(crate) use self::book::is_workbook;
pub use self::sheet_text::CellNames;

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

/// The 0-based row of a grid that is its header: the first of the first rows whose cells name
/// an id and a name column (titles, notes and blank rows above it are skipped).
fn header_row(rows: &[GridRow<'_>], map: &columns::ColumnMap) -> Option<usize> {
    rows.iter()
        .take(HEADER_SEARCH_ROWS)
        .position(|(_, cells)| is_header(cells.iter().map(|c| c.2.as_str()), map))
}

/// A sheet read from the workbook: its name, its filled cells, and whether rows past the
/// limit were left out.
struct Sheet {
    name: String,
    grid: Grid,
    more: bool,
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
    let chosen = match &options.sheet {
        Some(choice) => read_chosen(file, &mut book, &sheets, choice, max_rows).map(Some),
        None => read_first_register(file, &mut book, &sheets, &options.columns, max_rows),
    };
    match chosen {
        Ok(Some(sheet)) => load_sheet(file, name, &sheet, &sheets, limits, options),
        Ok(None) => empty(Vec::new()),
        Err(finding) => empty(vec![*finding]),
    }
}

/// Read one sheet's cells, at most `max_rows` rows of them.
fn read_sheet(
    file: usize,
    book: &mut Book,
    sheet: &str,
    max_rows: usize,
) -> Result<Sheet, Box<Finding>> {
    match book.grid(sheet, max_rows) {
        Ok((grid, more)) => Ok(Sheet {
            name: sheet.to_owned(),
            grid,
            more,
        }),
        Err(e) => Err(unreadable(
            file,
            format!("sheet `{sheet}` cannot be read: {e}"),
            "open the workbook in the spreadsheet program and save it again",
        )),
    }
}

/// Read the sheet `--sheet` chose: by position, or by name (exactly, else ignoring case).
fn read_chosen(
    file: usize,
    book: &mut Book,
    sheets: &[String],
    choice: &SheetChoice,
    max_rows: usize,
) -> Result<Sheet, Box<Finding>> {
    let found = match choice {
        SheetChoice::Position(n) => sheets.get(n - 1),
        SheetChoice::Name(wanted) => sheets
            .iter()
            .find(|s| *s == wanted)
            .or_else(|| sheets.iter().find(|s| s.eq_ignore_ascii_case(wanted))),
    };
    match found {
        Some(sheet) => read_sheet(file, book, sheet, max_rows),
        None => Err(no_such_sheet(file, sheets, choice)),
    }
}

/// The finding of a `--sheet` the workbook does not have, listing the sheets it has.
fn no_such_sheet(file: usize, sheets: &[String], choice: &SheetChoice) -> Box<Finding> {
    let listed: Vec<&str> = sheets.iter().map(String::as_str).collect();
    let hint = match choice {
        SheetChoice::Name(wanted) => crate::diag::suggest::closest(wanted, &listed)
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default(),
        SheetChoice::Position(_) => String::new(),
    };
    let wanted = match choice {
        SheetChoice::Name(n) => format!("no sheet `{n}`"),
        SheetChoice::Position(n) => format!("no sheet number {n}"),
    };
    unreadable(
        file,
        format!("the workbook has {wanted}"),
        &format!("{hint}its sheets are: {}", listed.join(", ")),
    )
}

/// Read the first sheet whose header row has an id and a name column, else the first sheet.
fn read_first_register(
    file: usize,
    book: &mut Book,
    sheets: &[String],
    map: &columns::ColumnMap,
    max_rows: usize,
) -> Result<Option<Sheet>, Box<Finding>> {
    let mut first = None;
    for sheet in sheets {
        let read = read_sheet(file, book, sheet, max_rows)?;
        if header_row(&read.grid.rows(), map).is_some() {
            return Ok(Some(read));
        }
        if first.is_none() {
            first = Some(read);
        }
    }
    Ok(first)
}

/// The columns a sheet's header row spans, 0-based: cells left or right of them belong to no
/// column.
#[derive(Debug, Clone, Copy)]
struct HeaderColumns {
    first: u32,
    last: u32,
}

impl HeaderColumns {
    /// The header cells' columns, from the first to the last.
    fn of(header_cells: &[GridCell]) -> HeaderColumns {
        HeaderColumns {
            first: header_cells.first().map_or(0, |c| c.1),
            last: header_cells.last().map_or(0, |c| c.1),
        }
    }

    /// How many columns the table has, the empty ones between header cells included.
    fn width(self) -> usize {
        (self.last - self.first) as usize + 1
    }

    /// The table column of a sheet column, if it is one.
    fn of_cell(self, column: u32) -> Option<usize> {
        if column < self.first || column > self.last {
            return None;
        }
        Some((column - self.first) as usize)
    }
}

/// Read one sheet's grid as a table register.
fn load_sheet(
    file: usize,
    name: &str,
    sheet: &Sheet,
    sheets: &[String],
    limits: &Limits,
    options: &TableOptions,
) -> Loaded {
    let rows = sheet.grid.rows();
    let (text, names, spans) = sheet_text(&sheet.name, &rows);
    let source = SourceFile::new(name, text);
    let header_at = header_row(&rows, &options.columns).unwrap_or(0);
    let Some((header_row_number, header_cells)) = rows.get(header_at) else {
        return empty_sheet(file, source, names, &sheet.name, sheets);
    };
    let columns = HeaderColumns::of(header_cells);
    let (headers, header_spans) = header_texts(header_cells, &spans[header_at], columns);
    let header_label = format!(
        "the header row ({}!{})",
        quote_sheet(&sheet.name),
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
        Err(refused) => return refused_sheet(file, source, names, *refused, sheets),
    };
    read_rows(&mut table, &rows, &spans, header_at, columns);
    if sheet.more && !table.stopped {
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
            "read sheet `{}` (choose another with --sheet)",
            sheet.name
        ));
    }
    loaded
}

/// The result of a sheet with no filled cell.
fn empty_sheet(
    file: usize,
    source: SourceFile,
    names: CellNames,
    sheet: &str,
    sheets: &[String],
) -> Loaded {
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
    finish(file, source, index, Register::default(), vec![finding])
}

/// The result of a sheet whose header row the table refused; with other sheets, each finding
/// says another could be chosen.
fn refused_sheet(
    file: usize,
    source: SourceFile,
    names: CellNames,
    refused: (CsvIndex, Vec<Finding>),
    sheets: &[String],
) -> Loaded {
    let (mut index, mut findings) = refused;
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
    finish(file, source, index, Register::default(), findings)
}

/// The header cells in column order, with the columns between them that have no header, and
/// the span of each.
fn header_texts(
    header_cells: &[GridCell],
    row_spans: &[Span],
    columns: HeaderColumns,
) -> (Vec<String>, Vec<Span>) {
    let width = columns.width();
    let mut headers = vec![String::new(); width];
    let mut header_spans = vec![Span::default(); width];
    for (i, cell) in header_cells.iter().enumerate() {
        headers[(cell.1 - columns.first) as usize] = cell.2.clone();
        header_spans[(cell.1 - columns.first) as usize] = row_spans[i].clone();
    }
    (headers, header_spans)
}

/// Hand each row below the header to the table, its cells placed in the header's columns.
fn read_rows(
    table: &mut TableReader<'_>,
    rows: &[GridRow<'_>],
    spans: &[Vec<Span>],
    header_at: usize,
    columns: HeaderColumns,
) {
    let width = columns.width();
    let mut cells: Vec<&str> = Vec::with_capacity(width);
    let mut cell_spans: Vec<Span> = Vec::with_capacity(width);
    for (at, (_, row)) in rows.iter().enumerate().skip(header_at + 1) {
        place_cells(row, &spans[at], columns, &mut cells, &mut cell_spans);
        table.row(&cells, cell_spans.clone(), false);
        if table.stopped {
            break;
        }
    }
}

/// Fill `cells` and `cell_spans` with one sheet row, one entry per table column.
fn place_cells<'r>(
    row: &'r [GridCell],
    row_spans: &[Span],
    columns: HeaderColumns,
    cells: &mut Vec<&'r str>,
    cell_spans: &mut Vec<Span>,
) {
    let width = columns.width();
    cells.clear();
    cells.resize(width, "");
    // A cell left of the header's first column or right of its last has no column: the
    // row's own span stands for the columns it lacks.
    let line_start = row_spans.first().map_or(0, |s| s.start);
    cell_spans.clear();
    cell_spans.resize(width, line_start..line_start);
    for (i, cell) in row.iter().enumerate() {
        let Some(column) = columns.of_cell(cell.1) else {
            continue;
        };
        cells[column] = &cell.2;
        cell_spans[column] = row_spans[i].clone();
    }
    // Empty cells of a filled row sit at the end of the cell before them.
    let mut last_end = line_start;
    for span in cell_spans.iter_mut() {
        if span.start == span.end && span.start == line_start {
            *span = last_end..last_end;
        }
        last_end = span.end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
