//! A case as of a moment beside the case now, with what changed between (`GET
//! /audit/cases/{id}?at=…`), and the deliberate reveal of its contact phone (`POST
//! /audit/cases/{id}/reveal`). Both states come from the API's `caseAsOf`, rebuilt from the
//! case's own events. The phone is not asked for until the auditor presses "显示联系电话":
//! then the API shows it unmasked and records the read in the access log before answering,
//! and the page says so.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{Extensions, StatusCode};
use axum::response::Response;
use axum::Form;
use chrono::{NaiveDateTime, TimeZone};
use guanjia_api::auth::authz;
use guanjia_domain::clock::china_offset;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{refusal_text, request_id, text};
use crate::pages::{csrf_refused, forbidden, html, not_found_for, Chrome, Nav};
use crate::session::{Session, Viewer};
use crate::Web;

const FIELDS: &str = "caseNumber enterpriseName uscc division address state stage term \
    leadSteward planVersion notes sequence members { username } items { itemNo name status } \
    visits { visitNo status }";

#[derive(Template)]
#[template(path = "audit_case.html")]
struct AsOfPage {
    chrome: Chrome,
    csrf: String,
    id: String,
    at: String,
    error: Option<String>,
    title: String,
    rows: Vec<Row>,
    /// The phone, when the auditor revealed it (and the read was recorded).
    phone: Option<String>,
}

/// One field then and now.
struct Row {
    name: String,
    then: String,
    now: String,
    changed: bool,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct AsOfQuery {
    #[serde(default)]
    at: String,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct RevealForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    at: String,
}

fn word(value: &str) -> &str {
    match value {
        "REGISTERED" => "已登记",
        "SIGNED" => "已签约",
        "IN_SERVICE" => "服务中",
        "ON_HOLD" => "暂缓",
        "CLOSED" => "已结案",
        "UNREGISTERED" => "尚未登记",
        "REQUESTED" => "已申请",
        "ACCEPTED" => "已受理",
        "SUSPENDED" => "暂停计时",
        "CONCLUDED" => "已办结",
        "REJECTED" => "不予受理",
        "SCHEDULED" => "已安排",
        "CONDUCTED" => "已走访",
        "CANCELLED" => "已取消",
        "ESTABLISHMENT" => "筹建期",
        "CONSTRUCTION" => "建设期",
        "OPERATION" => "运营期",
        other => other,
    }
}

/// The fields of a state as (name, text), in a fixed order, so two states line up.
fn flatten(state: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (key, name) in [
        ("caseNumber", "案件编号"),
        ("enterpriseName", "企业名称"),
        ("uscc", "统一社会信用代码"),
        ("division", "区划"),
        ("address", "地址"),
        ("state", "案件状态"),
        ("stage", "阶段"),
        ("term", "服务期次"),
        ("leadSteward", "牵头管家"),
        ("planVersion", "一企一策版本"),
        ("notes", "备注条数"),
        ("sequence", "事件序号"),
    ] {
        out.push((name.to_owned(), word(&text(state, key)).to_owned()));
    }
    let members: Vec<String> = state["members"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|m| text(m, "username"))
        .collect();
    out.push(("服务团队成员".to_owned(), members.join("、")));
    for item in state["items"].as_array().into_iter().flatten() {
        let name = format!("事项 {}（{}）", text(item, "itemNo"), text(item, "name"));
        out.push((name, word(&text(item, "status")).to_owned()));
    }
    for visit in state["visits"].as_array().into_iter().flatten() {
        let name = format!("走访 {}", text(visit, "visitNo"));
        out.push((name, word(&text(visit, "status")).to_owned()));
    }
    out
}

/// Then and now side by side: every field of either, marked when they differ.
fn compare(then: &Value, now: &Value) -> Vec<Row> {
    let (then, now) = (flatten(then), flatten(now));
    let mut rows: Vec<Row> = now
        .iter()
        .map(|(name, value)| {
            let before = then
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            Row {
                changed: &before != value,
                name: name.clone(),
                then: before,
                now: value.clone(),
            }
        })
        .collect();
    for (name, value) in &then {
        if !now.iter().any(|(n, _)| n == name) {
            rows.push(Row {
                name: name.clone(),
                then: value.clone(),
                now: String::new(),
                changed: true,
            });
        }
    }
    rows
}

/// The moment typed (`2026-03-02T10:00`, seconds optional, Beijing time) as the API's instant.
fn instant(at: &str) -> Option<String> {
    let at = at.trim();
    let local = NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M"))
        .ok()?;
    let moment = china_offset().from_local_datetime(&local).single()?;
    Some(moment.to_rfc3339())
}

async fn answer(
    web: &Web,
    session: &Session,
    request: &str,
    id: &str,
    at: &str,
    reveal: bool,
) -> Response {
    if authz::may_audit(&session.actor).is_err() {
        return forbidden(session, "审计页面仅供审计人员使用。");
    }
    let mut page = AsOfPage {
        chrome: Chrome::new("案件历史对比", Some(session), Nav::Audit),
        csrf: session.csrf.clone(),
        id: id.to_owned(),
        at: at.to_owned(),
        error: None,
        title: id.to_owned(),
        rows: Vec::new(),
        phone: None,
    };
    // "Now" is the log position this node has read up to: the events' own times are the
    // database's, which a clock of the server need not match.
    let now = web.state().read.position().to_string();
    let then = if at.trim().is_empty() {
        json!({"position": now})
    } else {
        match instant(at) {
            Some(then) => json!({"at": then}),
            None => {
                page.error = Some("查看时点不是有效的时间，请选择日期和时刻。".to_owned());
                return html(StatusCode::BAD_REQUEST, &page);
            }
        }
    };
    let phone = if reveal { " contactPhone" } else { "" };
    let query = format!(
        "query($id: ID!, $position: String, $at: DateTime, $now: String!) {{ then: caseAsOf(id: $id, position: $position, at: $at) {{ {FIELDS} }} now: caseAsOf(id: $id, position: $now) {{ {FIELDS}{phone} }} }}"
    );
    let mut variables = json!({"id": id, "now": now});
    if let (Some(vars), Some(then)) = (variables.as_object_mut(), then.as_object()) {
        vars.extend(then.clone());
    }
    match web.api().run(session, request, &query, variables).await {
        Ok(data) => {
            page.title = format!(
                "{} {}",
                text(&data["now"], "caseNumber"),
                text(&data["now"], "enterpriseName")
            );
            page.rows = compare(&data["then"], &data["now"]);
            if reveal {
                page.phone = Some(text(&data["now"], "contactPhone")).map(|p| {
                    if p.is_empty() {
                        "（未登记）".to_owned()
                    } else {
                        p
                    }
                });
            }
            html(StatusCode::OK, &page)
        }
        Err(refused) if refused.code == "NOT_FOUND" => not_found_for(Some(session)),
        Err(refused) => {
            page.error = Some(refusal_text(&refused));
            html(StatusCode::BAD_REQUEST, &page)
        }
    }
}

/// `GET /audit/cases/{id}`.
pub(crate) async fn show(
    State(web): State<Web>,
    Viewer(session): Viewer,
    extensions: Extensions,
    Path(id): Path<String>,
    Query(query): Query<AsOfQuery>,
) -> Response {
    answer(
        &web,
        &session,
        &request_id(&extensions),
        &id,
        &query.at,
        false,
    )
    .await
}

/// `POST /audit/cases/{id}/reveal`: the same page with the contact phone, the read recorded.
pub(crate) async fn reveal(
    State(web): State<Web>,
    Viewer(session): Viewer,
    extensions: Extensions,
    Path(id): Path<String>,
    Form(form): Form<RevealForm>,
) -> Response {
    if !session.csrf_matches(&web, &form.csrf) {
        return csrf_refused(Some(&session));
    }
    answer(
        &web,
        &session,
        &request_id(&extensions),
        &id,
        &form.at,
        true,
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct GoQuery {
    #[serde(default)]
    case: String,
}

/// `GET /audit/cases/go?case=…`: the form of the audit desk, without script.
pub(crate) async fn go(Query(query): Query<GoQuery>) -> Response {
    let id = crate::format::query_escape(query.case.trim());
    axum::response::IntoResponse::into_response(axum::response::Redirect::to(&format!(
        "/audit/cases/{id}"
    )))
}
