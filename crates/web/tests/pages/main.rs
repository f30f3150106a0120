//! Tests of the pages, against the real server on SQLite and on PostgreSQL.
//!
//! - In a real browser (Debian's chromium through chromedriver, `driver.rs`): one site per
//!   backend (`site.rs`: the demo data and its accounts), and on it every flow of
//!   [`flows::ALL`] in turn, each in fresh browser sessions. A failing flow does not stop the
//!   others; the test fails at the end naming every flow that failed and why. Then the
//!   Content-Security-Policy check: a canary violation must arrive at `/csp-report`, and no
//!   other violation may have.
//! - Over plain HTTP (`http.rs`): headers, status codes, sessions across nodes, idle expiry,
//!   rate limits — what a browser does not show.
//!
//! To add a flow: write `async fn name(site: &Site, driver: &Driver) -> anyhow::Result<()>`
//! in a module of `flows/`, open browsers with `Browser::open`, call `check_page()` on each
//! page it reaches, close them, and list it in `flows::ALL`.
//!
//! Run: `cargo test -p guanjia-web --test pages` (PostgreSQL through `DATABASE_URL`).
//! Screenshots for the docs: `GUANJIA_SCREENSHOTS=1 cargo test -p guanjia-web --test pages
//! -- browser_flows::on_sqlite`.

mod browser;
mod driver;
mod facts;
mod flows;
mod http;
mod site;

use std::time::Duration;

use guanjia_store::Backend;

use crate::browser::Browser;
use crate::driver::{Driver, Size};
use crate::site::Site;

mod browser_flows {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_sqlite() {
        super::run_flows(guanjia_store::Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        super::run_flows(guanjia_store::Backend::Postgres).await;
    }
}

/// Every flow on one site of `backend`, then the CSP check.
async fn run_flows(backend: Backend) {
    let site = Site::start(backend).await;
    let driver = Driver::start().await;
    let mut failures = Vec::new();
    // While working on one page: `GUANJIA_FLOWS=dashboard` runs only the flows so named.
    let only = std::env::var("GUANJIA_FLOWS").unwrap_or_default();
    for (name, flow) in flows::ALL.iter().filter(|(name, _)| name.contains(&only)) {
        match flow(&site, &driver).await {
            Ok(()) => eprintln!("flow {name} on {backend:?}: ok"),
            Err(error) => {
                eprintln!("flow {name} on {backend:?}: FAILED: {error:#}");
                failures.push(format!("{name}: {error:#}"));
            }
        }
    }
    if let Err(error) = no_csp_violations(&site, &driver).await {
        failures.push(format!("content security policy: {error:#}"));
    }
    drop(driver);
    site.stop().await;
    assert!(
        failures.is_empty(),
        "failed flows:\n{}",
        failures.join("\n")
    );
}

/// Makes one violation on purpose (an image from another origin, which the policy blocks
/// before any request) and waits for its report: reports are sent as they happen, so once the
/// canary's has arrived, any earlier page's would have too. Then no other may be there.
async fn no_csp_violations(site: &Site, driver: &Driver) -> anyhow::Result<()> {
    let browser = Browser::open(site, driver, Size::Desktop).await?;
    browser.goto("/signin").await?;
    browser
        .eval("const i = document.createElement('img'); i.src = 'http://csp-canary.invalid/c.png'; document.body.appendChild(i); return true;")
        .await?;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let reports = loop {
        let reports = site.web.csp_reports().latest();
        if reports.iter().any(|r| r.blocked_uri.contains("csp-canary")) {
            break reports;
        }
        anyhow::ensure!(
            tokio::time::Instant::now() < deadline,
            "the canary's violation was never reported (is report-uri working?)"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    browser.close().await?;
    let others: Vec<_> = reports
        .iter()
        .filter(|r| !r.blocked_uri.contains("csp-canary"))
        .collect();
    anyhow::ensure!(others.is_empty(), "violations reported: {others:?}");
    Ok(())
}
