//! `/graphql/ws`: GraphQL over WebSocket (graphql-ws and the older subscriptions-transport-ws).
//!
//! Browsers cannot set headers on a WebSocket, so the token travels in the `connection_init`
//! payload (`{"Authorization": "Bearer …"}` or `{"token": "…"}`). A refused token closes the
//! connection at init; no token is allowed (the subscription resolvers then answer
//! `UNAUTHENTICATED`). Each connection runs as a task of the server's tracker and ends when the
//! shutdown token fires, because axum's graceful shutdown does not wait for upgraded
//! connections.

use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql::Data;
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use tracing::Instrument;

use super::request::RequestId;
use super::routes::{request_context, Shared};
use crate::auth::Authentication;

pub(super) async fn handler(
    State(shared): State<Shared>,
    Extension(RequestId(request_id)): Extension<RequestId>,
    peer: crate::throttle::Peer,
    headers: HeaderMap,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    let span = tracing::Span::current();
    let tracker = shared.websockets.clone();
    let client = shared.state.throttle.client_ip(&peer, &headers);
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| {
            tracker.track_future(
                async move {
                    let cancel = shared.state.shutdown.clone();
                    let state = shared.state.clone();
                    let connection = GraphQLWebSocket::new(socket, shared.schema.clone(), protocol)
                        .on_connection_init(move |payload| async move {
                            let token = token_of(&payload);
                            let context =
                                request_context(&state, token.as_deref(), &headers, request_id);
                            if let Authentication::Refused(error) = &context.auth {
                                return Err(async_graphql::Error::new(error.to_string()));
                            }
                            let mut data = Data::default();
                            data.insert(context);
                            data.insert(client);
                            Ok(data)
                        });
                    tokio::select! {
                        () = connection.serve() => {}
                        () = cancel.cancelled() => tracing::debug!("closing a WebSocket for shutdown"),
                    }
                }
                .instrument(span),
            )
        })
}

/// The token of a `connection_init` payload, under any of the usual keys.
fn token_of(payload: &serde_json::Value) -> Option<String> {
    ["Authorization", "authorization", "token"]
        .iter()
        .find_map(|key| payload.get(key)?.as_str())
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
        assert_eq!(t(serde_json::json!({})), None);
        assert_eq!(t(serde_json::Value::Null), None);
    }
}
