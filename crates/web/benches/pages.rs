//! The pages' benchmark: `cargo bench -p guanjia-web`. Not a test: nothing here asserts a time.
//!
//! 1. Generates the read-model benchmark's district (`guanjia-bench-data`: 100,000 cases by
//!    default, `GUANJIA_BENCH_CASES` chooses; about 20 events a case, over several years) and
//!    writes it into a fresh SQLite database (the pages read the node's in-memory read model,
//!    so the backend only changes the start-up, which the read model's bench measures).
//! 2. Starts the real server with its pages (`Application` + `Web`, a runtime of two workers, the
//!    clock on the data's "today"), creates a steward of the busiest town, a district leader and
//!    an auditor, and waits until the hash chain covers the loaded log, so that the chain
//!    keeper's catching up does not share the cores with the measurement (`site.rs`).
//! 3. Over keep-alive HTTP, signed in through the sign-in form: the workbench, the case search,
//!    case pages, the dashboard of the district and of a town, one request at a time — the
//!    server's time per page as a client sees it, p50/p99/max — and the page weight (HTML, and
//!    the stylesheet and scripts it names) (`timing.rs`).
//! 4. In headless Chromium (skipped with a note when chromedriver is not installed): the time
//!    from asking for the dashboard until its charts are drawn (`charts.rs`).
//! 5. The big screen: the time from a mutation's answer until the screen's event stream says
//!    `changed`, and until the refreshed screen has arrived (`screen.rs`).
//! 6. The public side with the catalog grown to 2,000 items: the catalog, a search, guides,
//!    print views and the public read API, each under 16 keep-alive clients at once —
//!    requests per second and p50/p99/max (`public.rs`).
//!
//! Prints one table with the targets (p99 < 50 ms a page; workbench and case page under
//! 150 KB), the machine and its load. See docs/benchmarks.md for a run and what it means.

#[path = "pages/charts.rs"]
mod charts;
// Shared with the pages' tests; the bench uses part of each.
#[allow(dead_code)]
#[path = "../tests/pages/http/client.rs"]
mod client;
#[allow(dead_code)]
#[path = "../tests/pages/driver.rs"]
mod driver;
#[path = "pages/public.rs"]
mod public;
#[path = "pages/screen.rs"]
mod screen;
#[path = "pages/site.rs"]
mod site;
#[path = "pages/timing.rs"]
mod timing;

use std::time::Instant;

use chrono::NaiveDate;
use guanjia_bench_data::dataset::Log;
use guanjia_bench_data::generate::{self, Generator};
use guanjia_bench_data::load;
use guanjia_bench_report::{count, load_average, machine, table};
use guanjia_store::testing::TestDatabase;

use crate::site::Site;
use crate::timing::Row;

/// The allocator of the `guanjia` binary, so that the server measured here allocates as a real
/// one does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const DEFAULT_CASES: usize = 100_000;
const SEED: u64 = 2025;

/// "Today" of the data and of the server's clock: the read model bench's Monday.
fn today() -> NaiveDate {
    generate::date(2025, 12, 15)
}

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let cases = match std::env::var("GUANJIA_BENCH_CASES") {
        Ok(text) => text.trim().parse()?,
        Err(_) => DEFAULT_CASES,
    };
    let runs = match std::env::var("GUANJIA_BENCH_RUNS") {
        Ok(text) => text.trim().parse()?,
        Err(_) => 200,
    };
    let started = Instant::now();
    eprintln!("{}", machine());

    let generator = Generator::new(cases, SEED, today())?;
    let log = Log::generate(&generator)?;
    let events = log.rows.len();
    let db = TestDatabase::sqlite();
    db.open().await?.close().await;
    load::sqlite(db.url(), &generator, &log).await?;
    eprintln!(
        "{} cases, {} events generated and loaded into SQLite in {:.0} s",
        count(cases),
        count(events),
        started.elapsed().as_secs_f64()
    );
    let sample = timing::sample(&log.ids, runs);
    drop(log);

    let site = Site::start(db.url(), today(), &generator, events).await?;
    eprintln!(
        "server up and the chain caught up after {:.0} s; load average {}",
        started.elapsed().as_secs_f64(),
        load_average()
    );
    let items = public::grow_catalog(&site).await?;
    eprintln!("the catalog holds {items} items");
    let before = load_average();
    let mut rows: Vec<Row> = timing::pages(&site, &sample, runs).await?;
    rows.extend(charts::dashboard(&site).await?);
    rows.extend(screen::latency(&site).await?);
    rows.extend(public::under_load(&site).await?);
    let after = load_average();
    site.stop().await;

    let lines: Vec<[String; 7]> = rows.iter().map(Row::line).collect();
    println!();
    println!(
        "{}",
        table(
            ["what", "p50", "p99", "max", "size", "target", "met"],
            &lines
        )
    );
    println!(
        "{} cases ({} events), {items} catalog items, SQLite; {runs} requests a staff page, one at a \
         time, after 20 to warm up; public pages under 16 clients for 8 s each. \
         Load average {before} before the measurement, {after} after. Whole run: {:.0} s.",
        count(cases),
        count(events),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
