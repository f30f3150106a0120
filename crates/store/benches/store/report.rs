//! The table the bench prints: each figure, its raw baseline from the same run, their ratio,
//! and whether the target is met. Numbers, targets and the table's layout are the
//! workspace's shared bench report (`guanjia-bench-report`).

use serde::{Deserialize, Serialize};

pub use guanjia_bench_report::{load_average, machine, number, Target};

/// One line of the table. A rate is higher-is-better, a time in ms lower-is-better; the ratio
/// is always `value / baseline`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Row {
    pub backend: String,
    pub figure: String,
    pub value: f64,
    pub baseline: f64,
    pub baseline_is: String,
    pub unit: String,
    pub target: Target,
}

/// The table as Markdown (it reads as plain text in a terminal too).
pub fn table(rows: &[Row]) -> String {
    let header = [
        "backend",
        "figure",
        "value",
        "baseline",
        "baseline is",
        "ratio",
        "target",
        "met",
    ];
    let lines: Vec<[String; 8]> = rows
        .iter()
        .map(|row| {
            [
                row.backend.clone(),
                row.figure.clone(),
                format!("{} {}", number(row.value), row.unit),
                format!("{} {}", number(row.baseline), row.unit),
                row.baseline_is.clone(),
                format!("{:.2}", row.value / row.baseline),
                row.target.text(&row.unit),
                row.target.met(row.value, row.baseline).to_owned(),
            ]
        })
        .collect();
    guanjia_bench_report::table(header, &lines)
}
