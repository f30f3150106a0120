//! `GET /`: the workbench (工作台), the page after sign-in. For stewards and leaders, their own
//! workload (`ReadModel::workload`, the same as the GraphQL `workload` query, asked for
//! through `authz::can_view_workload`): items due with their 电子监察 card, visits planned this
//! week, bad-rating call-backs and rectifications due, complaints to handle, and their open
//! cases; each a link to the place on the case page where the work is. Auditors and admins,
//! who have no workload, get the way to what they do.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, Duration, NaiveDate};
use guanjia_api::auth::authz;
use guanjia_domain::calendar::TimeStatus;
use guanjia_domain::clock::{china_date, china_offset};
use guanjia_domain::user::Role;
use guanjia_read::workload::{CaseRef, Workload, DEFAULT_HORIZON_DAYS};
use guanjia_read::{DayIndex, WorkloadQuery};

use super::case_row::CaseRow;
use super::{html, Chrome, Nav};
use crate::format::{self, DeadlineText};
use crate::session::Viewer;
use crate::{labels, Web};

/// Working days ahead the workload is asked for: far enough to catch every item already in
/// warning (a long limit reaches its warning share early); the page then shows those in
/// warning or overdue and those due within [`DEFAULT_HORIZON_DAYS`].
const LOOK_AHEAD_DAYS: u32 = 60;

#[derive(Template)]
#[template(path = "workbench.html")]
struct WorkbenchPage {
    chrome: Chrome,
    name: String,
    today: String,
    /// Stewards and leaders have a workload; auditors and admins do not.
    has_workload: bool,
    reads_cases: bool,
    items: Vec<ItemCard>,
    visits: Vec<VisitRow>,
    ratings: Vec<RatingRow>,
    complaints: Vec<ComplaintRow>,
    /// The 办不成事 reports from the public received by the viewer's division, open ones
    /// only; the phone masked.
    reports: Vec<ReportRow>,
    cases: Vec<CaseRow>,
}

/// An open 办不成事 report from the public, in the division's queue.
struct ReportRow {
    code: String,
    reported: String,
    about: String,
    account: String,
    /// Always masked.
    phone: String,
    status: &'static str,
}

/// An item due, as an 电子监察 card.
struct ItemCard {
    href: String,
    case_label: String,
    item_name: String,
    deadline: DeadlineText,
}

struct VisitRow {
    href: String,
    case_label: String,
    when: String,
    place: String,
    purpose: String,
    missed: bool,
}

struct RatingRow {
    href: String,
    case_label: String,
    what: String,
    step: &'static str,
    due: String,
    overdue: bool,
}

struct ComplaintRow {
    href: String,
    case_label: String,
    lodged: String,
    content: String,
}

pub(crate) async fn show(State(web): State<Web>, Viewer(session): Viewer) -> Response {
    let actor = &session.actor;
    // A hall display has one page: its big screen.
    if actor.role == Role::Display {
        return Redirect::to("/screen").into_response();
    }
    let today = china_date(web.state().clock.now());
    let username = actor.username.as_str();
    let has_workload = authz::can_view_workload(actor, username, Some(&actor.division));
    let mut page = WorkbenchPage {
        chrome: Chrome::new("工作台", Some(&session), Nav::Workbench),
        name: session.display_name.clone(),
        today: format!("{}（{}）", format::date(today), format::weekday(today)),
        has_workload,
        reads_cases: authz::may_read_cases(actor).is_ok(),
        items: Vec::new(),
        visits: Vec::new(),
        ratings: Vec::new(),
        complaints: Vec::new(),
        reports: Vec::new(),
        cases: Vec::new(),
    };
    if has_workload {
        page.reports = reports(&web, actor);
    }
    if has_workload {
        let query = WorkloadQuery {
            users: vec![username.to_owned()],
            today,
            horizon_days: LOOK_AHEAD_DAYS,
        };
        let (work, items) = web.state().read.read(|m| {
            let work = m.workload(&query);
            let items = item_cards(&work, m.days(), today);
            (work, items)
        });
        page.items = items;
        page.visits = visits(&work, today);
        page.ratings = ratings(&work, today);
        page.complaints = complaints(&work);
        page.cases = work
            .open_cases
            .iter()
            .map(|c| CaseRow::new(&web, c))
            .collect();
    }
    html(StatusCode::OK, &page)
}

/// The open reports of the viewer's division (`guanjia_app::reports::can_read_reports`).
fn reports(web: &Web, actor: &guanjia_api::auth::Actor) -> Vec<ReportRow> {
    use guanjia_domain::report::ReportStatus;
    let rows = web
        .state()
        .read
        .read(|m| m.problem_reports(&actor.division));
    rows.into_iter()
        .filter(|r| guanjia_app::reports::can_read_reports(actor, &r.division))
        .filter(|r| matches!(r.status, ReportStatus::Lodged | ReportStatus::Assigned))
        .map(|r| ReportRow {
            code: r.tracking_code,
            reported: format::date_time(r.reported_at),
            about: r.subject.label_zh(),
            account: r.account,
            phone: r.phone.map_or_else(String::new, |p| p.masked()),
            status: super::reports::status_word(r.status),
        })
        .collect()
}

fn case_label(case: &CaseRef) -> String {
    format!("{} {}", case.case_number, case.name)
}

/// Overdue and warning items, and the others due within the horizon, most urgent first.
fn item_cards(work: &Workload, days: &DayIndex, today: NaiveDate) -> Vec<ItemCard> {
    let soon = days.add_working_days(today, DEFAULT_HORIZON_DAYS).date;
    work.overdue_items
        .iter()
        .chain(&work.items_due_soon)
        .filter(|i| i.time_status != TimeStatus::OnTime || i.deadline.date <= soon)
        .map(|item| ItemCard {
            href: format!("/cases/{}#item-{}", item.case.case_id, item.item_no),
            case_label: case_label(&item.case),
            item_name: item.item_name.clone(),
            deadline: DeadlineText::new(&item.deadline, item.time_status, today, days),
        })
        .collect()
}

/// Visits planned from Monday to Sunday of this week, and earlier ones still not made.
fn visits(work: &Workload, today: NaiveDate) -> Vec<VisitRow> {
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let sunday = monday + Duration::days(6);
    work.upcoming_visits
        .iter()
        .filter(|v| v.missed || china_date(v.scheduled_at) <= sunday)
        .map(|v| {
            let day = v.scheduled_at.with_timezone(&china_offset()).date_naive();
            VisitRow {
                href: format!("/cases/{}#visit-{}", v.case.case_id, v.visit_no),
                case_label: case_label(&v.case),
                when: format!(
                    "{}（{}）",
                    format::date_time(v.scheduled_at),
                    format::weekday(day)
                ),
                place: v.place.clone(),
                purpose: v.purpose.clone(),
                missed: v.missed,
            }
        })
        .collect()
}

/// Bad ratings waiting for a call-back, then those waiting for rectification.
fn ratings(work: &Workload, today: NaiveDate) -> Vec<RatingRow> {
    let call_backs = work
        .awaiting_call_back
        .iter()
        .map(|r| (r, r.bad_rating_loop.call_back_due));
    let fixes = work
        .awaiting_rectification
        .iter()
        .map(|r| (r, r.bad_rating_loop.rectification_due));
    call_backs
        .chain(fixes)
        .map(|(r, due)| RatingRow {
            href: format!("/cases/{}#rating-{}", r.case.case_id, r.rating_no),
            case_label: case_label(&r.case),
            what: format!(
                "{}的评价：{}",
                labels::rating_target(r.target),
                r.level.label_zh()
            ),
            step: labels::loop_stage(r.bad_rating_loop.stage),
            due: format!("应于 {} 前完成", format::date(due.date)),
            overdue: r.bad_rating_loop.overdue || due.date < today,
        })
        .collect()
}

fn complaints(work: &Workload) -> Vec<ComplaintRow> {
    work.open_complaints
        .iter()
        .map(|c| ComplaintRow {
            href: format!("/cases/{}#complaint-{}", c.case.case_id, c.complaint_no),
            case_label: case_label(&c.case),
            lodged: format::date(c.lodged_on),
            content: excerpt(&c.content, 80),
        })
        .collect()
}

/// The first `max` characters of a text, with an ellipsis when cut.
pub(crate) fn excerpt(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).collect();
    if text.chars().count() > max {
        out.push('…');
    }
    out
}
