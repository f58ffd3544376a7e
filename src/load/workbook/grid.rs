//! The filled cells of one sheet, as text, in row and column order.

use calamine::Data;

/// A filled cell: 0-based row and column, and its text.
pub(super) type GridCell = (u32, u32, String);
/// A row of filled cells: its 0-based number and its cells in column order.
pub(super) type GridRow<'a> = (u32, &'a [GridCell]);

/// The filled cells of one sheet, as text, sorted by row and column (0-based).
#[derive(Debug, Default)]
pub(super) struct Grid {
    pub(super) cells: Vec<GridCell>,
    /// Rows with a filled cell seen so far, and the last of them (cells come row by row).
    rows: usize,
    last_row: Option<u32>,
}

impl Grid {
    /// Add a cell unless it is empty; `false` when it would start row `max_rows + 1`, which is
    /// not added.
    pub(super) fn add(&mut self, row: u32, column: u32, text: String, max_rows: usize) -> bool {
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
    pub(super) fn rows(&self) -> Vec<GridRow<'_>> {
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

    /// Sort the cells by row and column, keep one cell per place, and fill vertically merged
    /// regions down: a category cell merged over several processes belongs to each of them.
    pub(super) fn settle(&mut self, merged: Vec<calamine::Dimensions>) {
        self.cells.sort_by_key(|c| (c.0, c.1));
        self.cells.dedup_by_key(|c| (c.0, c.1));
        for region in merged {
            let (top, left) = region.start;
            let (bottom, _) = region.end;
            if bottom <= top || bottom - top > 10_000 {
                continue;
            }
            let Some(value) = self
                .cells
                .binary_search_by_key(&(top, left), |c| (c.0, c.1))
                .ok()
                .map(|i| self.cells[i].2.clone())
            else {
                continue;
            };
            for row in top + 1..=bottom {
                if let Err(at) = self
                    .cells
                    .binary_search_by_key(&(row, left), |c| (c.0, c.1))
                {
                    self.cells.insert(at, (row, left, value.clone()));
                }
            }
        }
    }
}

/// Copy the filled cells of a calamine range; `true` when rows past `max_rows` were left out.
pub(super) fn range_cells(range: &calamine::Range<Data>, max_rows: usize, grid: &mut Grid) -> bool {
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

/// A cell's value as text.
pub(super) fn data_text(data: &Data) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_dates_read_as_a_sheet_shows_them() {
        assert_eq!(number_text(7.0), "7");
        assert_eq!(number_text(2.5), "2.5");
        let date =
            calamine::ExcelDateTime::new(46_000.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(date_text(&date), "2025-12-09");
    }
}
