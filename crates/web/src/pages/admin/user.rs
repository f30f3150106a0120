//! One account: change its role and division, disable or enable it, reset its password —
//! each of which ends every session of the account (the API revokes its tokens) — or only end
//! its sessions (a lost phone), leaving the account as it is. An account
//! outside the admin's subtree is not in the API's `users` answer, so its page is the
//! not-found page, and a form posted for it anyway is refused by the API's own check.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{Extensions, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use guanjia_api::auth::admin;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{accounts, done_text, refusal, Account, Done, ROLES};
use crate::pages::audit::request_id;
use crate::pages::{csrf_refused, forbidden, html, not_found_for, Chrome, Nav};
use crate::session::{Session, Viewer};
use crate::Web;

#[derive(Template)]
#[template(path = "admin_user.html")]
struct UserPage {
    chrome: Chrome,
    csrf: String,
    account: Account,
    notice: String,
    errors: Vec<(String, String)>,
    roles: &'static [(&'static str, &'static str)],
}

/// Every form of the page: only the fields of the action posted are filled.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Change {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    division: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    password: String,
}

async fn page(
    web: &Web,
    session: &Session,
    request: &str,
    username: &str,
    status: StatusCode,
    errors: Vec<(String, String)>,
    notice: String,
) -> Response {
    if admin::may_administer(&session.actor).is_err() {
        return forbidden(session, "管理页面仅供管理员使用。");
    }
    let found = accounts(web, session, request)
        .await
        .unwrap_or_default()
        .into_iter()
        .find(|a| a.username == username);
    let Some(account) = found else {
        return not_found_for(Some(session));
    };
    let page = UserPage {
        chrome: Chrome::new(
            &format!("账户 {}", account.username),
            Some(session),
            Nav::Admin,
        ),
        csrf: session.csrf.clone(),
        account,
        notice,
        errors,
        roles: ROLES,
    };
    html(status, &page)
}

/// `GET /admin/users/{username}`.
pub(crate) async fn show(
    State(web): State<Web>,
    Viewer(session): Viewer,
    extensions: Extensions,
    Path(username): Path<String>,
    Query(done): Query<Done>,
) -> Response {
    let request = request_id(&extensions);
    page(
        &web,
        &session,
        &request,
        &username,
        StatusCode::OK,
        Vec::new(),
        done_text(&done.done),
    )
    .await
}

/// `POST /admin/users/{username}/{action}`: `role`, `disable`, `enable`, `password` or
/// `revoke`.
pub(crate) async fn change(
    State(web): State<Web>,
    Viewer(session): Viewer,
    extensions: Extensions,
    Path((username, action)): Path<(String, String)>,
    Form(form): Form<Change>,
) -> Response {
    if !session.csrf_matches(&web, &form.csrf) {
        return csrf_refused(Some(&session));
    }
    if admin::may_administer(&session.actor).is_err() {
        return forbidden(&session, "管理页面仅供管理员使用。");
    }
    let (query, variables, done): (&str, Value, &str) = match action.as_str() {
        "role" => (
            "mutation($u: String!, $r: Role!, $d: String!) { changeRole(username: $u, role: $r, division: $d) { username } }",
            json!({"u": username, "r": form.role, "d": form.division.trim()}),
            "role",
        ),
        "disable" => (
            "mutation($u: String!, $r: String!) { disableUser(username: $u, reason: $r) { username } }",
            json!({"u": username, "r": form.reason.trim()}),
            "disabled",
        ),
        "enable" => (
            "mutation($u: String!) { enableUser(username: $u) { username } }",
            json!({"u": username}),
            "enabled",
        ),
        "revoke" => (
            "mutation($u: String!) { revokeUserTokens(username: $u) { username } }",
            json!({"u": username}),
            "revoked",
        ),
        "password" => (
            "mutation($u: String!, $p: String!) { resetPassword(username: $u, newPassword: $p) { username } }",
            json!({"u": username, "p": form.password}),
            "password",
        ),
        _ => return not_found_for(Some(&session)),
    };
    let request = request_id(&extensions);
    match web.api().run(&session, &request, query, variables).await {
        Ok(_) => Redirect::to(&format!("/admin/users/{username}?done={done}")).into_response(),
        Err(refused) => {
            let error = refusal(&refused);
            let status = match refused.code.as_str() {
                "FORBIDDEN" => StatusCode::FORBIDDEN,
                "NOT_FOUND" => StatusCode::NOT_FOUND,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            if status == StatusCode::UNPROCESSABLE_ENTITY {
                page(
                    &web,
                    &session,
                    &request,
                    &username,
                    status,
                    vec![error],
                    String::new(),
                )
                .await
            } else {
                // Not theirs: say no without showing the account.
                let mut answer = forbidden(&session, &error.1);
                *answer.status_mut() = status;
                answer
            }
        }
    }
}
