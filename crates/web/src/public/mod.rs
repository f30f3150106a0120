//! The public side (政务公开): pages and a read API anyone may use without signing in, for the
//! enterprise on its phone, the hall's boards, the WeChat account and the self-service
//! terminals. Nothing here reads a case or a person: the catalog is public by law, and the
//! answers hold no personal data (the tests scan every public response for the demo's
//! phones and contact names).
//!
//! What every public route shares lives here, and only that:
//! - [`routes`]: the addresses, each module's beside the others (add yours the same way);
//! - [`PublicChrome`]: the frame of a public page (no sign-in bar, the public navigation);
//! - [`admit`]: the per-address rate limit (`throttle::public_per_ip`), answered in Chinese;
//! - [`cached`]: the ETag of an answer, `If-None-Match` → 304, and `Cache-Control`, so that
//!   pages and the API can be cached by browsers, proxies and the channels' backends;
//! - [`not_found`]: the public not-found page or JSON.
//!
//! The modules: `catalog` (公开事项清单), `guide` (办事指南 and what changed across versions),
//! `bundle` (一件事一次办), `print` (明白纸 with the QR code), `catalog_api` (the JSON read API);
//! `ratings` (好差评公开, with `ratings_data` what it publishes and `ratings_api` its JSON
//! twin); `report` (办不成事 online: report, tracking code, progress) and `progress` (办件进度
//! of an enterprise's own case by link; `progress_lookup` by case number, USCC and phone
//! digits; `progress_view` is what both show), whose routes `Web::router` adds with their own
//! rate limits.

mod bundle;
mod catalog;
mod catalog_api;
mod guide;
mod guide_changes;
mod print;
pub(crate) mod progress;
pub(crate) mod progress_lookup;
mod progress_view;
pub(crate) mod ratings;
mod ratings_api;
mod ratings_data;
pub(crate) mod report;

use askama::Template;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use guanjia_api::throttle::Peer;
use guanjia_api::ApiError;
use sha2::{Digest, Sha256};

use crate::assets::ASSETS;
use crate::pages::html;
use crate::Web;

/// How long browsers and proxies may reuse a public answer without asking again. The catalog
/// changes a few times a year; five minutes keeps a revision visible quickly, and the ETag
/// makes the question after that cheap.
const MAX_AGE_SECS: u32 = 300;

/// The public routes. Each module's addresses are listed here so that one place shows the
/// whole public side; all of them pass [`admit`] first.
pub(crate) fn routes(web: &Web) -> Router<Web> {
    Router::new()
        .route("/public", get(catalog::home))
        .route("/public/items", get(catalog::show))
        .route("/public/items/{code}", get(guide::show))
        .route("/public/items/{code}/print", get(print::guide))
        .route("/public/items/{code}/qr.svg", get(print::guide_qr))
        .route("/public/bundles/{code}", get(bundle::show))
        .route("/public/bundles/{code}/print", get(print::bundle))
        .route("/public/bundles/{code}/qr.svg", get(print::bundle_qr))
        .route("/public/api/catalog", get(catalog_api::catalog))
        .route("/public/api/items/{code}", get(catalog_api::item))
        .route("/public/api/bundles/{code}", get(catalog_api::bundle))
        .route("/public/api/ratings", get(ratings_api::ratings))
        .route("/haochaping", get(ratings::show))
        .route_layer(middleware::from_fn_with_state(web.clone(), admit))
}

/// The main navigation entry of a public page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PublicNav {
    Catalog,
    Progress,
    None,
}

/// The frame of every public page: no signed-in person, no form that needs a session.
#[derive(Debug, Clone)]
pub(crate) struct PublicChrome {
    pub title: String,
    pub css: &'static str,
    pub icon: &'static str,
    pub nav: PublicNav,
}

impl PublicChrome {
    pub(crate) fn new(title: &str, nav: PublicNav) -> Self {
        Self {
            title: format!("{title} - 政务服务公开"),
            css: &ASSETS.css.url,
            icon: &ASSETS.icon.url,
            nav,
        }
    }

    pub(crate) fn at_catalog(&self) -> bool {
        self.nav == PublicNav::Catalog
    }

    pub(crate) fn at_progress(&self) -> bool {
        self.nav == PublicNav::Progress
    }
}

/// Middleware of every public route: one request of the client's address against
/// `public_per_ip`. Refused with 429 and `Retry-After`, in Chinese: a page for people, JSON
/// for the read API.
async fn admit(State(web): State<Web>, peer: Peer, request: Request, next: Next) -> Response {
    let state = web.state();
    let client = state.throttle.client_ip(&peer, request.headers());
    match state.throttle.public(client.0) {
        Ok(()) => next.run(request).await,
        Err(ApiError::RateLimited { retry_after_secs }) => {
            let wait = format!("请求过于频繁，请在 {retry_after_secs} 秒后再试。");
            let mut response = if request.uri().path().starts_with("/public/api/") {
                api_error(StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED", &wait)
            } else {
                message(
                    StatusCode::TOO_MANY_REQUESTS,
                    "请求过于频繁",
                    &[
                        &wait,
                        "为保证大家都能正常查询，同一网络每分钟的访问次数有上限。",
                    ],
                )
            };
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            response
        }
        Err(other) => {
            tracing::error!(error = %other, "the public rate limit failed");
            message(
                StatusCode::INTERNAL_SERVER_ERROR,
                "系统出错了",
                &["服务器处理时出现错误，请稍后再试。"],
            )
        }
    }
}

/// A public page that says no, with a heading and what to do.
#[derive(Template)]
#[template(path = "public_message.html")]
struct MessagePage {
    chrome: PublicChrome,
    heading: String,
    lines: Vec<String>,
}

pub(crate) fn message(status: StatusCode, heading: &str, lines: &[&str]) -> Response {
    let page = MessagePage {
        chrome: PublicChrome::new(heading, PublicNav::None),
        heading: heading.to_owned(),
        lines: lines.iter().map(|l| (*l).to_owned()).collect(),
    };
    html(status, &page)
}

/// 404 for an unknown or retired item or bundle: a page, or JSON under `/public/api/`.
pub(crate) fn not_found(api: bool) -> Response {
    let why = "没有找到这个事项或“一件事”：编码可能有误，或已停止办理。";
    if api {
        api_error(StatusCode::NOT_FOUND, "NOT_FOUND", why)
    } else {
        message(
            StatusCode::NOT_FOUND,
            "未找到事项",
            &[why, "请回到公开事项清单重新查找。"],
        )
    }
}

/// The read API's error shape: `{"error": {"code", "messageZh"}}`.
fn api_error(status: StatusCode, code: &str, message_zh: &str) -> Response {
    let body = serde_json::json!({"error": {"code": code, "messageZh": message_zh}});
    api_answer(status, &body)
}

/// A JSON answer that is not cached (errors).
fn api_answer(status: StatusCode, body: &serde_json::Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

/// A public answer made cacheable: `ETag` (a hash of the body, so every node of a deployment
/// gives the same tag for the same catalog), `Cache-Control: public`, and 304 without a body
/// when the client already holds this version (`If-None-Match`).
pub(crate) fn cached(request: &HeaderMap, content_type: &'static str, body: Vec<u8>) -> Response {
    let digest = Sha256::digest(&body);
    let tag = hex::encode(&digest[..16]);
    let etag = format!("\"{tag}\"");
    let fresh = request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|v| v.trim().trim_start_matches("W/"))
        .any(|v| v == etag || v == "*");
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut response = (StatusCode::OK, body).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        response
    };
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    if let Ok(value) = HeaderValue::from_str(&format!("public, max-age={MAX_AGE_SECS}")) {
        headers.insert(header::CACHE_CONTROL, value);
    }
    response
}

/// A public page, rendered and made cacheable; a template that fails is the error page.
pub(crate) fn page(request: &HeaderMap, page: &impl Template) -> Response {
    match page.render() {
        Ok(body) => cached(request, "text/html; charset=utf-8", body.into_bytes()),
        Err(error) => {
            crate::WebError::from(error).log();
            message(
                StatusCode::INTERNAL_SERVER_ERROR,
                "系统出错了",
                &["服务器处理时出现错误，请稍后再试。"],
            )
        }
    }
}

/// The address of a public page as printed on paper and in QR codes: the configured
/// `public_base_url` (else the address the server listens on) and the path.
pub(crate) fn public_url(web: &Web, path: &str) -> String {
    format!("{}{path}", web.state().rating_links.base_url())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag_of(response: &Response) -> String {
        response
            .headers()
            .get(header::ETAG)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }

    #[test]
    fn the_same_body_has_the_same_tag_and_a_matching_request_gets_304() {
        let first = cached(&HeaderMap::new(), "text/plain", b"abc".to_vec());
        assert_eq!(first.status(), StatusCode::OK);
        let tag = tag_of(&first);
        assert_eq!(tag.len(), 34, "a quoted 128-bit hex tag: {tag}");
        let mut asking = HeaderMap::new();
        asking.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_str(&format!("\"other\", W/{tag}")).expect("a header"),
        );
        let again = cached(&asking, "text/plain", b"abc".to_vec());
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(tag_of(&again), tag);
        let changed = cached(&asking, "text/plain", b"abcd".to_vec());
        assert_eq!(changed.status(), StatusCode::OK);
        assert_ne!(tag_of(&changed), tag);
        assert_eq!(
            changed.headers().get(header::CACHE_CONTROL),
            Some(&HeaderValue::from_static("public, max-age=300"))
        );
    }
}
