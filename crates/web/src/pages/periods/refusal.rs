//! What the periods page says when the application layer refuses to close a period or to
//! approve an entry: a sentence in Chinese naming the field (by its label) and the rule,
//! shown at the top and beside that field; or the page that says no to a role that may not
//! do this at all. The field ids are the form's (`close-period`, `approve-case`, …).

use guanjia_app::{Actor, AppError};
use guanjia_domain::user::Role;
use guanjia_domain::values::Period;
use guanjia_domain::{DomainError, ValueError};
use guanjia_store::StoreError;

use super::{period_name, CloseForm};
use crate::pages::case_forms::refusal::value_rule;

/// How the page answers a refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Said {
    /// (field id, message) beside the fields.
    Fields(Vec<(String, String)>),
    /// The viewer's role does not close or approve: the page that says no.
    Forbidden(String),
    /// The server failed: logged, the error page.
    Internal,
}

const PERIOD: &str = "close-period";
const DIVISION: &str = "close-division";
const CASE: &str = "approve-case";
const CLOSED: &str = "approve-closed";
const REASON: &str = "approve-reason";

fn at(field: &str, message: String) -> Said {
    Said::Fields(vec![(field.to_owned(), message)])
}

/// A refusal of `App::close_period` for `form`.
pub(super) fn close(error: &AppError, actor: &Actor, form: &CloseForm) -> Said {
    let name = Period::parse(&form.period).map_or_else(|_| form.period.clone(), period_name);
    match error {
        AppError::Forbidden(_) if actor.role != Role::Leader => Said::Forbidden(not_a_leader()),
        AppError::Forbidden(_) => at(
            DIVISION,
            format!(
                "封账区划：{} 不在您的管理范围内（您的辖区是 {}），只能为本辖区及其下级区划封账。",
                form.division.trim(),
                actor.division
            ),
        ),
        AppError::Rejected(DomainError::Invalid { field, source }) if *field == "period" => {
            match source {
                ValueError::Rule(rule) if rule.contains("not over yet") => at(
                    PERIOD,
                    format!("统计期间：{name}尚未结束，只能为已经结束、数据已经上报的期间封账。"),
                ),
                other => at(PERIOD, period_unreadable(other).1),
            }
        }
        AppError::Rejected(DomainError::Invalid { .. }) => {
            at(DIVISION, division_unreadable().1)
        }
        AppError::Rejected(DomainError::AlreadyExists(_)) => at(
            PERIOD,
            format!(
                "统计期间：{name}已经为区划 {} 封账（或已包含在已封账的更长期间内），不能重复封账。",
                form.division.trim()
            ),
        ),
        other => common(other, PERIOD),
    }
}

/// A refusal of `App::approve_closed_period_entry`.
pub(super) fn approve(error: &AppError, actor: &Actor) -> Said {
    match error {
        AppError::Forbidden(_) if actor.role != Role::Leader => Said::Forbidden(not_a_leader()),
        AppError::Forbidden(_) => at(
            CLOSED,
            format!(
                "封账期间：该期间由您辖区（{}）以外的区划封账，须由封账区划的领导批准。",
                actor.division
            ),
        ),
        AppError::NotFound { .. } => Said::Fields(vec![case_not_found()]),
        AppError::BadInput { rule, .. } if *rule == "out_of_division" => at(
            CASE,
            "案件：该案件不在所选封账期间的区划内，请选择案件所在区划封账的期间。".to_owned(),
        ),
        AppError::Rejected(DomainError::Invalid { field, source }) => match *field {
            "reason" => at(REASON, value_rule("批准原因", source)),
            "case_id" => Said::Fields(vec![case_not_found()]),
            _ => Said::Fields(vec![closed_unpicked()]),
        },
        AppError::Rejected(DomainError::NotAllowed(_)) => at(
            CLOSED,
            "封账期间：所选区划尚未封账这一期间，期间内的录入无需批准。".to_owned(),
        ),
        other => common(other, CLOSED),
    }
}

/// The refusals both forms share: a race, the server.
fn common(error: &AppError, field: &str) -> Said {
    match error {
        AppError::Store(StoreError::Conflict { .. }) => at(
            field,
            "刚刚有人同时办理了封账或批准，本次操作未执行：请刷新页面后重试。".to_owned(),
        ),
        AppError::Store(_) => Said::Internal,
        _ => at(field, "操作未能完成，请检查填写的内容后重试。".to_owned()),
    }
}

/// Why a steward, an auditor or an admin may not close or approve.
pub(super) fn not_a_leader() -> String {
    "封账和批准封账期间内的录入由领导办理：项目管家请联系本区划的领导。".to_owned()
}

/// A period the form sent that is no period.
pub(super) fn period_unreadable(rule: &ValueError) -> (String, String) {
    let message = match rule {
        ValueError::Empty => "请选择统计期间（月、季度或年）。".to_owned(),
        _ => "统计期间：请从列表中选择一个月、季度或年，例如 2026年2月。".to_owned(),
    };
    (PERIOD.to_owned(), message)
}

/// A division the form sent that is no division code.
pub(super) fn division_unreadable() -> (String, String) {
    (
        DIVISION.to_owned(),
        "封账区划：请从列表中选择区划（12 位区划代码）。".to_owned(),
    )
}

/// A case the viewer named that is not there for them (or none named).
pub(super) fn case_unknown(quoted: &str) -> (String, String) {
    if quoted.trim().is_empty() {
        (
            CASE.to_owned(),
            "请填写案件编号，例如 2026-0001。".to_owned(),
        )
    } else {
        case_not_found()
    }
}

/// Said the same for a case that does not exist and one outside the viewer's scope.
fn case_not_found() -> (String, String) {
    (
        CASE.to_owned(),
        "案件：找不到该案件，或不在您的管理范围内，请核对案件编号。".to_owned(),
    )
}

/// No closed period picked.
pub(super) fn closed_unpicked() -> (String, String) {
    (
        CLOSED.to_owned(),
        "封账期间：请从列表中选择已封账的期间。".to_owned(),
    )
}
