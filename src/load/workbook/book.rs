//! Workbooks opened with calamine, whatever their format, after checking what a zip container
//! would unpack to; and the filled cells of one sheet read from them.

use std::io::{Cursor, Read};

use calamine::{Data, Ods, Reader, Xls, XlsError, Xlsb, Xlsx, XlsxError};

use super::grid::{Grid, data_text, range_cells};
use crate::diag::finding::Finding;
use crate::diag::rules::Code;
use crate::load::Limits;

/// Most entries a workbook archive may hold: a workbook has a few dozen parts.
const MAX_ZIP_ENTRIES: usize = 10_000;

const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// A workbook opened by calamine, whatever its format.
pub(super) enum Book {
    Xlsx(Xlsx<Cursor<Vec<u8>>>),
    Xls(Xls<Cursor<Vec<u8>>>),
    Xlsb(Xlsb<Cursor<Vec<u8>>>),
    Ods(Ods<Cursor<Vec<u8>>>),
}

impl Book {
    /// The names of the sheets, in workbook order.
    pub(super) fn sheet_names(&self) -> Vec<String> {
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
    pub(super) fn grid(&mut self, sheet: &str, max_rows: usize) -> Result<(Grid, bool), String> {
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
        grid.settle(merged);
        Ok((grid, more))
    }
}

/// Whether a file's first bytes are those of a workbook container (zip or OLE).
pub(crate) fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&OLE_MAGIC)
}

/// Why a workbook cannot be read: the finding to report.
pub(super) fn unreadable(file: usize, message: String, help: &str) -> Box<Finding> {
    Box::new(
        Finding::new(Code::Workbook, message)
            .at(file, "", None)
            .help(help.to_owned()),
    )
}

/// The finding of a zip container that cannot be unpacked.
fn corrupt_zip(file: usize, e: &dyn std::fmt::Display) -> Box<Finding> {
    unreadable(
        file,
        format!("the workbook is damaged: {e}"),
        "open it in the spreadsheet program and save it again",
    )
}

/// The finding of a zip container that unpacks to more than the file size limit.
fn unpacks_too_much(file: usize, limits: &Limits, what: String) -> Box<Finding> {
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
}

/// Check what a zip container would unpack to before any of it is unpacked: the sizes the
/// central directory declares, then the real sizes, entry by entry, stopping at the limit (a
/// bomb may declare small sizes and unpack to gigabytes).
fn check_zip(file: usize, bytes: &[u8], limits: &Limits) -> Result<(), Box<Finding>> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| corrupt_zip(file, &e))?;
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
        let entry = archive.by_index_raw(i).map_err(|e| corrupt_zip(file, &e))?;
        declared = declared.saturating_add(entry.size());
    }
    if declared > limits.max_file_size {
        return Err(unpacks_too_much(file, limits, format!("{declared} bytes")));
    }
    check_unpacked(file, &mut archive, declared, limits)
}

/// Unpack every entry into nothing, stopping as soon as the total passes the limit: an entry
/// may unpack to more than the `declared` total said.
fn check_unpacked(
    file: usize,
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    declared: u64,
    limits: &Limits,
) -> Result<(), Box<Finding>> {
    let mut unpacked: u64 = 0;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| corrupt_zip(file, &e))?;
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        let room = limits.max_file_size - unpacked;
        let read = std::io::copy(&mut (&mut entry).take(room + 1), &mut std::io::sink())
            .map_err(|e| corrupt_zip(file, &format!("{name}: {e}")))?;
        unpacked += read;
        if unpacked > limits.max_file_size {
            return Err(unpacks_too_much(
                file,
                limits,
                format!(
                    "more than the {declared} bytes it declares (`{name}` unpacks to more than \
                     its stated size)"
                ),
            ));
        }
    }
    Ok(())
}

/// The finding of a password-protected workbook.
fn password(file: usize) -> Box<Finding> {
    unreadable(
        file,
        "the workbook is password-protected (encrypted)".into(),
        "save a copy without a password (File > Info > Protect Workbook), or export the \
         register sheet as CSV",
    )
}

/// The finding of a workbook calamine cannot read.
fn damaged(file: usize, e: &dyn std::fmt::Display) -> Box<Finding> {
    unreadable(
        file,
        format!("the workbook cannot be read: {e}"),
        "open it in the spreadsheet program and save it again as .xlsx or .ods",
    )
}

/// Open a workbook from its bytes, by what the bytes are rather than by the file's name.
pub(super) fn open(file: usize, bytes: Vec<u8>, limits: &Limits) -> Result<Book, Box<Finding>> {
    if bytes.starts_with(&OLE_MAGIC) {
        return open_ole(file, bytes);
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
    open_zip(file, bytes)
}

/// Open an OLE container: an encrypted .xlsx, or an .xls.
fn open_ole(file: usize, bytes: Vec<u8>) -> Result<Book, Box<Finding>> {
    // An encrypted .xlsx is an OLE container holding the encrypted package.
    match Xlsx::new(Cursor::new(bytes.clone())) {
        Err(XlsxError::Password) => return Err(password(file)),
        Ok(book) => return Ok(Book::Xlsx(book)),
        Err(_) => {}
    }
    match Xls::new(Cursor::new(bytes)) {
        Ok(book) => Ok(Book::Xls(book)),
        Err(XlsError::Password) => Err(password(file)),
        Err(e) => Err(damaged(file, &e)),
    }
}

/// Open a zip container already checked: an .ods, an .xlsb or an .xlsx, by the parts it holds.
fn open_zip(file: usize, bytes: Vec<u8>) -> Result<Book, Box<Finding>> {
    let (is_ods, is_xlsb) = {
        let archive = zip::ZipArchive::new(Cursor::new(&bytes)).map_err(|e| damaged(file, &e))?;
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
            Err(calamine::OdsError::Password) => Err(password(file)),
            Err(e) => Err(damaged(file, &e)),
        };
    }
    if is_xlsb {
        return Xlsb::new(Cursor::new(bytes))
            .map(Book::Xlsb)
            .map_err(|e| damaged(file, &e));
    }
    match Xlsx::new(Cursor::new(bytes)) {
        Ok(book) => Ok(Book::Xlsx(book)),
        Err(XlsxError::Password) => Err(password(file)),
        Err(e) => Err(damaged(file, &e)),
    }
}
