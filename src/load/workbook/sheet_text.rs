//! A sheet written out as text, one line per sheet row, and the cell reference of each place in
//! that text, so that diagnostics can show the row and name the cell (`Prozesse!C12`).

use super::grid::GridRow;
use crate::source::{SourceFile, Span};

/// Between an item of a list cell and the next, in the sheet's text (a line break in a cell).
const CELL_LINE_BREAK: &str = " ↵ ";
/// Between two cells of a row, in the sheet's text.
const CELL_SEPARATOR: &str = " │ ";
/// Most empty cells shown between two filled ones.
const MAX_GAP: usize = 8;

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
pub(super) fn quote_sheet(name: &str) -> String {
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

/// The sheet as text: line `n` is sheet row `n`, its cells separated by ` │ `, line breaks in
/// a cell shown as ` ↵ `. Also where each cell starts (for cell references) and the span of
/// each written cell, per row of `rows`.
pub(super) fn sheet_text(sheet: &str, rows: &[GridRow<'_>]) -> (String, CellNames, Vec<Vec<Span>>) {
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
    use super::super::grid::Grid;
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
        let mut grid = Grid::default();
        grid.cells = cells;
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
}
