//! The forms of the case page: one for every use case the viewer may run on the case now, each
//! a POST with the CSRF token to `/cases/{id}/act/{action}`, answered by a redirect back to the
//! case page once this node's read model holds the change (read your own write), or by the
//! case page again with the form open, what was typed kept, an error summary at the top and the
//! message beside each field (GOV.UK). Phone first: each form is a `<details>` in the section
//! it acts on.
//!
//! No rule lives here. Which forms are shown asks `authz` (the team's write right, as the
//! application layer judges it); what a form does calls one use case of `OnCase`; what a
//! refusal says is decided once, in `refusal.rs`. Here: the actions, what a form sees
//! ([`Ctx`]) and which forms a person gets; `act.rs` answers the POST; `form.rs` and
//! `input.rs` are a form drawn and read; `once.rs` makes a form sent twice record once. The
//! groups: `lifecycle.rs` (sign, hold, resume, close, reopen, notes), `plan.rs`, `team.rs` (a
//! leader's), `visits.rs`, `items.rs`, `ratings.rs` (rate, the bad-rating loop),
//! `complaints.rs`, `rating_link.rs` (the link and its QR code) and `progress_link.rs` (the
//! enterprise's 办件进度 links: issue, list, revoke).

mod act;
mod complaints;
pub(crate) mod form;
mod input;
mod items;
mod lifecycle;
mod once;
mod plan;
pub(crate) mod progress_link;
pub(crate) mod rating_link;
mod ratings;
pub(crate) mod refusal;
mod team;
mod visits;

use std::future::Future;
use std::pin::Pin;

use axum::http::StatusCode;
use chrono::NaiveDate;
use guanjia_api::auth::authz;
use guanjia_app::{AppError, CaseOutcome, OnCase};
use guanjia_read::{CaseDetail, ReadModel};

pub(crate) use self::act::{act, command_context};
pub(crate) use self::form::FormView;
pub(crate) use self::input::Input;
use crate::session::Session;
use crate::Web;

/// What a form's use case answered.
pub(crate) type Outcome = Result<CaseOutcome, Refusal>;
/// A form's use case, started: runs on the case for the signed-in person.
pub(crate) type Running<'a> = Pin<Box<dyn Future<Output = Outcome> + Send + 'a>>;

/// Why a form did nothing.
#[derive(Debug)]
pub(crate) enum Refusal {
    /// The page could not read the form (`Input::errors`); nothing was sent.
    Input(Vec<(String, String)>),
    /// The application layer refused.
    App(AppError),
}

impl From<AppError> for Refusal {
    fn from(error: AppError) -> Self {
        Self::App(error)
    }
}

/// `Err` with the input's errors when the form could not be read.
pub(crate) fn read_ok(input: &Input) -> Result<(), Refusal> {
    if input.errors.is_empty() {
        Ok(())
    } else {
        Err(Refusal::Input(input.errors.clone()))
    }
}

/// What a form sees of the case when the page is drawn.
pub(crate) struct Ctx<'a> {
    pub detail: &'a CaseDetail,
    pub model: &'a ReadModel,
    pub today: NaiveDate,
    /// Now, Beijing time "HH:MM": the default of the time a visit was conducted.
    pub now_time: String,
    /// Working days after which a step is a late entry (configured).
    pub late_days: u32,
    /// Whether a leader off the team signs off the answer to a complaint (configured).
    pub complaint_sign_off: bool,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(web: &Web, detail: &'a CaseDetail, model: &'a ReadModel) -> Self {
        let now = web.state().clock.now();
        Self {
            detail,
            model,
            today: guanjia_domain::clock::china_date(now),
            now_time: now
                .with_timezone(&guanjia_domain::clock::china_offset())
                .format("%H:%M")
                .to_string(),
            late_days: web.state().late_entries.days,
            complaint_sign_off: web.state().app.complaint_sign_off(),
        }
    }
}

/// One use case of the case page.
pub(crate) struct Action {
    pub name: &'static str,
    /// What the form does, as its heading ("签订服务协议").
    pub title: &'static str,
    /// The section of the case page it sits in (`summary`, `team`, `items`, …).
    pub section: &'static str,
    /// The words on its button.
    pub button: &'static str,
    /// Whose work it is; the form is shown only to them.
    pub who: Who,
    /// The date field beside which a late entry's missing reason is reported; forms with one
    /// also carry the 补录原因 field.
    pub date_field: Option<&'static str>,
    /// The form's fields for the case as it is now; `None` when it does not apply in this
    /// state.
    pub fields: fn(&Ctx<'_>) -> Option<Vec<form::Field>>,
    /// Reads the form and runs the use case.
    pub run: for<'a> fn(Input, OnCase<'a>) -> Running<'a>,
}

/// Whose work an action is, as the application layer's `authz` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Who {
    /// The case's team (`authz::can_write_case`).
    Team,
    /// A leader whose division holds the case (`authz::can_manage_team`).
    TeamManager,
    /// Whoever gives the answer to a complaint: a leader off the team
    /// (`authz::can_sign_off_complaint`) while sign-off is on, else the team.
    ComplaintAnswer,
}

impl Who {
    /// Whether `actor` does this work on a case in `division` with `team`: the application
    /// layer's own checks, asked here so that the page shows only forms that will be accepted.
    pub(crate) fn allows(
        self,
        actor: &guanjia_app::Actor,
        division: &guanjia_domain::values::DivisionCode,
        team: &[&str],
        complaint_sign_off: bool,
    ) -> bool {
        match self {
            Self::Team => authz::can_write_case(actor, division, team),
            Self::TeamManager => authz::can_manage_team(actor, division),
            Self::ComplaintAnswer if complaint_sign_off => {
                authz::can_sign_off_complaint(actor, division, team)
            }
            Self::ComplaintAnswer => authz::can_write_case(actor, division, team),
        }
    }

    /// Why someone who may not do it is refused.
    pub(crate) fn refusal(self, complaint_sign_off: bool) -> &'static str {
        match self {
            Self::Team => "只有本案件服务团队的成员可以办理此操作。",
            Self::TeamManager => "只有本区划的领导可以调整服务团队。",
            Self::ComplaintAnswer if complaint_sign_off => {
                "投诉反映的是服务团队本身，答复须由本区划不在服务团队中的领导签发。"
            }
            Self::ComplaintAnswer => "只有本案件服务团队的成员可以办理此操作。",
        }
    }
}

/// Every action, in the order the page shows them within a section.
fn actions() -> impl Iterator<Item = &'static Action> {
    lifecycle::ACTIONS
        .iter()
        .chain(plan::ACTIONS)
        .chain(team::ACTIONS)
        .chain(visits::ACTIONS)
        .chain(items::ACTIONS)
        .chain(ratings::ACTIONS)
        .chain(complaints::ACTIONS)
}

fn action(name: &str) -> Option<&'static Action> {
    actions().find(|a| a.name == name)
}

/// The late-entry field every form with a business date carries.
pub(crate) fn late_reason_field(late_days: u32) -> form::Field {
    form::Field::text("late_reason", "补录原因（选填）").hint(format!(
        "日期早于今天 {late_days} 个工作日以上的属于补录，须说明原因，例如“系统故障，事后补录”。"
    ))
}

/// The forms the case page shows `session`'s person: the team's work to its members (the
/// application layer's write right), the team's make-up to the leaders over the case, and
/// only what applies to the case's state.
pub(crate) fn forms_for(session: &Session, ctx: &Ctx<'_>) -> Vec<FormView> {
    let detail = ctx.detail;
    let team = team_of(detail);
    let division = &detail.enterprise.division;
    let works = authz::can_write_case(&session.actor, division, &team);
    let mut forms: Vec<FormView> = actions()
        .filter(|a| {
            a.who
                .allows(&session.actor, division, &team, ctx.complaint_sign_off)
        })
        .filter_map(|a| view_of(a, ctx))
        .collect();
    if works {
        forms.extend(rating_link::form(ctx));
        forms.extend(progress_link::form(ctx));
    }
    forms
}

fn view_of(action: &Action, ctx: &Ctx<'_>) -> Option<FormView> {
    let mut fields = (action.fields)(ctx)?;
    if action.date_field.is_some() {
        fields.push(late_reason_field(ctx.late_days));
    }
    Some(FormView {
        action: action.name,
        title: action.title,
        section: action.section,
        button: action.button,
        fields,
        open: false,
        key: once::new_key(),
    })
}

/// The user ids of the case's team now: the lead steward and the members.
pub(crate) fn team_of(detail: &CaseDetail) -> Vec<&str> {
    let team = &detail.team;
    team.lead_steward
        .iter()
        .chain(&team.members)
        .map(|s| s.user_id.as_str())
        .collect()
}

/// What a posted form comes to: an answer of its own, or the case page drawn again with the
/// form's errors — which the case page does (`pages::case::act`), so that this module needs
/// nothing of it.
pub(crate) enum Acted {
    Answer(axum::response::Response),
    Redraw(Failed),
}

impl From<axum::response::Response> for Acted {
    fn from(response: axum::response::Response) -> Self {
        Self::Answer(response)
    }
}

/// A form that failed, to be drawn again on the case page.
#[derive(Debug, Clone)]
pub(crate) struct Failed {
    pub action: &'static str,
    pub input: Input,
    pub errors: Vec<(String, String)>,
}

impl Failed {
    /// Puts the failure into the forms: the failed one refilled; the summary's links (anchor,
    /// message), in the order of the form's fields.
    pub(crate) fn apply(&self, forms: &mut [FormView]) -> Vec<(String, String)> {
        let Some(form) = forms.iter_mut().find(|f| f.action == self.action) else {
            // The form no longer applies (the case moved on): the summary alone says why.
            return self
                .errors
                .iter()
                .map(|(_, m)| ("main".to_owned(), m.clone()))
                .collect();
        };
        form.refill(&self.input, &self.errors);
        let mut summary = Vec::new();
        for field in &form.fields {
            if let Some(message) = &field.error {
                summary.push((field.id(form.action), message.clone()));
            }
        }
        // Messages for fields the form lacks: shown at its first field, linked to the form.
        let first = form.fields.first().map(|f| f.name).unwrap_or_default();
        for (field, message) in &self.errors {
            if !form.fields.iter().any(|f| f.name == field) {
                summary.push((form.id(), message.clone()));
                if let Some(f) = form.fields.iter_mut().find(|f| f.name == first) {
                    f.error = Some(message.clone());
                }
            }
        }
        summary
    }
}

/// What the page says after the action `name` was done.
pub(crate) fn done_message(name: &str) -> Option<String> {
    if name == "register" {
        return Some("案件已登记。下一步：请领导指定项目管家，再签订服务协议。".to_owned());
    }
    let action = action(name)?;
    Some(format!(
        "已完成：{}。以下是办理后的最新情况。",
        action.title
    ))
}

/// The status of a form's refusal page.
pub(crate) const REFUSED: StatusCode = StatusCode::UNPROCESSABLE_ENTITY;
