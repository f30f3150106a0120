//! The public read API for other channels (the WeChat account, the self-service terminals): the
//! same catalog, guides and bundles as the pages, as JSON, without a token. Every answer has an
//! `ETag` and `Cache-Control: public`; a client that sends `If-None-Match` with the tag it holds
//! gets 304 and no body while the catalog has not changed. Documented in docs/api.md.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Serialize;

use super::bundle::bundle as bundle_guide;
use super::catalog::{bundles, search, BundleEntry, Entry, Filter, Params};
use super::guide::guide as item_guide;
use super::{api_answer, api_error, cached, not_found};
use crate::Web;

const JSON: &str = "application/json; charset=utf-8";

pub(super) fn json(headers: &HeaderMap, body: &impl Serialize) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => cached(headers, JSON, bytes),
        Err(error) => {
            tracing::error!(%error, "a public answer could not be written");
            api_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL_SERVER_ERROR",
                "服务器处理时出现错误，请稍后再试。",
            )
        }
    }
}

#[derive(Serialize)]
struct CatalogAnswer {
    items: Vec<Entry>,
    bundles: Vec<BundleEntry>,
}

/// `GET /public/api/catalog?q=&department=&stage=&channel=`: the live items that match and
/// every live bundle. A filter value that is not understood answers 400 naming the field.
pub(crate) async fn catalog(
    State(web): State<Web>,
    headers: HeaderMap,
    Query(params): Query<Params>,
) -> Response {
    let filter = Filter::from_params(&params);
    if let Some((field, message)) = filter.errors.first() {
        let body = serde_json::json!({"error": {
            "code": "BAD_USER_INPUT", "field": field, "messageZh": message,
        }});
        return api_answer(StatusCode::BAD_REQUEST, &body);
    }
    let answer = web.state().read.read(|m| CatalogAnswer {
        items: search(m.catalog(), &filter),
        bundles: bundles(m.catalog()),
    });
    json(&headers, &answer)
}

/// `GET /public/api/items/{code}`: the item's guide, with what changed across versions.
pub(crate) async fn item(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Response {
    match web.state().read.read(|m| item_guide(m.catalog(), &code)) {
        Some(guide) => json(&headers, &guide),
        None => not_found(true),
    }
}

/// `GET /public/api/bundles/{code}`: the bundle's guide.
pub(crate) async fn bundle(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Response {
    match web.state().read.read(|m| bundle_guide(m.catalog(), &code)) {
        Some(bundle) => json(&headers, &bundle),
        None => not_found(true),
    }
}
