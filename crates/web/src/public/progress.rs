//! 办件进度 for the enterprise itself, without an account (issue 19):
//!
//! - `GET /progress/{token}`: the case a progress link opens — issued by the case's team
//!   (`pages/case_forms/progress_link.rs`), checked against the log on every request, so a
//!   revoked link is refused at once (410), as is an expired one; a forged or unknown one is
//!   404. `GET /progress/{token}/qr.svg`: its QR code.
//! - `GET /progress`, `POST /progress`: the lookup by case number, USCC and phone digits
//!   (`progress_lookup.rs`), whose answer is this module's page of the case.
//!
//! Whether the case may be shown, and the record of every look in the access log, are the
//! application layer's (`guanjia_app::progress`); what is shown is `progress_view.rs`. Every
//! lookup and every opening counts against `follow_per_ip` (shared with following 办不成事
//! reports), answered in Chinese with `Retry-After`; every refusal is logged.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use guanjia_api::progress_link::TokenError;
use guanjia_api::throttle::Peer;
use guanjia_api::ApiError;
use guanjia_app::progress::ENTERPRISE_ACTOR;
use guanjia_domain::progress::OpenRefusal;
use guanjia_store::{CommandContext, EventMetadata};

use super::progress_view::{view, ProgressView};
use super::{message, PublicChrome, PublicNav};
use crate::pages::{self, html};
use crate::Web;

#[derive(Template)]
#[template(path = "progress.html")]
struct ProgressPage {
    chrome: PublicChrome,
    progress: ProgressView,
}

/// `GET /progress/{token}`: the case a live progress link opens.
pub(crate) async fn open(
    State(web): State<Web>,
    peer: Peer,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Response {
    let state = web.state();
    let client = state.throttle.client_ip(&peer, &headers);
    if let Err(ApiError::RateLimited { retry_after_secs }) = state.throttle.follow(client.0) {
        return rate_limited(retry_after_secs);
    }
    let link = match state.progress_links.verify(&token, state.clock.now()) {
        Ok(link) => link,
        Err(TokenError::Forged) => return refused(OpenRefusal::Unknown),
        Err(TokenError::Expired) => return refused(OpenRefusal::Expired),
    };
    let context = enterprise_context("progress_link");
    match state
        .app
        .open_progress_link(&link.case_id, &link.link_id, context)
        .await
    {
        Ok(Ok(access)) => show_case(&web, &access.case_id),
        Ok(Err(refusal)) => refused(refusal),
        Err(error) => {
            tracing::error!(%error, "a progress link could not be opened");
            pages::internal_error(None)
        }
    }
}

/// `GET /progress/{token}/qr.svg`: the QR code of a genuine, unexpired link (it reads no data:
/// whoever asks holds the link already).
pub(crate) async fn qr(State(web): State<Web>, Path(token): Path<String>) -> Response {
    let state = web.state();
    if state
        .progress_links
        .verify(&token, state.clock.now())
        .is_err()
    {
        return refused(OpenRefusal::Unknown);
    }
    let url = super::public_url(&web, &format!("/progress/{token}"));
    match guanjia_api::rating_link::qr::svg(&url) {
        Ok(svg) => {
            let mut response = svg.into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("image/svg+xml"),
            );
            response
        }
        Err(error) => {
            tracing::error!(%error, "a progress link's QR code failed");
            pages::internal_error(None)
        }
    }
}

pub(super) fn show_case(web: &Web, case_id: &str) -> Response {
    let today = guanjia_domain::clock::china_date(web.state().clock.now());
    let progress = web.state().read.read(|m| {
        let detail = m.case_detail(case_id, today)?;
        Some(view(m, &detail, today))
    });
    match progress {
        Some(progress) => {
            let page = ProgressPage {
                chrome: PublicChrome::new(
                    &format!("{} 办件进度", progress.enterprise),
                    PublicNav::Progress,
                ),
                progress,
            };
            html(StatusCode::OK, &page)
        }
        None => message(
            StatusCode::SERVICE_UNAVAILABLE,
            "暂时无法显示",
            &["案件信息正在更新，请稍后刷新本页。"],
        ),
    }
}

/// The page of a link that opens nothing, logged (someone may be probing).
fn refused(refusal: OpenRefusal) -> Response {
    tracing::info!(?refusal, "a progress link was refused");
    let (status, heading, why) = match refusal {
        OpenRefusal::Unknown => (
            StatusCode::NOT_FOUND,
            "链接无效",
            "此办件进度链接无效。请核对链接，或向为您服务的项目管家索取新的链接。",
        ),
        OpenRefusal::Revoked => (
            StatusCode::GONE,
            "链接已作废",
            "此办件进度链接已被作废，不能再查看。请向为您服务的项目管家索取新的链接。",
        ),
        OpenRefusal::Expired => (
            StatusCode::GONE,
            "链接已过期",
            "此办件进度链接已过有效期。请向为您服务的项目管家索取新的链接。",
        ),
    };
    message(
        status,
        heading,
        &[
            why,
            "您也可以点击页面上方的“办件进度”，用案件编号、统一社会信用代码和联系电话后四位查询。",
        ],
    )
}

fn rate_limited(retry_after_secs: u64) -> Response {
    let wait = format!("查询过于频繁，请在 {retry_after_secs} 秒后再试。");
    let response = message(
        StatusCode::TOO_MANY_REQUESTS,
        "查询过于频繁",
        &[&wait, "为保护企业信息，同一网络每分钟的查询次数有上限。"],
    );
    retry_after(response, retry_after_secs)
}

pub(super) fn retry_after(mut response: Response, secs: u64) -> Response {
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    response
}

/// The metadata of a look by the enterprise: it has no account; `channel` says how it came.
pub(super) fn enterprise_context(channel: &str) -> CommandContext {
    let request = uuid::Uuid::new_v4().to_string();
    CommandContext::new(EventMetadata {
        actor_id: ENTERPRISE_ACTOR.to_owned(),
        actor_role: "enterprise_contact".to_owned(),
        correlation_id: request.clone(),
        causation_id: request.clone(),
        request_id: request,
        channel: channel.to_owned(),
    })
}
