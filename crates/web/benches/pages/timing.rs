//! Server time per page as a client sees it — one request at a time over a keep-alive
//! connection, signed in through the form — and the weight of a page.

use std::time::Instant;

use anyhow::{bail, Context};
use guanjia_bench_report::{number, Target};

use crate::client::Client;
use crate::site::{Site, PASSWORD};

/// Requests before the measured ones (connections, caches).
const WARM_UP: usize = 20;
/// A page's p99 must stay below this (milliseconds).
const P99_TARGET_MS: f64 = 50.0;
/// The workbench and the case page, HTML + stylesheet + scripts, below this (bytes).
const WEIGHT_TARGET: f64 = 150.0 * 1024.0;

/// One line of the report.
pub struct Row {
    pub what: String,
    /// Milliseconds, sorted.
    pub samples: Vec<f64>,
    pub size: Option<usize>,
    pub target: Target,
    /// What the target is measured against: the p99 (times) or the size.
    pub on_size: bool,
}

impl Row {
    pub fn times(what: impl Into<String>, mut samples: Vec<f64>, target: Target) -> Self {
        samples.sort_by(f64::total_cmp);
        Self {
            what: what.into(),
            samples,
            size: None,
            target,
            on_size: false,
        }
    }

    fn quantile(&self, q: f64) -> f64 {
        if self.samples.is_empty() {
            return f64::NAN;
        }
        let index = ((self.samples.len() - 1) as f64 * q).round() as usize;
        self.samples[index]
    }

    pub fn line(&self) -> [String; 7] {
        let ms = |value: f64| {
            if value.is_nan() {
                "-".to_owned()
            } else {
                format!("{} ms", number(value))
            }
        };
        let (target, met) = if self.on_size {
            let size = self.size.unwrap_or(0) as f64;
            let target = match self.target {
                Target::Below(bytes) => format!("< {} KB", number(bytes / 1024.0)),
                _ => "-".to_owned(),
            };
            (target, self.target.met(size, 1.0).to_owned())
        } else {
            let p99 = self.quantile(0.99);
            (self.target.text("ms"), self.target.met(p99, 1.0).to_owned())
        };
        [
            self.what.clone(),
            ms(self.quantile(0.5)),
            ms(self.quantile(0.99)),
            ms(self.samples.last().copied().unwrap_or(f64::NAN)),
            self.size.map_or_else(
                || "-".to_owned(),
                |b| format!("{} KB", number(b as f64 / 1024.0)),
            ),
            target,
            met,
        ]
    }
}

/// `runs` case ids spread evenly over all of them.
pub fn sample(ids: &[String], runs: usize) -> Vec<String> {
    let step = (ids.len() / runs.max(1)).max(1);
    ids.iter().step_by(step).take(runs).cloned().collect()
}

/// Every page of the steward and the leader, timed; then the weight of the workbench and of
/// a case page.
pub async fn pages(site: &Site, cases: &[String], runs: usize) -> anyhow::Result<Vec<Row>> {
    let mut steward = signed_in(site, &site.steward).await?;
    let mut leader = signed_in(site, &site.leader).await?;
    let town = &site.town;
    let mut rows = vec![
        timed(
            &mut steward,
            "workbench (工作台) of a town's lead steward",
            runs,
            |_| "/".to_owned(),
        )
        .await?,
        timed(
            &mut leader,
            "case search \"恒口\" (a third of all cases), first page",
            runs,
            |_| "/cases?q=恒口".to_owned(),
        )
        .await?,
        timed(
            &mut leader,
            "case search \"恒口鑫达\", first page",
            runs,
            |_| "/cases?q=恒口鑫达".to_owned(),
        )
        .await?,
        timed(
            &mut leader,
            "case search: open cases of a town with overdue items",
            runs,
            |_| format!("/cases?division={town}&state=open&deadline=overdue"),
        )
        .await?,
        timed(
            &mut leader,
            "case page, a different case each time",
            runs,
            |n| format!("/cases/{}", cases[n % cases.len()]),
        )
        .await?,
        timed(
            &mut leader,
            "dashboard (领导看板) of the district, this year",
            runs,
            |_| "/dashboard".to_owned(),
        )
        .await?,
        timed(&mut leader, "dashboard of a town, this year", runs, |_| {
            format!("/dashboard?division={town}")
        })
        .await?,
    ];
    let case_page = format!("/cases/{}", cases[0]);
    let weights = [
        ("weight: workbench", weight(&mut steward, "/").await?, true),
        (
            "weight: case page",
            weight(&mut leader, &case_page).await?,
            true,
        ),
        (
            "weight: dashboard (ECharts included)",
            weight(&mut leader, "/dashboard").await?,
            false,
        ),
    ];
    for (what, bytes, targeted) in weights {
        rows.push(Row {
            what: what.to_owned(),
            samples: Vec::new(),
            size: Some(bytes),
            target: if targeted {
                Target::Below(WEIGHT_TARGET)
            } else {
                Target::None
            },
            on_size: true,
        });
    }
    Ok(rows)
}

/// A client signed in as `username` through the sign-in form.
pub async fn signed_in(site: &Site, username: &str) -> anyhow::Result<Client> {
    let mut client = Client::new(&site.base);
    let answer = client.sign_in(username, PASSWORD).await;
    if !answer.status().is_redirection() {
        bail!("{username} could not sign in: {}", answer.status());
    }
    Ok(client)
}

/// `runs` requests of `path(n)`, one at a time, after [`WARM_UP`]; each must answer 200.
async fn timed(
    client: &mut Client,
    what: &str,
    runs: usize,
    path: impl Fn(usize) -> String,
) -> anyhow::Result<Row> {
    let mut samples = Vec::with_capacity(runs);
    let mut bytes = 0;
    for n in 0..WARM_UP + runs {
        let path = path(n);
        let clock = Instant::now();
        let response = client.get(&path).await;
        let status = response.status();
        let body = response.bytes().await.context("a page")?;
        let elapsed = clock.elapsed().as_secs_f64() * 1000.0;
        if status != 200 {
            bail!("{path} answered {status}");
        }
        if n >= WARM_UP {
            samples.push(elapsed);
            bytes += body.len();
        }
    }
    let mut row = Row::times(what, samples, Target::Below(P99_TARGET_MS));
    row.size = Some(bytes / runs.max(1));
    eprintln!("{what}: p99 {}", row.line()[2]);
    Ok(row)
}

/// The bytes of the page at `path`, its stylesheet and its scripts (as served: the server
/// compresses nothing itself).
async fn weight(client: &mut Client, path: &str) -> anyhow::Result<usize> {
    let page = client.get(path).await.text().await?;
    let mut total = page.len();
    for asset in assets(&page) {
        let response = client.get(&asset).await;
        if response.status() != 200 {
            bail!("{asset} answered {}", response.status());
        }
        total += response.bytes().await?.len();
    }
    Ok(total)
}

/// The stylesheets and scripts a page names (`/assets/….css` and `….js`), each once.
fn assets(page: &str) -> Vec<String> {
    let mut found: Vec<String> = page
        .split('"')
        .filter(|part| {
            part.starts_with("/assets/") && (part.ends_with(".css") || part.ends_with(".js"))
        })
        .map(str::to_owned)
        .collect();
    found.sort();
    found.dedup();
    found
}
