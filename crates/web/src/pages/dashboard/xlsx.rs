//! The dashboard as a workbook: what the page shows, sheet by sheet — the figures of this
//! period beside last year's, the figures of today, the divisions below, the monthly series
//! and the 电子监察 list. Counts are numbers and rates real percentages (a leader sorts and
//! charts them without converting text); text is always a string cell, never a formula.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::board::Board;
use super::figures::Value;
use crate::WebError;

/// The media type of an XLSX workbook.
pub(crate) const CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The bytes of the workbook of `board`.
pub(crate) fn workbook(board: &Board, period: &str, last_year: &str) -> Result<Vec<u8>, WebError> {
    build(board, period, last_year).map_err(WebError::Xlsx)
}

struct Formats {
    header: Format,
    rate: Format,
    average: Format,
}

fn build(board: &Board, period: &str, last_year: &str) -> Result<Vec<u8>, XlsxError> {
    let f = Formats {
        header: Format::new().set_bold(),
        rate: Format::new().set_num_format("0.0%"),
        average: Format::new().set_num_format("0.0"),
    };
    let mut book = Workbook::new();

    let sheet = book.add_worksheet().set_name("指标")?;
    header(sheet, &["类别", "指标", period, last_year, "同比变化"], &f)?;
    for (row, r) in (1u32..).zip(&board.rows) {
        sheet.write_string(row, 0, r.section)?;
        sheet.write_string(row, 1, r.name)?;
        value(sheet, row, 2, &r.this, &f)?;
        value(sheet, row, 3, &r.last_year, &f)?;
        sheet.write_string(row, 4, r.change())?;
    }
    finish(sheet)?;

    let sheet = book.add_worksheet().set_name("当前")?;
    header(sheet, &["指标", "截至今日"], &f)?;
    for (row, (name, v)) in (1u32..).zip(&board.now) {
        sheet.write_string(row, 0, *name)?;
        value(sheet, row, 1, v, &f)?;
    }
    finish(sheet)?;

    let sheet = book.add_worksheet().set_name("下级区划")?;
    header(
        sheet,
        &[
            "区划",
            "签约企业数",
            "走访次数",
            "办结事项数",
            "按时办结率",
            "好评率",
            "预警事项数",
            "超期事项数",
        ],
        &f,
    )?;
    for (row, c) in (1u32..).zip(&board.children) {
        sheet.write_string(row, 0, &c.label)?;
        for (col, n) in (1u16..).zip([c.signed, c.visits, c.concluded]) {
            sheet.write_number(row, col, n as f64)?;
        }
        sheet.write_string(row, 4, &c.on_time)?;
        sheet.write_string(row, 5, &c.good)?;
        sheet.write_number(row, 6, c.warning as f64)?;
        sheet.write_number(row, 7, c.overdue as f64)?;
    }
    finish(sheet)?;

    let sheet = book.add_worksheet().set_name("月度")?;
    let mut columns = vec!["指标".to_owned(), "期间".to_owned()];
    if let Some(chart) = board.charts.first() {
        columns.extend(chart.months.iter().cloned());
    }
    let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
    header(sheet, &columns, &f)?;
    let mut row = 1u32;
    for chart in &board.charts {
        for (which, values) in [
            (period, &chart.this_text),
            (last_year, &chart.last_year_text),
        ] {
            sheet.write_string(row, 0, chart.title)?;
            sheet.write_string(row, 1, which)?;
            for (col, text) in (2u16..).zip(values) {
                sheet.write_string(row, col, text)?;
            }
            row += 1;
        }
    }
    finish(sheet)?;

    let sheet = book.add_worksheet().set_name("电子监察")?;
    header(
        sheet,
        &[
            "状态",
            "时限",
            "办理期限",
            "事项",
            "案件",
            "区划",
            "牵头管家",
        ],
        &f,
    )?;
    for (row, w) in (1u32..).zip(&board.watched) {
        for (col, text) in (0u16..).zip([
            w.deadline.word,
            &w.deadline.days,
            &w.deadline.due,
            &w.item_name,
            &w.case_label,
            &w.division,
            &w.steward,
        ]) {
            sheet.write_string(row, col, text)?;
        }
    }
    finish(sheet)?;

    book.save_to_buffer()
}

fn header(sheet: &mut Worksheet, names: &[&str], f: &Formats) -> Result<(), XlsxError> {
    for (col, name) in (0u16..).zip(names) {
        sheet.write_string_with_format(0, col, *name, &f.header)?;
    }
    Ok(())
}

fn finish(sheet: &mut Worksheet) -> Result<(), XlsxError> {
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofit();
    Ok(())
}

/// A figure as a spreadsheet number; a figure without a value is an empty cell, as "—" is
/// on the page.
fn value(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    v: &Value,
    f: &Formats,
) -> Result<(), XlsxError> {
    // Exact fractions in the read model; a spreadsheet number is where they become floating
    // point, for display only.
    let fraction = |r: &guanjia_read::Ratio| {
        (r.denominator != 0).then(|| r.numerator as f64 / r.denominator as f64)
    };
    match v {
        Value::Count(n) => {
            sheet.write_number(row, col, *n as f64)?;
        }
        Value::Rate(r) => {
            if let Some(x) = fraction(r) {
                sheet.write_number_with_format(row, col, x, &f.rate)?;
            }
        }
        Value::Average(r) => {
            if let Some(x) = fraction(r) {
                sheet.write_number_with_format(row, col, x, &f.average)?;
            }
        }
    }
    Ok(())
}
