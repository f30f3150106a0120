//! The workbook: one sheet per table, a bold frozen header row, real numbers, dates and
//! percentages (so leaders can sort, filter and chart without converting text), columns
//! fitted to their content. Text is always written as a string cell, never as a formula.

use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::Datelike;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::table::{Cell, Table};
use crate::commands::csv_cells;

/// The file name of the workbook.
pub const WORKBOOK: &str = "guanjia-export.xlsx";

/// Writes every table as a sheet of `<dir>/guanjia-export.xlsx`.
pub fn write(dir: &Path, tables: &[Table]) -> anyhow::Result<PathBuf> {
    let path = dir.join(WORKBOOK);
    let mut workbook = Workbook::new();
    let formats = Formats {
        header: Format::new().set_bold(),
        date: Format::new().set_num_format("yyyy-mm-dd"),
        rate: Format::new().set_num_format("0.0%"),
        average: Format::new().set_num_format("0.0"),
        text: Format::new().set_quote_prefix(),
    };
    for table in tables {
        let sheet = workbook.add_worksheet();
        fill(sheet, table, &formats)
            .with_context(|| format!("cannot write the sheet {}", table.name))?;
    }
    workbook
        .save(&path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

struct Formats {
    header: Format,
    date: Format,
    rate: Format,
    average: Format,
    /// Text that a spreadsheet could take for a formula.
    text: Format,
}

fn fill(sheet: &mut Worksheet, table: &Table, formats: &Formats) -> Result<(), XlsxError> {
    sheet.set_name(table.name)?;
    for (col, name) in (0u16..).zip(&table.columns) {
        sheet.write_string_with_format(0, col, name, &formats.header)?;
    }
    for (row, cells) in (1u32..).zip(&table.rows) {
        for (col, cell) in (0u16..).zip(cells) {
            write_cell(sheet, row, col, cell, formats)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofit();
    Ok(())
}

fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    formats: &Formats,
) -> Result<(), XlsxError> {
    // Rates and averages are exact fractions in the read model; a spreadsheet number is the
    // place where they become floating point, for display only.
    let fraction = |ratio: &guanjia_read::Ratio| {
        (ratio.denominator != 0).then(|| ratio.numerator as f64 / ratio.denominator as f64)
    };
    match cell {
        Cell::Empty => {}
        // Always a string cell, never a formula. Text that looks like one also gets Excel's
        // quote prefix, so that editing the cell does not turn it into one either.
        Cell::Text(text) if csv_cells::could_be_formula(text) => {
            sheet.write_string_with_format(row, col, text, &formats.text)?;
        }
        Cell::Text(text) => {
            sheet.write_string(row, col, text)?;
        }
        Cell::Int(n) => {
            sheet.write_number(row, col, *n as f64)?;
        }
        Cell::Date(date) => {
            let year = u16::try_from(date.year()).unwrap_or(1900);
            let day = ExcelDateTime::from_ymd(year, date.month() as u8, date.day() as u8)?;
            sheet.write_datetime_with_format(row, col, &day, &formats.date)?;
        }
        Cell::Rate(ratio) => {
            if let Some(value) = fraction(ratio) {
                sheet.write_number_with_format(row, col, value, &formats.rate)?;
            }
        }
        Cell::Average(ratio) => {
            if let Some(value) = fraction(ratio) {
                sheet.write_number_with_format(row, col, value, &formats.average)?;
            }
        }
    }
    Ok(())
}
