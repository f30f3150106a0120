//! What every benchmark of the workspace prints (`cargo bench -p guanjia-store`, `-p
//! guanjia-read`, `-p guanjia-api`; docs/benchmarks.md): a figure against its target, numbers
//! as a person reads them, a Markdown table, and the machine and its load. One copy, so the
//! three reports read alike and a fix to one is a fix to all.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

/// What a figure has to reach.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Target {
    /// No target: printed for context.
    None,
    /// `value / baseline` at least this.
    RatioAtLeast(f64),
    /// The value at least this (a rate).
    AtLeast(f64),
    /// The value below this (a time in ms, a size).
    Below(f64),
}

impl Target {
    /// The target in words, with the figure's unit; `-` for none.
    pub fn text(self, unit: &str) -> String {
        match self {
            Self::None => "-".to_owned(),
            Self::RatioAtLeast(ratio) => format!("ratio >= {ratio:.2}"),
            Self::AtLeast(value) => format!(">= {} {unit}", number(value)),
            Self::Below(value) => format!("< {} {unit}", number(value)),
        }
    }

    /// `met`, `NOT met`, or `-` when there is no target; `baseline` is the divisor of a ratio.
    pub fn met(self, value: f64, baseline: f64) -> &'static str {
        let met = match self {
            Self::None => return "-",
            Self::RatioAtLeast(ratio) => value / baseline >= ratio,
            Self::AtLeast(target) => value >= target,
            Self::Below(target) => value < target,
        };
        met_text(met)
    }
}

/// `met` or `NOT met`.
pub fn met_text(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "NOT met"
    }
}

/// A number as the tables show it: thousands separated from 1,000 up, about three
/// significant digits below.
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

/// A Markdown table with its columns padded, so it reads as plain text in a terminal too.
pub fn table<const N: usize>(header: [&str; N], lines: &[[String; N]]) -> String {
    let mut widths = header.map(|title| title.chars().count());
    for line in lines {
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
    for line in lines {
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
        "machine: {cpu}, {cores} cores, {:.1} GiB memory; load average {}",
        memory_kib as f64 / 1024.0 / 1024.0,
        load_average()
    )
}

/// The 1-, 5- and 15-minute load averages (`/proc/loadavg`), or `?`: on a shared machine,
/// how much else was running.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|| "?".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_from_a_thousand_and_rounded_below() {
        assert_eq!(number(1_234_567.0), "1,234,567");
        assert_eq!(number(999.4), "999");
        assert_eq!(number(12.34), "12.3");
        assert_eq!(number(1.234), "1.23");
        assert_eq!(number(0.1234), "0.123");
        assert_eq!(count(999), "999");
        assert_eq!(count(12_000), "12,000");
    }

    #[test]
    fn targets_say_whether_they_are_met() {
        assert_eq!(Target::AtLeast(10.0).met(10.0, 1.0), "met");
        assert_eq!(Target::Below(10.0).met(10.0, 1.0), "NOT met");
        assert_eq!(Target::RatioAtLeast(0.5).met(40.0, 100.0), "NOT met");
        assert_eq!(Target::None.met(0.0, 0.0), "-");
        assert_eq!(Target::Below(50.0).text("ms"), "< 50.0 ms");
    }

    #[test]
    fn a_table_pads_every_column_to_its_widest_cell() {
        let text = table(["a", "figure"], &[["long cell".to_owned(), "1".to_owned()]]);
        assert_eq!(
            text,
            "| a         | figure |\n| --------- | ------ |\n| long cell | 1      |\n"
        );
    }
}
