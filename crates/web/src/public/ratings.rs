//! 好差评公开: the ratings of a period in the open, as the 2019 好差评 rules ask — how many,
//! the 好评率, the bad ratings and how their call-backs and rectifications went, for the zone,
//! per handling department and per catalog item — and the list of the period's bad ratings
//! with their rectification status. What is published is decided once (`ratings_data.rs`);
//! no rater, no enterprise, no staff member. Cacheable with an ETag, under the public limit.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use guanjia_domain::clock::china_date;

use super::ratings_data::{period, published, PeriodQuery, Published};
use super::report::FieldError;
use crate::pages::{self, html, Chrome, Nav};
use crate::Web;

#[derive(Template)]
#[template(path = "ratings_public.html")]
struct RatingsPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    year: String,
    month: String,
    shown: Option<Published>,
}

/// `GET /haochaping?year=…&month=…`: a year (default this year) or one month of it.
pub(crate) async fn show(
    State(web): State<Web>,
    headers: HeaderMap,
    Query(query): Query<PeriodQuery>,
) -> Response {
    let today = china_date(web.state().clock.now());
    let mut page = RatingsPage {
        chrome: Chrome::new("好差评公开", None, Nav::None),
        errors: Vec::new(),
        year: query.year.trim().to_owned(),
        month: query.month.trim().to_owned(),
        shown: None,
    };
    let asked = match period(&query, today) {
        Ok(asked) => asked,
        Err(errors) => {
            page.errors = errors;
            return html(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    match web.state().read.read(|m| published(m, asked, today)) {
        Ok(shown) => page.shown = Some(shown),
        Err(_) => return pages::internal_error(None),
    }
    super::page(&headers, &page)
}
