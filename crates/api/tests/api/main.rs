//! The api crate's integration tests: one binary (fast to link), one module per concern.
//! Most tests run the real schema with `schema.execute()` against a fresh SQLite database;
//! `http.rs` starts the real server on port 0.

mod auth;
mod cases;
mod catalog;
mod errors;
mod helpers;
mod http;
mod roles;
mod schema_file;
mod subscriptions;
