//! End-to-end tests of the `guanjia` binary: every command run as a process, the server over
//! HTTP. One test binary (`cargo test -p guanjia --test cli`), one module per area; helpers in
//! `helpers.rs`. SQLite is the default backend here; what depends on the storage also runs on
//! PostgreSQL (`postgres.rs`, via `guanjia_store::testing::TestDatabase`).

mod backup;
mod catalog;
mod config;
mod demo;
mod export;
mod faults;
mod guide;
mod helpers;
mod postgres;
mod serve;
mod users;
mod verify;
