//! `GET /cases/{id}`: everything about one case — summary, agreement, team, plan, items with
//! their deadline bar, visits, ratings, complaints, notes and the timeline of who did what
//! when. A case that does not exist and a case outside the viewer's scope get the same
//! not-found page (`authz::authorize_case_read`, as the `case` query), so the page tells
//! nothing about cases the viewer may not know of; admins are refused before any look-up.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{Extensions, StatusCode};
use axum::response::Response;
use guanjia_api::auth::authz;
use guanjia_domain::clock::china_date;

use super::case_forms::{self, Acted, Ctx, Failed, FormView};
use super::case_parts::{
    ComplaintRow, ItemRow, MemberRow, PlanRow, RatingRow, TimelineRow, VisitRow,
};
use super::case_view as view;
use super::{forbidden, html, not_found_for, Chrome, Nav};
use crate::format;
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
    /// The forms of the use cases the viewer may run now (`case_forms`).
    forms: Vec<FormView>,
    /// The error summary of a refused form: (anchor, message).
    errors: Vec<(String, String)>,
    /// What the form just sent did.
    done: Option<String>,
}

impl CasePage {
    /// The forms of one section of the page.
    fn forms_in(&self, section: &str) -> Vec<&FormView> {
        self.forms.iter().filter(|f| f.section == section).collect()
    }
}

/// The query of the case page: `done` names the action a form just ran.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct CaseQuery {
    #[serde(default)]
    done: Option<String>,
}

pub(crate) async fn show(
    State(web): State<Web>,
    Viewer(session): Viewer,
    Path(id): Path<String>,
    Query(query): Query<CaseQuery>,
) -> Response {
    let done = query.done.as_deref().and_then(case_forms::done_message);
    page(&web, &session, &id, None, None, done)
}

/// The case page; with `failed`, the refused form drawn again with its errors (422).
/// `POST /cases/{id}/act/{action}`: a form of this page sent (`case_forms::act`); a refused
/// form is drawn again here, on the case page, with its errors and what was typed.
pub(crate) async fn act(
    State(web): State<Web>,
    Viewer(session): Viewer,
    extensions: Extensions,
    Path((id, name)): Path<(String, String)>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Response {
    let id = id.trim();
    match case_forms::act(&web, &session, &extensions, id, &name, pairs).await {
        Acted::Answer(response) => response,
        Acted::Redraw(failed) => page(&web, &session, id, None, Some(&failed), None),
    }
}

pub(super) fn page(
    web: &Web,
    session: &Session,
    id: &str,
    revealed: Option<String>,
    failed: Option<&Failed>,
    done: Option<String>,
) -> Response {
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
        let mut forms = case_forms::forms_for(session, &Ctx::new(web, &detail, m));
        let errors = failed.map(|f| f.apply(&mut forms)).unwrap_or_default();
        Some(CasePage {
            forms,
            errors,
            done: done.clone(),
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
                && authz::can_see_personal_data(actor, &e.division, &case_forms::team_of(&detail)),
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
    let status = if failed.is_some() {
        case_forms::REFUSED
    } else {
        StatusCode::OK
    };
    match page {
        Some(page) => html(status, &page),
        None => not_found_for(Some(session)),
    }
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
