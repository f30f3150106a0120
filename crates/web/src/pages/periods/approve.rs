//! `POST /periods/approve`: a leader lets one entry of one case into a closed period, with a
//! reason. The case is named as people quote it (its case number, or its id from the case
//! page's address); the closed period is picked from the list (its division and period). The
//! approval is `App::approve_closed_period_entry`; the steward then records the step as usual
//! and the approval is used up by it (the application layer's rule).

use axum::extract::State;
use axum::http::{Extensions, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use guanjia_domain::values::CaseNumber;

use super::refusal::{self, Said};
use super::{page, ApproveForm, CloseForm, Forms};
use crate::pages::case_forms::command_context;
use crate::pages::{csrf_refused, internal_error, MessagePage};
use crate::session::{Session, Viewer};
use crate::Web;

/// `POST /periods/approve`.
pub(crate) async fn approve(
    State(web): State<Web>,
    Viewer(session): Viewer,
    extensions: Extensions,
    Form(form): Form<ApproveForm>,
) -> Response {
    if !session.csrf_matches(&web, &form.csrf) {
        return csrf_refused(Some(&session));
    }
    let mut errors = Vec::new();
    let case_id = case_id(&web, &form.case);
    if case_id.is_none() {
        errors.push(refusal::case_unknown(&form.case));
    }
    let closed = form.closed.split_once('/');
    if closed.is_none() {
        errors.push(refusal::closed_unpicked());
    }
    let (Some(case_id), Some((division, period))) = (case_id, closed) else {
        return again(&web, &session, form, errors).await;
    };
    let context = command_context(&session, &extensions);
    let result = web
        .state()
        .app
        .approve_closed_period_entry(
            &session.actor,
            division,
            period,
            &case_id,
            &form.reason,
            context,
        )
        .await;
    match result {
        Ok(committed) => {
            let state = web.state();
            if let Err(error) = state
                .read
                .wait_for(committed.position, state.limits.read_wait)
                .await
            {
                tracing::warn!(%error, "an approval was not readable in time");
            }
            Redirect::to("/periods?done=approved").into_response()
        }
        Err(error) => match refusal::approve(&error, &session.actor) {
            Said::Fields(errors) => again(&web, &session, form, errors).await,
            Said::Forbidden(why) => MessagePage::refuse(&session, "无权批准", &why),
            Said::Internal => {
                tracing::error!(%error, cause = ?std::error::Error::source(&error), "an approval failed");
                internal_error(Some(&session))
            }
        },
    }
}

/// The id of the case `quoted` names: a case number (`AK-2026-000123`) or a case id. Whether
/// the viewer may know the case is the application layer's to say: a case outside the scope
/// is refused as not found, the same as one that does not exist.
fn case_id(web: &Web, quoted: &str) -> Option<String> {
    let quoted = quoted.trim();
    if quoted.is_empty() {
        return None;
    }
    web.state().read.read(|m| {
        let by_number = CaseNumber::parse(quoted)
            .ok()
            .and_then(|number| m.case_by_number(&number));
        by_number
            .or_else(|| m.case_by_id(quoted))
            .map(|case| case.id)
    })
}

/// The periods page again, with the approval form as typed and its errors.
async fn again(
    web: &Web,
    session: &Session,
    form: ApproveForm,
    errors: Vec<(String, String)>,
) -> Response {
    let close = CloseForm {
        division: session.actor.division.as_str().to_owned(),
        ..CloseForm::default()
    };
    page(
        web,
        session,
        StatusCode::UNPROCESSABLE_ENTITY,
        Forms::new(close, form),
        errors,
        String::new(),
    )
    .await
}
