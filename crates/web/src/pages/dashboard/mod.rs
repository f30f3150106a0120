//! 领导看板, the leader's dashboard: `GET /dashboard` (the page, with charts), `GET
//! /dashboard/print` (the same figures as tables for an A4 meeting paper) and `GET
//! /dashboard.xlsx` (the same figures as a workbook). All three take `from`, `to` and
//! `division` from the address, so a link, a bookmark or the browser's back button keeps the
//! period and the place of the drill-down; switching needs no script.
//!
//! - `board`: what a dashboard shows, checked with the API's authorisation.
//! - `figures`: every figure of docs/kpis.md, named in Chinese; the monthly charts' series.
//! - `period`: months, quarters, years and custom spans; the same period last year.
//! - `xlsx`: the workbook.
//! - [`screen`]: 大屏, the hall's big screen (`/screen`), the same figures without names, live.

mod board;
mod figures;
mod period;
pub(crate) mod screen;
mod xlsx;

pub(crate) use self::board::division_label;
pub(crate) use self::xlsx::CONTENT_TYPE as XLSX_TYPE;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use guanjia_domain::values::{DivisionCode, Tier};

use self::board::{Board, Params, Refusal};
use self::period::Period;
use super::{forbidden, html, internal_error, Chrome, Nav};
use crate::assets::ASSETS;
use crate::session::{Session, Viewer};
use crate::{format, Web};

/// A link of the breadcrumb or the period switch.
struct Link {
    href: String,
    text: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    /// Errors in the address's period or division, with the field they name.
    errors: Vec<(&'static str, String)>,
    from: String,
    to: String,
    division: String,
    board: Option<View>,
}

#[derive(Template)]
#[template(path = "dashboard_print.html")]
struct PrintPage {
    title: String,
    css: &'static str,
    script: &'static str,
    view: View,
}

/// A board with what its templates need beside it.
struct View {
    board: Board,
    title: String,
    place: String,
    period_name: String,
    last_year_name: String,
    today: String,
    crumbs: Vec<Link>,
    periods: Vec<Link>,
    /// The parent's dashboard, when the leader has drilled down.
    up: Option<Link>,
    xlsx: String,
    print: String,
    back: String,
}

impl View {
    fn new(board: Board) -> Self {
        let division = board.scope.as_str().to_owned();
        let period = board.period;
        let today = board.today;
        let mut periods = vec![
            ("本月", Period::month_of(today)),
            ("本季度", Period::quarter_of(today)),
            ("本年", Period::year_of(today)),
        ];
        if let Some(p) = period.step(-1) {
            periods.push(("上一期", p));
        }
        if let Some(p) = period.step(1) {
            periods.push(("下一期", p));
        }
        let crumbs: Vec<Link> = ancestry(&board.top, &board.scope)
            .into_iter()
            .map(|code| Link {
                href: period.href("/dashboard", code.as_str()),
                current: code == board.scope,
                text: division_label(&code),
            })
            .collect();
        let up = (crumbs.len() > 1)
            .then(|| crumbs.get(crumbs.len() - 2))
            .flatten()
            .map(|c| Link {
                href: c.href.clone(),
                text: format!("返回上级：{}", c.text),
                current: false,
            });
        Self {
            title: format!("领导看板：{}", division_label(&board.scope)),
            place: division_label(&board.scope),
            period_name: period.name(),
            last_year_name: board.last_year.name(),
            today: format::date(today),
            periods: periods
                .into_iter()
                .map(|(text, p)| Link {
                    href: p.href("/dashboard", &division),
                    current: p == period,
                    text: format!("{text}（{}）", p.name()),
                })
                .collect(),
            crumbs,
            up,
            xlsx: period.href("/dashboard.xlsx", &division),
            print: period.href("/dashboard/print", &division),
            back: period.href("/dashboard", &division),
            board,
        }
    }

    fn child_href(&self, code: &str) -> String {
        self.board.period.href("/dashboard", code)
    }
}

/// The divisions from the leader's own down to `scope`, each a step of the drill-down.
fn ancestry(top: &DivisionCode, scope: &DivisionCode) -> Vec<DivisionCode> {
    let mut out = vec![top.clone()];
    if scope.tier() == Tier::Village && top.tier() == Tier::District {
        let town = format!("{}000", &scope.as_str()[..9]);
        if let Ok(town) = DivisionCode::parse(&town) {
            out.push(town);
        }
    }
    if scope != top {
        out.push(scope.clone());
    }
    out
}

fn refused(session: &Session, params: &Params, refusal: Refusal) -> Response {
    match refusal {
        Refusal::Forbidden(why) => forbidden(session, why),
        Refusal::Failed(error) => {
            error.log();
            internal_error(Some(session))
        }
        Refusal::Invalid(errors) => {
            let page = DashboardPage {
                chrome: dashboard_chrome("领导看板", session),
                errors,
                from: params.from.clone().unwrap_or_default(),
                to: params.to.clone().unwrap_or_default(),
                division: params.division.clone().unwrap_or_default(),
                board: None,
            };
            html(StatusCode::BAD_REQUEST, &page)
        }
    }
}

fn dashboard_chrome(title: &str, session: &Session) -> Chrome {
    let mut chrome = Chrome::new(title, Some(session), Nav::Dashboard);
    chrome.scripts = vec![&ASSETS.echarts.url, &ASSETS.charts.url];
    chrome
}

impl DashboardPage {
    fn has_error(&self, field: &str) -> bool {
        self.errors.iter().any(|(f, _)| *f == field)
    }
}

/// `GET /dashboard`.
pub(crate) async fn show(
    State(web): State<Web>,
    Viewer(session): Viewer,
    Query(params): Query<Params>,
) -> Response {
    match board::build(&web, &session, &params) {
        Ok(board) => {
            let view = View::new(board);
            let page = DashboardPage {
                chrome: dashboard_chrome(&view.title, &session),
                errors: Vec::new(),
                from: view.board.period.from.to_string(),
                to: view.board.period.to.to_string(),
                division: view.board.scope.as_str().to_owned(),
                board: Some(view),
            };
            html(StatusCode::OK, &page)
        }
        Err(refusal) => refused(&session, &params, refusal),
    }
}

/// `GET /dashboard/print`: the figures as tables on A4, without navigation or charts.
pub(crate) async fn print(
    State(web): State<Web>,
    Viewer(session): Viewer,
    Query(params): Query<Params>,
) -> Response {
    match board::build(&web, &session, &params) {
        Ok(board) => {
            let view = View::new(board);
            let page = PrintPage {
                title: format!("{} {} - 项目管家", view.title, view.period_name),
                css: &ASSETS.css.url,
                script: &ASSETS.charts.url,
                view,
            };
            html(StatusCode::OK, &page)
        }
        Err(refusal) => refused(&session, &params, refusal),
    }
}

/// `GET /dashboard.xlsx`: the figures on screen as a workbook.
pub(crate) async fn download(
    State(web): State<Web>,
    Viewer(session): Viewer,
    Query(params): Query<Params>,
) -> Response {
    let board = match board::build(&web, &session, &params) {
        Ok(board) => board,
        Err(refusal) => return refused(&session, &params, refusal),
    };
    let view = View::new(board);
    match xlsx::workbook(&view.board, &view.period_name, &view.last_year_name) {
        Ok(bytes) => {
            let name = format!(
                "attachment; filename=\"dashboard-{}-{}-{}.xlsx\"",
                view.board.scope.as_str(),
                view.board.period.from,
                view.board.period.to
            );
            let mut response = bytes.into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(xlsx::CONTENT_TYPE),
            );
            if let Ok(value) = HeaderValue::from_str(&name) {
                headers.insert(header::CONTENT_DISPOSITION, value);
            }
            response
        }
        Err(error) => {
            error.log();
            internal_error(Some(&session))
        }
    }
}
