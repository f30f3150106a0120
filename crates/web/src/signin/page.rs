//! The sign-in form as a page: its fields, the messages beside them and in the summary at the
//! top, why the person is here ("您已超过 30 分钟未操作…"), and the CSRF token bound to the
//! pre-session cookie (a new cookie when the browser has none).

use askama::Template;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;

use crate::pages::{html, Chrome, Nav};
use crate::session::cookie;
use crate::session::Purpose;
use crate::Web;

/// The sign-in page.
#[derive(Template)]
#[template(path = "signin.html")]
struct SignInPage {
    chrome: Chrome,
    notice: Option<String>,
    errors: Vec<FieldError>,
    username_error: Option<String>,
    password_error: Option<String>,
    username: String,
    next: String,
    csrf: String,
}

/// A mistake to fix, linked from the summary to its field.
pub(super) struct FieldError {
    pub field: &'static str,
    pub message: String,
}

/// What every rendering of the form shares: where to go next, and the CSRF token with the
/// pre-session cookie it is bound to (a new one when the browser has none).
pub(super) struct SignInView {
    pub next: String,
    csrf: String,
    new_pre: Option<HeaderValue>,
}

impl SignInView {
    pub(super) fn new(web: &Web, headers: &HeaderMap, next: String) -> Self {
        let (pre, new_pre) = match cookie::get(headers, cookie::PRE).filter(|p| p.len() >= 16) {
            Some(pre) => (pre.to_owned(), None),
            None => {
                let mut bytes = [0u8; 16];
                rand::rngs::OsRng.fill_bytes(&mut bytes);
                let pre = URL_SAFE_NO_PAD.encode(bytes);
                let line = cookie::set(cookie::PRE, &pre, None, web.secure(headers));
                (pre, Some(line))
            }
        };
        Self {
            next,
            csrf: web.keys().tag(Purpose::SignIn, &[&pre]),
            new_pre,
        }
    }

    pub(super) fn render(
        self,
        status: StatusCode,
        notice: Option<String>,
        errors: Vec<FieldError>,
        username: &str,
    ) -> Response {
        let field = |name: &str| {
            errors
                .iter()
                .find(|e| e.field == name)
                .map(|e| e.message.clone())
        };
        let page = SignInPage {
            chrome: Chrome::new("登录", None, Nav::None),
            notice,
            username_error: field("username"),
            password_error: field("password"),
            errors,
            username: username.to_owned(),
            next: self.next,
            csrf: self.csrf,
        };
        let mut response = html(status, &page);
        if let Some(line) = self.new_pre {
            response.headers_mut().append(header::SET_COOKIE, line);
        }
        response
    }
}

/// Why the person is on the sign-in page, in words.
pub(super) fn notice(web: &Web, why: &str) -> Option<String> {
    let minutes = web.inner.config.idle_timeout.as_secs().div_ceil(60);
    Some(match why {
        "idle" => format!("您已超过 {minutes} 分钟未操作，为保护信息安全已自动退出，请重新登录。"),
        "expired" => "登录已过期，请重新登录。".to_owned(),
        "changed" => "您的账户已变更（密码、角色或权限被调整，或账户被停用、登录被撤销），已退出登录。请重新登录；如无法登录，请联系本单位管理员。".to_owned(),
        "invalid" => "登录状态已失效，请重新登录。".to_owned(),
        "out" => "您已退出登录。".to_owned(),
        _ => return None,
    })
}
