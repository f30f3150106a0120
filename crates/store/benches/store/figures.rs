//! The three figures, each measured in a process of its own with a fresh database: the store
//! and its raw baseline side by side, raw first in each round, on the same database.

use std::time::Duration;

use guanjia_store::testing::TestDatabase;
use guanjia_store::{Backend, Store, StoreOptions};

use crate::fixtures::Raw;
use crate::report::{number, Row, Target};
use crate::{commands, load, log, name};

/// Concurrent clients of figure 1.
const CLIENTS: [usize; 2] = [1, 16];
/// Figures 1 and 2 are the best of this many rounds, raw and store alternating, so that a
/// burst of load from elsewhere on the machine does not decide a ratio.
pub const ROUNDS: usize = 5;
/// Length of one throughput round.
pub const ROUND: Duration = Duration::from_millis(1500);

/// Runs one figure on a fresh database and returns its rows.
pub async fn run(backend: Backend, figure: &str) -> anyhow::Result<Vec<Row>> {
    let (db, store, raw) = fresh(backend).await?;
    let mut rows = Vec::new();
    let result = match figure {
        "commands" => throughput(backend, &store, &raw, &mut rows).await,
        "read" => read(backend, &store, &raw, &mut rows).await,
        "load" => load(backend, &store, &raw, &mut rows).await,
        other => Err(anyhow::anyhow!("no figure {other:?}")),
    };
    store.close().await;
    raw.close().await;
    drop(db);
    result.map(|()| rows)
}

/// The store's production options, with a pool large enough for 16 clients (PostgreSQL keeps
/// one connection for LISTEN); the raw pool gets the same 16.
fn options() -> StoreOptions {
    StoreOptions {
        max_connections: 17,
        ..StoreOptions::default()
    }
}

async fn fresh(backend: Backend) -> anyhow::Result<(TestDatabase, Store, Raw)> {
    let db = TestDatabase::new(backend).await;
    let store = Store::open(db.url(), options()).await?;
    let raw = Raw::connect(db.url(), backend, 16).await?;
    Ok((db, store, raw))
}

/// Figure 1.
async fn throughput(
    backend: Backend,
    store: &Store,
    raw: &Raw,
    rows: &mut Vec<Row>,
) -> anyhow::Result<()> {
    let label = name(backend);
    eprintln!("{label}: {}", raw.describe().await?);
    for clients in CLIENTS {
        let (mut best_raw, mut best_store) = (0f64, 0f64);
        for round in 1..=ROUNDS {
            let tag = format!("{clients}c{round}");
            let raw_run = commands::through_raw(raw, clients, ROUND, &format!("raw{tag}")).await?;
            let store_run =
                commands::through_store(store, clients, ROUND, &format!("store{tag}")).await?;
            eprintln!(
                "{label}: {clients:>2} clients, round {round}: raw {} cmd/s, store {} cmd/s",
                number(raw_run.per_second()),
                number(store_run.per_second())
            );
            best_raw = best_raw.max(raw_run.per_second());
            best_store = best_store.max(store_run.per_second());
        }
        rows.push(Row {
            backend: label.to_owned(),
            figure: format!("commands, {clients} client(s), Store::execute"),
            value: best_store,
            baseline: best_raw,
            baseline_is: "raw SELECT stream; BEGIN; INSERT; COMMIT".to_owned(),
            unit: "cmd/s".to_owned(),
            target: match clients {
                16 => Target::RatioAtLeast(0.75),
                _ => Target::None,
            },
        });
    }
    Ok(())
}

/// Figure 2.
async fn read(
    backend: Backend,
    store: &Store,
    raw: &Raw,
    rows: &mut Vec<Row>,
) -> anyhow::Result<()> {
    let label = name(backend);
    let filled = log::fill(store, raw).await?;
    let expected = log::LOG_EVENTS + 2;
    eprintln!(
        "{label}: {} events inserted (raw multi-row INSERTs) in {:.1} s",
        number(log::LOG_EVENTS as f64),
        filled.as_secs_f64()
    );
    // One untimed pass each: the first pass of a process pays for growing the heap.
    log::read_raw(raw).await?;
    log::read_through_store(store).await?;
    let (mut best_raw, mut best_store) = (0f64, 0f64);
    for round in 1..=ROUNDS {
        let raw_pass = log::read_raw(raw).await?;
        let store_pass = log::read_through_store(store).await?;
        anyhow::ensure!(
            store_pass.events == expected && raw_pass.events == expected,
            "read {} events through the store and {} raw, expected {expected}",
            store_pass.events,
            raw_pass.events,
        );
        eprintln!(
            "{label}: log read, pass {round}: raw {} events/s, store {} events/s",
            number(raw_pass.per_second()),
            number(store_pass.per_second())
        );
        best_raw = best_raw.max(raw_pass.per_second());
        best_store = best_store.max(store_pass.per_second());
    }
    rows.push(Row {
        backend: label.to_owned(),
        figure: format!(
            "read log from 0, {} events, pages of {}",
            number(expected as f64),
            number(log::PAGE as f64)
        ),
        value: best_store,
        baseline: best_raw,
        baseline_is: match backend {
            Backend::Postgres => "raw sqlx paging, ordered by xid8",
            Backend::Sqlite => "raw sqlx, same paging query",
        }
        .to_owned(),
        unit: "events/s".to_owned(),
        target: Target::AtLeast(100_000.0),
    });
    Ok(())
}

/// Figure 3.
async fn load(
    backend: Backend,
    store: &Store,
    raw: &Raw,
    rows: &mut Vec<Row>,
) -> anyhow::Result<()> {
    let label = name(backend);
    let times = load::measure(store, raw).await?;
    eprintln!("{label}: load times {times:?}");
    let ms = |duration: Duration| duration.as_secs_f64() * 1000.0;
    let row = |figure: &str, value, baseline, baseline_is: &str, target| Row {
        backend: label.to_owned(),
        figure: figure.to_owned(),
        value: ms(value),
        baseline: ms(baseline),
        baseline_is: String::from(baseline_is),
        unit: "ms".to_owned(),
        target,
    };
    rows.push(row(
        "load 1,000-event case: Store::replay",
        times.replay,
        times.raw_select,
        "raw SELECT of the 1,000 rows",
        Target::None,
    ));
    rows.push(row(
        "load 1,000-event case: Store::load, snapshot at 1,000",
        times.snapshot,
        times.replay,
        "Store::replay (no snapshot)",
        Target::Below(2.0),
    ));
    rows.push(row(
        "load 999-event case: snapshot at 950 + 49 events",
        times.snapshot_tail,
        times.replay,
        "Store::replay of 1,000",
        Target::Below(2.0),
    ));
    Ok(())
}
