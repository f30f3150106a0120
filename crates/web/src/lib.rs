//! guanjia-web: the pages for people, in Chinese, served by `guanjia serve` at `/` beside the
//! GraphQL API. Server-rendered HTML from compiled templates (askama; `templates/`), one
//! hand-written stylesheet and htmx, all in the binary; every page works without script.
//!
//! A map for newcomers:
//! - [`Web`]: the pages' shared state and [`Web::router`], which the binary merges into the
//!   API's server (`Application::merge_routes`). This crate depends on the api crate, never the
//!   other way round.
//! - `session`: sign-in sessions for people — a signed cookie that holds the API's own bearer
//!   token, so every page runs the same token checks as GraphQL (revoked, disabled, expired);
//!   idle expiry; CSRF tokens. Nothing is kept on the node, so any node can check any session.
//! - `signin`: the sign-in and sign-out forms (rate-limited like the `login` mutation).
//! - `pages`: the workbench (工作台), case search, the case page with the forms of every use
//!   case the viewer may run on it (`pages/case_forms/`, each calling `guanjia_app`), the
//!   registration of a case, the desks of leaders (the dashboard, 封账), auditors and admins,
//!   and the not-found and error pages. Each asks `guanjia_api::auth::authz` before it reads
//!   anything.
//! - `public`: the pages and read API anyone may use without signing in — 公开事项清单, 办事指南,
//!   一件事一次办, 明白纸 print views with QR codes — rate-limited per address and cacheable.
//! - [`assets`]: the stylesheet, htmx and the icon, under content-hashed names with long cache
//!   lifetimes; `security`: the Content-Security-Policy and the endpoint that records
//!   violations ([`CspReports`]).
//! - `format`, `labels`: dates in Beijing time (2024年2月8日), working days, and the Chinese
//!   words for every state and kind.
//! - `api_call`: the API's own GraphQL operations run in process as the signed-in person, for
//!   the pages that act (audit desk, administration): the same rules, written once.
//! - [`contrast`]: the WCAG contrast ratio, used by the tests of the stylesheet's colours.

mod api_call;
pub mod assets;
pub mod contrast;
mod error;
mod format;
mod labels;
mod pages;
mod public;
mod security;
mod session;
mod signin;

use std::sync::Arc;
use std::time::Duration;

use axum::routing::{get, post};
use axum::{middleware, Router};
use guanjia_api::auth::{signing_key, KeyError};
use guanjia_api::{AppConfig, AppState, Secret};

pub use error::WebError;
pub use security::{CspReport, CspReports};

/// How long a session may stay unused before it ends, unless configured.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// How the pages behave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebConfig {
    /// A session unused this long ends (idle expiry); the token's own expiry still applies.
    pub idle_timeout: Duration,
    /// Session cookies are `Secure`: the server is reached over HTTPS (through a proxy). Also
    /// set per request when the proxy says `X-Forwarded-Proto: https`.
    pub secure_cookies: bool,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            secure_cookies: false,
        }
    }
}

impl WebConfig {
    /// The defaults, with secure cookies when the public address is HTTPS.
    pub fn for_app(config: &AppConfig) -> Self {
        let https = config
            .public_base_url
            .as_deref()
            .is_some_and(|url| url.trim().to_ascii_lowercase().starts_with("https://"));
        Self {
            secure_cookies: https,
            ..Self::default()
        }
    }
}

/// What the pages share; cheap to clone.
#[derive(Clone)]
pub struct Web {
    inner: Arc<Inner>,
}

struct Inner {
    state: AppState,
    config: WebConfig,
    keys: session::Keys,
    csp: CspReports,
    /// The API's schema, for the pages that run its operations (`api_call`).
    api: api_call::Api,
}

impl std::fmt::Debug for Web {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Web")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl Web {
    /// The pages of the server built from `config`, keyed with the same signing key as its
    /// tokens (so every node of a deployment accepts every other node's sessions).
    pub fn new(state: AppState, config: &AppConfig) -> Result<Self, KeyError> {
        let key = signing_key(
            config.auth.token_secret.as_ref(),
            config.database_url.expose(),
        )?;
        Ok(Self::with_key(state, &key, WebConfig::for_app(config)))
    }

    /// The pages with an explicit key and configuration.
    pub fn with_key(state: AppState, key: &Secret, config: WebConfig) -> Self {
        Self {
            inner: Arc::new(Inner {
                api: api_call::Api::new(state.clone()),
                state,
                config,
                keys: session::Keys::derive(key),
                csp: CspReports::default(),
            }),
        }
    }

    /// The violations of the Content-Security-Policy browsers reported to this node.
    pub fn csp_reports(&self) -> &CspReports {
        &self.inner.csp
    }

    /// Every route of the pages, with their state; merge it into the API's router.
    pub fn router(&self) -> Router {
        let pages = Router::new()
            .route("/", get(pages::workbench::show))
            .route("/cases", get(pages::search::show))
            .route(
                "/cases/new",
                get(pages::register::form).post(pages::register::submit),
            )
            .route("/cases/new/uscc", get(pages::register::check_uscc))
            .route("/cases/{id}", get(pages::case::show))
            .route("/cases/{id}/reveal", post(pages::case_reveal::reveal))
            .route(
                "/cases/{id}/progress-links",
                get(pages::case_forms::progress_link::list),
            )
            .route("/cases/{id}/act/{action}", post(pages::case::act))
            .route("/reports", get(pages::reports::queue))
            .route("/reports/{code}", get(pages::reports::show))
            .route("/reports/{code}/reveal", post(pages::reports::reveal))
            .route("/reports/{code}/act/{action}", post(pages::reports::act))
            .route("/dashboard", get(pages::dashboard::show))
            .route("/dashboard/print", get(pages::dashboard::print))
            .route("/dashboard.xlsx", get(pages::dashboard::download))
            .route("/screen", get(pages::dashboard::screen::show))
            .route("/periods", get(pages::periods::show))
            .route("/periods/close", post(pages::periods::check))
            .route("/periods/close/confirm", post(pages::periods::confirm))
            .route("/periods/approve", post(pages::periods::approve))
            .route("/admin", get(pages::admin::show))
            .route("/admin/users", post(pages::admin::create))
            .route("/admin/users/{username}", get(pages::admin::user::show))
            .route(
                "/admin/users/{username}/{action}",
                post(pages::admin::user::change),
            )
            .route("/admin/catalog", get(pages::admin::catalog::show))
            .route("/admin/rating-links", get(pages::admin::rating_links::show))
            .route(
                "/admin/rating-links/revoke",
                post(pages::admin::rating_links::revoke),
            )
            .route("/audit", get(pages::audit::show))
            .route("/audit/verify", post(pages::audit::verify))
            .route("/audit/history.xlsx", get(pages::audit::export))
            .route("/audit/cases/go", get(pages::audit::case::go))
            .route("/audit/cases/{id}", get(pages::audit::case::show))
            .route("/audit/cases/{id}/reveal", post(pages::audit::case::reveal))
            .route("/screen/events", get(pages::dashboard::screen::events))
            .route("/signin", get(signin::form).post(signin::submit))
            .route("/signout", post(signin::sign_out))
            .route_layer(middleware::from_fn_with_state(self.clone(), session::track));
        // The public 办不成事 window, 好差评公开 and 办件进度: no session, their own CSRF and rate
        // limits.
        let reports = Router::new()
            .route(
                "/banbucheng",
                get(public::report::form).post(public::report::submit),
            )
            .route("/banbucheng/received", get(public::report::received))
            .route("/banbucheng/status", get(public::report::status))
            .route(
                "/progress",
                get(public::progress_lookup::form).post(public::progress_lookup::look_up),
            )
            .route("/progress/{token}", get(public::progress::open))
            .route("/progress/{token}/qr.svg", get(public::progress::qr));
        Router::new()
            .merge(pages)
            .merge(public::routes(self))
            .merge(reports)
            .route("/assets/{name}", get(assets::serve))
            .route("/csp-report", post(security::report))
            .fallback(pages::not_found)
            .layer(middleware::from_fn(security::headers))
            .with_state(self.clone())
    }

    fn state(&self) -> &AppState {
        &self.inner.state
    }

    fn api(&self) -> &api_call::Api {
        &self.inner.api
    }
}
