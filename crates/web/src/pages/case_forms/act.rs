//! `POST /cases/{id}/act/{action}`: a form of the case page sent. The person's right is asked
//! of `authz` before the form is read; the form's use case runs with the request's metadata,
//! its late-entry reason and its idempotency key (`once.rs`); success waits for the outcome's
//! log position in this node's read model and redirects to the case page, a refusal draws the
//! case page again with the form's errors (`refusal.rs` says what), or the page that says no.

use axum::http::Extensions;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use guanjia_api::auth::authz;
use guanjia_store::{CommandContext, EventMetadata};

use super::refusal::{self, Shown};
use super::{
    action, once, progress_link, rating_link, view_of, Acted, Action, Ctx, Failed, FormView, Input,
    Refusal, Who,
};
use crate::format;
use crate::pages;
use crate::session::Session;
use crate::Web;

/// Runs the action `name` of the form posted (`pairs`) on case `id` for the signed-in person
/// (`POST /cases/{id}/act/{action}`, whose handler is `pages::case::act`).
pub(crate) async fn act(
    web: &Web,
    session: &Session,
    extensions: &Extensions,
    id: &str,
    name: &str,
    pairs: Vec<(String, String)>,
) -> Acted {
    let input = Input::new(pairs);
    if !session.csrf_matches(web, input.raw("csrf")) {
        return pages::csrf_refused(Some(session)).into();
    }
    if authz::may_read_cases(&session.actor).is_err() {
        let why = format!("{}不办理案件。", crate::labels::role(session.actor.role));
        return pages::forbidden(session, &why).into();
    }
    let (who, action) = match action(name) {
        Some(action) => (action.who, Some(action)),
        None if [
            rating_link::NAME,
            rating_link::REVOKE,
            progress_link::NAME,
            progress_link::REVOKE,
        ]
        .contains(&name) =>
        {
            (Who::Team, None)
        }
        None => return pages::not_found_for(Some(session)).into(),
    };
    if let Some(refused) = refusal_to_act(web, session, id, who) {
        return refused.into();
    }
    let Some(action) = action else {
        return match name {
            progress_link::NAME => progress_link::issue(web, session, extensions, id, input).await,
            progress_link::REVOKE => progress_link::revoke(web, session, extensions, id, input)
                .await
                .into(),
            rating_link::REVOKE => rating_link::revoke(web, session, extensions, id, input)
                .await
                .into(),
            _ => rating_link::issue(web, session, extensions, id, input).await,
        };
    };
    let late = action
        .date_field
        .and_then(|_| input.optional("late_reason"));
    let context = once::keyed(command_context(session, extensions), action.name, &input);
    let on_case = web
        .state()
        .app
        .on_case(&session.actor, id, context)
        .late_entry(late);
    let outcome = (action.run)(input.clone(), on_case).await;
    match outcome {
        Ok(outcome) => {
            let state = web.state();
            if let Err(error) = state
                .read
                .wait_for(outcome.position(), state.limits.read_wait)
                .await
            {
                // Saved, but this node has not read it yet: the page will show it shortly.
                tracing::warn!(%error, position = %outcome.position(), "a form's change was not readable in time");
            }
            see_case(id, action.name).into()
        }
        Err(refusal) => refused(web, session, id, action, input, refusal),
    }
}

/// `None` when the person may do `who`'s work on the case, else the page that says no. Asked
/// of `authz` on the case as this node reads it, before the form is read: someone without the
/// right hears so (403), or, when they may not know the case, that there is none (404) — never
/// what was wrong with the form. The application layer checks again on the case as it loads
/// it for the command.
fn refusal_to_act(web: &Web, session: &Session, id: &str, who: Who) -> Option<Response> {
    let actor = &session.actor;
    let today = today(web);
    let sign_off = web.state().app.complaint_sign_off();
    let allowed = web.state().read.read(|m| {
        let detail = m.case_detail(id, today)?;
        let division = &detail.enterprise.division;
        authz::authorize_case_read(actor, division).ok()?;
        let team = super::team_of(&detail);
        Some(who.allows(actor, division, &team, sign_off))
    });
    match allowed {
        None => Some(pages::not_found_for(Some(session))),
        Some(false) => Some(pages::MessagePage::refuse(
            session,
            "无权操作",
            who.refusal(sign_off),
        )),
        Some(true) => None,
    }
}

/// The answer to a refused form: the case page with the form's errors, or the page that says
/// no.
fn refused(
    web: &Web,
    session: &Session,
    id: &str,
    action: &'static Action,
    input: Input,
    refusal: Refusal,
) -> Acted {
    let errors = match refusal {
        Refusal::Input(errors) => errors,
        Refusal::App(error) => {
            let today = today(web);
            let form = web.state().read.read(|m| {
                let detail = m.case_detail(id, today)?;
                view_of(action, &Ctx::new(web, &detail, m))
            });
            let form = form.unwrap_or_else(|| FormView {
                action: action.name,
                title: action.title,
                section: action.section,
                button: action.button,
                fields: Vec::new(),
                open: true,
                key: String::new(),
            });
            match refusal::explain(&error, &form, action.date_field) {
                Shown::Fields(errors) => errors,
                Shown::NotFound => return pages::not_found_for(Some(session)).into(),
                Shown::Forbidden(why) => {
                    return pages::MessagePage::refuse(session, "无权操作", &why).into()
                }
                Shown::Internal => {
                    tracing::error!(error = %error, cause = ?std::error::Error::source(&error), "a case form failed");
                    return pages::internal_error(Some(session)).into();
                }
            }
        }
    };
    let failed = Failed {
        action: action.name,
        input,
        errors,
    };
    Acted::Redraw(failed)
}

/// 303 to the case page, which says what was done.
fn see_case(id: &str, done: &str) -> Response {
    let target = format!("/cases/{}?done={done}", format::query_escape(id));
    Redirect::to(&target).into_response()
}

/// The metadata of the events a page's form appends: who, from which request, channel `web`.
pub(crate) fn command_context(session: &Session, extensions: &Extensions) -> CommandContext {
    let request = pages::audit::request_id(extensions);
    CommandContext::new(EventMetadata {
        actor_id: session.actor.username.to_string(),
        actor_role: session.actor.role.as_str().to_owned(),
        correlation_id: request.clone(),
        causation_id: request.clone(),
        request_id: request,
        channel: "web".to_owned(),
    })
}

/// Today in Beijing, by the server's clock.
fn today(web: &Web) -> NaiveDate {
    guanjia_domain::clock::china_date(web.state().clock.now())
}
