//! The table the bench prints: each figure at a number of cases against the target,
//! which applies from [`TARGET_CASES`] on. Numbers, targets and the table's layout are the
//! workspace's shared bench report (`guanjia-bench-report`).

use serde::{Deserialize, Serialize};

pub use guanjia_bench_report::{count, load_average, machine, number, Target};

/// The cases from which the targets apply.
pub const TARGET_CASES: usize = 100_000;

/// One line of the table.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Row {
    pub cases: usize,
    pub figure: String,
    pub value: f64,
    pub unit: String,
    pub detail: String,
    pub target: Target,
}

impl Row {
    pub fn new(
        cases: usize,
        figure: String,
        value: f64,
        unit: &str,
        detail: String,
        target: Target,
    ) -> Self {
        Self {
            cases,
            figure,
            value,
            unit: unit.to_owned(),
            detail,
            target,
        }
    }

    fn applies(&self) -> bool {
        self.cases >= TARGET_CASES
    }

    fn target_text(&self) -> String {
        let text = self.target.text(&self.unit);
        if self.applies() || self.target == Target::None {
            text
        } else {
            format!("({text} at 100k)")
        }
    }

    pub fn met(&self) -> &'static str {
        if !self.applies() {
            return "-";
        }
        self.target.met(self.value, 1.0)
    }
}

/// The table as Markdown (it reads as plain text in a terminal too).
pub fn table(rows: &[Row]) -> String {
    let header = ["cases", "figure", "value", "detail", "target", "met"];
    let lines: Vec<[String; 6]> = rows
        .iter()
        .map(|row| {
            [
                count(row.cases),
                row.figure.clone(),
                format!("{} {}", number(row.value), row.unit),
                row.detail.clone(),
                row.target_text(),
                row.met().to_owned(),
            ]
        })
        .collect();
    guanjia_bench_report::table(header, &lines)
}
