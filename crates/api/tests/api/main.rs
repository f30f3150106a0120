//! The api crate's integration tests: one binary (fast to link), one module per concern, one
//! harness (`helpers`: `TestApp`, in process or served on port 0). Most tests run the real
//! schema in process against a fresh database; the read-side scenarios (`life`, `search`,
//! `reports`, `audit`, `chain`, `read_roles`, `subscriptions`) and the server over HTTP
//! (`over_http`) run on SQLite and on PostgreSQL (`both_backends!`); `http.rs` and
//! `rating_links` start the real server too.

#[macro_use]
mod helpers;

mod access_log;
mod audit;
mod auth;
mod cases;
mod catalog;
mod chain;
mod chain_keeper;
mod date_order;
mod erasure;
mod errors;
mod fuzz;
mod http;
mod input_errors;
mod late_entries;
mod life;
mod notes;
mod over_http;
mod periods;
mod problem_reports;
mod progress_links;
mod rated_snapshot;
mod rating_channels;
mod rating_links;
mod read_roles;
mod reports;
mod roles;
mod schema_file;
mod search;
mod subscriptions;
mod world;
