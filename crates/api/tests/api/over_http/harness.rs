//! The real server on port 0 over a fresh database of either backend (configured, signed in
//! to and peopled with the pieces of `helpers.rs`), and a client that talks to it as a script
//! or a browser would: JSON over `POST /graphql`, graphql-ws over
//! `/graphql/ws` (`graphql_ws.rs`).
//!
//! `both_backends!(served name)` (`helpers.rs`) turns one scenario `async fn name(server:
//! &TestServer)` into the tests `name::on_sqlite` and `name::on_postgres`, each on a server of
//! its own that is stopped (gracefully, and checked) when the scenario ends. Who is who, in [`People`]
//! (division codes of district 610902):
//!
//! | field        | user      | role    | division            |
//! |--------------|-----------|---------|---------------------|
//! | steward      | li.ming   | steward | 恒口镇 (TOWN)        |
//! | bystander    | zhao.lei  | steward | 恒口镇 (TOWN)        |
//! | elsewhere    | wang.fang | steward | OTHER_TOWN          |
//! | leader       | chen.jun  | leader  | the district        |
//! | town_leader  | zhou.min  | leader  | OTHER_TOWN          |
//! | auditor      | qian.shen | auditor | the district        |
//! | town_auditor | sun.li    | auditor | OTHER_TOWN          |
//! | admin        | admin     | admin   | the district        |

use std::net::SocketAddr;
use std::time::Duration;

use guanjia_api::{AppConfig, Application};
use guanjia_store::testing::TestDatabase;
use guanjia_store::Backend;
use serde_json::{json, Value};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::catalog::item;
use crate::helpers::{
    new_user, test_config, token_of, ADMIN_PASSWORD, DISTRICT, LOGIN, OTHER_TOWN, PASSWORD, TOWN,
};
use crate::world::{enterprise, REGISTER};

/// A server started with [`Application::build`] and `run_until_stopped`, as the binary does.
pub struct TestServer {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    pub address: SocketAddr,
    pub client: reqwest::Client,
    /// The database URL, for another node on the same database.
    pub url: String,
    stop: oneshot::Sender<()>,
    server: JoinHandle<std::io::Result<()>>,
    /// Kept so the database lives as long as the server; dropped (removed) after it. `None`
    /// for another node on a database a first server owns.
    _db: Option<TestDatabase>,
}

/// A server on a fresh SQLite database, configured by `adjust` after the test defaults.
pub async fn spawn_app(adjust: impl FnOnce(&mut AppConfig)) -> TestServer {
    spawn_app_with(Backend::Sqlite, adjust).await
}

/// A server on a fresh database of `backend` (PostgreSQL through `DATABASE_URL`, see
/// `guanjia_store::testing`), configured by `adjust` after [`AppConfig::for_tests`].
pub async fn spawn_app_with(backend: Backend, adjust: impl FnOnce(&mut AppConfig)) -> TestServer {
    let db = TestDatabase::new(backend).await;
    let url = db.url().to_owned();
    start(url, Some(db), adjust).await
}

async fn start(
    url: String,
    db: Option<TestDatabase>,
    adjust: impl FnOnce(&mut AppConfig),
) -> TestServer {
    let config = test_config(&url, adjust);
    let app = Application::build(config).await.expect("the server starts");
    let address = app.address();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async move {
        let _ = stopped.await;
    }));
    TestServer {
        base: format!("http://{address}"),
        address,
        client: reqwest::Client::new(),
        url,
        stop,
        server,
        _db: db,
    }
}

impl TestServer {
    /// Another node on this server's database (same signing key), configured by `adjust`;
    /// stop it before this one.
    pub async fn another_node(&self, adjust: impl FnOnce(&mut AppConfig)) -> TestServer {
        start(self.url.clone(), None, adjust).await
    }

    /// The database behind the server, for raw SQL in tests (the first node's).
    pub fn database(&self) -> &TestDatabase {
        self._db
            .as_ref()
            .expect("the first node owns the database; ask it, not another node")
    }

    /// Posts one GraphQL request with this server's client, as the holder of `token` (or
    /// anonymously), and returns the JSON answer. GraphQL answers are HTTP 200, errors too.
    pub async fn graphql(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        post(&self.client, &self.base, query, variables, token).await
    }

    /// Runs a request that must succeed and returns its `data`; panics with the errors.
    pub async fn ok(&self, token: &str, query: &str, variables: Value) -> Value {
        let response = self.graphql(query, variables, Some(token)).await;
        assert!(
            response["errors"].is_null(),
            "{query}\nfailed: {}",
            response["errors"]
        );
        response["data"].clone()
    }

    /// Signs in and returns the token; panics with the answer on failure.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let response = self
            .graphql(LOGIN, json!({"u": username, "p": password}), None)
            .await;
        token_of(&response, username)
    }

    /// The bootstrap admin's token (the password of [`AppConfig::for_tests`]).
    pub async fn admin(&self) -> String {
        self.login("admin", ADMIN_PASSWORD).await
    }

    /// Creates a user through `createUser` as `admin` and returns their token.
    pub async fn user(&self, admin: &str, username: &str, role: &str, division: &str) -> String {
        let created = self
            .ok(
                admin,
                "mutation($i: CreateUserInput!) { createUser(input: $i) { username role division } }",
                new_user(username, role, division),
            )
            .await;
        assert_eq!(
            created["createUser"],
            json!({"username": username, "role": role, "division": division})
        );
        self.login(username, PASSWORD).await
    }

    /// Publishes catalog items `QYSL-001` (promised 1 working day) and `GZKZ-002` and creates
    /// the people of the module table.
    pub async fn people(&self) -> People {
        let admin = self.admin().await;
        for code in ["QYSL-001", "GZKZ-002"] {
            self.ok(
                &admin,
                "mutation($i: CatalogItemInput!) { publishCatalogItem(input: $i) { events } }",
                json!({"i": item(code, 1)}),
            )
            .await;
        }
        People {
            steward: self.user(&admin, "li.ming", "STEWARD", TOWN).await,
            bystander: self.user(&admin, "zhao.lei", "STEWARD", TOWN).await,
            elsewhere: self.user(&admin, "wang.fang", "STEWARD", OTHER_TOWN).await,
            leader: self.user(&admin, "chen.jun", "LEADER", DISTRICT).await,
            town_leader: self.user(&admin, "zhou.min", "LEADER", OTHER_TOWN).await,
            auditor: self.user(&admin, "qian.shen", "AUDITOR", DISTRICT).await,
            town_auditor: self.user(&admin, "sun.li", "AUDITOR", OTHER_TOWN).await,
            admin,
        }
    }

    /// Registers a case as `token` for enterprise number `n` named `name` in `division`, and
    /// has the district leader make `lead` its lead steward. Returns the case id.
    pub async fn case_led_by(
        &self,
        people: &People,
        (token, lead): (&str, &str),
        (name, n, division): (&str, u32, &str),
    ) -> String {
        let input = json!({"enterprise": enterprise(name, n, division),
                           "leadSource": "INVESTMENT_PROMOTION", "stage": "ESTABLISHMENT"});
        let data = self.ok(token, REGISTER, json!({"i": input})).await;
        let case_id = data["registerCase"]["caseId"]
            .as_str()
            .expect("a case id")
            .to_owned();
        self.ok(
            &people.leader,
            "mutation($c: ID!, $s: String!) { assignLeadSteward(caseId: $c, input: {steward: $s, tier: TOWN}) { events } }",
            json!({"c": case_id, "s": lead}),
        )
        .await;
        case_id
    }

    /// Stops the server as the binary does on SIGTERM and checks that it stopped cleanly.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let result = tokio::time::timeout(Duration::from_secs(10), self.server)
            .await
            .expect("shutdown finishes")
            .expect("the server task ran");
        assert!(result.is_ok(), "{result:?}");
    }
}

/// Posts one GraphQL request with `client` (another client than the server's own, to act as
/// a second browser) and returns the JSON answer.
pub async fn post(
    client: &reqwest::Client,
    base: &str,
    query: &str,
    variables: Value,
    token: Option<&str>,
) -> Value {
    let mut request = client
        .post(format!("{base}/graphql"))
        .json(&json!({"query": query, "variables": variables}));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("the server answers");
    assert_eq!(response.status(), 200, "GraphQL answers are HTTP 200");
    response.json().await.expect("a JSON answer")
}

/// A token per person; see the module documentation.
pub struct People {
    pub admin: String,
    pub steward: String,
    pub bystander: String,
    pub elsewhere: String,
    pub leader: String,
    pub town_leader: String,
    pub auditor: String,
    pub town_auditor: String,
}

/// Today in Beijing by the real clock that runs the server: a case registered now takes no
/// step dated before it.
pub fn today() -> String {
    let beijing = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8");
    chrono::Utc::now()
        .with_timezone(&beijing)
        .date_naive()
        .to_string()
}
