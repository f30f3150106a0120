//! 办件进度 for the enterprise itself, without an account (issue 19):
//!
//! - `GET /progress/{token}`: the case a progress link opens — issued by the case's team
//!   (`pages/case_forms/progress_link.rs`), checked against the log on every request, so a
//!   revoked link is refused at once (410), as is an expired one; a forged or unknown one is
//!   404. `GET /progress/{token}/qr.svg`: its QR code.
//! - `GET /progress`: the lookup form (案件编号, 统一社会信用代码, 联系电话后四位);
//!   `POST /progress`: the case it finds, shown in the answer (a lookup changes nothing the
//!   enterprise could resubmit by mistake; the form's values never travel in a URL).
//!
//! Whether the case may be shown, and the record of every look in the access log, are the
//! application layer's (`guanjia_app::progress`); what is shown is `progress_view.rs`. Every
//! lookup and every opening counts against `follow_per_ip` (shared with following 办不成事
//! reports), answered in Chinese with `Retry-After`; every refusal is logged.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use guanjia_api::progress_link::TokenError;
use guanjia_api::throttle::Peer;
use guanjia_api::ApiError;
use guanjia_app::progress::ENTERPRISE_ACTOR;
use guanjia_app::AppError;
use guanjia_domain::progress::OpenRefusal;
use guanjia_store::{CommandContext, EventMetadata};
use serde::Deserialize;

use super::progress_view::{view, ProgressView};
use super::report::{public_csrf, with_cookie, FieldError};
use super::{message, PublicChrome, PublicNav};
use crate::pages::{self, html};
use crate::session::{cookie, Purpose};
use crate::Web;

#[derive(Template)]
#[template(path = "progress.html")]
struct ProgressPage {
    chrome: PublicChrome,
    progress: ProgressView,
}

#[derive(Template)]
#[template(path = "progress_lookup.html")]
struct LookupPage {
    chrome: PublicChrome,
    errors: Vec<FieldError>,
    csrf: String,
    case_number: String,
    uscc: String,
}

impl LookupPage {
    fn error(&self, field: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.clone())
    }
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct LookupForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    case_number: String,
    #[serde(default)]
    uscc: String,
    #[serde(default)]
    phone4: String,
}

fn lookup_page(
    web: &Web,
    headers: &HeaderMap,
    form: &LookupForm,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    let (csrf, line) = public_csrf(web, headers);
    let page = LookupPage {
        chrome: PublicChrome::new("办件进度查询", PublicNav::Progress),
        errors,
        csrf,
        case_number: form.case_number.trim().to_owned(),
        uscc: form.uscc.trim().to_owned(),
    };
    with_cookie(html(status, &page), line)
}

/// `GET /progress`: the lookup form.
pub(crate) async fn form(State(web): State<Web>, headers: HeaderMap) -> Response {
    lookup_page(
        &web,
        &headers,
        &LookupForm::default(),
        Vec::new(),
        StatusCode::OK,
    )
}

/// `POST /progress`: the case that the case number, USCC and phone digits find.
pub(crate) async fn look_up(
    State(web): State<Web>,
    peer: Peer,
    headers: HeaderMap,
    Form(form): Form<LookupForm>,
) -> Response {
    let pre_ok = cookie::get(&headers, cookie::PRE)
        .is_some_and(|pre| web.keys().verify(Purpose::PublicForm, &[pre], &form.csrf));
    if !pre_ok {
        return pages::csrf_refused(None);
    }
    let state = web.state();
    let client = state.throttle.client_ip(&peer, &headers);
    if let Err(ApiError::RateLimited { retry_after_secs }) = state.throttle.follow(client.0) {
        let errors = vec![FieldError {
            field: "case_number",
            message: format!("查询过于频繁，请在 {retry_after_secs} 秒后再试"),
        }];
        let response = lookup_page(&web, &headers, &form, errors, StatusCode::TOO_MANY_REQUESTS);
        return retry_after(response, retry_after_secs);
    }
    let context = enterprise_context("progress_lookup");
    let found = state
        .app
        .look_up_progress(&form.case_number, &form.uscc, &form.phone4, context)
        .await;
    match found {
        Ok(access) => show_case(&web, &access.case_id),
        Err(AppError::BadInput { field, .. }) => {
            let errors = vec![field_error(&field)];
            lookup_page(
                &web,
                &headers,
                &form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(AppError::NotFound { .. }) => {
            tracing::info!(?client, "a progress lookup found no case");
            let errors = vec![FieldError {
                field: "case_number",
                message: "未找到该案件：请核对案件编号、统一社会信用代码和联系电话后四位"
                    .to_owned(),
            }];
            lookup_page(&web, &headers, &form, errors, StatusCode::NOT_FOUND)
        }
        Err(error) => {
            tracing::error!(%error, "a progress lookup failed");
            pages::internal_error(None)
        }
    }
}

/// The form's field and its Chinese sentence for a malformed input the app refused.
fn field_error(field: &str) -> FieldError {
    match field {
        "uscc" => FieldError {
            field: "uscc",
            message: "统一社会信用代码格式不正确：应为 18 位数字和大写字母，请核对营业执照"
                .to_owned(),
        },
        "phoneLastFour" => FieldError {
            field: "phone4",
            message: "请填写办理时登记的联系电话的后四位数字".to_owned(),
        },
        _ => FieldError {
            field: "case_number",
            message: "案件编号格式不正确：应为“年份-序号”，如 2024-0007".to_owned(),
        },
    }
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

fn show_case(web: &Web, case_id: &str) -> Response {
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

fn retry_after(mut response: Response, secs: u64) -> Response {
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    response
}

/// The metadata of a look by the enterprise: it has no account; `channel` says how it came.
fn enterprise_context(channel: &str) -> CommandContext {
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
