//! The routes and their handlers, except the WebSocket (`ws.rs`).
//!
//! `/graphql` takes one GraphQL request as JSON. The body is read with axum's `Bytes`
//! extractor so that `DefaultBodyLimit` applies (a larger body is answered with HTTP 413 and a
//! `PAYLOAD_TOO_LARGE` error in GraphQL JSON before it is parsed, `limits.rs`); async-graphql-
//! axum's own extractor streams the body and would bypass the limit. A body that is not a
//! GraphQL request is HTTP 400 with `GRAPHQL_PARSE_FAILED`.
//! Every GraphQL answer, errors included, is HTTP 200, as GraphQL-over-HTTP clients expect.
//! `/metrics` is the Prometheus text format; `/readyz` answers JSON with the store's state and
//! the read model's lag (`metrics.rs`).

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{middleware, Extension, Json, Router};

use super::metrics::{self, READY_MAX_LAG_EVENTS};
use super::request::{correlation_id, with_request_span, RequestId};
use super::Shared;
use super::{console, limits, ws};
use crate::auth::Authentication;
use crate::error::ErrorCode;
use crate::graphql::{self, RequestContext};
use crate::state::AppState;
use guanjia_read::FollowState;

/// All routes, `extra` (other crates' routes: the pages) included, with the body limit, the
/// panic guard and the request span (outermost, so that the guard's log line carries the
/// request id).
pub(super) fn router(shared: Shared, extra: Option<Router>) -> Router {
    let max_body = shared.state.limits.max_body_bytes;
    let api = Router::new()
        .route("/graphql", post(graphql).get(console::page))
        .route("/graphql/ws", get(ws::handler))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(prometheus))
        .merge(crate::rating_link::router(shared.state.clone()))
        .with_state(shared);
    let all = match extra {
        Some(extra) => api.merge(extra),
        None => api,
    };
    all.layer(DefaultBodyLimit::max(max_body))
        .layer(limits::catch_panics())
        .layer(middleware::from_fn(with_request_span))
}

async fn graphql(
    State(shared): State<Shared>,
    Extension(RequestId(request_id)): Extension<RequestId>,
    peer: crate::throttle::Peer,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(body) => body,
        Err(rejection) => {
            return limits::unreadable_body(&rejection, shared.state.limits.max_body_bytes)
        }
    };
    let request: async_graphql::Request = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(error) => return not_a_graphql_request(&error),
    };
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok());
    let context = request_context(&shared.state, authorization, &headers, request_id).await;
    let mut request = request.data(shared.state.throttle.client_ip(&peer, &headers));
    let timeout = shared.state.limits.request_timeout;
    let document = shared.parsed.parse(&request.query);
    let (kind, fields) =
        metrics::operation_of(document.as_ref(), request.operation_name.as_deref());
    if let Some(document) = document {
        request.set_parsed_query(document);
    }
    let started = std::time::Instant::now();
    let response = if kind == "query" {
        let schema = shared.schema.clone();
        let query = async move { graphql::execute(&schema, request, context, timeout).await };
        match shared.queries.run(query).await {
            Ok(response) => response,
            // A panic on the query threads is answered as one in the handler (`limits.rs`).
            Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
            Err(_cancelled) => return limits::stopping(),
        }
    } else {
        graphql::execute(&shared.schema, request, context, timeout).await
    };
    let codes = error_codes(&response);
    // A request that failed parsing or validation may name fields the schema does not have.
    let rejected = codes
        .iter()
        .any(|code| code.starts_with("GRAPHQL_PARSE") || code.starts_with("GRAPHQL_VALIDATION"));
    let fields = if rejected || fields.is_empty() {
        vec!["invalid".to_owned()]
    } else {
        fields
    };
    metrics::graphql_request(kind, &fields, &codes, started.elapsed());
    Json(response).into_response()
}

/// The distinct `extensions.code` values of a response's errors.
fn error_codes(response: &async_graphql::Response) -> Vec<String> {
    let mut codes: Vec<String> = response
        .errors
        .iter()
        .map(
            |error| match error.extensions.as_ref().and_then(|e| e.get("code")) {
                Some(async_graphql::Value::String(code)) => code.clone(),
                Some(async_graphql::Value::Enum(code)) => code.to_string(),
                _ => "UNKNOWN".to_owned(),
            },
        )
        .collect();
    codes.sort_unstable();
    codes.dedup();
    codes
}

/// The context of a request: authentication (checked against the user's state now), request
/// and correlation ids. Records the actor on the request span.
pub(super) async fn request_context(
    state: &AppState,
    authorization: Option<&str>,
    headers: &HeaderMap,
    request_id: String,
) -> RequestContext {
    let auth = state.auth.authenticate_header(authorization).await;
    // Every log line of the request names the actor, also when there is none yet (login).
    let actor = match &auth {
        Authentication::Actor(actor) => actor.username.as_str(),
        Authentication::Anonymous => "anonymous",
        Authentication::Refused(_) => "refused",
    };
    tracing::Span::current().record("actor", actor);
    let correlation_id = correlation_id(headers, &request_id);
    RequestContext {
        request_id,
        correlation_id,
        auth,
    }
}

fn not_a_graphql_request(error: &serde_json::Error) -> Response {
    limits::error_body(
        StatusCode::BAD_REQUEST,
        ErrorCode::GraphqlParseFailed,
        &format!("the body is not a GraphQL request: {error}"),
    )
}

/// Liveness: the process runs and answers.
async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the store answers, and the read model follows the log at most
/// [`READY_MAX_LAG_EVENTS`] behind it. A load balancer sends no traffic to a node that is not
/// ready: its reads would be stale. Every other state says what is wrong, and clears by itself
/// when the cause does: `unavailable` (the database cannot be reached), `degraded` (the read
/// model cannot read the log and retries), `blocked` (the read model stopped before an event it
/// cannot read, named with its position, until it is quarantined), `catching_up`.
async fn readyz(State(shared): State<Shared>) -> Response {
    let read = &shared.state.read;
    let follow = read.follow_state();
    let (model, following) = (read.position(), follow == FollowState::Following);
    let chain = chain_json(&shared.state);
    let head = match shared.state.store.head().await {
        Ok(head) => head,
        Err(error) => {
            tracing::warn!(%error, detail = error.detail().unwrap_or_default(), "not ready: store unreachable");
            metrics::observe(None, model, following);
            let body = serde_json::json!({
                "status": "unavailable",
                "store": "unreachable",
                "read_model": follow_json(model, None, &follow),
                "chain": chain,
            });
            return (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response();
        }
    };
    metrics::observe(Some(head), model, following);
    let lag = metrics::lag(head, model);
    let status = match (&follow, lag <= READY_MAX_LAG_EVENTS) {
        (FollowState::Stopped, _) => "read_model_stopped",
        (FollowState::Blocked { .. }, _) => "blocked",
        (FollowState::Retrying { .. }, _) => "degraded",
        (FollowState::Following, false) => "catching_up",
        (FollowState::Following, true) => "ready",
    };
    let body = serde_json::json!({
        "status": status,
        "store": "ok",
        "head": head.to_string(),
        "read_model": follow_json(model, Some(lag), &follow),
        "chain": chain,
    });
    let code = if status == "ready" {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (code, Json(body)).into_response()
}

/// The read model's part of `/readyz`.
fn follow_json(
    position: guanjia_store::LogPosition,
    lag: Option<u64>,
    follow: &FollowState,
) -> serde_json::Value {
    let mut json = serde_json::json!({
        "position": position.to_string(),
        "lag_events": lag,
        "following": !matches!(follow, FollowState::Stopped),
    });
    match follow {
        FollowState::Following => json["state"] = "following".into(),
        FollowState::Stopped => json["state"] = "stopped".into(),
        FollowState::Blocked { position, reason } => {
            json["state"] = "blocked".into();
            json["blocked_at"] = position.to_string().into();
            json["reason"] = reason.as_str().into();
            json["what_to_do"] =
                "look at the event, then `guanjia quarantine POSITION --reason ...` (docs/operations.md)"
                    .into();
        }
        FollowState::Retrying { failures, error } => {
            json["state"] = "retrying".into();
            json["failures"] = (*failures).into();
            json["error"] = error.as_str().into();
        }
    }
    json
}

/// The chain keeper's part of `/readyz` (informative: it does not decide readiness).
fn chain_json(state: &AppState) -> serde_json::Value {
    let status = state
        .chain
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    serde_json::json!({
        "head": status.head.map(|head| head.to_string()),
        "last_anchor": status.anchor.map(|anchor| anchor.to_string()),
        "error": status.error,
    })
}

/// The Prometheus text exposition of the process's metrics, with the head and lag gauges
/// refreshed first.
async fn prometheus(State(shared): State<Shared>) -> Response {
    let Some(handle) = &shared.metrics else {
        return (
            StatusCode::NOT_FOUND,
            "metrics are not enabled in this process",
        )
            .into_response();
    };
    let head = shared.state.store.head().await.ok();
    let read = &shared.state.read;
    let following = read.follow_state() == FollowState::Following;
    metrics::observe(head, read.position(), following);
    // Without the exporter's own runtime, histograms are drained here, before each render.
    handle.run_upkeep();
    let content_type = [(
        header::CONTENT_TYPE,
        "text/plain; version=0.0.4; charset=utf-8",
    )];
    (content_type, handle.render()).into_response()
}
