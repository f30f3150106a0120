//! The site under test: the real server — `Application` with the pages merged in, as
//! `guanjia serve` runs it — on a fresh database of either backend, holding the demo data and
//! one account per person of the demo district, with a clock the test controls.
//!
//! The demo is loaded for [`DEMO_DAY`] (its "current" work: items accepted 3, 10 and 20 days
//! before, visits 2 and 5 days after); the clock then shows [`TODAY`], the Thursday after, when
//! the demo's items stand at warning and overdue. [`Facts`] reads from the read model what the
//! pages must then show, so the flows compare the page with the model, not with numbers
//! copied here.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use guanjia_api::{AppConfig, AppState, Application};
use guanjia_demo::people::{AGENTS, AUDITOR, DISTRICT, LEADER, STEWARDS};
use guanjia_domain::clock::FixedClock;
use guanjia_store::testing::TestDatabase;
use guanjia_store::{Backend, Store};
use guanjia_web::Web;
use serde_json::{json, Value};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The day the demo's current work is anchored to: a Monday.
pub const DEMO_DAY: (i32, u32, u32) = (2026, 3, 2);
/// The day the site's clock shows: the Thursday after.
pub const TODAY: (i32, u32, u32) = (2026, 3, 5);
/// The password of every demo account.
pub const PASSWORD: &str = "demo-password-for-tests";
/// The bootstrap admin's password (`AppConfig::for_tests`).
pub const ADMIN_PASSWORD: &str = "admin-password-for-tests";

/// 10:00 Beijing time on `day`.
pub fn morning((y, m, d): (i32, u32, u32)) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 2, 0, 0)
        .single()
        .expect("a valid instant")
}

pub fn date((y, m, d): (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

/// A running site.
pub struct Site {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    pub web: Web,
    pub state: AppState,
    pub clock: FixedClock,
    pub backend: Backend,
    client: reqwest::Client,
    stop: oneshot::Sender<()>,
    server: JoinHandle<std::io::Result<()>>,
    /// Kept so the database lives as long as the site.
    _db: TestDatabase,
}

impl Site {
    /// The site on a fresh database of `backend`, with the demo and its accounts.
    pub async fn start(backend: Backend) -> Self {
        Self::start_with(backend, |_| {}).await
    }

    /// As [`Self::start`], with the configuration adjusted after the test defaults.
    pub async fn start_with(backend: Backend, adjust: impl FnOnce(&mut AppConfig)) -> Self {
        let db = TestDatabase::new(backend).await;
        let mut config = AppConfig::for_tests(db.url());
        config.store = TestDatabase::options();
        adjust(&mut config);
        let store = Store::open(db.url(), config.store.clone())
            .await
            .expect("the store opens");
        guanjia_demo::load(&store, date(DEMO_DAY), guanjia_demo::DEFAULT_SEED)
            .await
            .expect("the demo loads");
        store.close().await;
        let clock = FixedClock::at(morning(DEMO_DAY));
        let site = Self::serve(db, config, clock).await;
        site.create_accounts().await;
        site.clock.set(morning(TODAY));
        site
    }

    /// A second node on the same database (its own read model and pages), as behind a load
    /// balancer: only for PostgreSQL.
    pub async fn second_node(&self, db_url: &str) -> (Web, String, oneshot::Sender<()>) {
        let mut config = AppConfig::for_tests(db_url);
        config.store = TestDatabase::options();
        let mut app = Application::build_with_clock(config.clone(), Arc::new(self.clock.clone()))
            .await
            .expect("the second node starts");
        let web = Web::new(app.state().clone(), &config).expect("the pages' key");
        app.merge_routes(web.router());
        let base = format!("http://{}", app.address());
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(app.run_until_stopped(async move {
            let _ = stopped.await;
        }));
        (web, base, stop)
    }

    async fn serve(db: TestDatabase, config: AppConfig, clock: FixedClock) -> Self {
        let mut app = Application::build_with_clock(config.clone(), Arc::new(clock.clone()))
            .await
            .expect("the server starts");
        let web = Web::new(app.state().clone(), &config).expect("the pages' key");
        app.merge_routes(web.router());
        let address = app.address();
        let state = app.state().clone();
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(app.run_until_stopped(async move {
            let _ = stopped.await;
        }));
        Self {
            base: format!("http://{address}"),
            web,
            state,
            clock,
            backend: db.backend(),
            client: reqwest::Client::new(),
            stop,
            server,
            _db: db,
        }
    }

    /// The database URL (for a second node).
    pub fn database_url(&self) -> &str {
        self._db.url()
    }

    /// The accounts of the demo's people, as the binary creates them.
    async fn create_accounts(&self) {
        let admin = self.login("admin", ADMIN_PASSWORD).await;
        let mut people: Vec<(&str, &str, &str, &str)> = vec![
            (LEADER.0, LEADER.1, "LEADER", DISTRICT),
            (AUDITOR.0, AUDITOR.1, "AUDITOR", DISTRICT),
        ];
        for s in STEWARDS.iter().chain(AGENTS) {
            people.push((s.id, s.name, "STEWARD", s.division));
        }
        for (username, name, role, division) in people {
            self.create_user(&admin, username, name, role, division)
                .await;
        }
    }

    /// Creates an account with [`PASSWORD`] as the admin holding `admin`.
    pub async fn create_user(
        &self,
        admin: &str,
        username: &str,
        display_name: &str,
        role: &str,
        division: &str,
    ) {
        self.ok(
            admin,
            "mutation($i: CreateUserInput!) { createUser(input: $i) { username } }",
            json!({"i": {"username": username, "displayName": display_name, "role": role,
                         "division": division, "password": PASSWORD}}),
        )
        .await;
    }

    /// One GraphQL request as the holder of `token` (or anonymously).
    pub async fn graphql(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        let mut request = self
            .client
            .post(format!("{}/graphql", self.base))
            .json(&json!({"query": query, "variables": variables}));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("the server answers");
        response.json().await.expect("a JSON answer")
    }

    /// A request that must succeed; its `data`.
    pub async fn ok(&self, token: &str, query: &str, variables: Value) -> Value {
        let response = self.graphql(query, variables, Some(token)).await;
        assert!(
            response["errors"].is_null(),
            "{query}: {}",
            response["errors"]
        );
        response["data"].clone()
    }

    /// A bearer token of `username`.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let response = self
            .graphql(
                "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }",
                json!({"u": username, "p": password}),
                None,
            )
            .await;
        response["data"]["login"]["token"]
            .as_str()
            .unwrap_or_else(|| panic!("login of {username} failed: {response}"))
            .to_owned()
    }

    /// Stops the server as on SIGTERM and checks that it stopped cleanly.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let stopped = tokio::time::timeout(Duration::from_secs(20), self.server)
            .await
            .expect("shutdown finishes")
            .expect("the server task ran");
        assert!(stopped.is_ok(), "{stopped:?}");
    }
}
