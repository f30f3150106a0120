//! The issue-5 integration tests: the real server started on a free port over SQLite and over
//! PostgreSQL, driven over HTTP and a real graphql-ws WebSocket exactly as a client would.
//! The schema-level modules next to this one check the same behaviour without the network;
//! these check that it survives the trip (headers, JSON, the WebSocket handshake, the
//! read-your-writes wait of a real request, shutdown).

pub mod graphql_ws;

mod admin_scope;
mod errors;
mod life;
mod limits;
mod queries;
mod revocation;
mod roles;
mod subscriptions;
mod text_input;
mod ws_auth;
