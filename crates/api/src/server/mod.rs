//! The HTTP server: [`Application::build`] binds and opens everything, and
//! [`Application::run_until_stopped`] serves until the shutdown signal.
//!
//! - `routes.rs`: `/graphql` (POST queries, GET the console), `/healthz`, `/readyz`, `/metrics`.
//! - `limits.rs`: the body limit answered in GraphQL JSON, and panics turned into logged 500s.
//! - [`metrics`]: the Prometheus recorder and the series of this crate; `/readyz` and
//!   `/metrics` compare the read model's position with the log's head.
//! - `ws.rs`: `/graphql/ws`, graphql-ws subscriptions authenticated in `connection_init`.
//! - `console.rs`: the query console page, embedded in the binary (no CDN: the service runs on
//!   closed networks).
//! - `parsed.rs`: each distinct query text parsed once; `queries.rs`: queries run on threads
//!   of their own, so that reads do not queue ahead of the steps of a write.
//! - `request.rs`: the request id and the request span every log line of a request carries.
//! - Routes of other crates — the pages of crates/web — are merged in by the binary with
//!   [`Application::merge_routes`]; this crate does not depend on them.
//!
//! Shutdown, in order: stop accepting; cancel the shared token so subscriptions and the user
//! directory follower end (axum's graceful shutdown does not wait for WebSocket tasks); let
//! running requests finish, up to `shutdown_grace`; wait for the WebSocket tasks; close the
//! store.

mod console;
mod limits;
pub mod metrics;
mod parsed;
mod queries;
mod request;
mod routes;
mod ws;

pub(crate) use request::RequestId;

/// The id the server gave the request whose extensions these are (routes merged in from other
/// crates record it on the events they cause, as GraphQL does); the type stays private.
pub fn request_id(extensions: &axum::http::Extensions) -> Option<String> {
    extensions.get::<RequestId>().map(|id| id.0.clone())
}

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use guanjia_store::{Store, StoreError};
use metrics_exporter_prometheus::PrometheusHandle;
use thiserror::Error;
use tokio::net::TcpListener;
use tokio_util::task::TaskTracker;

use crate::auth::{BootstrapAdmin, KeyError};
use crate::config::AppConfig;
use crate::graphql::{build_schema, GuanjiaSchema};
use crate::state::AppState;

/// What the handlers share.
#[derive(Clone)]
struct Shared {
    pub state: AppState,
    pub schema: GuanjiaSchema,
    /// WebSocket connections, so shutdown can wait for them.
    pub websockets: TaskTracker,
    /// The process's Prometheus registry; `None` when it could not be installed.
    pub metrics: Option<PrometheusHandle>,
    /// Query texts parsed once (`parsed.rs`).
    pub parsed: std::sync::Arc<parsed::ParsedQueries>,
    /// Where queries over HTTP run (`queries.rs`).
    pub queries: queries::QueryRuntime,
}

/// Why the server could not start. The messages are meant for the operator's terminal.
#[derive(Debug, Error)]
pub enum StartError {
    #[error(
        "cannot listen on {0}: the address is already in use (is another guanjia running?); \
         choose another with --listen or GUANJIA_LISTEN"
    )]
    AddressInUse(SocketAddr),
    #[error("cannot listen on {address}: {source}")]
    Bind {
        address: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot open the database: {0}")]
    Store(#[from] StoreError),
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error("cannot start: {0}")]
    Setup(String),
}

/// A bound, ready server.
pub struct Application {
    listener: TcpListener,
    address: SocketAddr,
    state: AppState,
    schema: GuanjiaSchema,
    bootstrap: Option<BootstrapAdmin>,
    shutdown_grace: Duration,
    /// The WebSocket connections, which axum does not track.
    websockets: TaskTracker,
    /// Routes of other crates (the web pages), served beside the API's ([`Self::merge_routes`]).
    extra_routes: Option<axum::Router>,
}

impl std::fmt::Debug for Application {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Application")
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

impl Application {
    /// Binds `config.listen` (port 0 picks a free port), opens and migrates the store, loads
    /// the users and creates the bootstrap admin on an empty system. The port is bound first,
    /// so a port already in use fails before the database is touched.
    pub async fn build(config: AppConfig) -> Result<Self, StartError> {
        Self::build_with_clock(
            config,
            std::sync::Arc::new(guanjia_domain::clock::SystemClock),
        )
        .await
    }

    /// [`Self::build`] with another clock for "now" (tests pin the date with a fixed clock).
    pub async fn build_with_clock(
        config: AppConfig,
        clock: std::sync::Arc<dyn guanjia_domain::clock::Clock>,
    ) -> Result<Self, StartError> {
        let listener =
            TcpListener::bind(config.listen)
                .await
                .map_err(|source| match source.kind() {
                    std::io::ErrorKind::AddrInUse => StartError::AddressInUse(config.listen),
                    _ => StartError::Bind {
                        address: config.listen,
                        source,
                    },
                })?;
        let address = listener.local_addr().map_err(|source| StartError::Bind {
            address: config.listen,
            source,
        })?;
        let url = config.database_url.expose();
        let store = Store::open(url, config.store.clone()).await?;
        // The configured calendar and KPI settings reach the read model through `build`.
        let (state, bootstrap) = AppState::build(store, &config, clock).await?;
        state
            .rating_links
            .serve_at(config.public_base_url.as_deref(), address)?;
        let schema = build_schema(state.clone());
        Ok(Self {
            listener,
            address,
            state,
            schema,
            bootstrap,
            shutdown_grace: config.shutdown_grace,
            websockets: TaskTracker::new(),
            extra_routes: None,
        })
    }

    /// Serves `routes` beside the API's own, under the same body limit, request ids, request
    /// span and graceful shutdown. Other crates (the web pages) plug in here, so that this
    /// crate does not depend on them. Routes must not overlap the API's; at most one fallback.
    pub fn merge_routes(&mut self, routes: axum::Router) {
        self.extra_routes = Some(match self.extra_routes.take() {
            Some(earlier) => earlier.merge(routes),
            None => routes,
        });
    }

    /// The address the server listens on (the real port when 0 was asked for).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The admin created on this start, once: the caller prints a generated password.
    pub fn take_bootstrap_admin(&mut self) -> Option<BootstrapAdmin> {
        self.bootstrap.take()
    }

    /// The shared state (store, sign-in, limits).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The schema this server executes.
    pub fn schema(&self) -> &GuanjiaSchema {
        &self.schema
    }

    /// Serves until `shutdown` completes, then shuts down gracefully (see the module docs).
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let cancel = self.state.shutdown.clone();
        let follower = tokio::spawn(self.state.auth.directory().clone().follow(cancel.clone()));
        // Kept to the end: a database connection a query opened belongs to the query threads'
        // runtime, and the store closes its connections last.
        let queries = queries::QueryRuntime::for_this_machine()?;
        let router = routes::router(
            Shared {
                state: self.state.clone(),
                schema: self.schema.clone(),
                websockets: self.websockets.clone(),
                metrics: metrics::install(),
                parsed: std::sync::Arc::default(),
                queries: queries.clone(),
            },
            self.extra_routes,
        );
        let (fired, stopping) = tokio::sync::oneshot::channel::<()>();
        let signal = {
            let cancel = cancel.clone();
            async move {
                shutdown.await;
                tracing::info!("shutting down: finishing running requests");
                cancel.cancel();
                let _ = fired.send(());
            }
        };
        // Connect info: the rate limits key on the client's address.
        let router = router.into_make_service_with_connect_info::<SocketAddr>();
        let serve = axum::serve(self.listener, router).with_graceful_shutdown(signal);
        let grace = self.shutdown_grace;
        tokio::select! {
            served = serve => served?,
            () = async move {
                // Only a shutdown that started can run out of grace.
                if stopping.await.is_ok() {
                    tokio::time::sleep(grace).await;
                } else {
                    std::future::pending::<()>().await;
                }
            } => tracing::warn!(?grace, "requests still running after the grace period; stopping"),
        }
        cancel.cancel();
        self.websockets.close();
        if tokio::time::timeout(grace, self.websockets.wait())
            .await
            .is_err()
        {
            tracing::warn!("WebSocket connections still open after the grace period");
        }
        if let Err(error) = follower.await {
            tracing::warn!(%error, "the user directory follower ended abnormally");
        }
        // The next start then replays only what other nodes write meanwhile.
        self.state.read.stop();
        if let Some(saved) = self.state.read.save_snapshot().await {
            match saved {
                Ok(saved) => tracing::info!(?saved, "read-model snapshot taken at shutdown"),
                Err(error) => tracing::warn!(%error, "no read-model snapshot at shutdown"),
            }
        }
        self.state.store.close().await;
        drop(queries);
        tracing::info!("stopped");
        Ok(())
    }
}

/// Completes on Ctrl-C or, on Unix, SIGTERM (what `systemctl stop` and container runtimes
/// send).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
