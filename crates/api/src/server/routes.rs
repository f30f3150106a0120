//! The routes and their handlers, except the WebSocket (`ws.rs`).
//!
//! `/graphql` takes one GraphQL request as JSON. The body is read with axum's `Bytes`
//! extractor so that `DefaultBodyLimit` applies (a larger body is answered with HTTP 413
//! before it is parsed); async-graphql-axum's own extractor streams the body and would bypass
//! the limit. A body that is not a GraphQL request is HTTP 400 with `GRAPHQL_PARSE_FAILED`.
//! Every GraphQL answer, errors included, is HTTP 200, as GraphQL-over-HTTP clients expect.

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{middleware, Extension, Json, Router};
use tokio_util::task::TaskTracker;

use super::request::{acceptable, with_request_span, RequestId};
use super::{console, ws};
use crate::auth::Authentication;
use crate::error::ErrorCode;
use crate::graphql::{self, GuanjiaSchema, RequestContext};
use crate::state::AppState;

/// What the handlers share.
#[derive(Clone)]
pub(super) struct Shared {
    pub state: AppState,
    pub schema: GuanjiaSchema,
    /// WebSocket connections, so shutdown can wait for them.
    pub websockets: TaskTracker,
}

/// All routes, with the body limit and the request span.
pub(super) fn router(state: AppState, schema: GuanjiaSchema, websockets: TaskTracker) -> Router {
    let max_body = state.limits.max_body_bytes;
    let shared = Shared {
        state,
        schema,
        websockets,
    };
    Router::new()
        .route("/graphql", post(graphql).get(console::page))
        .route("/graphql/ws", get(ws::handler))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(middleware::from_fn(with_request_span))
        .with_state(shared)
}

async fn graphql(
    State(shared): State<Shared>,
    Extension(RequestId(request_id)): Extension<RequestId>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request: async_graphql::Request = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(error) => return not_a_graphql_request(&error),
    };
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok());
    let context = request_context(&shared.state, authorization, &headers, request_id);
    let timeout = shared.state.limits.request_timeout;
    let response = graphql::execute(&shared.schema, request, context, timeout).await;
    Json(response).into_response()
}

/// The context of a request: authentication, request and correlation ids. Records the actor on
/// the request span.
pub(super) fn request_context(
    state: &AppState,
    authorization: Option<&str>,
    headers: &HeaderMap,
    request_id: String,
) -> RequestContext {
    let auth = state.auth.authenticate_header(authorization);
    if let Authentication::Actor(actor) = &auth {
        tracing::Span::current().record("actor", actor.username.as_str());
    }
    let correlation_id = headers
        .get("x-correlation-id")
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
        .filter(|id| acceptable(id))
        .map_or_else(|| request_id.clone(), str::to_owned);
    RequestContext {
        request_id,
        correlation_id,
        auth,
    }
}

fn not_a_graphql_request(error: &serde_json::Error) -> Response {
    let body = serde_json::json!({
        "errors": [{
            "message": format!("the body is not a GraphQL request: {error}"),
            "extensions": { "code": ErrorCode::GraphqlParseFailed.as_str() },
        }]
    });
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}

/// Liveness: the process runs and answers.
async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the store answers. A load balancer sends no traffic to a node that cannot.
async fn readyz(State(shared): State<Shared>) -> Response {
    match shared.state.store.head().await {
        Ok(_) => (StatusCode::OK, "ready").into_response(),
        Err(error) => {
            tracing::error!(%error, detail = error.detail().unwrap_or(""), "not ready: store unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "store unreachable").into_response()
        }
    }
}
