//! The case page's data, built from the read model's `CaseDetail`: words instead of enums,
//! dates in Chinese, staff by name, and personal data masked with the API's own masking
//! (`guanjia_api::graphql::types::values`). The page never shows personal data unmasked by
//! itself: the contact is shown whole only after a deliberate reveal (`case::reveal`), which
//! the API records in the access log.

use chrono::NaiveDate;
use guanjia_api::graphql::types::values::{name as masked_name, phone as masked_phone};
use guanjia_domain::case::model::{Channel, Person, PlanContent};
use guanjia_read::detail::{ItemView, VisitView};
use guanjia_read::{CaseDetail, DayIndex};

use super::case_parts::{
    ComplaintRow, ItemRow, MemberRow, PlanRow, RatingRow, TimelineRow, VisitRow,
};
use crate::format::{self, bar_class, DeadlineText};
use crate::{labels, Web};

/// A person's name and phone as the page shows them: masked, or 已删除 after an erasure.
pub(super) fn person(person: &Person, erased: bool) -> String {
    if erased {
        return "已删除".to_owned();
    }
    let name = person.name.as_deref().map(|n| masked_name(n, false));
    let phone = person.phone.as_ref().map(|p| masked_phone(p, false));
    match (name, phone) {
        (Some(n), Some(p)) => format!("{n}（{p}）"),
        (Some(n), None) => n,
        (None, Some(p)) => p,
        (None, None) => "未留".to_owned(),
    }
}

/// The contact of the enterprise, masked.
pub(super) fn contact(detail: &CaseDetail) -> String {
    let e = &detail.enterprise;
    let someone = Person {
        name: e.contact_name.clone(),
        phone: e.contact_phone.clone(),
    };
    person(&someone, detail.personal_data_erased)
}

pub(super) fn members(web: &Web, detail: &CaseDetail) -> (Option<String>, Vec<MemberRow>) {
    let lead = detail
        .team
        .lead_steward
        .as_ref()
        .map(|s| format!("{}（{}）", web.staff_name(&s.user_id), labels::tier(s.tier)));
    let members = detail
        .team
        .members
        .iter()
        .map(|m| MemberRow {
            name: web.staff_name(&m.user_id),
            role: m.role.clone().unwrap_or_default(),
            tier: labels::tier(m.tier),
        })
        .collect();
    (lead, members)
}

pub(super) fn plan(detail: &CaseDetail) -> Option<PlanRow> {
    let plan = detail.plan.as_ref()?;
    let PlanContent {
        text,
        planned_items,
        milestones,
    } = &plan.plan;
    Some(PlanRow {
        version: plan.version,
        text: text.clone(),
        planned_items: planned_items.join("、"),
        milestones: milestones
            .iter()
            .map(|m| format!("{}：{}", m.name, format::date(m.due_on)))
            .collect(),
        recorded: format::date_time(plan.recorded_at),
    })
}

pub(super) fn item(item: &ItemView, today: NaiveDate, days: &DayIndex) -> ItemRow {
    let total = item.limit_days + item.extension_days;
    let used = item.used_days.unwrap_or(0);
    // Working days from acceptance to today (or to the end), less those counted: the suspended.
    let end = item.concluded_on.or(item.rejected_on).unwrap_or(today);
    let gross = item
        .accepted_on
        .map_or(0, |accepted| days.working_days_between(accepted, end));
    let deadline = match (&item.deadline, item.time_status) {
        (Some(deadline), Some(status)) => Some(DeadlineText::new(deadline, status, today, days)),
        _ => None,
    };
    let ended = match (item.concluded_on, item.concluded_on_time, item.outcome) {
        (Some(on), on_time, Some(outcome)) => Some(format!(
            "{}办结（{}）{}",
            format::date(on),
            labels::outcome(outcome),
            match on_time {
                Some(true) => "，按期办结",
                Some(false) => "，超期办结",
                None => "",
            }
        )),
        _ => item.rejected_on.map(|on| {
            let why = item.rejection_reason.as_deref().unwrap_or("");
            format!("{}不予受理：{why}", format::date(on))
        }),
    };
    ItemRow {
        anchor: format!("item-{}", item.item_no),
        no: item.item_no,
        name: item.catalog.name.clone(),
        code: item.catalog.implementation_code.clone(),
        department: item.catalog.department.clone(),
        kind: item.catalog.item_type.label_zh(),
        mode: labels::handling_mode(item.mode),
        status: labels::item_status(item.status),
        bundle: item.bundle.as_ref().map(|b| b.name.clone()),
        requested_on: format::date(item.requested_on),
        accepted_on: item.accepted_on.map(format::date),
        limit_days: item.limit_days,
        extension_days: item.extension_days,
        used_days: used,
        suspended_days: gross.saturating_sub(used),
        bar: bar_class(used, total),
        class: deadline.as_ref().map_or("ok", |d| d.class),
        deadline,
        suspensions: item
            .suspensions
            .iter()
            .map(|s| {
                let until = s.until.map_or_else(|| "至今".to_owned(), format::date);
                format!(
                    "{}：{} — {}",
                    labels::suspension(s.reason),
                    format::date(s.from),
                    until
                )
            })
            .collect(),
        ended,
    }
}

pub(super) fn visit(visit: &VisitView) -> VisitRow {
    VisitRow {
        anchor: format!("visit-{}", visit.visit_no),
        status: labels::visit_status(visit.status),
        when: format::date_time(visit.scheduled_at),
        place: visit.place.clone(),
        purpose: visit.purpose.clone(),
        conducted: visit.conducted_at.map(format::date_time),
        participants: visit.participants.join("、"),
        notes: visit.notes.clone().unwrap_or_default(),
        issues: visit.issues_raised.clone(),
        follow_ups: visit.follow_ups.clone(),
        cancel_reason: visit.cancel_reason.clone(),
    }
}

pub(super) fn ratings(detail: &CaseDetail) -> Vec<RatingRow> {
    detail
        .ratings
        .iter()
        .map(|r| RatingRow {
            anchor: format!("rating-{}", r.rating_no),
            target: labels::rating_target(r.target),
            level: format!("{}（{} 级）", r.level.label_zh(), r.level.get()),
            bad: r.level.is_bad() && !r.voided,
            dimensions: r
                .dimensions
                .iter()
                .map(|(key, score)| format!("{} {score}", labels::dimension(key)))
                .collect::<Vec<_>>()
                .join("，"),
            channel: labels::channel(r.channel),
            arrival: match (&r.recorded_by, r.channel) {
                (Some(staff), _) => Some(format!("工作人员 {staff} 录入")),
                (None, Channel::QrCode | Channel::Sms) => Some("经评价链接自评".to_owned()),
                (None, _) => None,
            },
            comment: r.comment.clone().unwrap_or_default(),
            rater: person(&r.rater, detail.personal_data_erased),
            rated_at: format::date_time(r.rated_at),
            voided: r.voided,
            step: r.bad_rating_loop.as_ref().map(|l| {
                let due = match l.stage {
                    guanjia_read::detail::LoopStage::AwaitingCallBack => {
                        format!("，回访期限 {}", format::date(l.call_back_due.date))
                    }
                    guanjia_read::detail::LoopStage::AwaitingRectification => {
                        format!("，整改期限 {}", format::date(l.rectification_due.date))
                    }
                    _ => String::new(),
                };
                format!(
                    "{}{due}{}",
                    labels::loop_stage(l.stage),
                    if l.overdue { "（已逾期）" } else { "" }
                )
            }),
        })
        .collect()
}

pub(super) fn complaints(web: &Web, detail: &CaseDetail) -> Vec<ComplaintRow> {
    detail
        .complaints
        .iter()
        .map(|c| ComplaintRow {
            anchor: format!("complaint-{}", c.complaint_no),
            lodged: format::date(c.lodged_on),
            status: labels::complaint_status(c.status),
            channel: labels::channel(c.channel),
            content: c.content.clone(),
            complainant: person(&c.complainant, detail.personal_data_erased),
            assignee: c.assignee.as_deref().map(|a| web.staff_name(a)),
            answer: c.answer.clone(),
            signed_off_by: c.signed_off_by.as_deref().map(|s| web.staff_name(s)),
            referred: c
                .referred_to
                .as_ref()
                .map(|to| format!("{to}：{}", c.referral_reason.as_deref().unwrap_or(""))),
        })
        .collect()
}

pub(super) fn timeline(web: &Web, detail: &CaseDetail) -> Vec<TimelineRow> {
    detail
        .timeline
        .iter()
        .rev()
        .map(|t| TimelineRow {
            when: format::date_time(t.recorded_at),
            who: format!(
                "{}（{}）",
                web.staff_name(&t.actor_id),
                labels::role_name(&t.actor_role)
            ),
            summary: t.summary.clone(),
            business_date: t
                .business_date
                .filter(|d| *d != guanjia_domain::clock::china_date(t.recorded_at))
                .map(|d| format!("业务日期 {}", format::date(d))),
            // The record itself says as much in its summary; its step's events say it here.
            late: t
                .late_entry
                .as_ref()
                .filter(|_| t.event_type != "LateEntryRecorded")
                .map(|n| format!("补录（晚 {} 个工作日）：{}", n.working_days_late, n.reason)),
            approved: t
                .approval
                .as_ref()
                .filter(|_| t.event_type != "ClosedPeriodEntryApproved")
                .map(|n| {
                    format!(
                        "封账期 {} 内补录，经 {} 批准：{}",
                        n.period,
                        web.staff_name(&n.approved_by),
                        n.reason
                    )
                }),
        })
        .collect()
}
