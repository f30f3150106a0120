//! `GET /progress` and `POST /progress`: the enterprise finds its own case by case number,
//! USCC and the last four digits of its registered contact phone (issue 19). The answer is the
//! case's page itself, so the values never travel in a URL. Malformed input is named beside its
//! field (422); every wrong answer reads the same (404). The form carries the public forms'
//! CSRF token (bound to the pre-session cookie); each lookup counts against `follow_per_ip`.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use guanjia_api::throttle::Peer;
use guanjia_api::ApiError;
use guanjia_app::AppError;
use serde::Deserialize;

use super::progress::{enterprise_context, retry_after, show_case};
use super::report::{public_csrf, public_csrf_matches, with_cookie, FieldError};
use super::{PublicChrome, PublicNav};
use crate::pages::{self, html};
use crate::Web;

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
    if !public_csrf_matches(&web, &headers, &form.csrf) {
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
