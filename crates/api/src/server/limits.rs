//! What every request passes through besides its route: the body limit, answered in GraphQL
//! JSON rather than axum's `text/plain` 413, and the guard that turns a panic in a handler into
//! a logged HTTP 500, so that one bad request costs one answer and never the node.
//!
//! A panic in a handler would otherwise unwind through hyper's connection task: the client
//! would get no answer at all and the log no request id. tower-http's `CatchPanic` catches it
//! inside the request span (`request.rs`), so the error line carries the request id and the
//! actor, and the client gets the same `INTERNAL_SERVER_ERROR` body as any server fault. The
//! WebSocket connections have their own guard (`ws/connection.rs`).

use std::any::Any;

use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use tower_http::catch_panic::CatchPanicLayer;

use crate::error::ErrorCode;

/// A GraphQL-shaped error body: one error with `message` and `extensions.code`.
pub(super) fn error_body(status: StatusCode, code: ErrorCode, message: &str) -> Response {
    let body = serde_json::json!({
        "errors": [{ "message": message, "extensions": { "code": code.as_str() } }]
    });
    (status, Json(body)).into_response()
}

/// The answer to a `/graphql` body that could not be read: HTTP 413 with `PAYLOAD_TOO_LARGE`
/// past the limit (`max_body` bytes), else the rejection's status with `GRAPHQL_PARSE_FAILED`.
pub(super) fn unreadable_body(rejection: &BytesRejection, max_body: usize) -> Response {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        let message = format!("the request body is larger than the limit of {max_body} bytes");
        return error_body(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::PayloadTooLarge,
            &message,
        );
    }
    error_body(
        rejection.status(),
        ErrorCode::GraphqlParseFailed,
        &format!("the request body could not be read: {rejection}"),
    )
}

/// The layer that answers a panicking handler with a logged HTTP 500.
pub(super) fn catch_panics() -> CatchPanicLayer<fn(Box<dyn Any + Send + 'static>) -> Response> {
    CatchPanicLayer::custom(panicked as fn(Box<dyn Any + Send + 'static>) -> Response)
}

fn panicked(payload: Box<dyn Any + Send + 'static>) -> Response {
    tracing::error!(
        panic = panic_message(payload.as_ref()),
        "a handler panicked; answered HTTP 500"
    );
    error_body(
        StatusCode::INTERNAL_SERVER_ERROR,
        ErrorCode::InternalServerError,
        "internal server error",
    )
}

/// The answer to a query whose thread stopped under it: the server is shutting down.
pub(super) fn stopping() -> Response {
    error_body(
        StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::InternalServerError,
        "the server is stopping; send the request again",
    )
}

/// The message of a panic payload (`panic!` with a literal or a formatted string).
pub(super) fn panic_message(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a panic without a message")
}

#[cfg(test)]
mod tests {
    use axum::extract::DefaultBodyLimit;
    use axum::routing::{get, post};
    use axum::Router;

    use super::*;

    async fn boom() -> &'static str {
        panic!("a handler bug")
    }

    async fn echo(body: Result<axum::body::Bytes, BytesRejection>) -> Response {
        match body {
            Ok(bytes) => bytes.len().to_string().into_response(),
            Err(rejection) => unreadable_body(&rejection, 16),
        }
    }

    /// A router with the same layers as the server's, on a free port.
    async fn serve() -> String {
        let router = Router::new()
            .route("/boom", get(boom))
            .route("/ok", get(|| async { "ok" }))
            .route("/echo", post(echo))
            .layer(DefaultBodyLimit::max(16))
            .layer(catch_panics());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let address = listener.local_addr().expect("an address");
        tokio::spawn(async move { axum::serve(listener, router).await });
        format!("http://{address}")
    }

    #[tokio::test]
    async fn a_panicking_handler_is_a_500_in_graphql_json_and_the_server_stays_up() {
        let base = serve().await;
        let client = reqwest::Client::new();
        for _ in 0..2 {
            let response = client
                .get(format!("{base}/boom"))
                .send()
                .await
                .expect("an answer, not a dropped connection");
            assert_eq!(response.status(), 500);
            let body: serde_json::Value = response.json().await.expect("JSON");
            assert_eq!(
                body["errors"][0]["extensions"]["code"],
                "INTERNAL_SERVER_ERROR"
            );
            assert_eq!(body["errors"][0]["message"], "internal server error");
        }
        let ok = client.get(format!("{base}/ok")).send().await.expect("up");
        assert_eq!(ok.status(), 200);
    }

    #[tokio::test]
    async fn an_oversized_body_is_a_413_in_graphql_json() {
        let base = serve().await;
        let client = reqwest::Client::new();
        let small = client.post(format!("{base}/echo")).body("x".repeat(16));
        assert_eq!(small.send().await.expect("an answer").status(), 200);
        let large = client
            .post(format!("{base}/echo"))
            .body("x".repeat(17))
            .send()
            .await
            .expect("an answer");
        assert_eq!(large.status(), 413);
        assert_eq!(large.headers()["content-type"], "application/json");
        let body: serde_json::Value = large.json().await.expect("JSON");
        assert_eq!(body["errors"][0]["extensions"]["code"], "PAYLOAD_TOO_LARGE");
        assert_eq!(
            body["errors"][0]["message"],
            "the request body is larger than the limit of 16 bytes"
        );
    }

    #[test]
    fn panic_messages_are_read_from_both_payload_kinds() {
        assert_eq!(panic_message(&"literal"), "literal");
        assert_eq!(panic_message(&String::from("formatted")), "formatted");
        assert_eq!(panic_message(&7_u8), "a panic without a message");
    }
}
