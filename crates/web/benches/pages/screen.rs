//! The big screen's delay: a steward's mutation is answered; how long until the screen's event
//! stream says `changed`, and until the screen has fetched itself again. The stream waits
//! `DEBOUNCE` (one second) after the read model moves, so that a burst makes one refresh: that
//! second is part of the figure by design.

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use guanjia_bench_report::Target;
use serde_json::json;

use crate::site::{Site, PASSWORD};
use crate::timing::{signed_in, Row};

const RUNS: usize = 10;

pub async fn latency(site: &Site) -> anyhow::Result<Vec<Row>> {
    let token = site.login(&site.steward, PASSWORD).await?;
    let found = site
        .ok(
            &token,
            "query($s: String!) { cases(filter: {steward: $s, leadOnly: true, open: true}, first: 1) \
             { edges { node { id } } } }",
            json!({"s": site.steward}),
        )
        .await?;
    let case = found["cases"]["edges"][0]["node"]["id"]
        .as_str()
        .context("an open case of the steward")?
        .to_owned();
    let mut screen = signed_in(site, &site.leader).await?;
    let mut page = signed_in(site, &site.leader).await?;
    let mut events = screen.get("/screen/events").await;
    if events.status() != 200 {
        bail!("/screen/events answered {}", events.status());
    }
    let (mut changed, mut refreshed) = (Vec::new(), Vec::new());
    for n in 0..RUNS {
        // Past the debounce of the previous change, and whatever it sent.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        while let Ok(chunk) = tokio::time::timeout(Duration::from_millis(10), events.chunk()).await
        {
            if chunk?.is_none() {
                bail!("the screen's stream ended");
            }
        }
        let clock = Instant::now();
        site.ok(
            &token,
            "mutation($c: ID!, $t: String!) { addNote(caseId: $c, input: {text: $t}) { position } }",
            json!({"c": case, "t": format!("大屏延迟测量 {n}")}),
        )
        .await?;
        let answered = clock.elapsed();
        loop {
            let chunk = tokio::time::timeout(Duration::from_secs(30), events.chunk())
                .await
                .context("no event from the screen's stream within 30 s")??
                .context("the screen's stream ended")?;
            if String::from_utf8_lossy(&chunk).contains("changed") {
                break;
            }
        }
        changed.push((clock.elapsed() - answered).as_secs_f64() * 1000.0);
        let shown = page.get("/screen").await;
        if shown.status() != 200 {
            bail!("/screen answered {}", shown.status());
        }
        shown.bytes().await?;
        refreshed.push((clock.elapsed() - answered).as_secs_f64() * 1000.0);
    }
    Ok(vec![
        Row::times(
            "big screen: answer to `changed` (1 s debounce included)",
            changed,
            Target::None,
        ),
        Row::times(
            "big screen: answer to the screen fetched again",
            refreshed,
            Target::None,
        ),
    ])
}
