//! `/graphql/ws`: GraphQL over WebSocket (graphql-ws, and the older subscriptions-transport-ws),
//! where every operation is authorised like an HTTP request at the moment it runs.
//!
//! Browsers cannot set headers on a WebSocket, so the token travels in the `connection_init`
//! payload (`{"Authorization": "Bearer …"}` or `{"token": "…"}`). async-graphql would fix the
//! actor at that moment for the connection's whole life, so a socket outlived its token and its
//! account (issue 13). Instead, `connection.rs` stands between the socket and async-graphql's
//! protocol engine and:
//! - checks the token against the user's current state (`auth::current`) at `connection_init`,
//!   before every `subscribe`, and every [`RECHECK`] while the socket is open; each operation
//!   runs with the actor of that check (`executor.rs`), under a request id of its own;
//! - closes the socket when the check fails — see [`close`] for the codes;
//! - caps the operations running at once on one connection (`Limits::max_subscriptions`; the
//!   one over the cap gets an `error` message, the others go on);
//! - refuses messages larger than the HTTP body limit (close code 1009).
//!
//! A connection without a token opens; its operations are then anonymous and refused by the
//! resolvers (`UNAUTHENTICATED`). Each connection runs as a task of the server's tracker and
//! ends when the shutdown token fires, because axum's graceful shutdown does not wait for
//! upgraded connections.

mod connection;
mod executor;
mod messages;

use std::time::Duration;

use std::str::FromStr;

use async_graphql::http::{WebSocketProtocols, ALL_WEBSOCKET_PROTOCOLS};
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use tracing::Instrument;

use super::request::{correlation_id, RequestId};
use super::Shared;

/// How often an open connection's token is checked again, so that a socket holding only
/// long-lived subscriptions is closed soon after its token stops being valid.
pub const RECHECK: Duration = Duration::from_millis(500);

/// The WebSocket close codes of this server (graphql-ws's where it has one).
pub mod close {
    /// The token was refused — expired, revoked, forged, the account disabled — at
    /// `connection_init` or at any later check. The reason is the `UNAUTHENTICATED` message.
    pub const FORBIDDEN: u16 = 4403;
    /// `subscribe` before `connection_init` was acknowledged.
    pub const UNAUTHORIZED: u16 = 4401;
    /// A `subscribe` with the id of an operation still running.
    pub const DUPLICATE_ID: u16 = 4409;
    /// The server could not check the token (the store did not answer) or an operation failed
    /// in a way that ended the connection.
    pub const INTERNAL: u16 = 4500;
    /// A message larger than the body limit (RFC 6455, "message too big").
    pub const TOO_BIG: u16 = 1009;
    /// The server is shutting down (RFC 6455, "going away").
    pub const GOING_AWAY: u16 = 1001;
}

pub(super) async fn handler(
    State(shared): State<Shared>,
    Extension(RequestId(request_id)): Extension<RequestId>,
    peer: crate::throttle::Peer,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let Some(protocol) = protocol_of(&headers) else {
        let message = "ask for the graphql-transport-ws (or graphql-ws) subprotocol";
        return (StatusCode::BAD_REQUEST, message).into_response();
    };
    let span = tracing::Span::current();
    let tracker = shared.websockets.clone();
    let client = shared.state.throttle.client_ip(&peer, &headers);
    let correlation_id = correlation_id(&headers, &request_id);
    let max_message = shared.state.limits.max_body_bytes;
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .max_message_size(max_message)
        .max_frame_size(max_message)
        .on_upgrade(move |socket| {
            let connection = connection::Connection::new(&shared, correlation_id, client);
            tracker.track_future(connection.serve(socket, protocol).instrument(span))
        })
}

/// The first protocol of `Sec-WebSocket-Protocol` that the engine speaks.
fn protocol_of(headers: &HeaderMap) -> Option<WebSocketProtocols> {
    headers
        .get(header::SEC_WEBSOCKET_PROTOCOL)?
        .to_str()
        .ok()?
        .split(',')
        .find_map(|p| WebSocketProtocols::from_str(p.trim()).ok())
}

/// The token of a `connection_init` payload, under any of the usual keys.
fn token_of(payload: &serde_json::Value) -> Option<String> {
    ["Authorization", "authorization", "token"]
        .iter()
        .find_map(|key| payload.get(key)?.as_str())
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::token_of;

    #[test]
    fn the_token_is_found_under_the_usual_keys() {
        let t = |v: serde_json::Value| token_of(&v);
        assert_eq!(
            t(serde_json::json!({"Authorization": "Bearer a"})).as_deref(),
            Some("Bearer a")
        );
        assert_eq!(t(serde_json::json!({"token": "b"})).as_deref(), Some("b"));
        assert_eq!(t(serde_json::json!({"token": "  "})), None);
        assert_eq!(t(serde_json::json!({})), None);
        assert_eq!(t(serde_json::Value::Null), None);
    }
}
