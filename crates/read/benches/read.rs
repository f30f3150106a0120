//! The read model's benchmark (issue 4): `cargo bench -p guanjia-read`.
//!
//! Not a test: nothing here asserts a time. For each data set (10,000 and 100,000 cases by
//! default; `GUANJIA_BENCH_CASES=10000` or `=100000` or a comma-separated list chooses) it
//! 1. generates realistic case histories from a fixed seed (`guanjia-bench-data`: about
//!    20 events a case, personal fields sealed as the store seals them;
//!    `GUANJIA_BENCH_SEED` changes the seed);
//! 2. writes them into a fresh PostgreSQL database (one COPY) and a fresh SQLite database
//!    (multi-row INSERTs), both at once;
//! 3. starts a child process per backend — a node starting up — which replays the log as
//!    `LiveReadModel::start` does (read_after pages + apply, timed apart), reads its resident
//!    memory, compares the store's log read with plain sqlx and, on PostgreSQL, times the
//!    queries: USCC lookup, name search, case detail, dashboard, workload (`measure.rs`), and
//!    last takes a snapshot of its model;
//! 4. starts a second child per backend — the node restarting — which starts from that
//!    snapshot, and reads its start-up time and resident memory;
//! 5. prints one table with the targets, met or not (`report.rs`).
//!
//! A child per backend so that the resident memory is the read model's and the log reader's,
//! not the generator's. PostgreSQL is `DATABASE_URL` when set (each data set gets a database of
//! its own created through it), else one throwaway cluster started here
//! (`guanjia_store::testing`). See `docs/benchmarks.md` for a run and what it means.

// The parts live in `benches/read/`; a bench's root resolves `mod` next to itself.
#[path = "read/measure.rs"]
mod measure;
#[path = "read/report.rs"]
mod report;

use std::process::{Command, Stdio};
use std::str::FromStr;
use std::time::Instant;

use chrono::NaiveDate;
use guanjia_store::testing::TestDatabase;
use sqlx::Connection;

use guanjia_bench_data::dataset::Log;
use guanjia_bench_data::generate::{self, Generator};
use guanjia_bench_data::load;
use measure::Job;
use report::{Row, Target};

/// The allocator of the `guanjia` binary (src/main.rs), so that the node measured here
/// allocates as a real one does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Set in a child: the [`Job`] it runs, as JSON.
const CHILD: &str = "GUANJIA_READ_BENCH_CHILD";
/// How a child hands a row of the table to its parent on stdout.
const ROW_PREFIX: &str = "bench-row ";
/// The data sets when `GUANJIA_BENCH_CASES` is not set.
const DEFAULT_CASES: [usize; 2] = [10_000, 100_000];
const DEFAULT_SEED: u64 = 2025;

/// "Today" of the data and the queries: a Monday. Fixed, so that a run is repeatable.
fn today() -> NaiveDate {
    generate::date(2025, 12, 15)
}

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    if let Ok(job) = std::env::var(CHILD) {
        let job: Job = serde_json::from_str(&job)?;
        for row in runtime.block_on(measure::run(&job, today()))? {
            println!("{ROW_PREFIX}{}", serde_json::to_string(&row)?);
        }
        return Ok(());
    }

    let sizes = case_counts()?;
    let seed = match std::env::var("GUANJIA_BENCH_SEED") {
        Ok(text) => text.trim().parse()?,
        Err(_) => DEFAULT_SEED,
    };
    let started = Instant::now();
    eprintln!("{}", report::machine());
    let mut rows = Vec::new();
    let mut servers = None;
    for cases in sizes {
        let generator = Generator::new(cases, seed, today())?;
        let clock = Instant::now();
        let log = Log::generate(&generator)?;
        let events = log.rows.len();
        eprintln!(
            "{cases} cases: {events} events ({:.1} a case, payloads {:.0} bytes on average, \
             registered {}–{}), {} personal-data keys, generated in {:.1} s",
            events as f64 / log.cases as f64,
            log.payload_bytes as f64 / events as f64,
            generator.first_year,
            generator.last_year(),
            log.keys.len(),
            clock.elapsed().as_secs_f64()
        );

        let postgres = runtime.block_on(TestDatabase::postgres());
        let sqlite = TestDatabase::sqlite();
        if servers.is_none() {
            servers = Some(runtime.block_on(describe(postgres.url(), sqlite.url()))?);
        }
        // Both databases at once: the work is in the PostgreSQL server and in SQLite's own
        // thread, so on two cores the loads overlap.
        let (pg_seconds, sqlite_seconds) = runtime.block_on(async {
            // The real schema, migrations and all.
            postgres.open().await?.close().await;
            sqlite.open().await?.close().await;
            let (pg, lite) = tokio::join!(
                timed(load::postgres(postgres.url(), &generator, &log)),
                timed(load::sqlite(sqlite.url(), &generator, &log)),
            );
            anyhow::Ok((pg?, lite?))
        })?;
        eprintln!(
            "{cases} cases: loaded into PostgreSQL in {pg_seconds:.1} s and SQLite in \
             {sqlite_seconds:.1} s, at the same time"
        );
        for (name, seconds, statement) in [
            (
                "PostgreSQL",
                pg_seconds,
                "one COPY … FROM STDIN (csv)".to_owned(),
            ),
            (
                "SQLite",
                sqlite_seconds,
                format!("multi-row INSERT, {} rows a statement", load::SQLITE_BATCH),
            ),
        ] {
            rows.push(Row::new(
                cases,
                format!("load into {name} (not the read model)"),
                events as f64 / seconds,
                "events/s",
                format!("{statement}; {seconds:.1} s, both loads at once"),
                Target::None,
            ));
        }
        let log_cases = log.cases;
        drop(log);

        let images = tempfile::tempdir()?;
        for (db, backend, queries) in [(&postgres, "postgres", true), (&sqlite, "sqlite", false)] {
            let mut job = Job {
                backend: backend.to_owned(),
                url: db.url().to_owned(),
                cases,
                seed,
                events,
                log_cases,
                queries,
                snapshot: images.path().join(format!("{backend}.read-model")),
                restore: false,
            };
            rows.extend(child(&job)?);
            job.restore = true;
            rows.extend(child(&job)?);
            eprintln!(
                "{cases} cases: {backend} measured; load average {}",
                report::load_average()
            );
        }
        drop(postgres);
        drop(sqlite);
    }
    println!();
    if let Some(servers) = servers {
        println!("{servers}");
    }
    println!("{}", report::table(&rows));
    println!(
        "Lookups and case detail: median of one call per sampled key; searches, dashboards and \
         workloads: median of 10–100 runs. Each backend's replay in a fresh process; the \
         queries run in the PostgreSQL one. Whole run: {:.0} s.",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Seconds `work` took.
async fn timed(work: impl std::future::Future<Output = anyhow::Result<()>>) -> anyhow::Result<f64> {
    let clock = Instant::now();
    work.await?;
    Ok(clock.elapsed().as_secs_f64())
}

/// `GUANJIA_BENCH_CASES`: one number or a comma-separated list; both default sizes if unset.
fn case_counts() -> anyhow::Result<Vec<usize>> {
    let Ok(text) = std::env::var("GUANJIA_BENCH_CASES") else {
        return Ok(DEFAULT_CASES.to_vec());
    };
    let sizes = text
        .split(',')
        .map(|part| part.trim().replace('_', "").parse::<usize>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| anyhow::anyhow!("GUANJIA_BENCH_CASES={text:?}: {error}"))?;
    anyhow::ensure!(
        sizes.iter().all(|n| *n > 0),
        "GUANJIA_BENCH_CASES: at least one case"
    );
    Ok(sizes)
}

/// Runs a job in a child process; its progress goes to our stderr, its rows come back.
fn child(job: &Job) -> anyhow::Result<Vec<Row>> {
    let output = Command::new(std::env::current_exe()?)
        .env(CHILD, serde_json::to_string(job)?)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .output()?;
    anyhow::ensure!(
        output.status.success(),
        "{} with {} cases failed ({})",
        job.backend,
        job.cases,
        output.status
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.strip_prefix(ROW_PREFIX))
        .map(|json| Ok(serde_json::from_str(json)?))
        .collect()
}

/// The database servers' versions and durability settings, for the report's header.
async fn describe(postgres: &str, sqlite: &str) -> anyhow::Result<String> {
    let mut pg = sqlx::PgConnection::connect(postgres).await?;
    let version: String = sqlx::query_scalar("SHOW server_version")
        .fetch_one(&mut pg)
        .await?;
    let fsync: String = sqlx::query_scalar("SHOW fsync").fetch_one(&mut pg).await?;
    let buffers: String = sqlx::query_scalar("SHOW shared_buffers")
        .fetch_one(&mut pg)
        .await?;
    pg.close().await?;
    let options = sqlx::sqlite::SqliteConnectOptions::from_str(sqlite)?.create_if_missing(true);
    let mut lite = sqlx::SqliteConnection::connect_with(&options).await?;
    let sqlite_version: String = sqlx::query_scalar("SELECT sqlite_version()")
        .fetch_one(&mut lite)
        .await?;
    lite.close().await?;
    Ok(format!(
        "PostgreSQL {version} (fsync={fsync}, shared_buffers={buffers}), SQLite {sqlite_version}"
    ))
}
