//! What the enterprise sees of its own case on the 办件进度 page, built from the read model's
//! `CaseDetail`: the enterprise's name, the case number, stage and state, each service item
//! with its status, its limit and deadline in working days and its 电子监察 state (a word and
//! the days left, never colour alone), where to ask about it (the item guide's window and
//! public consulting phone), and each visit's date and status.
//!
//! Deliberately left out: every person — no steward, team member or participant, no contact
//! name or phone, no rater or complainant — and every free text staff wrote (visit notes,
//! reasons), which may name people. What is shown is the enterprise's own case and the
//! catalog, which is public.

use chrono::NaiveDate;
use guanjia_read::detail::ItemView;
use guanjia_read::{CaseDetail, DayIndex, ReadModel};

use super::guide::{days_text, guide};
use crate::format::{self, DeadlineText};
use crate::labels;

/// A case's progress as the page shows it.
pub(crate) struct ProgressView {
    pub enterprise: String,
    pub case_number: String,
    pub stage: &'static str,
    pub state: &'static str,
    pub items: Vec<ProgressItem>,
    pub visits: Vec<ProgressVisit>,
    /// 2024年2月8日: the day the deadlines are counted to.
    pub today: String,
}

/// One service item.
pub(crate) struct ProgressItem {
    pub name: String,
    pub department: String,
    pub status: &'static str,
    /// 承诺时限 "10 个工作日" (with the extension, if any).
    pub limit: String,
    pub requested_on: String,
    pub accepted_on: Option<String>,
    pub deadline: Option<DeadlineText>,
    /// 已办结 / 不予受理, with the date.
    pub ended: Option<String>,
    /// The window that takes the item and its public consulting phone, from its guide.
    pub window: String,
    pub contact: String,
    /// The item's public guide.
    pub guide_href: Option<String>,
}

/// One visit of the team.
pub(crate) struct ProgressVisit {
    pub date: String,
    pub status: &'static str,
}

/// The progress of `detail` as of `today`.
pub(crate) fn view(model: &ReadModel, detail: &CaseDetail, today: NaiveDate) -> ProgressView {
    let days = model.days();
    ProgressView {
        enterprise: detail.enterprise.name.clone(),
        case_number: detail.case_number.to_string(),
        stage: labels::stage(detail.stage),
        state: labels::case_state(detail.state),
        items: detail
            .items
            .iter()
            .map(|i| item(model, i, today, days))
            .collect(),
        visits: detail
            .visits
            .iter()
            .map(|v| ProgressVisit {
                date: format::date_time(v.conducted_at.unwrap_or(v.scheduled_at)),
                status: labels::visit_status(v.status),
            })
            .collect(),
        today: format::date(today),
    }
}

fn item(model: &ReadModel, item: &ItemView, today: NaiveDate, days: &DayIndex) -> ProgressItem {
    let code = &item.catalog.implementation_code;
    let guide = guide(model.catalog(), code);
    let limit = match item.extension_days {
        0 => days_text(item.limit_days),
        more => format!(
            "{}（含延期 {more} 个工作日）",
            days_text(item.limit_days + more)
        ),
    };
    let deadline = match (&item.deadline, item.time_status) {
        (Some(deadline), Some(status)) => Some(DeadlineText::new(deadline, status, today, days)),
        _ => None,
    };
    let ended = match (item.concluded_on, item.concluded_on_time) {
        (Some(on), Some(false)) => Some(format!("{}办结（超期办结）", format::date(on))),
        (Some(on), _) => Some(format!("{}办结", format::date(on))),
        (None, _) => item
            .rejected_on
            .map(|on| format!("{}不予受理", format::date(on))),
    };
    ProgressItem {
        name: item.catalog.name.clone(),
        department: item.catalog.department.clone(),
        status: labels::item_status(item.status),
        limit,
        requested_on: format::date(item.requested_on),
        accepted_on: item.accepted_on.map(format::date),
        deadline,
        ended,
        window: guide.as_ref().map(|g| g.window.clone()).unwrap_or_default(),
        contact: guide
            .as_ref()
            .map(|g| g.contact.clone())
            .unwrap_or_default(),
        guide_href: guide.map(|g| g.href),
    }
}
