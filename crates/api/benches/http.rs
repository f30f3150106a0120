//! The write path measured end to end over HTTP: `cargo bench -p guanjia-api --bench http`.
//!
//! Not a test: nothing here asserts a time. For each backend (PostgreSQL, then SQLite; narrow
//! with `-- postgres` or `-- sqlite`) it starts the real server (`Application`, on a runtime
//! of its own) on a fresh database and, in one run, alternates:
//! - **raw**: the database's own pace for the pattern a command needs — in a transaction,
//!   SELECT a stream's last sequence, INSERT one ~500-byte event — on a plain table of the same
//!   database, from N connections (`raw.rs`);
//! - **writes**: N keep-alive HTTP connections, each sending `addNote` mutations to a case of
//!   its own, each with a fresh `clientKey` (`load.rs`);
//! - **mixed**: N writers as above and N readers (case detail, search, dashboard) at once.
//!
//! It prints throughput, p50/p99/max latency, errors by code, and the ratios the issue set,
//! with the machine's load average; and it checks that the log holds exactly one `NoteAdded`
//! per acknowledged mutation. `GUANJIA_BENCH_SECS` (default 30) is the length of a writes or
//! mixed phase, half of it a raw one; `GUANJIA_BENCH_CONNECTIONS` (default 16) is N; two
//! rounds of raw and writes alternate before the mixed phase. PostgreSQL is `DATABASE_URL`
//! when set, else a throwaway cluster (`guanjia_store::testing`).

#[path = "http/client.rs"]
mod client;
#[path = "http/load.rs"]
mod load;
#[path = "http/raw.rs"]
mod raw;
#[path = "http/report.rs"]
mod report;
#[path = "http/server.rs"]
mod server;

use std::time::Duration;

use guanjia_store::testing::TestDatabase;
use guanjia_store::Backend;

use report::{Phase, Summary};

/// The allocator of the `guanjia` binary (src/main.rs), so that the server measured here
/// allocates as a real one does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let seconds = env_number("GUANJIA_BENCH_SECS", 30);
    let connections = env_number("GUANJIA_BENCH_CONNECTIONS", 16) as usize;
    let client = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let mut summaries = Vec::new();
    for backend in [Backend::Postgres, Backend::Sqlite] {
        let name = report::backend_name(backend);
        if !args.is_empty() && !args.iter().any(|a| a == name) {
            continue;
        }
        let load_before = report::load_average();
        let summary = client.block_on(run(backend, Duration::from_secs(seconds), connections))?;
        summaries.push((summary, load_before, report::load_average()));
    }
    print!("{}", report::table(&summaries, connections));
    Ok(())
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .filter(|value| *value > 0)
        .unwrap_or(default)
}

/// One backend: the phases, alternating, then the check of the log.
async fn run(backend: Backend, length: Duration, connections: usize) -> anyhow::Result<Summary> {
    let database = TestDatabase::new(backend).await;
    let server = server::Server::start(database.url(), connections).await?;
    let world = std::sync::Arc::new(client::World::prepare(&server.base, connections).await?);
    let raw = raw::Raw::prepare(database.url(), backend, connections).await?;
    let mut summary = Summary::new(backend);
    for round in 1..=2 {
        eprintln!("{}: round {round}: raw", report::backend_name(backend));
        summary.add(Phase::Raw, raw.run(length / 2).await?);
        eprintln!(
            "{}: round {round}: writes over HTTP",
            report::backend_name(backend)
        );
        summary.add(Phase::Writes, load::writes(&world, length, 0).await);
    }
    eprintln!("{}: mixed", report::backend_name(backend));
    let (writes, reads) = load::mixed(&world, length).await;
    summary.add(Phase::MixedWrites, writes);
    summary.add(Phase::MixedReads, reads);
    summary.acknowledged = world.acknowledged();
    summary.logged = world.notes_in_log(database.url()).await?;
    server.stop().await;
    raw.close().await;
    Ok(summary)
}
