//! A table to export, independent of the file format, and its CSV form.
//!
//! Cells keep their type (number, date, rate) so that the workbook gets real numbers and
//! dates that sort and filter, while the CSV gets their plain text. CSV files start with a
//! UTF-8 byte-order mark: without it Excel on Chinese Windows reads UTF-8 as GBK and shows
//! mojibake.

use std::path::Path;

use anyhow::Context;
use chrono::NaiveDate;
use guanjia_read::Ratio;
use serde::Serialize;

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Int(i64),
    Date(NaiveDate),
    /// A rate, shown as a percentage; empty without a denominator.
    Rate(Ratio),
    /// An average, shown with one decimal; empty without a denominator.
    Average(Ratio),
}

impl Cell {
    /// Text, or empty for `None`.
    pub fn text(value: Option<impl Into<String>>) -> Self {
        value.map_or(Self::Empty, |v| Self::Text(v.into()))
    }

    /// A date, or empty for `None`.
    pub fn date(value: Option<NaiveDate>) -> Self {
        value.map_or(Self::Empty, Self::Date)
    }

    /// A count.
    pub fn int(value: impl TryInto<i64>) -> Self {
        value.try_into().map_or(Self::Empty, Self::Int)
    }

    /// A flag as 是/否 (yes/no), as leaders read it.
    pub fn yes_no(value: Option<bool>) -> Self {
        value.map_or(Self::Empty, |v| {
            Self::Text(if v { "是" } else { "否" }.to_owned())
        })
    }

    /// The serde name of an enum value (`in_service`, `granted`, …).
    pub fn label<T: Serialize>(value: &T) -> Self {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::String(name)) => Self::Text(name),
            Ok(serde_json::Value::Object(map)) => {
                Self::Text(map.keys().cloned().collect::<Vec<_>>().join(","))
            }
            Ok(other) => Self::Text(other.to_string()),
            Err(_) => Self::Empty,
        }
    }

    /// The cell as CSV text.
    pub fn plain(&self) -> String {
        match self {
            Self::Empty => String::new(),
            Self::Text(text) => text.clone(),
            Self::Int(n) => n.to_string(),
            Self::Date(date) => date.format("%Y-%m-%d").to_string(),
            Self::Rate(ratio) => ratio
                .permille()
                .map_or_else(String::new, |_| ratio.percent_text()),
            Self::Average(ratio) => ratio
                .scaled(10)
                .map_or_else(String::new, |_| ratio.decimal_text()),
        }
    }
}

/// A named table: a sheet of the workbook, or one CSV file.
#[derive(Debug, Clone)]
pub struct Table {
    /// The file stem and sheet name, e.g. `cases`.
    pub name: &'static str,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// An empty table with these columns.
    pub fn new(name: &'static str, columns: &[&str]) -> Self {
        Self {
            name,
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    /// Writes `<dir>/<name>.csv`.
    pub fn write_csv(&self, dir: &Path) -> anyhow::Result<std::path::PathBuf> {
        let path = dir.join(format!("{}.csv", self.name));
        let mut bytes = "\u{feff}".as_bytes().to_vec();
        {
            let mut writer = csv::Writer::from_writer(&mut bytes);
            writer.write_record(&self.columns)?;
            for row in &self.rows {
                writer.write_record(row.iter().map(Cell::plain))?;
            }
            writer.flush()?;
        }
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_print_plainly_for_csv() {
        assert_eq!(Cell::Rate(Ratio::new(7, 8)).plain(), "87.5%");
        assert_eq!(Cell::Rate(Ratio::new(0, 0)).plain(), "");
        assert_eq!(Cell::Average(Ratio::new(22, 3)).plain(), "7.3");
        assert_eq!(
            Cell::date(NaiveDate::from_ymd_opt(2023, 5, 1)).plain(),
            "2023-05-01"
        );
        assert_eq!(Cell::yes_no(Some(true)).plain(), "是");
    }
}
