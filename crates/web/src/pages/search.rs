//! `GET /cases`: case search. One box takes a name (any part of it, Chinese included), a USCC
//! or a case number; filters narrow by state, stage, division, steward and deadline status;
//! twenty cases a page, with a link to the next. The search only ever looks inside the
//! viewer's scope (`authz::read_scope`, as the `cases` query); admins are refused.
//!
//! Without script the form submits as a plain GET; with htmx the results refresh as the person
//! types (`hx-select` takes the results out of this same page, so there is one template).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use guanjia_api::auth::authz;
use guanjia_domain::case::model::{CaseState, Stage};
use guanjia_domain::clock::china_date;
use guanjia_domain::user::Role;
use guanjia_domain::values::{CaseNumber, DivisionCode, Uscc};
use guanjia_read::{CaseQuery, ReadError, SortBy, DEFAULT_PAGE_SIZE};
use serde::Deserialize;

use super::case_row::{CaseRow, Choice};
use super::{forbidden, html, Chrome, Nav};
use crate::format::query_escape;
use crate::session::Viewer;
use crate::{Web, WebError};

/// The search's parameters as they come in the address.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct SearchParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    stage: String,
    #[serde(default)]
    division: String,
    #[serde(default)]
    steward: String,
    #[serde(default)]
    deadline: String,
    #[serde(default)]
    after: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    chrome: Chrome,
    params: SearchParams,
    errors: Vec<(&'static str, String)>,
    states: Vec<Choice>,
    stages: Vec<Choice>,
    deadlines: Vec<Choice>,
    stewards: Vec<Choice>,
    rows: Vec<CaseRow>,
    total: usize,
    next: Option<String>,
    first: Option<String>,
    /// The viewer registers cases (stewards and leaders): a link to the form.
    registers: bool,
}

impl SearchPage {
    fn error_of(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

const STATES: [(&str, &str); 6] = [
    ("open", "未结案（全部）"),
    ("registered", "已登记"),
    ("signed", "已签约"),
    ("in_service", "服务中"),
    ("on_hold", "暂停服务"),
    ("closed", "已结案"),
];
const STAGES: [(&str, &str); 3] = [
    ("establishment", "设立"),
    ("construction", "建设"),
    ("operation", "运营"),
];
const DEADLINES: [(&str, &str); 2] = [("overdue", "有超期事项"), ("none", "无超期事项")];

pub(crate) async fn show(
    State(web): State<Web>,
    Viewer(session): Viewer,
    Query(params): Query<SearchParams>,
) -> Response {
    let actor = &session.actor;
    if authz::may_read_cases(actor).is_err() {
        return forbidden(&session, "管理员不查看案件（职责分离）。");
    }
    let mut errors = Vec::new();
    let mut query = CaseQuery {
        first: Some(DEFAULT_PAGE_SIZE),
        sort: SortBy::CaseNumber,
        ..CaseQuery::default()
    };
    read_keyword(params.q.trim(), &mut query, &mut errors);
    match params.state.as_str() {
        "" => {}
        "open" => query.open = Some(true),
        other => query.state = case_state(other),
    }
    query.stage = stage(&params.stage);
    query.has_overdue_items = match params.deadline.as_str() {
        "overdue" => Some(true),
        "none" => Some(false),
        _ => None,
    };
    let steward = params.steward.trim();
    if !steward.is_empty() {
        query.steward = Some(steward.to_owned());
    }
    let requested = match params.division.trim() {
        "" => None,
        code => match DivisionCode::parse(code) {
            Ok(code) => Some(code),
            Err(_) => {
                errors.push((
                    "division",
                    "区划代码应为 12 位数字，例如 610902100000".to_owned(),
                ));
                None
            }
        },
    };
    // The same scope as the GraphQL `cases` query: the requested division cut to the viewer's.
    let scope = match authz::read_scope(actor, requested.as_ref()) {
        Ok(scope) => scope,
        Err(_) => return forbidden(&session, "您的角色不能查看案件。"),
    };
    if !params.after.is_empty() {
        query.after = Some(params.after.clone());
    }
    let today = china_date(web.state().clock.now());
    let (rows, total, next_cursor) = match (&scope, errors.is_empty()) {
        (Some(scope), true) => {
            query.division = Some(scope.clone());
            match web.state().read.read(|m| m.search(&query, today)) {
                Ok(page) => (
                    page.items.iter().map(|c| CaseRow::new(&web, c)).collect(),
                    page.total,
                    page.next_cursor,
                ),
                Err(ReadError::InvalidCursor(_)) => {
                    errors.push(("after", "翻页链接已失效，请从第一页重新查看".to_owned()));
                    (Vec::new(), 0, None)
                }
                Err(error) => {
                    WebError::from(error).log();
                    return super::internal_error(Some(&session));
                }
            }
        }
        _ => (Vec::new(), 0, None),
    };
    let base = query_string(&params);
    let page = SearchPage {
        chrome: Chrome::new("案件查询", Some(&session), Nav::Cases),
        registers: authz::can_register_case(&session.actor, &session.actor.division),
        states: choices(&STATES, &params.state),
        stages: choices(&STAGES, &params.stage),
        deadlines: choices(&DEADLINES, &params.deadline),
        stewards: stewards(&web, &session.actor.division, steward),
        next: next_cursor.map(|c| format!("/cases?{base}after={}", query_escape(&c))),
        first: (!params.after.is_empty()).then(|| format!("/cases?{base}")),
        params,
        errors,
        rows,
        total,
    };
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    html(status, &page)
}

/// The one box: a case number, a USCC, or else part of a name.
fn read_keyword(q: &str, query: &mut CaseQuery, errors: &mut Vec<(&'static str, String)>) {
    if q.is_empty() {
        return;
    }
    if let Ok(number) = CaseNumber::parse(q) {
        query.case_number = Some(number);
        return;
    }
    let looks_like_uscc = q.chars().count() == 18 && q.chars().all(|c| c.is_ascii_alphanumeric());
    if looks_like_uscc {
        match Uscc::parse(q) {
            Ok(uscc) => query.uscc = Some(uscc),
            Err(_) => errors.push((
                "q",
                "这个统一社会信用代码不正确（校验不通过），请逐位核对 18 位代码".to_owned(),
            )),
        }
        return;
    }
    query.name = Some(q.to_owned());
}

fn case_state(value: &str) -> Option<CaseState> {
    Some(match value {
        "registered" => CaseState::Registered,
        "signed" => CaseState::Signed,
        "in_service" => CaseState::InService,
        "on_hold" => CaseState::OnHold,
        "closed" => CaseState::Closed,
        _ => return None,
    })
}

fn stage(value: &str) -> Option<Stage> {
    Some(match value {
        "establishment" => Stage::Establishment,
        "construction" => Stage::Construction,
        "operation" => Stage::Operation,
        _ => return None,
    })
}

fn choices(options: &[(&str, &str)], current: &str) -> Vec<Choice> {
    options
        .iter()
        .map(|(value, label)| Choice {
            value: (*value).to_owned(),
            label: (*label).to_owned(),
            selected: *value == current,
        })
        .collect()
}

/// The stewards and leaders whose accounts lie in the viewer's division, by name.
fn stewards(web: &Web, scope: &DivisionCode, current: &str) -> Vec<Choice> {
    let mut people: Vec<Choice> = web
        .state()
        .auth
        .directory()
        .all()
        .into_iter()
        .filter(|a| matches!(a.role, Role::Steward | Role::Leader) && scope.contains(&a.division))
        .map(|a| Choice {
            selected: a.username.as_str() == current,
            label: format!("{}（{}）", a.display_name, a.username),
            value: a.username.to_string(),
        })
        .collect();
    people.sort_by(|a, b| a.label.cmp(&b.label));
    people
}

/// The parameters of this search (without the page), ready for another page's address.
fn query_string(params: &SearchParams) -> String {
    let mut out = String::new();
    for (name, value) in [
        ("q", &params.q),
        ("state", &params.state),
        ("stage", &params.stage),
        ("division", &params.division),
        ("steward", &params.steward),
        ("deadline", &params.deadline),
    ] {
        if !value.trim().is_empty() {
            out.push_str(&format!("{name}={}&", query_escape(value.trim())));
        }
    }
    out
}
