//! `GET /reports?status=…`: the 办不成事 reports received by the viewer's division, oldest
//! first (the longest waiting at the top), filtered by status (open by default: waiting to be
//! assigned or being handled), each linking to its page. The phone is masked.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use guanjia_app::reports::can_read_reports;
use guanjia_domain::report::ReportStatus;

use super::status_word;
use crate::format;
use crate::pages::{forbidden, html, Chrome, Nav};
use crate::session::Viewer;
use crate::Web;

/// The filters: (value, words, which statuses).
const FILTERS: &[(&str, &str, &[ReportStatus])] = &[
    (
        "open",
        "待办（待分办和办理中）",
        &[ReportStatus::Lodged, ReportStatus::Assigned],
    ),
    ("lodged", "待分办", &[ReportStatus::Lodged]),
    ("assigned", "办理中", &[ReportStatus::Assigned]),
    ("resolved", "已答复", &[ReportStatus::Resolved]),
    ("referred", "已转办", &[ReportStatus::Referred]),
    (
        "all",
        "全部",
        &[
            ReportStatus::Lodged,
            ReportStatus::Assigned,
            ReportStatus::Resolved,
            ReportStatus::Referred,
        ],
    ),
];

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct QueueQuery {
    #[serde(default)]
    status: String,
}

/// One report in the queue.
struct Row {
    code: String,
    href: String,
    status: &'static str,
    about: String,
    account: String,
    reported: String,
    phone: String,
}

#[derive(Template)]
#[template(path = "reports.html")]
struct QueuePage {
    chrome: Chrome,
    filters: Vec<(&'static str, &'static str, bool)>,
    filter_words: &'static str,
    rows: Vec<Row>,
}

/// `GET /reports`.
pub(crate) async fn show(
    State(web): State<Web>,
    Viewer(session): Viewer,
    Query(query): Query<QueueQuery>,
) -> Response {
    let actor = &session.actor;
    if !can_read_reports(actor, &actor.division) {
        let why = format!(
            "{}不办理群众反映的办不成事。",
            crate::labels::role(actor.role)
        );
        return forbidden(&session, &why);
    }
    let chosen = FILTERS
        .iter()
        .find(|(value, ..)| *value == query.status.trim())
        .unwrap_or(&FILTERS[0]);
    let mut reports = web
        .state()
        .read
        .read(|m| m.problem_reports(&actor.division));
    // The read model answers newest first; the queue serves the longest waiting first.
    reports.reverse();
    let rows = reports
        .into_iter()
        .filter(|r| can_read_reports(actor, &r.division))
        .filter(|r| chosen.2.contains(&r.status))
        .map(|r| Row {
            href: format!("/reports/{}", r.tracking_code),
            code: r.tracking_code,
            status: status_word(r.status),
            about: r.subject.label_zh(),
            account: r.account,
            reported: format::date_time(r.reported_at),
            phone: r.phone.map_or_else(String::new, |p| p.masked()),
        })
        .collect();
    let page = QueuePage {
        chrome: Chrome::new("群众反映的办不成事", Some(&session), Nav::Reports),
        filters: FILTERS
            .iter()
            .map(|(value, words, _)| (*value, *words, *value == chosen.0))
            .collect(),
        filter_words: chosen.1,
        rows,
    };
    html(StatusCode::OK, &page)
}
