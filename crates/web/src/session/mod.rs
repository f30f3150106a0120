//! Sessions for people: who is signed in on this request, checked the way the API checks a
//! bearer token, plus idle expiry.
//!
//! - `cookie.rs`: the signed cookie that carries the API's token; `keys.rs`: the MACs.
//! - [`track`] (middleware on every page): reads the cookie, asks
//!   `Auth::authenticate` — the same check as every GraphQL request, so a revoked token, a
//!   disabled account or a changed role ends the session on the next page — and ends it when
//!   it was left unused longer than the idle timeout. It refreshes the last-seen time at most
//!   once a minute, and deletes the cookie of a session that ended.
//! - [`Viewer`]: the extractor of pages that need someone signed in; without one, it answers
//!   with the sign-in page's address, saying why ("您已长时间未操作…") and where to come back.
//! - CSRF: every form of a signed-in person carries [`Session::csrf`], a MAC of the session's
//!   token; the sign-in form carries one bound to a random pre-session cookie.
//!
//! Sign-out deletes the cookie. The token inside stays valid until it expires or the session
//! idles out, as a stateless session must (docs/security.md); "sign out everywhere" is the
//! API's `revokeMyTokens`.

pub(crate) mod cookie;
mod keys;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use guanjia_api::auth::Actor;

use self::cookie::SessionCookie;
pub(crate) use self::keys::{Keys, Purpose};

/// A form that posts nothing but its CSRF token (sign out, a reveal, verify the chain).
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}
use crate::Web;

/// Last-seen times are rewritten at most this often (seconds), not on every page.
const TOUCH_EVERY: i64 = 60;

/// A signed-in person on this request.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub actor: Actor,
    pub display_name: String,
    /// The CSRF token of this person's forms.
    pub csrf: String,
    cookie: SessionCookie,
    /// The last-seen time is due to be rewritten.
    touch: bool,
}

/// Why a session is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ended {
    /// Unused longer than the idle timeout.
    Idle,
    /// The token's lifetime is over.
    Expired,
    /// The token was revoked, or the account disabled or changed (role, division, password).
    Changed,
    /// The cookie is not one of ours (another key, or edited).
    Invalid,
}

impl Ended {
    /// The `why` of the sign-in page's address.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Self::Idle => "idle",
            Self::Expired => "expired",
            Self::Changed => "changed",
            Self::Invalid => "invalid",
        }
    }
}

/// The session state of a request, put into its extensions by [`track`].
#[derive(Debug, Clone)]
pub(crate) enum SessionState {
    Absent,
    Active(Box<Session>),
    Ended(Ended),
}

/// Middleware: finds the session of the request (see the module documentation).
pub(crate) async fn track(State(web): State<Web>, mut request: Request, next: Next) -> Response {
    let state = check(&web, request.headers()).await;
    let actor = match &state {
        SessionState::Active(session) => session.actor.username.to_string(),
        _ => "anonymous".to_owned(),
    };
    tracing::Span::current().record("actor", actor.as_str());
    let secure = web.secure(request.headers());
    request.extensions_mut().insert(state.clone());
    let mut response = next.run(request).await;
    // A handler that set the cookie itself (sign-in, sign-out) has the last word.
    if response.headers().contains_key(header::SET_COOKIE) {
        return response;
    }
    let now = web.now();
    let line = match state {
        SessionState::Active(session) if session.touch => {
            let cookie = SessionCookie {
                seen: now,
                ..session.cookie
            };
            Some(session_line(&web, &cookie, now, secure))
        }
        SessionState::Ended(_) => Some(cookie::set(cookie::SESSION, "", Some(0), secure)),
        _ => None,
    };
    if let Some(line) = line {
        response.headers_mut().append(header::SET_COOKIE, line);
    }
    response
}

async fn check(web: &Web, headers: &HeaderMap) -> SessionState {
    let Some(value) = cookie::get(headers, cookie::SESSION).filter(|v| !v.is_empty()) else {
        return SessionState::Absent;
    };
    let Some(cookie) = SessionCookie::decode(value, &web.inner.keys) else {
        return SessionState::Ended(Ended::Invalid);
    };
    let now = web.now();
    let idle = i64::try_from(web.inner.config.idle_timeout.as_secs()).unwrap_or(i64::MAX);
    if now.saturating_sub(cookie.seen) > idle {
        return SessionState::Ended(Ended::Idle);
    }
    let auth = &web.state().auth;
    let actor = match auth.authenticate(&cookie.token).await {
        Ok(actor) => actor,
        Err(_) if now >= cookie.expires => return SessionState::Ended(Ended::Expired),
        Err(_) => return SessionState::Ended(Ended::Changed),
    };
    let display_name = auth
        .directory()
        .get(actor.username.as_str())
        .map_or_else(|| actor.username.to_string(), |a| a.display_name);
    SessionState::Active(Box::new(Session {
        csrf: web.inner.keys.tag(Purpose::Csrf, &[&cookie.token]),
        touch: now.saturating_sub(cookie.seen) >= TOUCH_EVERY,
        actor,
        display_name,
        cookie,
    }))
}

/// The `Set-Cookie` line of a session, kept by the browser until the token expires.
pub(crate) fn session_line(
    web: &Web,
    cookie: &SessionCookie,
    now: i64,
    secure: bool,
) -> HeaderValue {
    let value = cookie.encode(&web.inner.keys);
    cookie::set(cookie::SESSION, &value, Some(cookie.expires - now), secure)
}

impl Session {
    /// The API token behind the session (for long requests that check it again later).
    pub(crate) fn token(&self) -> &str {
        &self.cookie.token
    }

    /// Whether `token` is this session's CSRF token.
    pub(crate) fn csrf_matches(&self, web: &Web, token: &str) -> bool {
        web.inner
            .keys
            .verify(Purpose::Csrf, &[&self.cookie.token], token)
    }
}

/// The signed-in person of a page; without one, the answer is the way to the sign-in page.
#[derive(Debug, Clone)]
pub(crate) struct Viewer(pub Session);

impl FromRequestParts<Web> for Viewer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _web: &Web) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<SessionState>() {
            Some(SessionState::Active(session)) => Ok(Self((**session).clone())),
            Some(SessionState::Ended(why)) => Err(to_sign_in(parts, Some(*why))),
            _ => Err(to_sign_in(parts, None)),
        }
    }
}

/// The session state of a request, for pages that also serve people not signed in.
pub(crate) fn state_of(parts: &Parts) -> SessionState {
    parts
        .extensions
        .get::<SessionState>()
        .cloned()
        .unwrap_or(SessionState::Absent)
}

/// A redirect to the sign-in page that comes back to this page; for htmx, the header that makes
/// it load the whole sign-in page rather than swap it into a fragment.
fn to_sign_in(parts: &Parts, why: Option<Ended>) -> Response {
    let here = parts
        .uri
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_owned();
    let mut target = format!("/signin?next={}", crate::format::query_escape(&here));
    if let Some(why) = why {
        target.push_str("&why=");
        target.push_str(why.code());
    }
    if parts.headers.contains_key("hx-request") {
        let mut response = StatusCode::NO_CONTENT.into_response();
        if let Ok(value) = HeaderValue::from_str(&target) {
            response.headers_mut().insert("hx-redirect", value);
        }
        return response;
    }
    Redirect::to(&target).into_response()
}

impl Web {
    /// Now, from the server's clock, in seconds since the epoch.
    pub(crate) fn now(&self) -> i64 {
        self.state().clock.now().timestamp()
    }

    pub(crate) fn keys(&self) -> &Keys {
        &self.inner.keys
    }

    /// Whether cookies set in answer to `headers` are `Secure`.
    pub(crate) fn secure(&self, headers: &HeaderMap) -> bool {
        self.inner.config.secure_cookies || cookie::over_https(headers)
    }
}
