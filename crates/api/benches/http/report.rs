//! What a phase measured, and the table the bench prints: throughput, latency percentiles,
//! errors by code, the ratios the issue set and whether they are met, the load average.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use guanjia_store::Backend;

pub use guanjia_bench_report::{load_average, met_text};

/// The latencies and outcomes of one phase (merged over its connections).
#[derive(Debug, Default, Clone)]
pub struct Outcomes {
    /// Every request's time, in microseconds.
    pub micros: Vec<u64>,
    pub ok: u64,
    pub errors: BTreeMap<String, u64>,
    pub seconds: f64,
}

impl Outcomes {
    pub fn ok(&mut self, took: Duration) {
        self.micros.push(took.as_micros() as u64);
        self.ok += 1;
    }

    pub fn error(&mut self, took: Duration, code: String) {
        self.micros.push(took.as_micros() as u64);
        *self.errors.entry(code).or_default() += 1;
    }

    pub fn merge(&mut self, other: Self) {
        self.micros.extend(other.micros);
        self.ok += other.ok;
        for (code, count) in other.errors {
            *self.errors.entry(code).or_default() += count;
        }
    }

    pub fn rate(&self) -> f64 {
        self.ok as f64 / self.seconds.max(f64::EPSILON)
    }

    /// The `p`-th percentile latency, in milliseconds.
    pub fn percentile(&self, p: f64) -> f64 {
        let mut sorted = self.micros.clone();
        sorted.sort_unstable();
        if sorted.is_empty() {
            return 0.0;
        }
        let index = ((sorted.len() as f64 - 1.0) * p / 100.0).round() as usize;
        sorted[index] as f64 / 1000.0
    }

    pub fn max(&self) -> f64 {
        self.micros.iter().copied().max().unwrap_or(0) as f64 / 1000.0
    }

    /// Requests slower than `ms`.
    pub fn over(&self, ms: f64) -> usize {
        self.micros
            .iter()
            .filter(|m| **m as f64 / 1000.0 > ms)
            .count()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    Raw,
    Writes,
    MixedWrites,
    MixedReads,
}

impl Phase {
    fn name(self) -> &'static str {
        match self {
            Self::Raw => "raw SELECT+INSERT",
            Self::Writes => "addNote over HTTP",
            Self::MixedWrites => "mixed: addNote",
            Self::MixedReads => "mixed: reads",
        }
    }
}

/// Everything measured on one backend.
pub struct Summary {
    pub backend: Backend,
    pub phases: Vec<(Phase, Outcomes)>,
    pub acknowledged: u64,
    pub logged: u64,
}

impl Summary {
    pub fn new(backend: Backend) -> Self {
        Self {
            backend,
            phases: Vec::new(),
            acknowledged: 0,
            logged: 0,
        }
    }

    pub fn add(&mut self, phase: Phase, outcomes: Outcomes) {
        self.phases.push((phase, outcomes));
    }

    /// The median rate of a phase's rounds.
    fn median_rate(&self, phase: Phase) -> f64 {
        let mut rates: Vec<f64> = self
            .phases
            .iter()
            .filter(|(p, _)| *p == phase)
            .map(|(_, o)| o.rate())
            .collect();
        rates.sort_by(f64::total_cmp);
        match rates.len() {
            0 => 0.0,
            n if n % 2 == 1 => rates[n / 2],
            n => (rates[n / 2 - 1] + rates[n / 2]) / 2.0,
        }
    }
}

pub fn backend_name(backend: Backend) -> &'static str {
    match backend {
        Backend::Postgres => "postgres",
        Backend::Sqlite => "sqlite",
    }
}

/// The table of every backend measured.
pub fn table(summaries: &[(Summary, String, String)], connections: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nHTTP write path, {connections} connections per phase\n"
    );
    let _ = writeln!(
        out,
        "| backend | phase | ops/s | p50 ms | p99 ms | max ms | > 250 ms | errors |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---|");
    for (summary, _, _) in summaries {
        for (phase, outcomes) in &summary.phases {
            let errors: Vec<String> = outcomes
                .errors
                .iter()
                .map(|(code, count)| format!("{code} {count}"))
                .collect();
            let _ = writeln!(
                out,
                "| {} | {} | {:.0} | {:.1} | {:.1} | {:.0} | {} | {} |",
                backend_name(summary.backend),
                phase.name(),
                outcomes.rate(),
                outcomes.percentile(50.0),
                outcomes.percentile(99.0),
                outcomes.max(),
                outcomes.over(250.0),
                if errors.is_empty() {
                    "0".to_owned()
                } else {
                    errors.join(", ")
                }
            );
        }
    }
    let _ = writeln!(out, "\n| backend | figure | value | target | met |");
    let _ = writeln!(out, "|---|---|---|---|---|");
    for (summary, before, after) in summaries {
        let name = backend_name(summary.backend);
        let raw = summary.median_rate(Phase::Raw);
        let writes = summary.median_rate(Phase::Writes);
        let mixed = summary.median_rate(Phase::MixedWrites);
        let mut row = |figure: &str, value: String, target: &str, met: bool| {
            let _ = writeln!(
                out,
                "| {name} | {figure} | {value} | {target} | {} |",
                met_text(met)
            );
        };
        if summary.backend == Backend::Postgres {
            row(
                "writes ÷ raw",
                format!("{:.2} ({writes:.0} / {raw:.0})", writes / raw),
                ">= 0.50",
                writes / raw >= 0.5,
            );
        } else {
            row(
                "writes",
                format!("{writes:.0}/s"),
                ">= 1590/s (1.5 × 1060)",
                writes >= 1590.0,
            );
            row(
                "writes ÷ raw",
                format!("{:.2} ({writes:.0} / {raw:.0})", writes / raw),
                "-",
                true,
            );
        }
        let worst_p99 = summary
            .phases
            .iter()
            .filter(|(p, _)| *p == Phase::Writes)
            .map(|(_, o)| o.percentile(99.0))
            .fold(0.0, f64::max);
        let slow: usize = summary
            .phases
            .iter()
            .filter(|(p, _)| *p == Phase::Writes)
            .map(|(_, o)| o.over(250.0))
            .sum();
        let errors: u64 = summary
            .phases
            .iter()
            .filter(|(p, _)| *p != Phase::Raw)
            .map(|(_, o)| o.errors.values().sum::<u64>())
            .sum();
        if summary.backend == Backend::Postgres {
            row(
                "writes p99",
                format!("{worst_p99:.1} ms"),
                "< 50 ms",
                worst_p99 < 50.0,
            );
            row("writes over 250 ms", slow.to_string(), "0", slow == 0);
        }
        row("errors over HTTP", errors.to_string(), "0", errors == 0);
        row(
            "mixed writes ÷ writes",
            format!("{:.2}", mixed / writes),
            ">= 0.60",
            mixed / writes >= 0.6,
        );
        row(
            "NoteAdded events = acknowledgements",
            format!("{} = {}", summary.logged, summary.acknowledged),
            "equal",
            summary.logged == summary.acknowledged,
        );
        let _ = writeln!(
            out,
            "| {name} | load average before / after | {before} / {after} | - | - |"
        );
    }
    out
}
