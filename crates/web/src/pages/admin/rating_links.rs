//! 评价链接 for admins (`GET /admin/rating-links`): the live rating links of the cases in the
//! admin's own division — case number, what it rates (a visit, or the item's name), channel,
//! issuer, issued and expiry times, no personal data — each with a form to revoke it with a
//! reason (`POST /admin/rating-links/revoke`).
//!
//! Both run the API's own operations (`liveRatingLinks`, `revokeRatingLink`) as the signed-in
//! admin, so who may list and revoke which link is decided once, in `guanjia_app` (an admin of
//! another division is told the case is not found). A refusal comes back in Chinese beside the
//! reason field of the link it concerns.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{Extensions, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::{DateTime, Utc};
use guanjia_api::auth::admin;
use serde::Deserialize;
use serde_json::{json, Value};

use super::Done;
use crate::api_call::Refused;
use crate::pages::audit::{request_id, text};
use crate::pages::{csrf_refused, forbidden, html, internal_error, Chrome, Nav};
use crate::session::{Session, Viewer};
use crate::{format, Web};

const LIVE: &str = "{ liveRatingLinks { caseId caseNumber linkId targetKind targetNo itemName \
    channel issuer issuedAt expiresAt } }";
const REVOKE: &str = "mutation($c: ID!, $l: ID!, $r: String!) { \
    revokeRatingLink(caseId: $c, linkId: $l, reason: $r) { status } }";

#[derive(Template)]
#[template(path = "admin_rating_links.html")]
struct LinksPage {
    chrome: Chrome,
    csrf: String,
    notice: String,
    links: Vec<Row>,
    /// A refusal about a link no longer listed (revoked, used or expired meanwhile).
    refused_elsewhere: Option<String>,
}

/// One live link.
struct Row {
    case_id: String,
    case_number: String,
    link_id: String,
    what: String,
    channel: &'static str,
    issuer: String,
    issued: String,
    expires: String,
    /// Why its revocation was just refused, in Chinese, beside its reason field.
    error: Option<String>,
    /// The reason as typed, when refused.
    typed: String,
}

/// The revocation form, as typed.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Revoke {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    case_id: String,
    #[serde(default)]
    link_id: String,
    #[serde(default)]
    reason: String,
}

fn when(value: &Value, key: &str) -> String {
    text(value, key)
        .parse::<DateTime<Utc>>()
        .map_or_else(|_| text(value, key), format::date_time)
}

fn rows(data: &Value) -> Vec<Row> {
    data["liveRatingLinks"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|link| {
            let no = text(link, "targetNo");
            let what = match (text(link, "targetKind").as_str(), text(link, "itemName")) {
                ("VISIT", _) => format!("第 {no} 次走访"),
                (_, name) if !name.is_empty() => format!("事项 {no}：{name}"),
                _ => format!("事项 {no}"),
            };
            Row {
                case_id: text(link, "caseId"),
                case_number: text(link, "caseNumber"),
                link_id: text(link, "linkId"),
                what,
                channel: if text(link, "channel") == "SMS" {
                    "短信"
                } else {
                    "二维码"
                },
                issuer: text(link, "issuer"),
                issued: when(link, "issuedAt"),
                expires: when(link, "expiresAt"),
                error: None,
                typed: String::new(),
            }
        })
        .collect()
}

/// The Chinese sentence for a refused revocation.
fn refusal(refused: &Refused) -> String {
    let message = refused.message.as_str();
    match refused.code.as_str() {
        "NOT_FOUND" => "未找到该链接，或该案件不在您的管理范围内。".to_owned(),
        "FORBIDDEN" => "您无权作废该链接。".to_owned(),
        _ if refused.field.as_deref() == Some("reason") => {
            "请填写作废原因（不超过 200 字）。".to_owned()
        }
        _ if message.contains("already revoked") => "该链接已经作废。".to_owned(),
        _ if message.contains("expired") => "该链接已过期，无需作废。".to_owned(),
        _ if message.contains("spent") => "该链接已使用（对象已评价），无法作废。".to_owned(),
        _ => "操作未能完成，请稍后重试。".to_owned(),
    }
}

async fn page(
    web: &Web,
    session: &Session,
    request: &str,
    status: StatusCode,
    notice: String,
    refused: Option<(String, String)>,
    reason: String,
) -> Response {
    match web.api().run(session, request, LIVE, json!({})).await {
        Ok(data) => {
            let mut links = rows(&data);
            let mut refused_elsewhere = None;
            if let Some((link_id, message)) = refused {
                match links.iter_mut().find(|row| row.link_id == link_id) {
                    Some(row) => {
                        row.error = Some(message);
                        row.typed = reason;
                    }
                    None => refused_elsewhere = Some(message),
                }
            }
            let page = LinksPage {
                chrome: Chrome::new("评价链接", Some(session), Nav::Admin),
                csrf: session.csrf.clone(),
                notice,
                links,
                refused_elsewhere,
            };
            html(status, &page)
        }
        Err(refused) => {
            tracing::error!(?refused, "the live rating links could not be read");
            internal_error(Some(session))
        }
    }
}

/// `GET /admin/rating-links`.
pub(crate) async fn show(
    State(web): State<Web>,
    Viewer(session): Viewer,
    extensions: Extensions,
    Query(done): Query<Done>,
) -> Response {
    if admin::may_administer(&session.actor).is_err() {
        return forbidden(&session, "管理页面仅供管理员使用。");
    }
    let notice = if done.done == "revoked" {
        "评价链接已作废：从现在起扫码不能再评价。".to_owned()
    } else {
        String::new()
    };
    let request = request_id(&extensions);
    page(
        &web,
        &session,
        &request,
        StatusCode::OK,
        notice,
        None,
        String::new(),
    )
    .await
}

/// `POST /admin/rating-links/revoke`.
pub(crate) async fn revoke(
    State(web): State<Web>,
    Viewer(session): Viewer,
    extensions: Extensions,
    Form(form): Form<Revoke>,
) -> Response {
    if !session.csrf_matches(&web, &form.csrf) {
        return csrf_refused(Some(&session));
    }
    if admin::may_administer(&session.actor).is_err() {
        return forbidden(&session, "管理页面仅供管理员使用。");
    }
    let request = request_id(&extensions);
    let variables = json!({"c": form.case_id.trim(), "l": form.link_id.trim(), "r": form.reason});
    match web.api().run(&session, &request, REVOKE, variables).await {
        Ok(_) => Redirect::to("/admin/rating-links?done=revoked").into_response(),
        Err(refused) => {
            let sentence = refusal(&refused);
            let status = match refused.code.as_str() {
                "NOT_FOUND" => StatusCode::NOT_FOUND,
                "FORBIDDEN" => StatusCode::FORBIDDEN,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            let refused = Some((form.link_id.trim().to_owned(), sentence));
            page(
                &web,
                &session,
                &request,
                status,
                String::new(),
                refused,
                form.reason,
            )
            .await
        }
    }
}
