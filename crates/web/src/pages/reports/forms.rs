//! The forms of the report page — assign, refer, answer — and what their POST
//! (`/reports/{code}/act/{action}`, the handler in `mod.rs`) runs: CSRF first, then the use case of `guanjia_app::reports`
//! with the request's metadata; success waits for the step in this node's read model and
//! redirects to the report page (POST-redirect-GET); a refusal draws the page again with the
//! form open and the message beside the field, in Chinese, or the page that says no.
//!
//! Which forms a person gets asks the application layer's own checks (`can_handle_reports`,
//! `can_answer_reports` with the configured sign-off), so that only steps that will be
//! accepted are offered; the use case checks again on the report as it loads it.

use axum::http::Extensions;
use axum::response::{IntoResponse, Redirect, Response};
use guanjia_app::reports::{can_answer_reports, can_handle_reports};
use guanjia_app::AppError;
use guanjia_domain::report::ReportStatus;
use guanjia_domain::user::Role;
use guanjia_domain::DomainError;
use guanjia_read::reports::ReportView;
use guanjia_store::StoreError;

use super::readable;
use crate::pages::case_forms::form::Field;
use crate::pages::case_forms::refusal::value_rule;
use crate::pages::case_forms::{command_context, Failed, FormView, Input};
use crate::pages::{csrf_refused, internal_error, not_found_for, MessagePage};
use crate::session::Session;
use crate::Web;

/// The steps: (name, title, button).
const ASSIGN: (&str, &str, &str) = ("assign", "指定承办人", "指定承办人");
const REFER: (&str, &str, &str) = ("refer", "转办至其他单位", "转办");
const RESOLVE: (&str, &str, &str) = ("resolve", "答复反映人", "保存答复");

fn view_of(step: (&'static str, &'static str, &'static str), fields: Vec<Field>) -> FormView {
    FormView {
        action: step.0,
        title: step.1,
        section: "report",
        button: step.2,
        fields,
        open: false,
        key: String::new(),
    }
}

/// The forms `session`'s person gets on `report` now, and notes on the steps they cannot take.
pub(super) fn forms_for(
    web: &Web,
    session: &Session,
    report: &ReportView,
) -> (Vec<FormView>, Vec<&'static str>) {
    let actor = &session.actor;
    let division = &report.division;
    let open = matches!(report.status, ReportStatus::Lodged | ReportStatus::Assigned);
    if !open {
        return (Vec::new(), Vec::new());
    }
    let handles = can_handle_reports(actor, division);
    let sign_off = web.state().app.complaint_sign_off();
    let answers = can_answer_reports(actor, division, sign_off);
    let mut forms = Vec::new();
    let mut notes = Vec::new();
    if handles {
        forms.push(view_of(
            ASSIGN,
            vec![Field::text("assignee", "承办人的用户名")
                .hint(format!("本单位可承办的人员：{}", staff_of(web, report)))],
        ));
        forms.push(view_of(
            REFER,
            vec![
                Field::text("to_department", "转办单位").hint("例如 区住建局、某某镇便民服务中心"),
                Field::area("reason", "转办原因"),
            ],
        ));
    } else {
        notes.push("您可以查看此反映，但不办理（办理由本单位的项目管家和领导负责）。");
    }
    if answers && report.status == ReportStatus::Assigned {
        forms.push(view_of(
            RESOLVE,
            vec![Field::area("answer", "答复内容")
                .hint("答复将显示在反映人的查询页面上，请写明办理结果。")],
        ));
    } else if answers {
        notes.push("答复前须先指定承办人。");
    } else if handles {
        notes.push("办不成事的答复须由本单位领导签发：请承办后报领导答复。");
    }
    (forms, notes)
}

/// The division's active stewards and leaders, as names with usernames: a hint for the
/// assignee field (the use case judges the name typed).
fn staff_of(web: &Web, report: &ReportView) -> String {
    let mut people: Vec<String> = web
        .state()
        .auth
        .directory()
        .all()
        .into_iter()
        .filter(|a| a.is_active() && matches!(a.role, Role::Steward | Role::Leader))
        .filter(|a| a.division.contains(&report.division))
        .map(|a| format!("{}（{}）", a.display_name, a.username))
        .collect();
    people.sort();
    people.join("、")
}

/// What the page says after the step `name`.
pub(super) fn done_message(name: &str) -> Option<String> {
    let title = [ASSIGN, REFER, RESOLVE].iter().find(|s| s.0 == name)?.1;
    Some(format!("已完成：{title}。以下是办理后的最新情况。"))
}

/// What a posted form comes to: an answer of its own, or the report page drawn again with the
/// form's errors — which the handler (`super::act`) does, so that this module needs nothing of
/// the page.
pub(super) enum Acted {
    Answer(Response),
    Redraw { code: String, failed: Failed },
}

impl From<Response> for Acted {
    fn from(response: Response) -> Self {
        Self::Answer(response)
    }
}

/// Runs the step `action` of the form posted (`pairs`) on report `code`
/// (`POST /reports/{code}/act/{action}`).
pub(super) async fn run(
    web: &Web,
    session: &Session,
    extensions: &Extensions,
    code: &str,
    action: &str,
    pairs: Vec<(String, String)>,
) -> Acted {
    let input = Input::new(pairs);
    if !session.csrf_matches(web, input.raw("csrf")) {
        return csrf_refused(Some(session)).into();
    }
    let Some(report) = readable(web, session, code) else {
        return not_found_for(Some(session)).into();
    };
    let Some(step) = [ASSIGN, REFER, RESOLVE].into_iter().find(|s| s.0 == action) else {
        return not_found_for(Some(session)).into();
    };
    let code = report.tracking_code;
    let context = command_context(session, extensions);
    let app = &web.state().app;
    let actor = &session.actor;
    let result = match step.0 {
        "assign" => {
            app.assign_report(actor, &code, input.text("assignee"), context)
                .await
        }
        "refer" => {
            let (to, reason) = (input.text("to_department"), input.text("reason"));
            app.refer_report(actor, &code, to, reason, context).await
        }
        _ => {
            app.resolve_report(actor, &code, input.text("answer"), context)
                .await
        }
    };
    match result {
        Ok(committed) => {
            let state = web.state();
            if let Err(error) = state
                .read
                .wait_for(committed.position, state.limits.read_wait)
                .await
            {
                tracing::warn!(%error, position = %committed.position, "a report's step was not readable in time");
            }
            Redirect::to(&format!("/reports/{code}?done={}", step.0))
                .into_response()
                .into()
        }
        Err(error) => match explain(&error, step.1) {
            Explained::Fields(errors) => Acted::Redraw {
                code,
                failed: Failed {
                    action: step.0,
                    input,
                    errors,
                },
            },
            Explained::NotFound => not_found_for(Some(session)).into(),
            Explained::Forbidden(why) => MessagePage::refuse(session, "无权操作", why).into(),
            Explained::Internal => {
                tracing::error!(error = %error, "a report's form failed");
                internal_error(Some(session)).into()
            }
        },
    }
}

/// How the page answers a refusal.
enum Explained {
    Fields(Vec<(String, String)>),
    NotFound,
    Forbidden(&'static str),
    Internal,
}

/// What the page says about `error`, refused for the form titled `title`: beside the field it
/// names, in Chinese, naming the field and the rule.
fn explain(error: &AppError, title: &str) -> Explained {
    let at = |field: &str, message: String| Explained::Fields(vec![(field.to_owned(), message)]);
    match error {
        AppError::Rejected(DomainError::Invalid { field, source }) => {
            at(field, value_rule(label(field), source))
        }
        AppError::Rejected(DomainError::NotAllowed(rule)) => {
            let why = if rule.contains("must be assigned") {
                "须先指定承办人，才能答复"
            } else if rule.contains("already answered") {
                "该反映已经答复"
            } else if rule.contains("referred") {
                "该反映已经转办"
            } else {
                "反映已不在办理中"
            };
            Explained::Fields(vec![(
                String::new(),
                format!("当前状态下不能{title}：{why}。"),
            )])
        }
        AppError::BadInput { field, rule, .. } => {
            let name = label(field);
            let message = match *rule {
                "unknown_user" => {
                    format!("{name}：没有这个在用的账户，请按提示填写本单位人员的用户名。")
                }
                "role" => format!("{name}：只有项目管家和领导可以承办群众反映。"),
                "out_of_scope" => {
                    format!("{name}：此人不属于受理本反映的单位，只能指定本单位的人员承办。")
                }
                _ => format!("{name}填写有误，请检查后重试。"),
            };
            at(field, message)
        }
        AppError::NotFound { .. } | AppError::Rejected(DomainError::NotFound { .. }) => {
            Explained::NotFound
        }
        AppError::Forbidden(why) if why.contains("sign-off") => {
            Explained::Forbidden("办不成事的答复须由本单位领导签发。")
        }
        AppError::Forbidden(_) => {
            Explained::Forbidden("只有受理单位的项目管家和领导可以办理群众反映。")
        }
        AppError::Store(StoreError::Conflict { .. }) => Explained::Fields(vec![(
            String::new(),
            "该反映刚刚被他人办理，本次操作未执行：请刷新页面后重试。".to_owned(),
        )]),
        _ => Explained::Internal,
    }
}

/// The Chinese name of a field the use cases name.
fn label(field: &str) -> &'static str {
    match field {
        "assignee" => "承办人的用户名",
        "to_department" | "toDepartment" => "转办单位",
        "reason" => "转办原因",
        "answer" => "答复内容",
        _ => "填写的内容",
    }
}
