//! The server measured: the real `Application` with its pages, on a runtime of its own (two
//! workers, as on this machine's two cores) so that the client's tasks do not run on its
//! threads, its clock standing on the data's "today" at 10:00 Beijing time. Three accounts for
//! people of the generated district, and a wait for the hash chain to cover the loaded log.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context};
use chrono::{NaiveDate, TimeZone, Utc};
use guanjia_api::{AppConfig, Application, Secret};
use guanjia_bench_data::generate::Generator;
use guanjia_domain::clock::FixedClock;
use guanjia_web::Web;
use serde_json::{json, Value};
use tokio::sync::oneshot;

const ADMIN_PASSWORD: &str = "bench-admin-password";
/// The password of every account the bench creates.
pub const PASSWORD: &str = "bench-person-password";
/// The district's division (汉滨区).
const DISTRICT: &str = "610902000000";

pub struct Site {
    pub base: String,
    /// The lead steward with the most cases of the busiest town, and their town's division.
    pub steward: String,
    pub town: String,
    pub leader: String,
    http: reqwest::Client,
    stop: oneshot::Sender<()>,
    thread: std::thread::JoinHandle<()>,
}

impl Site {
    /// Starts the server on the loaded database `url`; returns once the accounts exist and the
    /// chain covers at least `events` events.
    pub async fn start(
        url: &str,
        today: NaiveDate,
        generator: &Generator,
        events: usize,
    ) -> anyhow::Result<Self> {
        let mut config = AppConfig::for_tests(url);
        config.auth.admin_password = Some(Secret::new(ADMIN_PASSWORD));
        config.limits.request_timeout = Duration::from_secs(60);
        let morning = Utc
            .from_local_datetime(&today.and_hms_opt(2, 0, 0).context("a time")?)
            .single()
            .context("an instant")?;
        let (ready, address) = oneshot::channel();
        let (stop, stopped) = oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("the server's runtime");
            runtime.block_on(async move {
                let clock = Arc::new(FixedClock::at(morning));
                let mut app = match Application::build_with_clock(config.clone(), clock).await {
                    Ok(app) => app,
                    Err(error) => {
                        let _ = ready.send(Err(error.to_string()));
                        return;
                    }
                };
                match Web::new(app.state().clone(), &config) {
                    Ok(web) => app.merge_routes(web.router()),
                    Err(error) => {
                        let _ = ready.send(Err(error.to_string()));
                        return;
                    }
                }
                let _ = ready.send(Ok(app.address()));
                let _ = app
                    .run_until_stopped(async {
                        let _ = stopped.await;
                    })
                    .await;
            });
        });
        let address = address
            .await?
            .map_err(|error| anyhow::anyhow!("the server did not start: {error}"))?;
        let town_leads = generator.town_leads(0);
        let site = Self {
            base: format!("http://{address}"),
            steward: town_leads.first().context("a lead steward")?.clone(),
            town: generator.town_code(0).to_owned(),
            leader: "leader.zhang".to_owned(),
            http: reqwest::Client::new(),
            stop,
            thread,
        };
        let admin = site.login("admin", ADMIN_PASSWORD).await?;
        for (username, role, division) in [
            (site.steward.as_str(), "STEWARD", site.town.as_str()),
            (site.leader.as_str(), "LEADER", DISTRICT),
            ("audit.bench", "AUDITOR", DISTRICT),
        ] {
            site.ok(
                &admin,
                "mutation($i: CreateUserInput!) { createUser(input: $i) { username } }",
                json!({"i": {"username": username, "displayName": username, "role": role,
                             "division": division, "password": PASSWORD}}),
            )
            .await?;
        }
        site.wait_for_chain(events).await?;
        Ok(site)
    }

    /// Waits until the chain keeper has linked at least `events` events (it starts from
    /// nothing on a loaded log).
    async fn wait_for_chain(&self, events: usize) -> anyhow::Result<()> {
        let auditor = self.login("audit.bench", PASSWORD).await?;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(1800);
        loop {
            // While the keeper links two million events the query may time out: ask again.
            let linked = match self
                .ok(&auditor, "{ chainHead { events } }", json!({}))
                .await
            {
                Ok(data) => data["chainHead"]["events"].as_u64().unwrap_or(0),
                Err(error) => {
                    eprintln!("the chain's head is not known yet ({error}); asking again");
                    0
                }
            };
            if linked >= events as u64 {
                return Ok(());
            }
            if tokio::time::Instant::now() > deadline {
                bail!("the chain covers {linked} of {events} events after 30 minutes");
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
    }

    /// A bearer token of the first admin.
    pub async fn admin(&self) -> anyhow::Result<String> {
        self.login("admin", ADMIN_PASSWORD).await
    }

    /// A bearer token of `username`.
    pub async fn login(&self, username: &str, password: &str) -> anyhow::Result<String> {
        let data = self
            .graphql(
                "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }",
                json!({"u": username, "p": password}),
                None,
            )
            .await?;
        data["login"]["token"]
            .as_str()
            .map(str::to_owned)
            .with_context(|| format!("no token for {username}"))
    }

    /// A GraphQL request that must succeed; its `data`.
    pub async fn ok(&self, token: &str, query: &str, variables: Value) -> anyhow::Result<Value> {
        self.graphql(query, variables, Some(token)).await
    }

    async fn graphql(
        &self,
        query: &str,
        variables: Value,
        token: Option<&str>,
    ) -> anyhow::Result<Value> {
        let mut request = self
            .http
            .post(format!("{}/graphql", self.base))
            .json(&json!({"query": query, "variables": variables}));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let answer: Value = request.send().await?.json().await?;
        if !answer["errors"].is_null() {
            bail!("{query}: {}", answer["errors"]);
        }
        Ok(answer["data"].clone())
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = tokio::task::spawn_blocking(move || self.thread.join()).await;
    }
}
