//! The test harness: a fresh database per test (SQLite, or PostgreSQL through
//! [`spawn_on`]), the real schema executed through the same `graphql::execute` path as the
//! HTTP handler, and a clock the test controls. The server over HTTP (`over_http/harness.rs`)
//! is built on the same pieces: [`test_config`], [`LOGIN`], [`new_user`].
//!
//! [`both_backends!`] turns one scenario into two tests, `name::on_sqlite` and
//! `name::on_postgres`: `async fn name(app: TestApp)` in process, or, with `served`,
//! `async fn name(server: &TestServer)` over HTTP.

use std::sync::Arc;
use std::time::Duration;

use async_graphql::{Request, Variables};
use chrono::{DateTime, TimeZone, Utc};
use guanjia_api::graphql::{self, build_schema, GuanjiaSchema, RequestContext};
use guanjia_api::{AppConfig, AppState};
use guanjia_domain::clock::FixedClock;
use guanjia_store::testing::TestDatabase;
use guanjia_store::Backend;
use serde_json::{json, Value};

/// Runs a scenario as two tests, `$name::on_sqlite` and `$name::on_postgres`:
/// - `both_backends!(name)`: `async fn name(app: TestApp)`, the schema executed in process;
/// - `both_backends!(served name)` or `both_backends!(served name, adjust)`: `async fn
///   name(server: &TestServer)`, the real server over HTTP (`over_http/harness.rs`), configured
///   by `adjust` (a `FnOnce(&mut AppConfig)`) and stopped, gracefully and checked, at the end.
macro_rules! both_backends {
    (served $name:ident) => {
        both_backends!(served $name, |_| {});
    };
    (served $name:ident, $adjust:expr) => {
        mod $name {
            #[tokio::test]
            async fn on_sqlite() {
                let backend = guanjia_store::Backend::Sqlite;
                let server = crate::over_http::harness::spawn_app_with(backend, $adjust).await;
                super::$name(&server).await;
                server.stop().await;
            }

            #[tokio::test]
            async fn on_postgres() {
                let backend = guanjia_store::Backend::Postgres;
                let server = crate::over_http::harness::spawn_app_with(backend, $adjust).await;
                super::$name(&server).await;
                server.stop().await;
            }
        }
    };
    ($name:ident) => {
        mod $name {
            #[tokio::test]
            async fn on_sqlite() {
                let app = crate::helpers::spawn_on(guanjia_store::Backend::Sqlite).await;
                super::$name(app).await;
            }

            #[tokio::test]
            async fn on_postgres() {
                let app = crate::helpers::spawn_on(guanjia_store::Backend::Postgres).await;
                super::$name(app).await;
            }
        }
    };
}

/// The admin password of every test app.
pub const ADMIN_PASSWORD: &str = "admin-password-for-tests";
/// The password every test user gets.
pub const PASSWORD: &str = "steward-password-1";
pub const DISTRICT: &str = "610902000000";
/// 恒口镇 and another town of the district.
pub const TOWN: &str = "610902100000";
pub const OTHER_TOWN: &str = "610902101000";

/// 2024-03-15 10:00 Beijing time.
pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 15, 2, 0, 0)
        .single()
        .expect("valid instant")
}

/// The configuration of every test app and test server on the database at `url`:
/// [`AppConfig::for_tests`], the test pools, then `adjust`.
pub fn test_config(url: &str, adjust: impl FnOnce(&mut AppConfig)) -> AppConfig {
    let mut config = AppConfig::for_tests(url);
    config.store = TestDatabase::options();
    adjust(&mut config);
    config
}

/// Signing in, as both harnesses send it.
pub const LOGIN: &str =
    "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }";

/// The token of a `login` answer; panics with the answer when there is none.
pub fn token_of(response: &Value, username: &str) -> String {
    response["data"]["login"]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("login of {username} failed: {response}"))
        .to_owned()
}

/// The `createUser` input for `username` with the test password.
pub fn new_user(username: &str, role: &str, division: &str) -> Value {
    json!({"i": {"username": username, "displayName": username, "role": role,
                 "division": division, "password": PASSWORD}})
}

/// A schema on a fresh database, with its state and clock.
pub struct TestApp {
    /// Kept so the database lives as long as the app.
    pub _db: TestDatabase,
    pub state: AppState,
    pub schema: GuanjiaSchema,
    pub clock: FixedClock,
    pub timeout: Duration,
}

pub async fn spawn_schema() -> TestApp {
    spawn_schema_with(|_| {}).await
}

pub async fn spawn_schema_with(adjust: impl FnOnce(&mut AppConfig)) -> TestApp {
    spawn_with(Backend::Sqlite, adjust).await
}

/// A schema on a fresh database of `backend`.
pub async fn spawn_on(backend: Backend) -> TestApp {
    spawn_with(backend, |_| {}).await
}

pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut AppConfig)) -> TestApp {
    let db = TestDatabase::new(backend).await;
    let config = test_config(db.url(), adjust);
    let store = guanjia_store::Store::open(db.url(), config.store.clone())
        .await
        .expect("store opens");
    let clock = FixedClock::at(start());
    let (state, bootstrap) = AppState::build(store, &config, Arc::new(clock.clone()))
        .await
        .expect("state opens");
    assert!(
        bootstrap.is_some(),
        "an empty database gets the bootstrap admin"
    );
    let schema = build_schema(state.clone());
    TestApp {
        _db: db,
        state,
        schema,
        clock,
        timeout: config.limits.request_timeout,
    }
}

impl TestApp {
    /// Runs a query as the holder of `token` (or anonymously) and returns the JSON response.
    pub async fn run(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        self.run_with_timeout(query, variables, token, self.timeout)
            .await
    }

    pub async fn run_with_timeout(
        &self,
        query: &str,
        variables: Value,
        token: Option<&str>,
        timeout: Duration,
    ) -> Value {
        let header = token.map(|t| format!("Bearer {t}"));
        let context = RequestContext {
            request_id: uuid::Uuid::new_v4().to_string(),
            correlation_id: "test-correlation".to_owned(),
            auth: self.state.auth.authenticate_header(header.as_deref()).await,
        };
        self.run_in(context, query, Variables::from_json(variables), timeout)
            .await
    }

    /// Runs a query in a context authenticated earlier (see [`TestApp::context`]): for tests
    /// where what happens after sign-in must not touch the token check again.
    pub async fn run_in(
        &self,
        context: RequestContext,
        query: &str,
        variables: Variables,
        timeout: Duration,
    ) -> Value {
        let request = Request::new(query).variables(variables);
        let response = graphql::execute(&self.schema, request, context, timeout).await;
        serde_json::to_value(response).expect("a response serialises")
    }

    /// Runs a query that must succeed and returns its `data`; panics with the errors.
    pub async fn ok(&self, query: &str, variables: Value, token: &str) -> Value {
        let response = self.run(query, variables, Some(token)).await;
        assert!(
            response["errors"].is_null(),
            "{query}\nfailed: {}",
            response["errors"]
        );
        response["data"].clone()
    }

    /// A context for executing a subscription as the holder of `token`.
    pub async fn context(&self, token: &str) -> RequestContext {
        RequestContext {
            request_id: uuid::Uuid::new_v4().to_string(),
            correlation_id: "test-correlation".to_owned(),
            auth: self
                .state
                .auth
                .authenticate_header(Some(&format!("Bearer {token}")))
                .await,
        }
    }

    /// Signs in and returns the token; panics with the response on failure.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let response = self
            .run(LOGIN, json!({"u": username, "p": password}), None)
            .await;
        token_of(&response, username)
    }

    pub async fn admin(&self) -> String {
        self.login("admin", ADMIN_PASSWORD).await
    }

    /// Creates a user as admin and returns their token.
    pub async fn user(&self, username: &str, role: &str, division: &str) -> String {
        let admin = self.admin().await;
        let response = self
            .run(
                "mutation($i: CreateUserInput!) { createUser(input: $i) { username } }",
                new_user(username, role, division),
                Some(&admin),
            )
            .await;
        assert_eq!(
            response["data"]["createUser"]["username"], username,
            "{response}"
        );
        self.login(username, PASSWORD).await
    }
}

/// The `extensions.code` of the first error of a response.
pub fn code(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code in {response}"))
}

/// The message of the first error of a response.
pub fn message(response: &Value) -> &str {
    response["errors"][0]["message"].as_str().unwrap_or("")
}
