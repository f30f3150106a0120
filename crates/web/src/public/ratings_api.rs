//! `GET /public/api/ratings?year=&month=`: 好差评公开 as JSON for the other channels — the same
//! figures and list of bad ratings as the page (`ratings_data.rs`), with an ETag, documented in
//! docs/api.md. A period that is not understood answers 400 naming the field.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use guanjia_domain::clock::china_date;

use super::catalog_api::json;
use super::ratings_data::{period, published, PeriodQuery};
use super::{api_answer, api_error};
use crate::Web;

pub(crate) async fn ratings(
    State(web): State<Web>,
    headers: HeaderMap,
    Query(query): Query<PeriodQuery>,
) -> Response {
    let today = china_date(web.state().clock.now());
    let asked = match period(&query, today) {
        Ok(asked) => asked,
        Err(errors) => {
            let first = errors.first();
            let body = serde_json::json!({"error": {
                "code": "BAD_USER_INPUT",
                "field": first.map(|e| e.field),
                "messageZh": first.map(|e| e.message.clone()),
            }});
            return api_answer(StatusCode::BAD_REQUEST, &body);
        }
    };
    match web.state().read.read(|m| published(m, asked, today)) {
        Ok(answer) => json(&headers, &answer),
        Err(error) => {
            tracing::error!(%error, "the public ratings could not be read");
            api_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL_SERVER_ERROR",
                "服务器处理时出现错误，请稍后再试。",
            )
        }
    }
}
