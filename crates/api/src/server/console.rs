//! The query console at `GET /graphql`: a small page embedded in the binary.
//!
//! async-graphql's GraphiQL loads React and GraphiQL from a CDN, so on a closed government
//! network the page stays blank. This one is plain HTML and JavaScript in one file, compiled
//! in with `include_str!`, and its Content-Security-Policy forbids loading anything from
//! elsewhere, so a later edit cannot quietly add a CDN dependency.

use axum::http::header;
use axum::response::IntoResponse;

/// The page, compiled into the binary.
const PAGE: &str = include_str!("console.html");

/// Only this page's inline script and style, and requests back to this server.
const CSP: &str = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; \
                   connect-src 'self'; form-action 'none'; frame-ancestors 'none'";

pub(super) async fn page() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, CSP),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        PAGE,
    )
}

#[cfg(test)]
mod tests {
    use super::PAGE;

    #[test]
    fn the_page_loads_nothing_from_elsewhere() {
        assert!(!PAGE.contains("http://") && !PAGE.contains("https://"));
        assert!(!PAGE.contains("<script src") && !PAGE.contains("<link"));
        assert!(PAGE.contains("/graphql"));
    }
}
