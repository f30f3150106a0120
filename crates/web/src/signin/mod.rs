//! Signing in and out. Sign-in runs the API's own `Auth::login` behind the same rate limits as
//! the `login` mutation (`Throttle::login`: per username and per client address), then sets the
//! session cookie and redirects (POST, redirect, GET: a refresh never posts the password again).
//!
//! The sign-in form's CSRF token is bound to a random pre-session cookie (`gj_pre`), so another
//! site cannot sign a browser into an account of its choosing. Every failure says in Chinese
//! what to do, beside the field and in a summary at the top; a wrong password and an unknown
//! user read the same.

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use guanjia_api::throttle::Peer;
use guanjia_api::{ApiError, Secret};
use serde::Deserialize;

use self::page::{notice, FieldError, SignInView};
use crate::pages;
use crate::session::cookie::{self, SessionCookie};
use crate::session::{session_line, CsrfForm, Purpose, SessionState, Viewer};
use crate::Web;

mod page;

#[derive(Debug, Deserialize, Default)]
pub(crate) struct SignInQuery {
    #[serde(default)]
    next: String,
    #[serde(default)]
    why: String,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct SignInForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
}

/// `GET /signin`: the form, or on to the workbench for someone already signed in.
pub(crate) async fn form(
    State(web): State<Web>,
    Query(query): Query<SignInQuery>,
    parts: axum::http::request::Parts,
) -> Response {
    let next = safe_next(&query.next);
    if let SessionState::Active(_) = crate::session::state_of(&parts) {
        return Redirect::to(&next).into_response();
    }
    let notice = notice(&web, &query.why);
    let page = SignInView::new(&web, &parts.headers, next);
    page.render(StatusCode::OK, notice, Vec::new(), "")
}

/// `POST /signin`.
pub(crate) async fn submit(
    State(web): State<Web>,
    peer: Peer,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    let view = SignInView::new(&web, &headers, safe_next(&form.next));
    let pre_ok = cookie::get(&headers, cookie::PRE)
        .is_some_and(|pre| web.keys().verify(Purpose::SignIn, &[pre], &form.csrf));
    if !pre_ok {
        tracing::info!("sign-in form refused: missing or wrong CSRF token");
        return pages::csrf_refused(None);
    }
    let username = form.username.trim().to_owned();
    let mut errors = Vec::new();
    if username.is_empty() {
        errors.push(FieldError {
            field: "username",
            message: "请输入用户名".to_owned(),
        });
    }
    if form.password.is_empty() {
        errors.push(FieldError {
            field: "password",
            message: "请输入密码".to_owned(),
        });
    }
    if !errors.is_empty() {
        return view.render(StatusCode::UNPROCESSABLE_ENTITY, None, errors, &username);
    }
    let state = web.state();
    let client = state.throttle.client_ip(&peer, &headers);
    let outcome = match state.throttle.login(&username, client.0) {
        Ok(()) => {
            state
                .auth
                .login(&username, &Secret::new(form.password))
                .await
        }
        Err(limited) => Err(limited),
    };
    let issued = match outcome {
        Ok((_, issued)) => issued,
        Err(ApiError::RateLimited { retry_after_secs }) => {
            let message = format!("登录尝试过于频繁，请在 {retry_after_secs} 秒后再试");
            let errors = vec![FieldError {
                field: "username",
                message,
            }];
            let mut response = view.render(StatusCode::TOO_MANY_REQUESTS, None, errors, &username);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            return response;
        }
        Err(ApiError::Unauthenticated(_)) => {
            let errors = vec![FieldError {
                field: "username",
                message: "用户名或密码不正确，或账户已停用".to_owned(),
            }];
            return view.render(StatusCode::UNAUTHORIZED, None, errors, &username);
        }
        Err(error) => {
            tracing::error!(%error, "sign-in failed on the server");
            return pages::internal_error(None);
        }
    };
    let now = web.now();
    let session = SessionCookie {
        token: issued.token,
        expires: issued.expires_at.timestamp(),
        seen: now,
    };
    let secure = web.secure(&headers);
    let mut response = Redirect::to(&view.next).into_response();
    let set = response.headers_mut();
    set.append(
        header::SET_COOKIE,
        session_line(&web, &session, now, secure),
    );
    set.append(
        header::SET_COOKIE,
        cookie::set(cookie::PRE, "", Some(0), secure),
    );
    response
}

/// `POST /signout`: ends the session on this browser (with its CSRF token, so another site
/// cannot sign people out).
pub(crate) async fn sign_out(
    State(web): State<Web>,
    Viewer(session): Viewer,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    if !session.csrf_matches(&web, &form.csrf) {
        tracing::info!("sign-out refused: missing or wrong CSRF token");
        return pages::csrf_refused(Some(&session));
    }
    let mut response = Redirect::to("/signin?why=out").into_response();
    let secure = web.secure(&headers);
    response.headers_mut().append(
        header::SET_COOKIE,
        cookie::set(cookie::SESSION, "", Some(0), secure),
    );
    response
}

/// Where to go after signing in: a path on this site, never another site (`//host`, `/\host`).
fn safe_next(next: &str) -> String {
    let next = next.trim();
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && next.len() <= 1000
        && !next.chars().any(char::is_control)
        && !next.starts_with("/signin")
        && !next.starts_with("/signout");
    if local {
        next.to_owned()
    } else {
        "/".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next("/cases?q=恒口"), "/cases?q=恒口");
        assert_eq!(safe_next("/cases/abc"), "/cases/abc");
        for outside in [
            "https://evil.example/",
            "//evil.example",
            "/\\evil",
            "",
            "cases",
            "/signin?next=/x",
        ] {
            assert_eq!(safe_next(outside), "/", "{outside}");
        }
    }
}
