//! `guanjia replay`, and the replay itself, which `export` uses too: a read model rebuilt from
//! the whole log with `Store::read_after`, as a server builds it at start-up without a snapshot.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use anyhow::Context;
use guanjia_read::ReadModel;
use guanjia_store::{LogPosition, Store};

use super::support::open_store;
use crate::settings::Settings;

/// Events read per query.
const BATCH: usize = 2000;

/// What a replay saw.
#[derive(Debug, Clone)]
pub struct ReplayReport {
    pub events: u64,
    /// Events by aggregate type.
    pub by_type: BTreeMap<String, u64>,
    pub took: Duration,
}

/// Rebuilds the read model from the whole log, with the configured calendar and KPI settings.
pub async fn rebuild(
    store: &Store,
    settings: &Settings,
) -> anyhow::Result<(ReadModel, ReplayReport)> {
    let mut model = ReadModel::new(settings.calendar()?, settings.kpi_config()?);
    let started = Instant::now();
    let mut report = ReplayReport {
        events: 0,
        by_type: BTreeMap::new(),
        took: Duration::ZERO,
    };
    let mut position = LogPosition::START;
    loop {
        let events = store
            .read_after(position, BATCH)
            .await
            .context("cannot read the log")?;
        let Some(last) = events.last().map(|event| event.position) else {
            break;
        };
        for event in &events {
            model.apply(event).with_context(|| {
                format!(
                    "the read model stopped at event {} ({} {})",
                    event.position, event.aggregate_type, event.event_type
                )
            })?;
            *report
                .by_type
                .entry(event.aggregate_type.clone())
                .or_default() += 1;
        }
        report.events += events.len() as u64;
        position = last;
    }
    report.took = started.elapsed();
    Ok((model, report))
}

/// `guanjia replay`: rebuilds and reports; changes nothing.
pub async fn run(settings: &Settings) -> anyhow::Result<()> {
    let store = open_store(settings).await?;
    let outcome = rebuild(&store, settings).await;
    store.close().await;
    let (model, report) = outcome?;
    let seconds = report.took.as_secs_f64();
    println!("Replayed {} events in {:.3} s", report.events, seconds);
    if seconds > 0.0 {
        println!("  {:.0} events per second", report.events as f64 / seconds);
    }
    for (kind, count) in &report.by_type {
        println!("  {kind:<22} {count:>9}");
    }
    println!("Cases: {}", model.case_count());
    println!(
        "Catalog: {} items, {} bundles",
        model.catalog().items().count(),
        model.catalog().bundles().count()
    );
    println!("Position reached: {}", model.position());
    let years = model.calendar().published_years();
    if let (Some(first), Some(last)) = (years.first(), years.last()) {
        println!("Working-day calendar: {first}–{last}");
    }
    Ok(())
}
