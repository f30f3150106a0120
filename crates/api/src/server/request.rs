//! The request id and the request span.
//!
//! Every request gets an id — the client's `x-request-id` when it sent a sane one, else a new
//! UUID — echoed in the response header and recorded on every event the request appends. The
//! span `request{request_id, method, path, actor}` wraps the whole request, so every log line
//! of it, down to the store's, carries the id; the GraphQL handlers fill in `actor` once they
//! know who is asking, and the other routes (health, metrics) are `anonymous` from the start.
//! Each request is counted and timed by route (`metrics.rs`).

use std::time::Instant;

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

/// Longest client-supplied request id kept; a longer or odd one is replaced.
const REQUEST_ID_MAX: usize = 64;

/// The id of the current request, for handlers.
#[derive(Debug, Clone)]
pub(crate) struct RequestId(pub String);

/// Middleware: assigns the request id and runs the request inside its span.
pub(super) async fn with_request_span(mut request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
        .filter(|id| acceptable(id))
        .map_or_else(|| uuid::Uuid::now_v7().to_string(), str::to_owned);
    request.extensions_mut().insert(RequestId(id.clone()));
    let route = route_of(request.uri().path());
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %request.method(),
        path = %crate::rating_link::loggable_path(request.uri().path()),
        actor = tracing::field::Empty,
    );
    // GraphQL and the routes merged in from other crates (`other`) name the actor themselves.
    if !route.starts_with("/graphql") && route != "other" {
        span.record("actor", "anonymous");
    }
    let started = Instant::now();
    let mut response = next.run(request).instrument(span.clone()).await;
    let status = response.status().as_u16();
    let elapsed = started.elapsed();
    super::metrics::http_request(route, status, elapsed);
    let elapsed_ms = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX);
    span.in_scope(|| tracing::info!(status, elapsed_ms, "request finished"));
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// The route label of a path: one of the server's routes, else `other`, so that probing
/// random paths cannot grow the metrics registry.
fn route_of(path: &str) -> &'static str {
    match path {
        "/graphql" => "/graphql",
        "/graphql/ws" => "/graphql/ws",
        "/healthz" => "/healthz",
        "/readyz" => "/readyz",
        "/metrics" => "/metrics",
        p if p.starts_with("/rate/") => "/rate",
        _ => "other",
    }
}

/// Visible ASCII without spaces, at most [`REQUEST_ID_MAX`]: safe to log and to echo.
pub(super) fn acceptable(id: &str) -> bool {
    !id.is_empty() && id.len() <= REQUEST_ID_MAX && id.bytes().all(|b| b.is_ascii_graphic())
}

/// The client's `x-correlation-id` when it sent a sane one, else the request id.
pub(super) fn correlation_id(headers: &HeaderMap, request_id: &str) -> String {
    headers
        .get("x-correlation-id")
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
        .filter(|id| acceptable(id))
        .map_or_else(|| request_id.to_owned(), str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::acceptable;

    #[test]
    fn odd_request_ids_are_replaced() {
        assert!(acceptable("3f2a-77"));
        assert!(!acceptable(""));
        assert!(!acceptable("with space"));
        assert!(!acceptable(&"x".repeat(65)));
        assert!(!acceptable("换行"));
    }
}
