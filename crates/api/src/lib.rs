//! guanjia-api: the GraphQL API of Guanjia, its sign-in and roles, and the axum server.
//!
//! A map for newcomers:
//! - [`config`]: [`AppConfig`] and its parts (limits, sign-in, secrets that never print).
//! - [`error`]: [`ApiError`], the one error type of this layer, and its mapping to
//!   `extensions.code` (docs/error-codes.md) — the application layer's `AppError` included.
//! - [`auth`]: passwords, tokens, the in-memory user directory; [`auth::authz`] re-exports the
//!   one place where roles and division scopes are checked (`guanjia-app`).
//! - [`state`]: [`AppState`], what every resolver shares; [`chain_keeper`]: the hash chain
//!   extended as events arrive, and its anchors written.
//! - [`graphql`]: the schema, one module per group of types; [`graphql::build_schema`] builds
//!   it without a network, so tests call `schema.execute()` directly.
//! - [`rating_link`]: the public one-time rating links and their page; [`throttle`]: the rate
//!   limits of sign-in and those links. [`progress_link`]: the signed tokens and addresses of
//!   the enterprise's revocable 办件进度 links (their page is the web crate's).
//! - [`server`]: [`Application`] — routes, the query console, graphql-ws, health checks,
//!   graceful shutdown.
//!
//! Dependencies point one way: every command goes through the application layer
//! (`guanjia-app`: the resolvers translate their input into a use case and its outcome into an
//! answer); reads use the read model; nothing depends on this crate but the binary and the
//! web pages.

pub mod auth;
pub mod chain_keeper;
pub mod config;
pub mod error;
pub mod graphql;
pub mod progress_link;
pub mod rating_link;
pub mod server;
pub mod signed_token;
pub mod state;
pub mod throttle;

pub use config::{AppConfig, AuthConfig, Limits, PasswordCost, Secret};
pub use error::{ApiError, ErrorCode};
pub use server::{shutdown_signal, Application, StartError};
pub use state::AppState;
