//! 办不成事 online: anyone reports what could not get done, without an account, gets a tracking
//! code, and follows the report with the code and the last four digits of the phone they gave.
//! The pages only translate: the rules are `guanjia_app::reports`. No page here ever shows a
//! phone number or a staff member's name.
//!
//! Abuse is held back without a third-party captcha: a CSRF token bound to a pre-session
//! cookie (so another site cannot post the form), the length limits of the domain, and rate
//! limits per client address on submitting and on following (`Throttle::report`, `follow`),
//! answered in Chinese with `Retry-After`.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use guanjia_api::throttle::Peer;
use guanjia_api::ApiError;
use guanjia_app::reports::{normalise_code, ProblemInput, ReportProgress};
use guanjia_app::AppError;
use guanjia_domain::report::{ReportStatus, ReportSubjectInput, ACCOUNT_MAX};
use guanjia_domain::DomainError;
use guanjia_store::{CommandContext, EventMetadata};
use rand::RngCore;
use serde::Deserialize;

use crate::pages::{self, html, Chrome, Nav};
use crate::session::cookie;
use crate::session::Purpose;
use crate::{format, Web};

/// A mistake to fix, linked from the summary to its field.
pub(crate) struct FieldError {
    pub field: &'static str,
    pub message: String,
}

#[derive(Template)]
#[template(path = "report_form.html")]
struct FormPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    csrf: String,
    about: String,
    item_code: String,
    account: String,
    account_max: usize,
}

impl FormPage {
    fn error(&self, field: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.clone())
    }
}

#[derive(Template)]
#[template(path = "report_received.html")]
struct ReceivedPage {
    chrome: Chrome,
    code: String,
}

#[derive(Template)]
#[template(path = "report_status.html")]
struct StatusPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    code: String,
    found: Option<Progress>,
}

impl StatusPage {
    fn error(&self, field: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.clone())
    }
}

/// A report's progress in words.
struct Progress {
    code: String,
    about: String,
    reported_on: String,
    status: &'static str,
    answer: Option<String>,
    resolved_on: Option<String>,
    referred_to: Option<String>,
}

impl From<ReportProgress> for Progress {
    fn from(p: ReportProgress) -> Self {
        Self {
            code: p.tracking_code,
            about: p.subject.label_zh(),
            reported_on: format::date(p.reported_on),
            status: match p.status {
                ReportStatus::None | ReportStatus::Lodged => "已受理，等待分办",
                ReportStatus::Assigned => "办理中",
                ReportStatus::Resolved => "已答复",
                ReportStatus::Referred => "已转交主管部门办理",
            },
            answer: p.answer,
            resolved_on: p.resolved_on.map(format::date),
            referred_to: p.referred_to,
        }
    }
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct ReportForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    about: String,
    #[serde(default)]
    item_code: String,
    #[serde(default)]
    account: String,
    #[serde(default)]
    phone: String,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct CodeQuery {
    #[serde(default)]
    code: String,
    #[serde(default)]
    phone4: String,
}

/// The CSRF token of the public forms, bound to the pre-session cookie (a new one when the
/// browser has none, returned as the `Set-Cookie` line to send).
pub(crate) fn public_csrf(web: &Web, headers: &HeaderMap) -> (String, Option<HeaderValue>) {
    let (pre, line) = match cookie::get(headers, cookie::PRE).filter(|p| p.len() >= 16) {
        Some(pre) => (pre.to_owned(), None),
        None => {
            let mut bytes = [0u8; 16];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            let pre = URL_SAFE_NO_PAD.encode(bytes);
            let line = cookie::set(cookie::PRE, &pre, None, web.secure(headers));
            (pre, Some(line))
        }
    };
    (web.keys().tag(Purpose::PublicForm, &[&pre]), line)
}

/// Whether `csrf`, posted with a public form, is the one [`public_csrf`] gave this browser's
/// pre-session cookie.
pub(crate) fn public_csrf_matches(web: &Web, headers: &HeaderMap, csrf: &str) -> bool {
    cookie::get(headers, cookie::PRE)
        .is_some_and(|pre| web.keys().verify(Purpose::PublicForm, &[pre], csrf))
}

pub(crate) fn with_cookie(mut response: Response, line: Option<HeaderValue>) -> Response {
    if let Some(line) = line {
        response.headers_mut().append(header::SET_COOKIE, line);
    }
    response
}

fn form_page(
    web: &Web,
    headers: &HeaderMap,
    form: &ReportForm,
    errors: Vec<FieldError>,
) -> (FormPage, Option<HeaderValue>) {
    let (csrf, line) = public_csrf(web, headers);
    let page = FormPage {
        chrome: Chrome::new("办不成事反映", None, Nav::None),
        errors,
        csrf,
        about: form.about.clone(),
        item_code: form.item_code.clone(),
        account: form.account.clone(),
        account_max: ACCOUNT_MAX,
    };
    (page, line)
}

/// `GET /banbucheng`: the form.
pub(crate) async fn form(State(web): State<Web>, headers: HeaderMap) -> Response {
    let (page, line) = form_page(&web, &headers, &ReportForm::default(), Vec::new());
    with_cookie(html(StatusCode::OK, &page), line)
}

/// `POST /banbucheng`: records the report and sends the browser to its tracking code.
pub(crate) async fn submit(
    State(web): State<Web>,
    peer: Peer,
    headers: HeaderMap,
    Form(form): Form<ReportForm>,
) -> Response {
    if !public_csrf_matches(&web, &headers, &form.csrf) {
        return pages::csrf_refused(None);
    }
    let state = web.state();
    let client = state.throttle.client_ip(&peer, &headers);
    if let Err(ApiError::RateLimited { retry_after_secs }) = state.throttle.report(client.0) {
        let message = format!("提交过于频繁，请在 {retry_after_secs} 秒后再试");
        let errors = vec![FieldError {
            field: "account",
            message,
        }];
        let (page, line) = form_page(&web, &headers, &form, errors);
        let mut response = with_cookie(html(StatusCode::TOO_MANY_REQUESTS, &page), line);
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        return response;
    }
    let mut errors = Vec::new();
    let about = form.about.trim();
    if about.is_empty() {
        errors.push(FieldError {
            field: "about",
            message: "请填写办不成的事项或部门名称".to_owned(),
        });
    }
    if form.account.trim().is_empty() {
        errors.push(FieldError {
            field: "account",
            message: "请写明遇到的问题".to_owned(),
        });
    }
    if form.phone.trim().is_empty() {
        errors.push(FieldError {
            field: "phone",
            message: "请填写联系电话，以便查询进度和回复您".to_owned(),
        });
    }
    if !errors.is_empty() {
        let (page, line) = form_page(&web, &headers, &form, errors);
        return with_cookie(html(StatusCode::UNPROCESSABLE_ENTITY, &page), line);
    }
    let subject = match form.item_code.trim() {
        "" => ReportSubjectInput::Department {
            name: about.to_owned(),
        },
        code => ReportSubjectInput::Item {
            code: code.to_owned(),
            name: about.to_owned(),
        },
    };
    let input = ProblemInput {
        subject,
        account: form.account.clone(),
        phone: form.phone.clone(),
    };
    match state.app.report_problem(input, public_context()).await {
        Ok(receipt) => {
            let to = format!("/banbucheng/received?code={}", receipt.tracking_code);
            Redirect::to(&to).into_response()
        }
        Err(AppError::Rejected(DomainError::Invalid { field, source })) => {
            let (field, message) = field_message(field, &source);
            let errors = vec![FieldError { field, message }];
            let (page, line) = form_page(&web, &headers, &form, errors);
            with_cookie(html(StatusCode::UNPROCESSABLE_ENTITY, &page), line)
        }
        Err(error) => {
            tracing::error!(%error, "a report could not be recorded");
            pages::internal_error(None)
        }
    }
}

/// The form's field and a Chinese sentence for a refusal of the domain.
fn field_message(field: &str, source: &guanjia_domain::ValueError) -> (&'static str, String) {
    use guanjia_domain::ValueError as V;
    match (field, source) {
        ("phone", _) => (
            "phone",
            "联系电话格式不正确：请填写 11 位手机号码，或带区号的固定电话（如 0915-1234567）"
                .to_owned(),
        ),
        ("account", V::TooLong { max, actual }) => (
            "account",
            format!("问题描述最多 {max} 字，您填写了 {actual} 字，请精简后再提交"),
        ),
        ("account", V::BadCharacter { .. }) => (
            "account",
            "问题描述含有不允许的控制字符，请删除后再提交".to_owned(),
        ),
        ("item", V::TooLong { max, .. }) => ("item_code", format!("事项编码最多 {max} 个字符")),
        ("item", _) => (
            "item_code",
            "事项编码只能包含字母、数字和连字符，不能有空格".to_owned(),
        ),
        ("department", V::TooLong { max, .. }) => ("about", format!("事项或部门名称最多 {max} 字")),
        ("department", _) => ("about", "事项或部门名称含有不允许的字符".to_owned()),
        _ => (
            "account",
            "问题描述含有不允许的字符，请检查后再提交".to_owned(),
        ),
    }
}

/// `GET /banbucheng/received?code=…`: the tracking code, to note down.
pub(crate) async fn received(Query(query): Query<CodeQuery>) -> Response {
    let Ok(code) = normalise_code(&query.code) else {
        return pages::not_found_for(None);
    };
    let page = ReceivedPage {
        chrome: Chrome::new("反映已受理", None, Nav::None),
        code,
    };
    html(StatusCode::OK, &page)
}

/// `GET /banbucheng/status?code=…&phone4=…`: the lookup form, or the report's progress.
pub(crate) async fn status(
    State(web): State<Web>,
    peer: Peer,
    headers: HeaderMap,
    Query(query): Query<CodeQuery>,
) -> Response {
    let page = |errors, found| StatusPage {
        chrome: Chrome::new("查询办理进度", None, Nav::None),
        errors,
        code: query.code.trim().to_owned(),
        found,
    };
    if query.code.trim().is_empty() && query.phone4.trim().is_empty() {
        return html(StatusCode::OK, &page(Vec::new(), None));
    }
    let state = web.state();
    let client = state.throttle.client_ip(&peer, &headers);
    if let Err(ApiError::RateLimited { retry_after_secs }) = state.throttle.follow(client.0) {
        let errors = vec![FieldError {
            field: "code",
            message: format!("查询过于频繁，请在 {retry_after_secs} 秒后再试"),
        }];
        let mut response = html(StatusCode::TOO_MANY_REQUESTS, &page(errors, None));
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        return response;
    }
    let mut errors = Vec::new();
    if normalise_code(&query.code).is_err() {
        errors.push(FieldError {
            field: "code",
            message: "查询码格式不正确：查询码以 BB 开头，共 12 位字母和数字".to_owned(),
        });
    }
    let phone4 = query.phone4.trim();
    if phone4.len() != 4 || !phone4.bytes().all(|b| b.is_ascii_digit()) {
        errors.push(FieldError {
            field: "phone4",
            message: "请填写反映时所留电话号码的后四位数字".to_owned(),
        });
    }
    if !errors.is_empty() {
        return html(StatusCode::UNPROCESSABLE_ENTITY, &page(errors, None));
    }
    match state.app.follow_report(&query.code, phone4).await {
        Ok(progress) => html(StatusCode::OK, &page(Vec::new(), Some(progress.into()))),
        Err(AppError::NotFound { .. }) => {
            let errors = vec![FieldError {
                field: "code",
                message: "未找到该反映：请核对查询码和电话号码后四位".to_owned(),
            }];
            html(StatusCode::NOT_FOUND, &page(errors, None))
        }
        Err(error) => {
            tracing::error!(%error, "a report's progress could not be read");
            pages::internal_error(None)
        }
    }
}

/// The metadata of a report from the public: no one is signed in.
fn public_context() -> CommandContext {
    let request = uuid::Uuid::new_v4().to_string();
    CommandContext::new(EventMetadata {
        actor_id: "public".to_owned(),
        actor_role: "public".to_owned(),
        correlation_id: request.clone(),
        causation_id: request.clone(),
        request_id: request,
        channel: "web_public".to_owned(),
    })
}
