//! Building and stopping a [`TestApp`]: one builder, [`Spawn`], whatever the backend, the
//! configuration, the clock or the transport; the served form is `Application` itself, so the
//! tests over HTTP run what the binary runs.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use guanjia_api::graphql::{build_schema, GuanjiaSchema};
use guanjia_api::{AppConfig, AppState, Application};
use guanjia_domain::clock::{Clock, FixedClock, SystemClock};
use guanjia_store::testing::TestDatabase;
use guanjia_store::Backend;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The API on a fresh database, in process or served; see the module documentation of
/// `helpers` for which methods go where.
pub struct TestApp {
    pub state: AppState,
    pub schema: GuanjiaSchema,
    /// The request timeout of in-process execution: the configured one.
    pub(super) timeout: Duration,
    /// The clock the test moves; `None` on the real clock.
    clock: Option<FixedClock>,
    /// The real server, when the app is served.
    pub(super) server: Option<Server>,
    /// The database URL, for another node on the same database.
    url: String,
    /// Kept so the database lives as long as the app (and is removed after it); `None` for
    /// another node on a database a first app owns.
    db: Option<TestDatabase>,
}

/// A served app's server and the client that talks to it.
pub(super) struct Server {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    pub address: SocketAddr,
    pub client: reqwest::Client,
    /// Fired by [`TestApp::stop`]: the shutdown signal of `run_until_stopped`.
    stop: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

/// How to start a [`TestApp`]. The defaults: SQLite, [`AppConfig::for_tests`] with the test
/// pools, in process, a fixed clock at [`super::start`].
#[must_use = "nothing starts until `spawn`"]
pub struct Spawn {
    backend: Backend,
    adjust: Box<dyn FnOnce(&mut AppConfig)>,
    served: bool,
    real_clock: bool,
}

impl Spawn {
    /// On a fresh database of `backend` (PostgreSQL through `DATABASE_URL`, see
    /// `guanjia_store::testing`).
    pub fn on(mut self, backend: Backend) -> Self {
        self.backend = backend;
        self
    }

    /// Changes the configuration after the test defaults (and after earlier `config` calls).
    pub fn config(mut self, adjust: impl FnOnce(&mut AppConfig) + 'static) -> Self {
        let earlier = self.adjust;
        self.adjust = Box::new(move |config| {
            earlier(config);
            adjust(config);
        });
        self
    }

    /// Serves the app on a free port of 127.0.0.1, as the binary does.
    pub fn served(mut self) -> Self {
        self.served = true;
        self
    }

    /// Runs the app on the system clock instead of the fixed one.
    pub fn real_clock(mut self) -> Self {
        self.real_clock = true;
        self
    }

    pub async fn spawn(self) -> TestApp {
        let db = TestDatabase::new(self.backend).await;
        let url = db.url().to_owned();
        let clock = (!self.real_clock).then(|| FixedClock::at(super::start()));
        start(url, Some(db), self.adjust, self.served, clock).await
    }
}

impl TestApp {
    /// The builder of every test app.
    pub fn options() -> Spawn {
        Spawn {
            backend: Backend::Sqlite,
            adjust: Box::new(|_| {}),
            served: false,
            real_clock: false,
        }
    }

    /// Another node on this app's database (same signing key), served or not as this one,
    /// on the same clock, configured by `adjust`; stop it before this one.
    pub async fn another_node(&self, adjust: impl FnOnce(&mut AppConfig) + 'static) -> TestApp {
        let served = self.server.is_some();
        start(
            self.url.clone(),
            None,
            Box::new(adjust),
            served,
            self.clock.clone(),
        )
        .await
    }

    /// The clock the test moves.
    pub fn clock(&self) -> &FixedClock {
        self.clock
            .as_ref()
            .expect("this app runs on the real clock; build it without `.real_clock()`")
    }

    /// The database behind the app, for raw SQL in tests (the first node's).
    pub fn database(&self) -> &TestDatabase {
        self.db
            .as_ref()
            .expect("the first node owns the database; ask it, not another node")
    }

    /// `http://127.0.0.1:<port>` of a served app.
    pub fn base(&self) -> &str {
        &self.served().base
    }

    /// The address a served app listens on.
    pub fn address(&self) -> SocketAddr {
        self.served().address
    }

    /// The HTTP client of a served app (another `reqwest::Client` acts as a second browser).
    pub fn client(&self) -> &reqwest::Client {
        &self.served().client
    }

    fn served(&self) -> &Server {
        self.server
            .as_ref()
            .expect("the app is not served; build it with `.served()`")
    }

    /// Stops a served app as the binary does on SIGTERM and checks that it stopped cleanly.
    pub async fn stop(mut self) {
        let server = self.server.take().expect("only a served app stops");
        let _ = server.stop.send(());
        let result = tokio::time::timeout(Duration::from_secs(10), server.task)
            .await
            .expect("shutdown finishes")
            .expect("the server task ran");
        assert!(result.is_ok(), "{result:?}");
    }
}

impl Drop for TestApp {
    /// A served app the test did not stop ends with it.
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            server.task.abort();
        }
    }
}

async fn start(
    url: String,
    db: Option<TestDatabase>,
    adjust: Box<dyn FnOnce(&mut AppConfig)>,
    served: bool,
    clock: Option<FixedClock>,
) -> TestApp {
    let mut config = AppConfig::for_tests(&url);
    config.store = TestDatabase::options();
    adjust(&mut config);
    let timeout = config.limits.request_timeout;
    let now: Arc<dyn Clock> = match &clock {
        Some(fixed) => Arc::new(fixed.clone()),
        None => Arc::new(SystemClock),
    };
    let fresh = db.is_some();
    let (state, schema, server) = if served {
        let mut app = Application::build_with_clock(config, now)
            .await
            .expect("the server starts");
        let bootstrap = app.take_bootstrap_admin();
        assert_eq!(bootstrap.is_some(), fresh, "the bootstrap admin, once");
        let (state, schema, address) = (app.state().clone(), app.schema().clone(), app.address());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(app.run_until_stopped(async move {
            let _ = stopped.await;
        }));
        let server = Server {
            base: format!("http://{address}"),
            address,
            client: reqwest::Client::new(),
            stop,
            task,
        };
        (state, schema, Some(server))
    } else {
        let store = guanjia_store::Store::open(&url, config.store.clone())
            .await
            .expect("store opens");
        let (state, bootstrap) = AppState::build(store, &config, now)
            .await
            .expect("state opens");
        assert_eq!(bootstrap.is_some(), fresh, "the bootstrap admin, once");
        let schema = build_schema(state.clone());
        (state, schema, None)
    };
    TestApp {
        state,
        schema,
        timeout,
        clock,
        server,
        url,
        db,
    }
}
