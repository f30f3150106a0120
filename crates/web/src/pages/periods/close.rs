//! Closing a period, in two steps (GOV.UK "check your answers"): `POST /periods/close` reads
//! the form and shows what will be closed, with what closing means, since it cannot be undone;
//! `POST /periods/close/confirm` runs `App::close_period` and redirects to the list, or draws
//! the periods page again with the application layer's refusal beside the field it names.
//! Both check the CSRF token; the first records nothing.

use askama::Template;
use axum::extract::State;
use axum::http::{Extensions, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use guanjia_api::auth::authz;
use guanjia_domain::values::{DivisionCode, Period};

use super::refusal::{self, Said};
use super::{page, period_name, ApproveForm, CloseForm, Forms};
use crate::pages::case_forms::command_context;
use crate::pages::dashboard::division_label;
use crate::pages::{csrf_refused, html, internal_error, Chrome, MessagePage, Nav};
use crate::session::{Session, Viewer};
use crate::Web;

#[derive(Template)]
#[template(path = "periods_check.html")]
struct CheckPage {
    chrome: Chrome,
    csrf: String,
    period: String,
    period_name: String,
    division: String,
    division_name: String,
}

/// `POST /periods/close`: the answers to check before closing.
pub(crate) async fn check(
    State(web): State<Web>,
    Viewer(session): Viewer,
    Form(form): Form<CloseForm>,
) -> Response {
    if !session.csrf_matches(&web, &form.csrf) {
        return csrf_refused(Some(&session));
    }
    // Asked before the form is read, as the page itself asks: no check step for someone who
    // cannot close at all.
    if authz::may_view_dashboard(&session.actor).is_err() {
        return MessagePage::refuse(&session, "无权封账", &refusal::not_a_leader());
    }
    // Only the values are read here (the domain's own parsers); whether this leader may close
    // this period is the application layer's to say, when the leader confirms.
    let period = Period::parse(&form.period);
    let division = DivisionCode::parse(&form.division);
    let (period, division) = match (period, division) {
        (Ok(period), Ok(division)) => (period, division),
        (period, division) => {
            let mut errors = Vec::new();
            if let Err(rule) = period {
                errors.push(refusal::period_unreadable(&rule));
            }
            if division.is_err() {
                errors.push(refusal::division_unreadable());
            }
            return again(&web, &session, form, errors).await;
        }
    };
    let check = CheckPage {
        chrome: Chrome::new("确认封账", Some(&session), Nav::Periods),
        csrf: session.csrf.clone(),
        period: period.to_string(),
        period_name: period_name(period),
        division: division.as_str().to_owned(),
        division_name: division_label(&division),
    };
    html(StatusCode::OK, &check)
}

/// `POST /periods/close/confirm`: closes the period.
pub(crate) async fn confirm(
    State(web): State<Web>,
    Viewer(session): Viewer,
    extensions: Extensions,
    Form(form): Form<CloseForm>,
) -> Response {
    if !session.csrf_matches(&web, &form.csrf) {
        return csrf_refused(Some(&session));
    }
    let context = command_context(&session, &extensions);
    let result = web
        .state()
        .app
        .close_period(&session.actor, &form.division, &form.period, context)
        .await;
    match result {
        Ok(committed) => {
            let state = web.state();
            if let Err(error) = state
                .read
                .wait_for(committed.position, state.limits.read_wait)
                .await
            {
                tracing::warn!(%error, "a closed period was not readable in time");
            }
            Redirect::to("/periods?done=closed").into_response()
        }
        Err(error) => match refusal::close(&error, &session.actor, &form) {
            Said::Fields(errors) => again(&web, &session, form, errors).await,
            Said::Forbidden(why) => MessagePage::refuse(&session, "无权封账", &why),
            Said::Internal => {
                tracing::error!(%error, cause = ?std::error::Error::source(&error), "closing a period failed");
                internal_error(Some(&session))
            }
        },
    }
}

/// The periods page again, with the close form as typed and its errors.
async fn again(
    web: &Web,
    session: &Session,
    form: CloseForm,
    errors: Vec<(String, String)>,
) -> Response {
    let forms = Forms::new(form, ApproveForm::default());
    page(
        web,
        session,
        StatusCode::UNPROCESSABLE_ENTITY,
        forms,
        errors,
        String::new(),
    )
    .await
}
