//! The event history as the audit desk lists it: the filter of the page's address (case,
//! actor, event type, days from and until, in Beijing time), turned into the API's
//! `AuditHistoryFilter`, and each event as a row — when, what, on which record, who in which
//! role, through which channel, under which request id, and the reason it gives, if any.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::text;
use crate::api_call::Refused;
use crate::session::Session;
use crate::{format, labels, Web};

const QUERY: &str = "query($f: AuditHistoryFilter, $n: Int) { auditHistory(filter: $f, first: $n) { \
    edges { node { position recordedAt aggregateType aggregateId eventType actor role channel requestId payload } } \
    pageInfo { hasNextPage } } }";

/// The page's filter, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct Filter {
    #[serde(default)]
    pub case: String,
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub event: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub until: String,
}

fn day(text: &str) -> Option<Result<NaiveDate, ()>> {
    let text = text.trim();
    (!text.is_empty()).then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| ()))
}

impl Filter {
    /// Dates that are not dates, named by their field.
    pub(crate) fn errors(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (field, value, name) in [
            ("from", &self.from, "开始日期"),
            ("until", &self.until, "结束日期"),
        ] {
            if matches!(day(value), Some(Err(()))) {
                out.push((
                    field.to_owned(),
                    format!("{name}不是有效的日期，请按“2026-03-01”的格式填写。"),
                ));
            }
        }
        out
    }

    /// The API's filter: a day from its first instant in Beijing; "until" includes its day.
    pub(crate) fn to_api(&self) -> Value {
        let mut f = Map::new();
        let mut put = |key: &str, value: &str| {
            if !value.trim().is_empty() {
                f.insert(key.to_owned(), json!(value.trim()));
            }
        };
        put("caseId", &self.case);
        put("actor", &self.actor);
        put("eventType", &self.event);
        if let Some(Ok(from)) = day(&self.from) {
            f.insert("from".to_owned(), json!(format!("{from}T00:00:00+08:00")));
        }
        if let Some(Ok(until)) = day(&self.until).map(|d| d.map(|d| d.succ_opt().unwrap_or(d))) {
            f.insert("until".to_owned(), json!(format!("{until}T00:00:00+08:00")));
        }
        Value::Object(f)
    }
}

/// One event, as a row.
pub(crate) struct Entry {
    pub position: String,
    pub when: String,
    pub event: String,
    pub record: String,
    pub actor: String,
    pub role: String,
    pub channel: String,
    pub request_id: String,
    /// The reason the event gives, or what a personal-data read read.
    pub detail: String,
}

/// The `reason` of a payload (`{"EventName": {..., "reason": "..."}}`), or for a read of
/// personal data the case and the fields read.
fn detail(event: &str, payload: &Value) -> String {
    let body = payload
        .as_object()
        .and_then(|o| o.values().next())
        .unwrap_or(payload);
    if event == "PersonalDataRead" {
        let fields: Vec<String> = body
            .get("fields")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(field_word).collect())
            .unwrap_or_default();
        return format!(
            "查看了案件 {} 的{}",
            text(body, "case_id"),
            fields.join("、")
        );
    }
    match event {
        "LateEntryRecorded" => format!(
            "补录：业务日期 {}，晚 {} 个工作日登记；理由：{}",
            text(body, "business_date"),
            body.get("working_days_late")
                .and_then(Value::as_u64)
                .unwrap_or(0),
            text(body, "reason")
        ),
        "ClosedPeriodEntryApproved" => format!(
            "封账期 {} 内补录，经 {} 批准（第{}号）：{}",
            text(body, "period"),
            text(body, "approved_by"),
            body.get("approval_no").and_then(Value::as_u64).unwrap_or(0),
            text(body, "reason")
        ),
        "PeriodClosed" => format!(
            "{} 封账（区划 {}）",
            text(body, "period"),
            text(body, "division")
        ),
        "EntryApprovalGranted" => format!(
            "批准案件 {} 在封账期 {} 内补录一项：{}",
            text(body, "case_id"),
            text(body, "period"),
            text(body, "reason")
        ),
        _ => text(body, "reason"),
    }
}

fn field_word(field: &str) -> String {
    match field {
        "contactPhone" | "contact_phone" => "联系电话".to_owned(),
        "contactName" | "contact_name" => "联系人姓名".to_owned(),
        other => other.to_owned(),
    }
}

/// The events matching `filter` (at most `first`), and whether there are more.
pub(crate) async fn fetch(
    web: &Web,
    session: &Session,
    request: &str,
    filter: Value,
    first: i64,
) -> Result<(Vec<Entry>, bool), Refused> {
    let data = web
        .api()
        .run(session, request, QUERY, json!({"f": filter, "n": first}))
        .await?;
    let history = &data["auditHistory"];
    let entries = history["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|edge| {
            let node = &edge["node"];
            let event = text(node, "eventType");
            let when = text(node, "recordedAt")
                .parse::<DateTime<Utc>>()
                .map_or_else(|_| text(node, "recordedAt"), format::date_time_seconds);
            Entry {
                position: text(node, "position"),
                when,
                detail: detail(&event, &node["payload"]),
                record: format!(
                    "{} {}",
                    text(node, "aggregateType"),
                    text(node, "aggregateId")
                ),
                actor: web.staff_name(&text(node, "actor")),
                role: labels::role_name(&text(node, "role")).to_owned(),
                channel: text(node, "channel"),
                request_id: text(node, "requestId"),
                event,
            }
        })
        .collect();
    let more = history["pageInfo"]["hasNextPage"]
        .as_bool()
        .unwrap_or(false);
    Ok((entries, more))
}

/// The most events one download holds: the API's largest page.
pub(crate) const EXPORT_MAX: i64 = 200;

/// The entries as a workbook (one sheet, text cells only: ids and reasons are never formulas).
pub(crate) fn workbook(entries: &[Entry]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let sheet = book.add_worksheet().set_name("事件记录")?;
    let header = [
        "时间",
        "事件",
        "对象",
        "操作人",
        "角色",
        "渠道",
        "请求编号",
        "原因 / 内容",
        "位置",
    ];
    for (col, name) in (0u16..).zip(header) {
        sheet.write_string_with_format(0, col, name, &bold)?;
    }
    for (row, e) in (1u32..).zip(entries) {
        let cells = [
            &e.when,
            &e.event,
            &e.record,
            &e.actor,
            &e.role,
            &e.channel,
            &e.request_id,
            &e.detail,
            &e.position,
        ];
        for (col, text) in (0u16..).zip(cells) {
            sheet.write_string(row, col, text.as_str())?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofit();
    book.save_to_buffer()
}
