//! What a child process measures: a node starting on a loaded database. It replays the log
//! with `LiveReadModel::start`, as a node does; reads its resident memory; then takes the first
//! part of the log again to show where the replay's time goes — reading with the store and
//! with plain sqlx and the store's own SQL (JSON parsed and not), applying pages already read,
//! dropping them; and on the first backend runs the queries against the live model. Last it
//! takes a snapshot, which a second child — the node restarting — starts from.
//!
//! Each query is timed call by call on keys spread over the whole data set; the table shows
//! the median and the detail column the 99th percentile (the maximum for short runs).

use std::hint::black_box;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use futures_util::StreamExt;
use guanjia_domain::calendar::WorkCalendar;
use guanjia_domain::values::DivisionCode;
use guanjia_read::follower::FollowOptions;
use guanjia_read::snapshot::Saved;
use guanjia_read::{
    BoardQuery, CaseQuery, DashboardQuery, GroupBy, KpiConfig, LiveReadModel, ReadModel,
    SnapshotFile, WorkloadQuery,
};
use guanjia_store::{LogPosition, Store, StoreOptions};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use sqlx::postgres::{PgPoolOptions, PgRow};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions, SqliteRow};
use sqlx::Row as _;

use crate::report::{count, Row, Target};
use guanjia_bench_data::generate::{date, Generator};

/// What the parent asks a child to do.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Job {
    pub backend: String,
    pub url: String,
    pub cases: usize,
    pub seed: u64,
    /// Rows in the log, and cases registered in it, to check the replay against.
    pub events: usize,
    pub log_cases: usize,
    /// Run the queries too (once per data set: they do not depend on the backend).
    pub queries: bool,
    /// Where the replaying child leaves its snapshot, and the restarting child finds it.
    pub snapshot: PathBuf,
    /// Start from the snapshot (a node restarting) instead of replaying the log.
    pub restore: bool,
}

/// Keys sampled for the look-ups.
const SAMPLES: usize = 2_000;
/// Events per `read_after` page: the follower's own page size (follower.rs).
const PAGE: usize = 2_000;
/// Events read by each read-only pass, and the passes of each kind.
const SAMPLE_EVENTS: usize = 100_000;
const ROUNDS: usize = 2;

pub async fn run(job: &Job, today: NaiveDate) -> anyhow::Result<Vec<Row>> {
    if job.restore {
        return restart(job).await;
    }
    let mut rows = Vec::new();
    let cases = job.cases;
    let name = backend_name(job);
    let store = Store::open(&job.url, StoreOptions::default()).await?;
    let before = memory()?;

    // The start-up replay, as a node does it: LiveReadModel::start on an empty model reads
    // the whole log (reading page n + 1 while page n is applied, follower.rs), then follows.
    // With the snapshot file set (there is none yet) so that the node can take one at the end.
    let options = FollowOptions {
        snapshot: Some(SnapshotFile::new(&job.snapshot)),
        snapshot_every: u64::MAX,
        ..FollowOptions::default()
    };
    let started = Instant::now();
    let live = LiveReadModel::start_with(store.clone(), empty_model(), options).await?;
    let replay = started.elapsed();
    anyhow::ensure!(
        live.restored_from().is_none(),
        "a snapshot was there already"
    );
    live.stop();
    let after = memory()?;
    let head = store.head().await?;
    anyhow::ensure!(
        live.read(ReadModel::position) == head,
        "the replay stopped before the head of the log"
    );
    let registered = live.read(ReadModel::case_count);
    anyhow::ensure!(
        registered == job.log_cases,
        "the model holds {registered} cases, the log {}",
        job.log_cases
    );
    rows.push(Row::new(
        cases,
        format!("replay from {name} (LiveReadModel::start)"),
        job.events as f64 / replay.as_secs_f64(),
        "events/s",
        format!(
            "{} events in {:.1} s, reading and applying overlapped; the parts are below",
            count(job.events),
            replay.as_secs_f64(),
        ),
        if job.backend == "postgres" {
            Target::AtLeast(200_000.0)
        } else {
            Target::None
        },
    ));
    rows.push(Row::new(
        cases,
        format!("resident memory after replay ({name} node)"),
        after.rss_mib,
        "MiB",
        format!(
            "{:.0} MiB before replay, peak {:.0} MiB",
            before.rss_mib, after.peak_mib
        ),
        if job.backend == "postgres" {
            Target::Below(1024.0)
        } else {
            Target::None
        },
    ));

    // Where the replay's time goes, on the first part of the log (the whole log would double
    // the run): reading with the store (as the follower does, and with `Value` payloads as
    // audit does), plain sqlx with the store's SQL (JSON parsed and not), and applying pages
    // already read. The passes alternate and each keeps its best of ROUNDS: the machine is
    // shared.
    let sample = job.events.min(SAMPLE_EVENTS);
    let mut best = [(0usize, Duration::MAX); 7];
    for _ in 0..ROUNDS {
        let (applied, dropped) = apply_pass(&store, sample).await?;
        let passes = [
            store_pass(&store, sample, true).await?,
            store_pass(&store, sample, false).await?,
            raw_pass(&job.backend, &job.url, sample, true).await?,
            raw_pass(&job.backend, &job.url, sample, false).await?,
            applied,
            dropped,
            stream_pass(&store, sample).await?,
        ];
        for (best, pass) in best.iter_mut().zip(passes) {
            if pass.1 < best.1 {
                *best = pass;
            }
        }
    }
    let first = format!("first {} events, best of {ROUNDS}", count(best[0].0));
    for (pass, what) in [
        (
            best[0],
            "reading: Store::read_payloads_after (the follower's read)",
        ),
        (best[1], "reading: Store::read_after (payloads as Value)"),
        (
            best[2],
            "reading: raw sqlx, same SQL, JSON into serde_json::Value",
        ),
        (best[3], "reading: raw sqlx, same SQL, JSON left as text"),
        (
            best[4],
            "applying pages already read (ReadModel::apply_all)",
        ),
        (best[5], "dropping pages already applied"),
        (
            best[6],
            "reading: Store::stream_payloads_after (the start-up read)",
        ),
    ] {
        rows.push(Row::new(
            cases,
            format!("  {name} {what}"),
            pass.0 as f64 / pass.1.as_secs_f64(),
            "events/s",
            first.clone(),
            Target::None,
        ));
    }

    // The replay as the follower did it before: pages of `Value` payloads from read_after,
    // each applied before the next is read. Same log, same process, same allocator, so the
    // ratio to the replay above is what streaming, typed decoding and the overlap bought.
    if job.backend == "postgres" {
        let mut model = empty_model();
        let started = Instant::now();
        loop {
            let page = store.read_after(model.position(), PAGE).await?;
            if page.is_empty() {
                break;
            }
            model.apply_all(&page)?;
        }
        let sequential = started.elapsed();
        anyhow::ensure!(
            model.position() == head && model.case_count() == registered,
            "the sequential replay did not reach the head"
        );
        drop(model);
        rows.push(Row::new(
            cases,
            format!("  {name} replay as before: read_after pages, applied in turn"),
            job.events as f64 / sequential.as_secs_f64(),
            "events/s",
            format!(
                "{:.1} s; {:.2}× the replay above",
                sequential.as_secs_f64(),
                sequential.as_secs_f64() / replay.as_secs_f64()
            ),
            Target::None,
        ));
    }

    if job.queries {
        queries(&live, job, today, &mut rows)?;
    }
    snapshot(live, job, name, &mut rows).await?;
    store.close().await;
    Ok(rows)
}

/// The node's image of the replayed model, taken and written as the follower does, for the
/// restarting child ([`restart`]).
async fn snapshot(
    live: LiveReadModel,
    job: &Job,
    name: &str,
    rows: &mut Vec<Row>,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let saved = live
        .save_snapshot()
        .await
        .expect("the snapshot file is set")?;
    let taken = started.elapsed();
    let Saved::Written { bytes } = saved else {
        anyhow::bail!("the snapshot was not written: {saved:?}");
    };
    rows.push(Row::new(
        job.cases,
        format!("  taking a snapshot ({name} node)"),
        taken.as_secs_f64(),
        "s",
        format!(
            "a {:.0} MiB image, encoded, sealed and written under the read lock",
            bytes as f64 / 1_048_576.0,
        ),
        Target::None,
    ));
    Ok(())
}

/// A node restarting, in a fresh process: it starts from the snapshot the replaying child left
/// (the log has no tail since, so this is the load alone; a tail replays at the replay's rate).
async fn restart(job: &Job) -> anyhow::Result<Vec<Row>> {
    let name = backend_name(job);
    let store = Store::open(&job.url, StoreOptions::default()).await?;
    let head = store.head().await?;
    let before = memory()?;
    let options = FollowOptions {
        snapshot: Some(SnapshotFile::new(&job.snapshot)),
        ..FollowOptions::default()
    };
    let started = Instant::now();
    let live = LiveReadModel::start_with(store.clone(), empty_model(), options).await?;
    let start_up = started.elapsed();
    live.stop();
    let after = memory()?;
    if live.restored_from() != Some(head) {
        let fresh = empty_model();
        let why = SnapshotFile::new(&job.snapshot)
            .load(&store, &fresh)
            .await
            .err();
        anyhow::bail!("the restart did not start from the snapshot: {why:?}");
    }
    anyhow::ensure!(
        live.position() == head,
        "the restart stopped before the head"
    );
    anyhow::ensure!(
        live.read(ReadModel::case_count) == job.log_cases,
        "the restored model lost cases"
    );
    // Taking an image on top of a model, in a process that has done nothing else: what the
    // peak memory of a running node becomes when its follower takes one.
    let started = Instant::now();
    let saved = live
        .save_snapshot()
        .await
        .expect("the snapshot file is set")?;
    let taken = started.elapsed();
    anyhow::ensure!(
        matches!(saved, Saved::Written { .. }),
        "not written: {saved:?}"
    );
    let after_taking = memory()?;
    let postgres = job.backend == "postgres";
    let rows = vec![
        Row::new(
            job.cases,
            format!("start-up from a snapshot, {name} (the log's events / start-up time)"),
            job.events as f64 / start_up.as_secs_f64(),
            "events/s",
            format!(
                "{:.2} s to read, check, open and decode the image",
                start_up.as_secs_f64()
            ),
            if postgres {
                Target::AtLeast(200_000.0)
            } else {
                Target::None
            },
        ),
        Row::new(
            job.cases,
            format!("resident memory after start-up from a snapshot ({name} node)"),
            after.rss_mib,
            "MiB",
            format!(
                "{:.0} MiB before, peak {:.0} MiB (the model and one section's encoding)",
                before.rss_mib, after.peak_mib
            ),
            if postgres {
                Target::Below(1024.0)
            } else {
                Target::None
            },
        ),
        Row::new(
            job.cases,
            format!("  then taking a snapshot ({name} node)"),
            taken.as_secs_f64(),
            "s",
            format!(
                "resident {:.0} MiB after it, peak {:.0} MiB",
                after_taking.rss_mib, after_taking.peak_mib
            ),
            Target::None,
        ),
    ];
    store.close().await;
    Ok(rows)
}

/// An empty model with the default calendar and KPI settings, as a node starts with.
fn empty_model() -> ReadModel {
    ReadModel::new(WorkCalendar::china(), KpiConfig::default())
}

/// The backend as the table names it.
fn backend_name(job: &Job) -> &'static str {
    match job.backend.as_str() {
        "postgres" => "PostgreSQL",
        _ => "SQLite",
    }
}

/// Reads `limit` events (at least) with the store, keeping each page as the follower does
/// until it has applied it: with `Store::read_payloads_after` when `text`, else `read_after`.
async fn store_pass(store: &Store, limit: usize, text: bool) -> anyhow::Result<(usize, Duration)> {
    let started = Instant::now();
    let mut position = LogPosition::START;
    let mut read = 0usize;
    while read < limit {
        let (last, len) = if text {
            let page = black_box(store.read_payloads_after(position, PAGE).await?);
            (page.last().map(|event| event.position), page.len())
        } else {
            let page = black_box(store.read_after(position, PAGE).await?);
            (page.last().map(|event| event.position), page.len())
        };
        let Some(last) = last else { break };
        position = last;
        read += len;
    }
    Ok((read, started.elapsed()))
}

/// Reads `limit` events (at least) from one streamed query, in the follower's pages.
async fn stream_pass(store: &Store, limit: usize) -> anyhow::Result<(usize, Duration)> {
    let started = Instant::now();
    let mut read = 0usize;
    let mut pages = std::pin::pin!(store.stream_payloads_after(LogPosition::START, PAGE));
    while read < limit {
        let Some(page) = pages.next().await else {
            break;
        };
        read += black_box(page?).len();
    }
    Ok((read, started.elapsed()))
}

/// Reads the first `limit` events (at least) as the follower does, then times applying them
/// to a fresh model, and dropping the pages, apart from reading.
async fn apply_pass(
    store: &Store,
    limit: usize,
) -> anyhow::Result<((usize, Duration), (usize, Duration))> {
    let mut pages = Vec::new();
    let mut position = LogPosition::START;
    let mut read = 0usize;
    while read < limit {
        let page = store.read_payloads_after(position, PAGE).await?;
        let Some(last) = page.last() else { break };
        position = last.position;
        read += page.len();
        pages.push(page);
    }
    let mut model = empty_model();
    let clock = Instant::now();
    for page in &pages {
        model.apply_all(page)?;
    }
    let applied = clock.elapsed();
    let clock = Instant::now();
    drop(pages);
    let dropped = clock.elapsed();
    black_box(&model);
    Ok(((read, applied), (read, dropped)))
}

/// The same pages with plain sqlx and the store's SQL (crates/store/src/backend): every column
/// decoded to its sqlx type, payload and metadata as `serde_json::Value` when `json`, else as
/// text.
async fn raw_pass(
    backend: &str,
    url: &str,
    limit: usize,
    json: bool,
) -> anyhow::Result<(usize, Duration)> {
    let page = i64::try_from(PAGE)?;
    let mut read = 0usize;
    let started;
    if backend == "postgres" {
        let pool = PgPoolOptions::new().max_connections(1).connect(url).await?;
        let columns = if json {
            "payload, metadata"
        } else {
            "payload::text AS payload, metadata::text AS metadata"
        };
        // The store's read (crates/store/src/backend/postgres/log.rs): the log's own
        // transaction numbers (migration 0007), below the horizon no transaction can still
        // commit under.
        let sql = format!(
            "SELECT transaction_id, global_position, aggregate_type, \
                    aggregate_id, sequence, event_type, event_version, {columns}, recorded_at \
             FROM events \
             WHERE transaction_id < (SELECT guanjia_log_horizon()) \
               AND (transaction_id, global_position) > ($1, $2) \
             ORDER BY transaction_id, global_position \
             LIMIT $3"
        );
        started = Instant::now();
        let mut after = (0i64, 0i64);
        while read < limit {
            let rows = sqlx::query(&sql)
                .bind(after.0)
                .bind(after.1)
                .bind(page)
                .fetch_all(&pool)
                .await?;
            let Some(last) = rows.last() else { break };
            after = (
                last.try_get("transaction_id")?,
                last.try_get("global_position")?,
            );
            let decoded = rows
                .iter()
                .map(|row| pg_columns(row, json))
                .collect::<anyhow::Result<Vec<_>>>()?;
            read += black_box(decoded).len();
        }
        pool.close().await;
    } else {
        let options = SqliteConnectOptions::from_str(url)?.pragma("query_only", "ON");
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?;
        let sql = "SELECT global_position, aggregate_type, aggregate_id, sequence, event_type, \
                   event_version, payload, metadata, recorded_at \
                   FROM events WHERE global_position > ? ORDER BY global_position LIMIT ?";
        started = Instant::now();
        let mut after = 0i64;
        while read < limit {
            let rows = sqlx::query(sql)
                .bind(after)
                .bind(page)
                .fetch_all(&pool)
                .await?;
            let Some(last) = rows.last() else { break };
            after = last.try_get("global_position")?;
            let decoded = rows
                .iter()
                .map(|row| sqlite_columns(row, json))
                .collect::<anyhow::Result<Vec<_>>>()?;
            read += black_box(decoded).len();
        }
        pool.close().await;
    }
    Ok((read, started.elapsed()))
}

type Columns = (
    String,
    String,
    i64,
    String,
    String,
    Payload,
    Payload,
    DateTime<Utc>,
);

/// A payload or metadata column, parsed or not. Decoded only to be kept with its page and
/// dropped, as `read_after`'s events are.
#[allow(dead_code)]
enum Payload {
    Json(serde_json::Value),
    Text(String),
}

fn pg_columns(row: &PgRow, json: bool) -> anyhow::Result<Columns> {
    let column = |name: &str| -> anyhow::Result<Payload> {
        Ok(if json {
            Payload::Json(row.try_get(name)?)
        } else {
            Payload::Text(row.try_get(name)?)
        })
    };
    Ok((
        row.try_get("aggregate_type")?,
        row.try_get("aggregate_id")?,
        row.try_get("sequence")?,
        row.try_get("event_type")?,
        row.try_get("event_version")?,
        column("payload")?,
        column("metadata")?,
        row.try_get("recorded_at")?,
    ))
}

fn sqlite_columns(row: &SqliteRow, json: bool) -> anyhow::Result<Columns> {
    let column = |name: &str| -> anyhow::Result<Payload> {
        Ok(if json {
            Payload::Json(row.try_get(name)?)
        } else {
            Payload::Text(row.try_get(name)?)
        })
    };
    Ok((
        row.try_get("aggregate_type")?,
        row.try_get("aggregate_id")?,
        row.try_get("sequence")?,
        row.try_get("event_type")?,
        row.try_get("event_version")?,
        column("payload")?,
        column("metadata")?,
        row.try_get("recorded_at")?,
    ))
}

fn queries(
    live: &LiveReadModel,
    job: &Job,
    today: NaiveDate,
    rows: &mut Vec<Row>,
) -> anyhow::Result<()> {
    let cases = job.cases;
    let generator = Generator::new(cases, job.seed, today)?;
    let mut rng = StdRng::seed_from_u64(job.seed ^ 0x5EED);
    let mut ids = Vec::with_capacity(SAMPLES);
    let mut usccs = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let case = generator.case(rng.gen_range(0..cases))?;
        if case.events.is_empty() {
            continue;
        }
        if let Some(uscc) = case.uscc {
            usccs.push(uscc);
        }
        ids.push(case.id);
    }

    let stats = time_each(usccs.len(), |k| {
        let found = live.read(|m| m.cases_by_uscc(&usccs[k]));
        found.all.len()
    });
    anyhow::ensure!(
        stats.results.iter().all(|n| *n >= 1),
        "a USCC was not found"
    );
    rows.push(stats.row(
        cases,
        "USCC lookup (cases_by_uscc)",
        Unit::Micros,
        format!("{} USCCs", count(usccs.len())),
        Target::Below(100.0),
    ));

    for (text, runs) in [("恒口", 30), ("恒口鑫达", 100)] {
        let query = CaseQuery {
            name: Some(text.to_owned()),
            ..CaseQuery::default()
        };
        let stats = time_each(runs, |_| {
            live.read(|m| m.search(&query, today).map(|page| page.total))
        });
        let total = first_ok(&stats.results)?;
        rows.push(stats.row(
            cases,
            &format!("name search \"{text}\" (search, first page of 20)"),
            Unit::Millis,
            format!("{} matches", count(total)),
            Target::None,
        ));
    }

    let town = DivisionCode::parse(generator.town_code(0))?;
    let query = CaseQuery {
        division: Some(town.clone()),
        open: Some(true),
        has_overdue_items: Some(true),
        ..CaseQuery::default()
    };
    let stats = time_each(30, |_| {
        live.read(|m| m.search(&query, today).map(|page| page.total))
    });
    let total = first_ok(&stats.results)?;
    rows.push(stats.row(
        cases,
        "search: open cases of 恒口镇 with overdue items",
        Unit::Millis,
        format!("{} matches", count(total)),
        Target::None,
    ));

    let stats = time_each(ids.len(), |k| {
        live.read(|m| m.case_detail(&ids[k], today).map(|d| d.timeline.len()))
    });
    anyhow::ensure!(
        stats.results.iter().all(Option::is_some),
        "a case was not found"
    );
    let entries: usize = stats.results.iter().flatten().sum();
    rows.push(stats.row(
        cases,
        "case detail (case_detail, with timeline)",
        Unit::Micros,
        format!(
            "{} cases, {:.0} timeline entries each",
            count(ids.len()),
            entries as f64 / ids.len().max(1) as f64
        ),
        Target::None,
    ));

    let district = DivisionCode::parse("610902000000")?;
    let year = today.year();
    let plain = DashboardQuery {
        from: date(year, 1, 1),
        to: date(year, 12, 31),
        today,
        division: Some(district.clone()),
        group_by: None,
        monthly: false,
    };
    let stats = time_each(20, |_| live.read(|m| m.dashboard(&plain).map(|d| d.now)));
    first_ok(&stats.results)?;
    rows.push(stats.row(
        cases,
        &format!("dashboard, whole district 610902, {year}"),
        Unit::Millis,
        "20 runs".to_owned(),
        Target::Below(20.0),
    ));
    let grouped = DashboardQuery {
        group_by: Some(GroupBy::Steward),
        monthly: true,
        ..plain
    };
    let stats = time_each(10, |_| {
        live.read(|m| m.dashboard(&grouped).map(|d| d.groups.len()))
    });
    let groups = first_ok(&stats.results)?;
    rows.push(stats.row(
        cases,
        &format!("dashboard, district, {year}, by steward + monthly"),
        Unit::Millis,
        format!("{groups} groups, 12 months"),
        Target::None,
    ));

    // What the dashboard page asks of the model (crates/web/src/pages/dashboard/board.rs):
    // the board (this year and last, month by month, and the divisions below) and the
    // 电子监察 list, for the district and for its busiest town.
    for (scope, place) in [(&district, "district 610902"), (&town, "恒口镇")] {
        let board = BoardQuery {
            from: date(year, 1, 1),
            to: date(year, 12, 31),
            compare_from: date(year - 1, 1, 1),
            compare_to: date(year - 1, 12, 31),
            today,
            division: scope.clone(),
        };
        let stats = time_each(100, |_| {
            live.read(|m| m.board(&board).map(|b| b.children.len()))
        });
        let children = first_ok(&stats.results)?;
        rows.push(stats.row(
            cases,
            &format!("board (dashboard page), {place}, {year} and {}", year - 1),
            Unit::Millis,
            format!("100 runs, 12 + 12 months, {children} divisions below"),
            Target::None,
        ));
        let stats = time_each(100, |_| {
            live.read(|m| m.supervision(Some(scope), today).len())
        });
        let listed = stats.results.first().copied().unwrap_or_default();
        rows.push(stats.row(
            cases,
            &format!("电子监察 list (supervision), {place}"),
            Unit::Millis,
            format!("100 runs, {} items in warning or overdue", count(listed)),
            Target::None,
        ));
    }

    let leads = generator.town_leads(0);
    let one = WorkloadQuery {
        users: leads.iter().take(1).cloned().collect(),
        today,
        horizon_days: 5,
    };
    let stats = time_each(30, |_| {
        live.read(|m| {
            let w = m.workload(&one);
            (
                w.open_cases.len(),
                w.items_due_soon.len() + w.overdue_items.len(),
            )
        })
    });
    let (open, items) = stats.results.first().copied().unwrap_or_default();
    rows.push(stats.row(
        cases,
        &format!("workload of one steward ({})", one.users.join("")),
        Unit::Millis,
        format!("{} open cases, {items} items due or overdue", count(open)),
        Target::None,
    ));
    let team = WorkloadQuery {
        users: leads.clone(),
        today,
        horizon_days: 5,
    };
    let stats = time_each(10, |_| live.read(|m| m.workload(&team).open_cases.len()));
    let open = stats.results.first().copied().unwrap_or_default();
    rows.push(stats.row(
        cases,
        &format!("workload of the 恒口镇 team ({} stewards)", leads.len()),
        Unit::Millis,
        format!("{} open cases", count(open)),
        Target::None,
    ));
    Ok(())
}

/// The first answer of a timed query, which must have succeeded.
fn first_ok<T: Clone, E: std::fmt::Display>(results: &[Result<T, E>]) -> anyhow::Result<T> {
    match results.first() {
        Some(Ok(value)) => Ok(value.clone()),
        Some(Err(error)) => Err(anyhow::anyhow!("{error}")),
        None => Err(anyhow::anyhow!("the query never ran")),
    }
}

#[derive(Clone, Copy)]
enum Unit {
    Micros,
    Millis,
}

struct Stats<T> {
    times: Vec<Duration>,
    results: Vec<T>,
}

impl<T> Stats<T> {
    fn row(&self, cases: usize, figure: &str, unit: Unit, detail: String, target: Target) -> Row {
        let mut sorted = self.times.clone();
        sorted.sort_unstable();
        let at = |q: f64| {
            let index = ((sorted.len() as f64 - 1.0) * q).round() as usize;
            sorted.get(index).copied().unwrap_or_default()
        };
        let (scale, unit_name) = match unit {
            Unit::Micros => (1e6, "µs"),
            Unit::Millis => (1e3, "ms"),
        };
        let median = at(0.5).as_secs_f64() * scale;
        let p99 = at(0.99).as_secs_f64() * scale;
        Row::new(
            cases,
            figure.to_owned(),
            median,
            unit_name,
            format!("p99 {} {unit_name}; {detail}", crate::report::number(p99)),
            target,
        )
    }
}

/// Runs `call(k)` for k in 0..n, timing each call on its own.
fn time_each<T>(n: usize, mut call: impl FnMut(usize) -> T) -> Stats<T> {
    let mut times = Vec::with_capacity(n);
    let mut results = Vec::with_capacity(n);
    for k in 0..n {
        let started = Instant::now();
        let result = black_box(call(k));
        times.push(started.elapsed());
        results.push(result);
    }
    Stats { times, results }
}

/// Resident memory now and at its peak, from /proc/self/status.
pub struct Memory {
    pub rss_mib: f64,
    pub peak_mib: f64,
}

pub fn memory() -> anyhow::Result<Memory> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let field = |name: &str| -> anyhow::Result<f64> {
        let line = status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .ok_or_else(|| anyhow::anyhow!("no {name} in /proc/self/status"))?;
        let kib: f64 = line.trim().trim_end_matches("kB").trim().parse()?;
        Ok(kib / 1024.0)
    };
    Ok(Memory {
        rss_mib: field("VmRSS:")?,
        peak_mib: field("VmHWM:")?,
    })
}
