//! The dashboard's tables as files: one table as CSV, or every table as an
//! XLSX workbook with a sheet each (numbers as numbers, shares as
//! percentages).

use super::tables::{Cell, Table};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// A table as CSV: a heading row, then its rows; UTF-8 with a byte-order
/// mark so that spreadsheets read the accents.
pub(crate) fn table_csv(table: &Table) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    out.write_record(&table.columns)?;
    for row in &table.rows {
        out.write_record(row.iter().map(Cell::plain))?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

/// Every table as a sheet of one workbook, after a first sheet naming the
/// report (`heading` lines).
pub(crate) fn tables_xlsx(heading: &[String], tables: &[Table]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let percent = Format::new().set_num_format("0.0%");
    let decimal = Format::new().set_num_format("0.0");
    let cover = book.add_worksheet();
    cover.set_name("SAU")?;
    for (i, line) in heading.iter().enumerate() {
        cover.write_string(i as u32, 0, line)?;
    }
    cover.set_column_width(0, 60)?;
    for table in tables {
        let sheet = book.add_worksheet();
        sheet.set_name(table.id)?;
        sheet.write_string_with_format(0, 0, &table.title, &bold)?;
        for (c, column) in table.columns.iter().enumerate() {
            sheet.write_string_with_format(2, c as u16, column, &bold)?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            let r = r as u32 + 3;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(t) => {
                        sheet.write_string(r, c, t)?;
                    }
                    Cell::Count(n) => {
                        sheet.write_number(r, c, *n as f64)?;
                    }
                    Cell::Percent(Some(p)) => {
                        sheet.write_number_with_format(r, c, p / 100.0, &percent)?;
                    }
                    Cell::Minutes(Some(x)) | Cell::Score(Some(x)) => {
                        sheet.write_number_with_format(r, c, *x, &decimal)?;
                    }
                    Cell::Percent(None) | Cell::Minutes(None) | Cell::Score(None) => {}
                }
            }
        }
        sheet.set_column_width(0, 34)?;
        for c in 1..table.columns.len() {
            sheet.set_column_width(c as u16, 16)?;
        }
    }
    book.save_to_buffer()
}
