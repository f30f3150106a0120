//! The event log's benchmark (issue 3): `cargo bench -p guanjia-store`.
//!
//! Not a test: nothing here asserts a time. It measures, on PostgreSQL and on SQLite in one
//! run, each figure next to a raw sqlx baseline measured in the same run on the same database,
//! and prints one table (see `docs/benchmarks.md` for a run and what it means):
//! 1. command throughput with 1 and 16 clients, each on cases of its own (`commands.rs`);
//! 2. reading the log from position 0 in pages (`log.rs`);
//! 3. loading a 1,000-event case with and without a snapshot (`load.rs`).
//!
//! Each (backend, figure) runs in a child process of this one (`figures.rs`), on a fresh
//! database: what an earlier figure left behind in the heap and the allocator moved a later
//! figure by up to 2× when they shared a process. PostgreSQL is `DATABASE_URL` when set (each
//! figure creates its own database through it), else one throwaway cluster started here
//! (`guanjia_store::testing`) and handed to the children as their `DATABASE_URL`.
//!
//! Arguments that do not start with `--` narrow the run: `cargo bench -p guanjia-store --
//! sqlite read` (backends `postgres`, `sqlite`; figures `commands`, `read`, `load`).

// The parts live in `benches/store/`; a bench's root resolves `mod` next to itself.
#[path = "store/commands.rs"]
mod commands;
#[path = "store/figures.rs"]
mod figures;
#[path = "store/fixtures.rs"]
mod fixtures;
#[path = "store/load.rs"]
mod load;
#[path = "store/log.rs"]
mod log;
#[path = "store/report.rs"]
mod report;

use std::process::{Command, Stdio};

use guanjia_store::testing::TestDatabase;
use guanjia_store::Backend;

use report::Row;

/// The allocator of the `guanjia` binary (src/main.rs), so that the server measured here
/// allocates as a real one does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Set in a child: `BACKEND FIGURE`, the one figure it measures.
const CHILD: &str = "GUANJIA_BENCH_CHILD";
/// How a child hands a row of the table to its parent on stdout.
const ROW_PREFIX: &str = "bench-row ";
const BACKENDS: [Backend; 2] = [Backend::Postgres, Backend::Sqlite];
const FIGURES: [&str; 3] = ["commands", "read", "load"];

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    if let Ok(job) = std::env::var(CHILD) {
        let (backend, figure) = job
            .split_once(' ')
            .ok_or_else(|| anyhow::anyhow!("{CHILD}={job:?}"))?;
        let backend = BACKENDS
            .into_iter()
            .find(|known| name(*known) == backend)
            .ok_or_else(|| anyhow::anyhow!("no backend {backend:?}"))?;
        for row in runtime.block_on(figures::run(backend, figure))? {
            println!("{ROW_PREFIX}{}", serde_json::to_string(&row)?);
        }
        return Ok(());
    }

    let chosen: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with("--"))
        .collect();
    let wanted = |name: &str, all: &[&str]| {
        let narrowed = chosen.iter().any(|arg| all.contains(&arg.as_str()));
        !narrowed || chosen.iter().any(|arg| arg == name)
    };
    let backends: Vec<Backend> = BACKENDS
        .into_iter()
        .filter(|backend| wanted(name(*backend), &BACKENDS.map(name)))
        .collect();
    eprintln!("{}", report::machine());

    // One throwaway cluster for all children, alive until this process ends.
    let mut cluster = None;
    let mut database_url = std::env::var("DATABASE_URL").ok();
    if backends.contains(&Backend::Postgres) && database_url.is_none() {
        let db = runtime.block_on(TestDatabase::postgres());
        database_url = Some(admin_url(db.url()));
        cluster = Some(db);
    }

    let mut rows = Vec::new();
    for backend in backends {
        for figure in FIGURES.into_iter().filter(|f| wanted(f, &FIGURES)) {
            rows.extend(child(backend, figure, database_url.as_deref())?);
        }
        eprintln!(
            "{}: done, load average {}",
            name(backend),
            report::load_average()
        );
    }
    drop(cluster);
    println!("\n{}", report::table(&rows));
    println!(
        "ratio = value / baseline. Throughput and log read: best of {} alternating rounds \
         ({} s each for throughput), loads: median; each figure in a fresh process and database.",
        figures::ROUNDS,
        figures::ROUND.as_secs_f64()
    );
    Ok(())
}

/// Runs one figure in a child process; its progress goes to our stderr, its rows come back.
fn child(backend: Backend, figure: &str, database_url: Option<&str>) -> anyhow::Result<Vec<Row>> {
    let mut command = Command::new(std::env::current_exe()?);
    command
        .env(CHILD, format!("{} {figure}", name(backend)))
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    if let Some(url) = database_url {
        command.env("DATABASE_URL", url);
    }
    let output = command.output()?;
    anyhow::ensure!(
        output.status.success(),
        "{} {figure} failed ({})",
        name(backend),
        output.status
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.strip_prefix(ROW_PREFIX))
        .map(|json| Ok(serde_json::from_str(json)?))
        .collect()
}

/// The cluster's URL with the maintenance database, for children to create theirs through.
fn admin_url(url: &str) -> String {
    match url.rsplit_once('/') {
        Some((server, _database)) => format!("{server}/postgres"),
        None => url.to_owned(),
    }
}

fn name(backend: Backend) -> &'static str {
    match backend {
        Backend::Postgres => "postgres",
        Backend::Sqlite => "sqlite",
    }
}
