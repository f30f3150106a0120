//! The headers that keep the pages to themselves, and the endpoint where browsers report what
//! the Content-Security-Policy blocked.
//!
//! Every page is served under `default-src 'self'`: no inline script or style, nothing from
//! another origin (the service runs on closed networks, and a page that tried would be broken
//! there). Violations are POSTed by the browser to `/csp-report`; they are logged and kept (the
//! latest [`KEPT`]) so that operators and the browser tests can see them. The endpoint takes no
//! session and no CSRF token: browsers send reports on their own.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::Web;

/// The policy of every page.
pub(crate) const POLICY: &str = "default-src 'self'; base-uri 'none'; form-action 'self'; \
                                 frame-ancestors 'none'; object-src 'none'; report-uri /csp-report";

/// Reports kept in memory.
const KEPT: usize = 100;
/// Largest report read; a real one is well under 2 KiB.
const REPORT_MAX: usize = 16 * 1024;
/// Reports logged one by one; after that, one line per hundred, so a flood cannot fill the log.
const LOGGED: u64 = 1000;

/// One violation, as the browser described it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CspReport {
    pub document_uri: String,
    pub violated_directive: String,
    pub blocked_uri: String,
}

/// The violations reported to this node.
#[derive(Debug, Default)]
pub struct CspReports {
    latest: Mutex<VecDeque<CspReport>>,
    total: AtomicU64,
}

impl CspReports {
    /// How many reports arrived since the start.
    pub fn total(&self) -> u64 {
        self.total.load(Ordering::SeqCst)
    }

    /// The latest reports, oldest first.
    pub fn latest(&self) -> Vec<CspReport> {
        self.lock().iter().cloned().collect()
    }

    fn record(&self, report: CspReport) {
        let total = self.total.fetch_add(1, Ordering::SeqCst) + 1;
        if total <= LOGGED || total % 100 == 0 {
            tracing::warn!(
                total,
                document = %report.document_uri,
                directive = %report.violated_directive,
                blocked = %report.blocked_uri,
                "the Content-Security-Policy blocked something on a page"
            );
        }
        let mut latest = self.lock();
        if latest.len() == KEPT {
            latest.pop_front();
        }
        latest.push_back(report);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<CspReport>> {
        // Nothing panics while holding the lock; a poisoned queue is still a queue.
        self.latest
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// `POST /csp-report`: records one report (`application/csp-report`, or the JSON of the
/// Reporting API). Answers 204, or 400 for a body that is no report.
pub(crate) async fn report(State(web): State<Web>, body: Bytes) -> Response {
    if body.len() > REPORT_MAX {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    // `report-uri` sends {"csp-report": {...}}; the Reporting API a list of {"body": {...}}.
    let bodies: Vec<&serde_json::Value> = match &value {
        serde_json::Value::Array(list) => list.iter().filter_map(|r| r.get("body")).collect(),
        other => other.get("csp-report").into_iter().collect(),
    };
    if bodies.is_empty() {
        return StatusCode::BAD_REQUEST.into_response();
    }
    for body in bodies {
        let field = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| body.get(*n).and_then(|v| v.as_str()))
                .unwrap_or("")
                .chars()
                .take(500)
                .collect::<String>()
        };
        web.csp_reports().record(CspReport {
            document_uri: field(&["document-uri", "documentURL"]),
            violated_directive: field(&["violated-directive", "effectiveDirective"]),
            blocked_uri: field(&["blocked-uri", "blockedURL"]),
        });
    }
    StatusCode::NO_CONTENT.into_response()
}

/// Middleware on every route of the pages: no content-type guessing anywhere; for HTML, the
/// policy, no framing, no referrer beyond this origin, and no caching of what a person saw
/// (pages hold case data).
pub(crate) async fn headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if html {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(POLICY),
        );
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        );
        headers
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-store"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_allows_only_this_origin() {
        assert!(POLICY.starts_with("default-src 'self';"));
        assert!(!POLICY.contains("unsafe"));
        assert!(!POLICY.contains("http"));
    }

    #[test]
    fn reports_are_kept_up_to_a_bound() {
        let reports = CspReports::default();
        for n in 0..(KEPT + 5) {
            reports.record(CspReport {
                document_uri: format!("/cases/{n}"),
                violated_directive: "img-src".to_owned(),
                blocked_uri: "http://example.invalid/".to_owned(),
            });
        }
        assert_eq!(reports.total(), (KEPT + 5) as u64);
        let latest = reports.latest();
        assert_eq!(latest.len(), KEPT);
        assert_eq!(latest[0].document_uri, "/cases/5");
    }
}
