//! 好差评公开: the ratings of a period in the open, as the 2019 好差评 rules ask — how many,
//! the 好评率, the bad ratings and how their call-backs and rectifications went, for the zone,
//! per handling department and per catalog item. Figures only: the dashboard's own definitions
//! (docs/kpis.md), computed by the read model; no rater, no enterprise, no staff member.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use guanjia_domain::clock::china_date;
use guanjia_read::kpi::figures::PeriodFigures;
use guanjia_read::{DashboardQuery, GroupBy};
use serde::Deserialize;

use super::report::FieldError;
use crate::pages::{self, html, Chrome, Nav};
use crate::Web;

#[derive(Debug, Deserialize, Default)]
pub(crate) struct PeriodQuery {
    #[serde(default)]
    year: String,
    #[serde(default)]
    month: String,
}

/// One line of figures.
struct Line {
    label: String,
    ratings: u64,
    good_rate: String,
    bad: u64,
    call_back_rate: String,
    rectification_rate: String,
}

impl Line {
    fn new(label: String, p: &PeriodFigures) -> Self {
        Self {
            label,
            ratings: p.ratings,
            good_rate: p.good_rating_rate.percent_text(),
            bad: p.bad_ratings,
            call_back_rate: p.call_back_rate.percent_text(),
            rectification_rate: p.on_time_rectification_rate.percent_text(),
        }
    }
}

#[derive(Template)]
#[template(path = "ratings_public.html")]
struct RatingsPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    period: String,
    year: String,
    month: String,
    total: Option<Line>,
    departments: Vec<Line>,
    items: Vec<Line>,
}

/// `GET /haochaping?year=…&month=…`: a year (default this year) or one month of it.
pub(crate) async fn show(State(web): State<Web>, Query(query): Query<PeriodQuery>) -> Response {
    let today = china_date(web.state().clock.now());
    let mut page = RatingsPage {
        chrome: Chrome::new("好差评公开", None, Nav::None),
        errors: Vec::new(),
        period: String::new(),
        year: query.year.trim().to_owned(),
        month: query.month.trim().to_owned(),
        total: None,
        departments: Vec::new(),
        items: Vec::new(),
    };
    let year = match page.year.as_str() {
        "" => Some(today.year()),
        text => text
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2099).contains(y)),
    };
    let month = match page.month.as_str() {
        "" => Some(None),
        text => text
            .parse::<u32>()
            .ok()
            .filter(|m| (1..=12).contains(m))
            .map(Some),
    };
    if year.is_none() {
        page.errors.push(FieldError {
            field: "year",
            message: "年份应为 2000 至 2099 之间的四位数字".to_owned(),
        });
    }
    if month.is_none() {
        page.errors.push(FieldError {
            field: "month",
            message: "月份应为 1 至 12 之间的数字，或留空查看全年".to_owned(),
        });
    }
    let (Some(year), Some(month)) = (year, month) else {
        return html(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let (from, to) = match month {
        None => (day(year, 1, 1), day(year, 12, 31)),
        Some(m) => {
            let next = if m == 12 {
                day(year + 1, 1, 1)
            } else {
                day(year, m + 1, 1)
            };
            (day(year, m, 1), next.and_then(|d| d.pred_opt()))
        }
    };
    let (Some(from), Some(to)) = (from, to) else {
        return pages::internal_error(None);
    };
    page.period = match month {
        None => format!("{year}年"),
        Some(m) => format!("{year}年{m}月"),
    };
    let ask = |group_by| DashboardQuery {
        from,
        to,
        today,
        division: None,
        group_by,
        monthly: false,
    };
    let answers = web.state().read.read(|m| {
        Ok::<_, guanjia_read::ReadError>((
            m.dashboard(&ask(Some(GroupBy::Department)))?,
            m.dashboard(&ask(Some(GroupBy::CatalogItem)))?,
        ))
    });
    let Ok((by_department, by_item)) = answers else {
        return pages::internal_error(None);
    };
    page.total = Some(Line::new("全区".to_owned(), &by_department.period));
    page.departments = by_department
        .groups
        .iter()
        .filter(|g| g.period.ratings > 0)
        .map(|g| {
            Line::new(
                g.key.clone().unwrap_or_else(|| "上门服务等".to_owned()),
                &g.period,
            )
        })
        .collect();
    page.items = by_item
        .groups
        .iter()
        .filter(|g| g.period.ratings > 0 && g.key.is_some())
        .map(|g| {
            let code = g.key.clone().unwrap_or_default();
            let label = match &g.label {
                Some(name) => format!("{name}（{code}）"),
                None => code,
            };
            Line::new(label, &g.period)
        })
        .collect();
    html(StatusCode::OK, &page)
}

fn day(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}
