//! `GET /cases/{id}`: everything about one case — summary, agreement, team, plan, items with
//! their deadline bar, visits, ratings, complaints, notes and the timeline of who did what
//! when. A case that does not exist and a case outside the viewer's scope get the same
//! not-found page (`authz::authorize_case_read`, as the `case` query), so the page tells
//! nothing about cases the viewer may not know of; admins are refused before any look-up.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use guanjia_api::auth::authz;
use guanjia_domain::clock::china_date;

use super::case_view as view;
use super::{forbidden, html, not_found_for, Chrome, Nav};
use crate::format::{self, DeadlineText};
use crate::session::{Session, Viewer};
use crate::{labels, Web};

#[derive(Template)]
#[template(path = "case.html")]
pub(super) struct CasePage {
    chrome: Chrome,
    number: String,
    name: String,
    state: &'static str,
    stage: &'static str,
    term: u32,
    lead_source: &'static str,
    registered_on: String,
    uscc: String,
    division: String,
    address: String,
    contact: String,
    erased: bool,
    id: String,
    csrf: String,
    /// The viewer may see the contact unmasked (the API's rule) and it is there to see.
    may_reveal: bool,
    /// The contact as the API showed it after a deliberate reveal (the read is recorded).
    revealed: Option<String>,
    agreement: Option<String>,
    lead: Option<String>,
    members: Vec<MemberRow>,
    plan: Option<PlanRow>,
    projects: Vec<String>,
    items: Vec<ItemRow>,
    visits: Vec<VisitRow>,
    ratings: Vec<RatingRow>,
    complaints: Vec<ComplaintRow>,
    notes: Vec<(String, String, String)>,
    lifecycle: Vec<String>,
    timeline: Vec<TimelineRow>,
}

pub(super) struct MemberRow {
    pub name: String,
    pub role: String,
    pub tier: &'static str,
}

pub(super) struct PlanRow {
    pub version: u32,
    pub text: String,
    pub planned_items: String,
    pub milestones: Vec<String>,
    pub recorded: String,
}

/// A service item with its deadline bar: the limit, the working days used and suspended, and
/// the status in words.
pub(super) struct ItemRow {
    pub anchor: String,
    pub no: u32,
    pub name: String,
    pub code: String,
    pub department: String,
    pub kind: &'static str,
    pub mode: &'static str,
    pub status: &'static str,
    pub bundle: Option<String>,
    pub requested_on: String,
    pub accepted_on: Option<String>,
    pub limit_days: u32,
    pub extension_days: u32,
    pub used_days: u32,
    pub suspended_days: u32,
    /// The bar's width class (`w0` … `w100`).
    pub bar: String,
    /// `ok`, `warning` or `overdue`.
    pub class: &'static str,
    /// While the clock runs.
    pub deadline: Option<DeadlineText>,
    pub suspensions: Vec<String>,
    /// How it ended: concluded (on time or not) or rejected.
    pub ended: Option<String>,
}

pub(super) struct VisitRow {
    pub anchor: String,
    pub status: &'static str,
    pub when: String,
    pub place: String,
    pub purpose: String,
    pub conducted: Option<String>,
    pub participants: String,
    pub notes: String,
    pub issues: Vec<String>,
    pub follow_ups: Vec<String>,
    pub cancel_reason: Option<String>,
}

pub(super) struct RatingRow {
    pub anchor: String,
    pub target: String,
    pub level: String,
    pub bad: bool,
    pub dimensions: String,
    pub channel: &'static str,
    pub comment: String,
    pub rater: String,
    pub rated_at: String,
    pub voided: bool,
    pub step: Option<String>,
}

pub(super) struct ComplaintRow {
    pub anchor: String,
    pub lodged: String,
    pub status: &'static str,
    pub channel: &'static str,
    pub content: String,
    pub complainant: String,
    pub assignee: Option<String>,
    pub answer: Option<String>,
    pub referred: Option<String>,
}

pub(super) struct TimelineRow {
    pub when: String,
    pub who: String,
    pub summary: String,
    pub business_date: Option<String>,
}

pub(crate) async fn show(
    State(web): State<Web>,
    Viewer(session): Viewer,
    Path(id): Path<String>,
) -> Response {
    page(&web, &session, &id, None)
}

pub(super) fn page(web: &Web, session: &Session, id: &str, revealed: Option<String>) -> Response {
    let actor = &session.actor;
    if authz::may_read_cases(actor).is_err() {
        return forbidden(session, "管理员不查看案件（职责分离）。");
    }
    let today = china_date(web.state().clock.now());
    let page = web.state().read.read(|m| {
        let detail = m.case_detail(id.trim(), today)?;
        authz::authorize_case_read(actor, &detail.enterprise.division).ok()?;
        let days = m.days();
        let (lead, members) = view::members(web, &detail);
        let e = &detail.enterprise;
        Some(CasePage {
            chrome: Chrome::new(
                &format!("{} {}", detail.case_number, e.name),
                Some(session),
                Nav::Cases,
            ),
            number: detail.case_number.to_string(),
            name: e.name.clone(),
            state: labels::case_state(detail.state),
            stage: labels::stage(detail.stage),
            term: detail.term,
            lead_source: labels::lead_source(detail.lead_source),
            registered_on: format::date(detail.registered_on),
            uscc: e
                .uscc
                .as_ref()
                .map_or_else(|| "暂无（设立中）".to_owned(), |u| u.to_string()),
            division: e.division.to_string(),
            address: e.address.clone().unwrap_or_else(|| "未填写".to_owned()),
            contact: view::contact(&detail),
            erased: detail.personal_data_erased,
            id: detail.id.clone(),
            csrf: session.csrf.clone(),
            may_reveal: !detail.personal_data_erased
                && (e.contact_phone.is_some() || e.contact_name.is_some())
                && authz::can_see_personal_data(actor, &e.division, &team_of(&detail)),
            revealed: revealed.clone(),
            agreement: detail.agreement.as_ref().map(|a| {
                let who = a.signatories.join("、");
                format!(
                    "{}，{}签订，签约人：{who}",
                    labels::agreement_scope(a.scope),
                    format::date(a.signed_on)
                )
            }),
            lead,
            members,
            plan: view::plan(&detail),
            projects: detail
                .projects
                .iter()
                .map(|p| {
                    let key = if p.details.key_project {
                        "，重点项目"
                    } else {
                        ""
                    };
                    format!(
                        "{}（项目代码 {}，投资 {}{key}）",
                        p.details.name, p.code, p.details.investment
                    )
                })
                .collect(),
            items: detail
                .items
                .iter()
                .map(|i| view::item(i, today, days))
                .collect(),
            visits: detail.visits.iter().map(view::visit).collect(),
            ratings: view::ratings(&detail),
            complaints: view::complaints(web, &detail),
            notes: detail
                .notes
                .iter()
                .map(|n| {
                    (
                        format::date_time(n.recorded_at),
                        web.staff_name(&n.author_id),
                        n.text.clone(),
                    )
                })
                .collect(),
            lifecycle: detail.lifecycle.iter().map(lifecycle_line).collect(),
            timeline: view::timeline(web, &detail),
        })
    });
    match page {
        Some(page) => html(StatusCode::OK, &page),
        None => not_found_for(Some(session)),
    }
}

/// The user ids of the case's team now: the lead steward and the members.
fn team_of(detail: &guanjia_read::CaseDetail) -> Vec<&str> {
    let team = &detail.team;
    team.lead_steward
        .iter()
        .chain(&team.members)
        .map(|s| s.user_id.as_str())
        .collect()
}

fn lifecycle_line(step: &guanjia_read::detail::LifecycleView) -> String {
    use guanjia_read::detail::LifecycleStepKind as K;
    let what = match step.step {
        K::Held => "暂停服务".to_owned(),
        K::Resumed => "恢复服务".to_owned(),
        K::Closed { reason } => format!("结案（{}）", labels::close_reason(reason)),
        K::Reopened { term } => format!("重新开启（第 {term} 个服务期）"),
    };
    let text = if step.text.is_empty() {
        String::new()
    } else {
        format!("：{}", step.text)
    };
    format!("{} {what}{text}", format::date(step.on))
}
