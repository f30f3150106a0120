//! The page of one 办不成事 report: what was reported and about what, where it stands, its
//! history (who did what, when), the reporter's phone masked — whole only after the deliberate
//! reveal, which the API records in the access log — and the forms of the steps the viewer may
//! take. A refused form is drawn again open, with what was typed and the messages.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use guanjia_read::reports::{ReportStep, ReportView, StepKind};

use super::{forms, readable, status_word};
use crate::format;
use crate::pages::case_forms::{Failed, FormView};
use crate::pages::{html, not_found_for, Chrome, Nav};
use crate::session::Session;
use crate::Web;

/// One step of the history.
struct Entry {
    when: String,
    who: String,
    what: String,
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    chrome: Chrome,
    code: String,
    status: &'static str,
    about: String,
    account: String,
    reported: String,
    division: String,
    phone: String,
    revealed: Option<String>,
    assignee: Option<String>,
    answer: Option<String>,
    resolved: Option<String>,
    referred_to: Option<String>,
    history: Vec<Entry>,
    forms: Vec<FormView>,
    /// What the viewer cannot do now and why, so that a missing form is not a puzzle.
    notes: Vec<&'static str>,
    errors: Vec<(String, String)>,
    done: Option<String>,
    csrf: String,
}

/// The report page for `session`'s person: `revealed` is the phone the API just unmasked,
/// `failed` a form to draw again with its errors (422), `done` what a form just did.
pub(super) fn page(
    web: &Web,
    session: &Session,
    code: &str,
    revealed: Option<String>,
    failed: Option<Failed>,
    done: Option<String>,
) -> Response {
    let Some(report) = readable(web, session, code) else {
        return not_found_for(Some(session));
    };
    let (mut forms, notes) = forms::forms_for(web, session, &report);
    let errors = failed
        .as_ref()
        .map(|f| f.apply(&mut forms))
        .unwrap_or_default();
    let status = if failed.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = ReportPage {
        chrome: Chrome::new(
            &format!("办不成事反映 {}", report.tracking_code),
            Some(session),
            Nav::Reports,
        ),
        code: report.tracking_code.clone(),
        status: status_word(report.status),
        about: report.subject.label_zh(),
        account: report.account.clone(),
        reported: format::date_time(report.reported_at),
        division: report.division.to_string(),
        phone: report
            .phone
            .as_ref()
            .map_or_else(|| "（未留）".to_owned(), |p| p.masked()),
        revealed,
        assignee: report.assignee.as_deref().map(|u| web.staff_name(u)),
        answer: report.answer.clone(),
        resolved: resolved(web, &report),
        referred_to: report.referred_to.clone(),
        history: report.history.iter().map(|s| entry(web, s)).collect(),
        forms,
        notes,
        errors,
        done,
        csrf: session.csrf.clone(),
    };
    html(status, &page)
}

/// The day of the answer and who signed it off.
fn resolved(web: &Web, report: &ReportView) -> Option<String> {
    let day = format::date(report.resolved_on?);
    Some(match &report.signed_off_by {
        Some(leader) => format!("{day}（{}签发）", web.staff_name(leader)),
        None => day,
    })
}

fn entry(web: &Web, step: &ReportStep) -> Entry {
    let what = match &step.what {
        StepKind::Reported => "群众在网上反映（办不成事）".to_owned(),
        StepKind::Assigned { assignee } => {
            format!("指定承办人：{}", web.staff_name(assignee))
        }
        StepKind::Resolved {
            signed_off_by: Some(leader),
        } => format!("答复，由{}签发", web.staff_name(leader)),
        StepKind::Resolved {
            signed_off_by: None,
        } => "答复".to_owned(),
        StepKind::Referred {
            to_department,
            reason,
        } => format!("转办至{to_department}：{reason}"),
    };
    let who = if matches!(step.what, StepKind::Reported) {
        "反映人".to_owned()
    } else {
        web.staff_name(&step.by)
    };
    Entry {
        when: format::date_time(step.at),
        who,
        what,
    }
}
