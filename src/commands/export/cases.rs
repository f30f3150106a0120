//! The case tables: the case list, the service items (办件) and the ratings (好差评), one row
//! each, built from the read model's case details as of `today`.
//!
//! Personal data (a rater's or contact's name and phone) is left out unless asked for: an
//! export travels by e-mail and USB stick, far from the access checks of the API.

use chrono::NaiveDate;
use guanjia_domain::case::model::{AgreementScope, RatingTarget};
use guanjia_domain::clock::china_date;
use guanjia_read::{CaseDetail, CaseQuery, KpiConfig, ReadModel, MAX_PAGE_SIZE};

use super::period::{keeps, Period};
use super::table::{Cell, Table};

/// Every case's detail, in case-number order.
pub fn all_cases(model: &ReadModel, today: NaiveDate) -> anyhow::Result<Vec<CaseDetail>> {
    let mut details = Vec::with_capacity(model.case_count());
    let mut query = CaseQuery {
        first: Some(MAX_PAGE_SIZE),
        ..CaseQuery::default()
    };
    loop {
        let page = model.search(&query, today)?;
        details.extend(
            page.items
                .iter()
                .filter_map(|summary| model.case_detail(&summary.id, today)),
        );
        match page.next_cursor {
            Some(cursor) => query.after = Some(cursor),
            None => return Ok(details),
        }
    }
}

/// The case list.
pub fn case_table(cases: &[CaseDetail], personal: bool) -> Table {
    let mut table = Table::new(
        "cases",
        &[
            "case_number",
            "enterprise",
            "uscc",
            "division",
            "state",
            "stage",
            "lead_steward",
            "lead_source",
            "registered_on",
            "signed_on",
            "agreement_scope",
            "agreement_stage",
            "key_project",
            "visits_conducted",
            "items",
            "items_open",
            "ratings",
            "complaints",
            "contact_name",
            "contact_phone",
        ],
    );
    for case in cases {
        let e = &case.enterprise;
        let conducted = case
            .visits
            .iter()
            .filter(|v| v.conducted_at.is_some())
            .count();
        let open = case.items.iter().filter(|i| !i.status.is_final()).count();
        let key_project = case.projects.iter().any(|p| p.details.key_project);
        table.rows.push(vec![
            Cell::Text(case.case_number.to_string()),
            Cell::Text(e.name.clone()),
            Cell::text(e.uscc.as_ref().map(ToString::to_string)),
            Cell::Text(e.division.to_string()),
            Cell::label(&case.state),
            Cell::label(&case.stage),
            Cell::text(case.team.lead_steward.as_ref().map(|l| l.user_id.clone())),
            Cell::label(&case.lead_source),
            Cell::Date(case.registered_on),
            Cell::date(case.agreement.as_ref().map(|a| a.signed_on)),
            case.agreement
                .as_ref()
                .map_or(Cell::Empty, |a| Cell::label(&a.scope)),
            match case.agreement.as_ref().map(|a| a.scope) {
                Some(AgreementScope::Stage(stage)) => Cell::label(&stage),
                _ => Cell::Empty,
            },
            Cell::yes_no(Some(key_project)),
            Cell::int(conducted),
            Cell::int(case.items.len()),
            Cell::int(open),
            Cell::int(case.ratings.len()),
            Cell::int(case.complaints.len()),
            personal_cell(personal, e.contact_name.clone()),
            personal_cell(personal, e.contact_phone.as_ref().map(ToString::to_string)),
        ]);
    }
    table
}

/// The service items of every case (of the period, when there is one).
pub fn item_table(cases: &[CaseDetail], period: Option<Period>) -> Table {
    let mut table = Table::new(
        "items",
        &[
            "case_number",
            "enterprise",
            "item_no",
            "implementation_code",
            "item",
            "item_type",
            "department",
            "bundle",
            "mode",
            "status",
            "requested_on",
            "accepted_on",
            "limit_days",
            "extension_days",
            "deadline",
            "deadline_provisional",
            "time_status",
            "used_days",
            "outcome",
            "concluded_on",
            "concluded_on_time",
            "result_reference",
            "rejected_on",
            "materials_submitted",
            "onsite_trips",
        ],
    );
    for case in cases {
        let items = case.items.iter();
        for item in items.filter(|item| keeps(period, |p| p.has_item(item))) {
            table.rows.push(vec![
                Cell::Text(case.case_number.to_string()),
                Cell::Text(case.enterprise.name.clone()),
                Cell::int(item.item_no),
                Cell::Text(item.catalog.implementation_code.clone()),
                Cell::Text(item.catalog.name.clone()),
                Cell::Text(item.catalog.item_type.label_zh().to_owned()),
                Cell::Text(item.catalog.department.clone()),
                Cell::text(item.bundle.as_ref().map(|b| b.name.clone())),
                Cell::label(&item.mode),
                Cell::label(&item.status),
                Cell::Date(item.requested_on),
                Cell::date(item.accepted_on),
                Cell::int(item.limit_days),
                Cell::int(item.extension_days),
                Cell::date(item.deadline.as_ref().map(|d| d.date)),
                Cell::yes_no(item.deadline.as_ref().map(|d| d.provisional)),
                item.time_status.as_ref().map_or(Cell::Empty, Cell::label),
                item.used_days.map_or(Cell::Empty, Cell::int),
                item.outcome.as_ref().map_or(Cell::Empty, Cell::label),
                Cell::date(item.concluded_on),
                Cell::yes_no(item.concluded_on_time),
                Cell::text(item.result_reference.clone()),
                Cell::date(item.rejected_on),
                item.materials_submitted.map_or(Cell::Empty, Cell::int),
                item.onsite_trips.map_or(Cell::Empty, Cell::int),
            ]);
        }
    }
    table
}

/// The ratings of every case (given in the period, when there is one); rater identity only
/// with `personal`. "good" follows the configured good levels, as the dashboard's good-rating
/// rate does.
pub fn rating_table(
    cases: &[CaseDetail],
    config: &KpiConfig,
    personal: bool,
    period: Option<Period>,
) -> Table {
    let mut table = Table::new(
        "ratings",
        &[
            "case_number",
            "enterprise",
            "rating_no",
            "target",
            "target_no",
            "level",
            "good",
            "channel",
            "dimension_set",
            "comment",
            "rated_on",
            "follow_up_of",
            "voided",
            "bad_rating_stage",
            "rater_name",
            "rater_phone",
        ],
    );
    for case in cases {
        let ratings = case.ratings.iter();
        for rating in ratings.filter(|rating| keeps(period, |p| p.has_rating(rating))) {
            let (target, number) = match rating.target {
                RatingTarget::Visit(no) => ("visit", no),
                RatingTarget::Item(no) => ("item", no),
            };
            table.rows.push(vec![
                Cell::Text(case.case_number.to_string()),
                Cell::Text(case.enterprise.name.clone()),
                Cell::int(rating.rating_no),
                Cell::Text(target.to_owned()),
                Cell::int(number),
                Cell::int(rating.level.get()),
                Cell::yes_no(Some(config.is_good(rating.level))),
                Cell::label(&rating.channel),
                Cell::label(&rating.dimension_set),
                Cell::text(rating.comment.clone()),
                Cell::Date(china_date(rating.rated_at)),
                rating.follow_up_of.map_or(Cell::Empty, Cell::int),
                Cell::yes_no(Some(rating.voided)),
                rating
                    .bad_rating_loop
                    .as_ref()
                    .map_or(Cell::Empty, |l| Cell::label(&l.stage)),
                personal_cell(personal, rating.rater.name.clone()),
                personal_cell(
                    personal,
                    rating.rater.phone.as_ref().map(ToString::to_string),
                ),
            ]);
        }
    }
    table
}

fn personal_cell(personal: bool, value: Option<String>) -> Cell {
    if personal {
        Cell::text(value)
    } else {
        Cell::Empty
    }
}

/// The steps recorded as late entries (补录) or let into a closed period (封账) by a leader's
/// approval, one row per event of such a step: the late-entry flag with its reason, and the
/// approval with its leader and reason. With a period, the steps dated inside it.
pub fn late_entry_table(cases: &[CaseDetail], period: Option<Period>) -> Table {
    let mut table = Table::new(
        "late_entries",
        &[
            "case_number",
            "enterprise",
            "event",
            "summary",
            "business_date",
            "recorded_on",
            "recorded_by",
            "late_entry",
            "working_days_late",
            "late_reason",
            "closed_period",
            "approved_by",
            "approval_reason",
        ],
    );
    for case in cases {
        for item in &case.timeline {
            let is_record = matches!(
                item.event_type,
                "LateEntryRecorded" | "ClosedPeriodEntryApproved"
            );
            if is_record || (item.late_entry.is_none() && item.approval.is_none()) {
                continue;
            }
            if !keeps(period, |p| {
                item.business_date.is_some_and(|d| p.contains(d))
            }) {
                continue;
            }
            let late = item.late_entry.as_ref();
            let approval = item.approval.as_ref();
            table.rows.push(vec![
                Cell::Text(case.case_number.to_string()),
                Cell::Text(case.enterprise.name.clone()),
                Cell::Text(item.event_type.to_owned()),
                Cell::Text(item.summary.clone()),
                Cell::date(item.business_date),
                Cell::Date(china_date(item.recorded_at)),
                Cell::Text(item.actor_id.clone()),
                Cell::yes_no(Some(late.is_some())),
                late.map_or(Cell::Empty, |n| Cell::int(n.working_days_late)),
                Cell::text(late.map(|n| n.reason.clone())),
                Cell::text(approval.map(|n| n.period.clone())),
                Cell::text(approval.map(|n| n.approved_by.clone())),
                Cell::text(approval.map(|n| n.reason.clone())),
            ]);
        }
    }
    table
}
