//! 封账, closed periods for leaders (`/periods`): the periods closed for the leader's divisions
//! (and for those above, which bind them too), with the approvals of late entries inside them;
//! the form that closes a month, a quarter or a year for a division, through a "check your
//! answers" step because closing cannot be undone (`close.rs`); and the form that approves one
//! entry of one case into a closed period (`approve.rs`).
//!
//! No rule lives here: who may close or approve, which periods may be closed and which cases
//! approved are `guanjia_app::periods`; the pages call it with the request's metadata and say
//! its refusals in Chinese beside the field they name (`refusal.rs`). The list and the choices
//! of the forms are `list.rs`.

mod approve;
mod close;
mod list;
mod refusal;

pub(crate) use self::approve::approve;
pub(crate) use self::close::{check, confirm};

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use guanjia_api::auth::authz;
use guanjia_domain::values::Period;
use serde::Deserialize;

use self::list::{choices, divisions, rows, Row};
use super::{forbidden, html, Chrome, Nav};
use crate::session::{Session, Viewer};
use crate::Web;

/// The close form, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct CloseForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub division: String,
}

/// The approval form, as typed: `closed` is `division/period` of a closed period.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct ApproveForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub case: String,
    #[serde(default)]
    pub closed: String,
    #[serde(default)]
    pub reason: String,
}

#[derive(Template)]
#[template(path = "periods.html")]
struct PeriodsPage {
    chrome: Chrome,
    csrf: String,
    notice: String,
    /// (field id, message), in the order of the fields.
    errors: Vec<(String, String)>,
    rows: Vec<Row>,
    close: CloseForm,
    approve: ApproveForm,
    /// The periods a leader may pick, by kind: (group, [(value, name)]).
    periods: Vec<(&'static str, Vec<(String, String)>)>,
    divisions: Vec<(String, String)>,
    /// The closed periods an approval may name: (value, words).
    closed: Vec<(String, String)>,
}

impl PeriodsPage {
    fn error(&self, id: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == id)
            .map(|(_, m)| m.as_str())
    }
}

/// `2023年`, `2023年第4季度`, `2023年5月`.
pub(crate) fn period_name(period: Period) -> String {
    match period {
        Period::Year(y) => format!("{y}年"),
        Period::Quarter(y, q) => format!("{y}年第{q}季度"),
        Period::Month(y, m) => format!("{y}年{m}月"),
    }
}

/// What a finished action says on the page it comes back to.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Done {
    #[serde(default)]
    done: String,
    /// The close form's answers, when the leader goes back from the check to change them.
    period: Option<String>,
    division: Option<String>,
    /// The case to approve an entry of, when the leader comes from its case page.
    case: Option<String>,
}

fn done_text(done: &str) -> String {
    match done {
        "closed" => "已封账。此后业务日期在该期间内的录入，须经该区划领导批准。".to_owned(),
        "approved" => "已批准。项目管家现在可以录入这一笔，批准随该笔录入用掉。".to_owned(),
        _ => String::new(),
    }
}

/// `GET /periods`.
pub(crate) async fn show(
    State(web): State<Web>,
    Viewer(session): Viewer,
    Query(done): Query<Done>,
) -> Response {
    let close = CloseForm {
        csrf: String::new(),
        period: done.period.unwrap_or_default(),
        division: done
            .division
            .unwrap_or_else(|| session.actor.division.as_str().to_owned()),
    };
    let notice = done_text(&done.done);
    let approve = ApproveForm {
        case: done.case.unwrap_or_default(),
        ..ApproveForm::default()
    };
    let forms = Forms::new(close, approve);
    page(&web, &session, StatusCode::OK, forms, Vec::new(), notice).await
}

/// The two forms as they are drawn again.
pub(crate) struct Forms {
    close: CloseForm,
    approve: ApproveForm,
}

impl Forms {
    pub(crate) fn new(close: CloseForm, approve: ApproveForm) -> Self {
        Self { close, approve }
    }
}

/// The page, with `errors` beside the fields of `forms`, answered with `status`.
pub(crate) async fn page(
    web: &Web,
    session: &Session,
    status: StatusCode,
    forms: Forms,
    errors: Vec<(String, String)>,
    notice: String,
) -> Response {
    if authz::may_view_dashboard(&session.actor).is_err() {
        return forbidden(
            session,
            "封账仅由领导办理：项目管家、审计和管理员不能封账或批准录入。",
        );
    }
    let scope = session.actor.division.clone();
    let today = guanjia_domain::clock::china_date(web.state().clock.now());
    let rows = rows(web, session, &scope).await;
    // An approval comes from a leader of the division that closed the period.
    let closed = rows
        .iter()
        .filter(|r| r.approvable)
        .map(|r| {
            (
                format!("{}/{}", r.division_code, r.period_code),
                format!("{}，{}", r.period, r.division),
            )
        })
        .collect();
    let page = PeriodsPage {
        chrome: Chrome::new("封账", Some(session), Nav::Periods),
        csrf: session.csrf.clone(),
        notice,
        errors,
        rows,
        close: forms.close,
        approve: forms.approve,
        periods: choices(today),
        divisions: divisions(web, &scope),
        closed,
    };
    html(status, &page)
}
