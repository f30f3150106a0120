//! 审计, the audit desk: `GET /audit` (the hash chain's state, the event history with its
//! filters, the personal-data access log), `POST /audit/verify` ("verify now"), and the case
//! as of a moment beside the case now (`case.rs`). Everything is asked of the API's own
//! operations (`auditHistory`, `chainHead`, `verifyChain`, `caseAsOf`) through `api_call`, so
//! the auditor's scope, the filters' checks and the recording of unmasked reads are the API's.
//! Only `authz::may_audit` is asked first, to answer 403 before anything is looked up.

pub(crate) mod case;
mod history;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{Extensions, StatusCode};
use axum::response::Response;
use axum::Form;
use guanjia_api::auth::authz;
use guanjia_domain::clock::china_date;
use serde_json::{json, Value};

use self::history::{Entry, Filter};
use super::{csrf_refused, forbidden, html, Chrome, Nav};
use crate::api_call::Refused;
use crate::session::{CsrfForm, Session, Viewer};
use crate::Web;

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    csrf: String,
    filter: Filter,
    errors: Vec<(String, String)>,
    head: Option<ChainState>,
    verification: Option<Verification>,
    events: Vec<Entry>,
    more: bool,
    reads: Vec<Entry>,
    /// The download of the listed events, with the same filter.
    export: String,
}

/// The chain's head: the last position linked and how many events it covers.
struct ChainState {
    position: String,
    events: i64,
    exported: String,
}

/// The result of "verify now".
struct Verification {
    intact: bool,
    verified: i64,
    problem: String,
}

/// Days of the access log the desk shows, and how many reads at most (the latest).
const READS_DAYS: i64 = 30;
const READS_SHOWN: usize = 50;

/// The request id the server gave this request, for the events the API records.
pub(crate) fn request_id(extensions: &Extensions) -> String {
    guanjia_api::server::request_id(extensions).unwrap_or_else(|| "web".to_owned())
}

/// The Chinese sentence for a refusal of the API.
pub(crate) fn refusal_text(refused: &Refused) -> String {
    match (refused.code.as_str(), refused.field.as_deref()) {
        ("NOT_FOUND", _) => "未找到该案件，或不在您的审计范围内。".to_owned(),
        ("FORBIDDEN", _) => "您没有权限执行此操作。".to_owned(),
        ("BAD_USER_INPUT", Some(field)) => {
            format!("“{}”填写有误，请检查后重试。", field_name(field))
        }
        _ => "系统暂时无法完成此操作，请稍后再试。".to_owned(),
    }
}

fn field_name(field: &str) -> &str {
    match field {
        "actor" | "filter.actor" => "操作人",
        "caseId" | "filter.caseId" | "id" => "案件编号",
        "eventType" | "filter.eventType" => "事件类型",
        "from" | "filter.from" => "开始时间",
        "until" | "filter.until" => "结束时间",
        "at" => "查看时点",
        other => other,
    }
}

async fn page(
    web: &Web,
    session: &Session,
    request: &str,
    filter: Filter,
    verification: Option<Verification>,
) -> Response {
    if authz::may_audit(&session.actor).is_err() {
        return forbidden(session, "审计页面仅供审计人员使用。");
    }
    let mut errors = filter.errors();
    let (mut events, mut more) = (Vec::new(), false);
    if errors.is_empty() {
        match history::fetch(web, session, request, filter.to_api(), 50).await {
            Ok((found, next)) => (events, more) = (found, next),
            Err(refused) => errors.push((
                refused.field.clone().unwrap_or_else(|| "case".to_owned()),
                refusal_text(&refused),
            )),
        }
    }
    // The access log: the reads of the last 30 days (of the case filtered on, if any), the
    // latest first. The API pages forward in log order, so the page reads a window and turns it.
    let since = china_date(web.state().clock.now()) - chrono::Duration::days(READS_DAYS);
    let mut window = json!({"from": format!("{since}T00:00:00+08:00")});
    if filter.case.trim().is_empty() {
        window["eventType"] = json!("PersonalDataRead");
    } else {
        window["personalDataReadOf"] = json!(filter.case.trim());
    }
    let reads = history::fetch(web, session, request, window, history::EXPORT_MAX)
        .await
        .map(|(found, _)| found.into_iter().rev().take(READS_SHOWN).collect())
        .unwrap_or_else(|refused| {
            tracing::error!(?refused, "the access log could not be read");
            errors.push((
                "reads-title".to_owned(),
                "个人信息访问日志暂时无法读取，请稍后再试。".to_owned(),
            ));
            Vec::new()
        });
    let head = web
        .api()
        .run(
            session,
            request,
            "{ chainHead { position events exported } }",
            json!({}),
        )
        .await
        .ok()
        .and_then(|data| {
            let head = data.get("chainHead").filter(|h| !h.is_null())?;
            Some(ChainState {
                position: text(head, "position"),
                events: head.get("events").and_then(Value::as_i64).unwrap_or(0),
                exported: text(head, "exported"),
            })
        });
    let export = format!(
        "/audit/history.xlsx?case={}&actor={}&event={}&from={}&until={}",
        crate::format::query_escape(&filter.case),
        crate::format::query_escape(&filter.actor),
        crate::format::query_escape(&filter.event),
        crate::format::query_escape(&filter.from),
        crate::format::query_escape(&filter.until),
    );
    let page = AuditPage {
        export,
        chrome: Chrome::new("审计", Some(session), Nav::Audit),
        csrf: session.csrf.clone(),
        filter,
        errors,
        head,
        verification,
        events,
        more,
        reads,
    };
    html(StatusCode::OK, &page)
}

pub(crate) fn text(value: &Value, key: &str) -> String {
    match value.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// `GET /audit`.
pub(crate) async fn show(
    State(web): State<Web>,
    Viewer(session): Viewer,
    extensions: Extensions,
    Query(filter): Query<Filter>,
) -> Response {
    page(&web, &session, &request_id(&extensions), filter, None).await
}

/// `GET /audit/history.xlsx`: the events of the filter as a workbook (at most
/// [`history::EXPORT_MAX`]); reading payloads whole is itself recorded by the API as usual.
pub(crate) async fn export(
    State(web): State<Web>,
    Viewer(session): Viewer,
    extensions: Extensions,
    Query(filter): Query<Filter>,
) -> Response {
    if authz::may_audit(&session.actor).is_err() {
        return forbidden(&session, "审计页面仅供审计人员使用。");
    }
    let request = request_id(&extensions);
    if !filter.errors().is_empty() {
        return page(&web, &session, &request, filter, None).await;
    }
    let found = history::fetch(
        &web,
        &session,
        &request,
        filter.to_api(),
        history::EXPORT_MAX,
    )
    .await;
    let bytes = match found.map(|(entries, _)| history::workbook(&entries)) {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(error)) => {
            crate::WebError::Xlsx(error).log();
            return super::internal_error(Some(&session));
        }
        Err(_) => return page(&web, &session, &request, filter, None).await,
    };
    let mut response = axum::response::IntoResponse::into_response(bytes);
    let headers = response.headers_mut();
    headers.insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static(super::dashboard::XLSX_TYPE),
    );
    headers.insert(
        axum::http::header::CONTENT_DISPOSITION,
        axum::http::HeaderValue::from_static("attachment; filename=\"audit-history.xlsx\""),
    );
    response
}

/// `POST /audit/verify`: recomputes the chain now and shows the result.
pub(crate) async fn verify(
    State(web): State<Web>,
    Viewer(session): Viewer,
    extensions: Extensions,
    Form(form): Form<CsrfForm>,
) -> Response {
    if !session.csrf_matches(&web, &form.csrf) {
        return csrf_refused(Some(&session));
    }
    if authz::may_audit(&session.actor).is_err() {
        return forbidden(&session, "审计页面仅供审计人员使用。");
    }
    let request = request_id(&extensions);
    let result = web
        .api()
        .run(
            &session,
            &request,
            "{ verifyChain { intact verified problem { kind position } } }",
            json!({}),
        )
        .await;
    let verification = result.ok().and_then(|data| {
        let v = data.get("verifyChain")?;
        let problem = v
            .get("problem")
            .filter(|p| !p.is_null())
            .map_or_else(String::new, |p| {
                format!(
                    "在位置 {} 发现问题（{}）",
                    text(p, "position"),
                    text(p, "kind")
                )
            });
        Some(Verification {
            intact: v.get("intact").and_then(Value::as_bool).unwrap_or(false),
            verified: v.get("verified").and_then(Value::as_i64).unwrap_or(0),
            problem,
        })
    });
    page(&web, &session, &request, Filter::default(), verification).await
}
