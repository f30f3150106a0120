//! The table the bench prints, and the machine it ran on.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

/// The cases from which the targets apply.
pub const TARGET_CASES: usize = 100_000;

/// What a figure has to reach (issue 4), at [`TARGET_CASES`] cases.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub enum Target {
    None,
    /// At least this (a rate).
    AtLeast(f64),
    /// Below this (a time or a size).
    Below(f64),
}

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
        let text = match self.target {
            Target::None => return "-".to_owned(),
            Target::AtLeast(value) => format!(">= {} {}", number(value), self.unit),
            Target::Below(value) => format!("< {} {}", number(value), self.unit),
        };
        if self.applies() {
            text
        } else {
            format!("({text} at 100k)")
        }
    }

    pub fn met(&self) -> &'static str {
        let met = match self.target {
            Target::None => return "-",
            _ if !self.applies() => return "-",
            Target::AtLeast(value) => self.value >= value,
            Target::Below(value) => self.value < value,
        };
        if met {
            "met"
        } else {
            "NOT met"
        }
    }
}

/// A number as the table shows it: thousands separated from 1,000 up, about three significant
/// digits below.
pub fn number(value: f64) -> String {
    if value.abs() >= 1000.0 {
        let digits = format!("{value:.0}");
        let mut grouped = String::new();
        for (index, digit) in digits.chars().enumerate() {
            if index > 0 && (digits.len() - index) % 3 == 0 && digit.is_ascii_digit() {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        grouped
    } else if value.abs() >= 100.0 {
        format!("{value:.0}")
    } else if value.abs() >= 10.0 {
        format!("{value:.1}")
    } else if value.abs() >= 1.0 {
        format!("{value:.2}")
    } else {
        format!("{value:.3}")
    }
}

/// A count with thousands separated.
pub fn count(n: usize) -> String {
    if n >= 1000 {
        number(n as f64)
    } else {
        n.to_string()
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
    let mut widths = header.map(|title| title.chars().count());
    for line in &lines {
        for (width, cell) in widths.iter_mut().zip(line) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut write_line = |cells: &[String]| {
        out.push('|');
        for (cell, width) in cells.iter().zip(widths) {
            let pad = width - cell.chars().count();
            let _ = write!(out, " {cell}{} |", " ".repeat(pad));
        }
        out.push('\n');
    };
    write_line(&header.map(str::to_owned));
    write_line(&widths.map(|width| "-".repeat(width)));
    for line in &lines {
        write_line(line);
    }
    out
}

/// CPU, cores, memory and load, for the report's header.
pub fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory_kib: u64 = meminfo
        .lines()
        .find_map(|line| line.strip_prefix("MemTotal:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0);
    format!(
        "machine: {cpu}, {cores} cores, {:.1} GiB memory; {}",
        memory_kib as f64 / 1024.0 / 1024.0,
        load_average()
    )
}

/// The 1-, 5- and 15-minute load averages: on a shared machine, how much else was running.
pub fn load_average() -> String {
    let loadavg = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let averages: Vec<&str> = loadavg.split_whitespace().take(3).collect();
    format!("load average {}", averages.join(" "))
}
