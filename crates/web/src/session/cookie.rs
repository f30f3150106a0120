//! The session cookie's value and the `Set-Cookie` lines of the pages.
//!
//! The value is `v1~<bearer token>~<expires>~<last seen>~<tag>`: the API's own token (so the
//! token checks are the API's), when it expires and when the session was last used (seconds
//! since the epoch), and a MAC over all of it. Changing the last-seen time without the key is
//! impossible, so idle expiry cannot be dodged by editing the cookie.

use axum::http::{header, HeaderMap, HeaderValue};

use super::keys::{Keys, Purpose};

/// The session cookie.
pub(crate) const SESSION: &str = "gj_session";
/// The pre-session cookie that the sign-in form's CSRF token is bound to.
pub(crate) const PRE: &str = "gj_pre";

const VERSION: &str = "v1";

/// A session cookie's content, as signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SessionCookie {
    pub token: String,
    /// The token's expiry, seconds since the epoch.
    pub expires: i64,
    /// When the session was last used, seconds since the epoch.
    pub seen: i64,
}

impl SessionCookie {
    /// The signed cookie value.
    pub(crate) fn encode(&self, keys: &Keys) -> String {
        let (expires, seen) = (self.expires.to_string(), self.seen.to_string());
        let parts = [VERSION, self.token.as_str(), &expires, &seen];
        let tag = keys.tag(Purpose::Session, &parts);
        format!("{}~{tag}", parts.join("~"))
    }

    /// The content of a cookie value signed with `keys`; `None` when it is not one.
    pub(crate) fn decode(value: &str, keys: &Keys) -> Option<Self> {
        let mut parts = value.split('~');
        let (Some(version), Some(token), Some(expires), Some(seen), Some(tag), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return None;
        };
        if version != VERSION
            || !keys.verify(Purpose::Session, &[version, token, expires, seen], tag)
        {
            return None;
        }
        Some(Self {
            token: token.to_owned(),
            expires: expires.parse().ok()?,
            seen: seen.parse().ok()?,
        })
    }
}

/// The value of cookie `name` in a request.
pub(crate) fn get<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|line| line.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim_matches('"'))
}

/// Whether this request reached the service over HTTPS, as far as a proxy in front says.
pub(crate) fn over_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"))
}

/// A `Set-Cookie` value: HttpOnly and SameSite=Lax always (scripts cannot read it, other sites
/// cannot send it with their forms), Secure when served over HTTPS; `max_age` in seconds,
/// `None` for a cookie that ends with the browser session, `Some(0)` to delete it.
pub(crate) fn set(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> HeaderValue {
    let mut line = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        line.push_str(&format!("; Max-Age={}", age.max(0)));
    }
    if secure {
        line.push_str("; Secure");
    }
    // Names and values are ours: base64url, digits, `~`, `.` and `-`.
    HeaderValue::from_str(&line).unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
}

#[cfg(test)]
mod tests {
    use guanjia_api::Secret;

    use super::*;

    #[test]
    fn a_cookie_round_trips_and_refuses_any_edit() {
        let keys = Keys::derive(&Secret::new("0123456789abcdef0123456789abcdef"));
        let cookie = SessionCookie {
            token: "aaa.bbb.ccc".to_owned(),
            expires: 2_000_000_000,
            seen: 1_700_000_000,
        };
        let value = cookie.encode(&keys);
        assert_eq!(SessionCookie::decode(&value, &keys), Some(cookie));
        let later = value.replace("~1700000000~", "~1800000000~");
        assert_eq!(SessionCookie::decode(&later, &keys), None);
        assert_eq!(SessionCookie::decode("v1~a~1~2", &keys), None);
        assert_eq!(SessionCookie::decode("", &keys), None);
    }

    #[test]
    fn cookies_are_found_by_name_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; gj_session=v1~x; gj_pre=p"),
        );
        assert_eq!(get(&headers, SESSION), Some("v1~x"));
        assert_eq!(get(&headers, PRE), Some("p"));
        assert_eq!(get(&headers, "missing"), None);
        let line = set(SESSION, "v", Some(60), true);
        assert_eq!(
            line.to_str().ok(),
            Some("gj_session=v; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure")
        );
    }
}
