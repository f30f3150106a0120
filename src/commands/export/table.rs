//! A table to export, independent of the file format, and its CSV form.
//!
//! Cells keep their type (number, date, rate) so that the workbook gets real numbers and
//! dates that sort and filter, while the CSV gets their plain text. CSV files start with a
//! UTF-8 byte-order mark: without it Excel on Chinese Windows reads UTF-8 as GBK and shows
//! mojibake. Every field is quoted, and text that a spreadsheet would run as a formula gets a
//! leading `'` (OWASP's advice on CSV injection, `csv_cells.rs`).

use std::path::Path;

use anyhow::Context;
use chrono::NaiveDate;
use guanjia_read::Ratio;
use serde::Serialize;

use crate::commands::csv_cells;

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

    /// The name of an enum value in snake_case (`in_service`, `granted`, `concluded`), whatever
    /// its serde form: every enum column of every table reads the same way. A value with data
    /// gives its variant's name (`{"kind": "stage", …}` → `stage`); the data needs its own
    /// column.
    pub fn label<T: Serialize>(value: &T) -> Self {
        let name = match serde_json::to_value(value) {
            Ok(serde_json::Value::String(name)) => name,
            Ok(serde_json::Value::Object(map)) => match map.get("kind") {
                Some(serde_json::Value::String(kind)) => kind.clone(),
                _ => map.keys().next().cloned().unwrap_or_default(),
            },
            Ok(other) => other.to_string(),
            Err(_) => return Self::Empty,
        };
        Self::Text(snake_case(&name))
    }

    /// The cell as CSV text; text that a spreadsheet could run as a formula is neutralised
    /// (`csv_cells.rs`).
    pub fn plain(&self) -> String {
        match self {
            Self::Empty => String::new(),
            Self::Text(text) => csv_cells::neutralise(text).into_owned(),
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

/// `InService` → `in_service`; a name already in snake_case stays as it is.
fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (at, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if at > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
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
            let mut writer = csv_cells::writer(&mut bytes);
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

    #[test]
    fn enum_labels_are_snake_case_whatever_their_serde_form() {
        use guanjia_domain::case::model::{AgreementScope, CaseState, Stage};
        use guanjia_domain::case::state::ItemStatus;
        assert_eq!(Cell::label(&ItemStatus::Concluded).plain(), "concluded");
        assert_eq!(Cell::label(&CaseState::InService).plain(), "in_service");
        assert_eq!(
            Cell::label(&AgreementScope::Stage(Stage::Construction)).plain(),
            "stage"
        );
        assert_eq!(
            Cell::label(&AgreementScope::FullLifecycle).plain(),
            "full_lifecycle"
        );
    }

    #[test]
    fn text_that_could_run_as_a_formula_is_neutralised_in_the_csv() {
        let dir = tempfile::tempdir().expect("a directory");
        let mut table = Table::new("t", &["comment", "count"]);
        let comment = "=HYPERLINK(\"http://example.com\",\"点此领取补贴\")";
        table
            .rows
            .push(vec![Cell::Text(comment.to_owned()), Cell::Int(-3)]);
        let path = table.write_csv(dir.path()).expect("written");
        let text = std::fs::read_to_string(path).expect("read");
        assert_eq!(
            text,
            "\u{feff}\"comment\",\"count\"\n\"'=HYPERLINK(\"\"http://example.com\"\",\"\"点此领取补贴\"\")\",\"-3\"\n"
        );
    }
}
