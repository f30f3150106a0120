//! The dashboard in a real browser: from asking for the page until its charts are drawn
//! (charts.js marks the page with `data-charts-drawn` once it has drawn them), in headless
//! Chromium through chromedriver, as the pages' tests drive it.

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use fantoccini::{Client, Locator};
use guanjia_bench_report::Target;

use crate::driver::{Driver, Size};
use crate::site::{Site, PASSWORD};
use crate::timing::Row;

const RUNS: usize = 10;

/// The rows of the charts' timing; none, with a note, when chromedriver is not installed.
pub async fn dashboard(site: &Site) -> anyhow::Result<Vec<Row>> {
    if !std::path::Path::new("/usr/bin/chromedriver").exists()
        && std::env::var_os("CHROMEDRIVER").is_none()
    {
        eprintln!("chromedriver is not installed: the charts are not timed");
        return Ok(Vec::new());
    }
    let driver = Driver::start().await;
    let (browser, _profile) = driver.session(Size::Desktop).await?;
    let timed = charts_drawn(&browser, site).await;
    let _ = browser.close().await;
    drop(driver);
    let samples = timed?;
    Ok(vec![Row::times(
        "dashboard in Chromium: request until the charts are drawn",
        samples,
        Target::None,
    )])
}

async fn charts_drawn(browser: &Client, site: &Site) -> anyhow::Result<Vec<f64>> {
    browser.goto(&format!("{}/signin", site.base)).await?;
    browser
        .find(Locator::Css("#username"))
        .await?
        .send_keys(&site.leader)
        .await?;
    browser
        .find(Locator::Css("#password"))
        .await?
        .send_keys(PASSWORD)
        .await?;
    browser
        .find(Locator::Css("form[action='/signin'] button[type=submit]"))
        .await?
        .click()
        .await?;
    let mut samples = Vec::with_capacity(RUNS);
    for _ in 0..=RUNS {
        let clock = Instant::now();
        browser
            .goto(&format!("{}/dashboard", site.base))
            .await
            .context("the dashboard")?;
        loop {
            let drawn = browser
                .execute(
                    "return document.documentElement.getAttribute('data-charts-drawn');",
                    vec![],
                )
                .await?;
            if drawn.as_str().is_some_and(|n| n != "0") {
                break;
            }
            if clock.elapsed() > Duration::from_secs(60) {
                bail!("the dashboard's charts were not drawn within a minute");
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        samples.push(clock.elapsed().as_secs_f64() * 1000.0);
    }
    // The first load fetched the scripts; the rest have them cached, as a leader's browser does.
    samples.remove(0);
    Ok(samples)
}
