//! The public routes of rating links — no account, no bearer token; the link is the
//! credential:
//!
//! - `GET /rate/{token}`: the rating page (HTML), or what it rates as JSON to a client that
//!   sends `Accept: application/json`.
//! - `POST /rate/{token}`: one rating, as an HTML form (answered with a page) or JSON
//!   (answered with JSON): `level` 1–5, optional `efficiency`, `quality`, `attitude` 1–5 and
//!   `comment`. JSON clients get `{"status": "recorded", "ratingNo", "position", "caughtUp"}`:
//!   the log position of the rating, which `case(id:, atLeast:)` can wait for, and whether
//!   this node had read it before answering (as a mutation answers).
//! - `GET /rate/{token}/qr.svg` and `/qr.png`: the link's QR code. They check the link's
//!   signature and expiry, not whether it was used (they read no data).
//!
//! Every request passes the rate limits first (per client address and per link): HTTP 429
//! with `Retry-After`. Refusals: 404 not a valid link, 410 expired or used, 400 a bad rating,
//! 409 a write conflict, 413 a body over 16 KiB; each as a page, or as `{"error": {code,
//! message, messageZh, retryable}}` to JSON clients. Every answer is `no-store` and `nosniff`,
//! and pages carry a CSP that forbids every outside source (`page.rs`).

use axum::extract::{DefaultBodyLimit, FromRequest, Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Form, Json, Router};
use guanjia_domain::case::model::DimensionSet;
use serde_json::json;

use super::page::{self, Rendered, LEVELS};
use super::refusal::{field_label, Refusal};
use super::submit::{self, Opened, RatingForm, DIMENSIONS};
use super::{qr, LinkError};
use crate::server::RequestId;
use crate::state::AppState;
use crate::throttle::Peer;

/// Largest request body accepted on these routes: a rating is small.
const BODY_MAX: usize = 16 * 1024;

/// The routes, with their state; merge into the server's router.
pub fn router<S: Clone + Send + Sync + 'static>(state: AppState) -> Router<S> {
    Router::new()
        .route("/rate/{token}", get(show).post(rate))
        .route("/rate/{token}/qr.svg", get(qr_svg))
        .route("/rate/{token}/qr.png", get(qr_png))
        .layer(DefaultBodyLimit::max(BODY_MAX))
        .with_state(state)
}

async fn show(
    State(state): State<AppState>,
    Path(token): Path<String>,
    peer: Peer,
    headers: HeaderMap,
) -> Response {
    let json = wants_json(&headers);
    let opened = match admit(&state, &token, &peer, &headers) {
        Ok(()) => submit::open(&state, &token).await,
        Err(refusal) => Err(refusal),
    };
    match opened {
        Ok(opened) if json => answer_json(StatusCode::OK, &subject_json(&opened)),
        Ok(opened) => answer_page(StatusCode::OK, page::form(&opened, None)),
        Err(refusal) => refused(&refusal, json),
    }
}

async fn rate(
    State(state): State<AppState>,
    Path(token): Path<String>,
    peer: Peer,
    request_id: Option<Extension<RequestId>>,
    request: Request,
) -> Response {
    let headers = request.headers().clone();
    let json_body = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/json"));
    let json = json_body || wants_json(&headers);
    if let Err(refusal) = admit(&state, &token, &peer, &headers) {
        return refused(&refusal, json);
    }
    let opened = match submit::open(&state, &token).await {
        Ok(opened) => opened,
        Err(refusal) => return refused(&refusal, json),
    };
    let form = if json_body {
        Json::<RatingForm>::from_request(request, &state)
            .await
            .map(|Json(form)| form)
            .map_err(|rejection| (rejection.status(), rejection.body_text()))
    } else {
        Form::<RatingForm>::from_request(request, &state)
            .await
            .map(|Form(form)| form)
            .map_err(|rejection| (rejection.status(), rejection.body_text()))
    };
    let form = match form {
        Ok(form) => form,
        Err((StatusCode::PAYLOAD_TOO_LARGE, _)) => return refused(&Refusal::TooLarge, json),
        Err((_, why)) => {
            let refusal = Refusal::Invalid {
                field: "body".to_owned(),
                message: why,
            };
            return refused(&refusal, json);
        }
    };
    let request_id = request_id.map_or_else(
        || uuid::Uuid::now_v7().to_string(),
        |Extension(RequestId(id))| id,
    );
    match submit::record(&state, &opened, form, &request_id).await {
        // The position, as a mutation answers it: the client can wait for its own write.
        Ok(recorded) if json => answer_json(
            StatusCode::OK,
            &json!({
                "status": "recorded",
                "ratingNo": recorded.rating_no,
                "position": recorded.position.to_string(),
                "caughtUp": recorded.caught_up,
            }),
        ),
        Ok(_) => answer_page(StatusCode::OK, page::done()),
        // A mistake in the form: the form again, with what to fix.
        Err(refusal @ Refusal::Invalid { .. }) if !json => {
            answer_page(refusal.status(), page::form(&opened, Some(&refusal)))
        }
        Err(refusal) => refused(&refusal, json),
    }
}

async fn qr_svg(
    State(state): State<AppState>,
    Path(token): Path<String>,
    peer: Peer,
    headers: HeaderMap,
) -> Response {
    match qr_text(&state, &token, &peer, &headers)
        .and_then(|url| qr::svg(&url).map_err(Refusal::from))
    {
        Ok(svg) => answer_image("image/svg+xml", svg.into_bytes()),
        Err(refusal) => refused(&refusal, wants_json(&headers)),
    }
}

async fn qr_png(
    State(state): State<AppState>,
    Path(token): Path<String>,
    peer: Peer,
    headers: HeaderMap,
) -> Response {
    match qr_text(&state, &token, &peer, &headers)
        .and_then(|url| qr::png(&url).map_err(Refusal::from))
    {
        Ok(png) => answer_image("image/png", png),
        Err(refusal) => refused(&refusal, wants_json(&headers)),
    }
}

/// The URL a QR code encodes, for a link that is genuine and not expired.
fn qr_text(
    state: &AppState,
    token: &str,
    peer: &Peer,
    headers: &HeaderMap,
) -> Result<String, Refusal> {
    admit(state, token, peer, headers)?;
    match state.rating_links.signer().verify(token, state.clock.now()) {
        Ok(_) => Ok(state.rating_links.url_of(token)),
        Err(LinkError::Forged) => Err(Refusal::Forged),
        Err(LinkError::Expired) => Err(Refusal::Expired),
    }
}

/// The rate limits of these routes.
fn admit(state: &AppState, token: &str, peer: &Peer, headers: &HeaderMap) -> Result<(), Refusal> {
    let client = state.throttle.client_ip(peer, headers);
    state
        .throttle
        .rating(token, client.0)
        .map_err(Refusal::from)
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|accept| accept.contains("application/json"))
}

/// What a link rates, for JSON clients.
fn subject_json(opened: &Opened) -> serde_json::Value {
    json!({
        "enterprise": opened.subject.enterprise,
        "target": opened.subject.target,
        "channel": opened.link.channel,
        "expiresAt": opened.link.expires_at,
        "levels": LEVELS.iter().map(|(level, name)| json!({"level": level, "name": name})).collect::<Vec<_>>(),
        "dimensionSet": DimensionSet::Offline2019,
        "dimensions": DIMENSIONS.iter().map(|key| json!({"key": key, "name": field_label(key)})).collect::<Vec<_>>(),
    })
}

fn refused(refusal: &Refusal, json: bool) -> Response {
    // The request span names the path (without the token): enough to spot someone probing.
    tracing::info!(
        code = refusal.code(),
        status = refusal.status().as_u16(),
        "rating link request refused"
    );
    let mut response = if json {
        let body = json!({"error": {
            "code": refusal.code(),
            "message": refusal.message(),
            "messageZh": refusal.message_zh(),
            "retryable": refusal.retryable(),
        }});
        answer_json(refusal.status(), &body)
    } else {
        answer_page(refusal.status(), page::refused(refusal))
    };
    if let Refusal::RateLimited { retry_after_secs } = refusal {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_secs));
    }
    response
}

fn answer_page(status: StatusCode, page: Rendered) -> Response {
    let mut response = (status, page.html).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    if let Ok(policy) = HeaderValue::from_str(&page::csp(&page.nonce)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    private(response)
}

fn answer_json(status: StatusCode, body: &serde_json::Value) -> Response {
    private((status, Json(body)).into_response())
}

fn answer_image(content_type: &'static str, body: Vec<u8>) -> Response {
    let mut response = private(body.into_response());
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // An SVG opened on its own is a document: it may load and run nothing either.
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'"),
    );
    response
}

/// Headers every answer of these routes carries: the token is in the URL, so nothing is
/// cached or sent on as a referrer, and no content type is guessed.
fn private(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}
