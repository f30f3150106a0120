//! The leadership dashboard: the figures of docs/kpis.md for a period and a division, in total,
//! by group and by month. Counts are integers, rates and averages exact fractions
//! (`values.rs`). Each field's definition is the read model's (kpi/figures.rs); the
//! descriptions here are the short form.

use async_graphql::SimpleObject;
use chrono::NaiveDate;
use guanjia_read::dashboard::{Group, Month};
use guanjia_read::kpi::burden::BurdenReduction as ReadBurden;
use guanjia_read::kpi::figures::{NowFigures as ReadNow, PeriodFigures as ReadPeriod};
use guanjia_read::Dashboard as ReadDashboard;

use super::values::{Average, Rate};
use crate::graphql::enums::GroupBy;

/// The dashboard asked for.
#[derive(SimpleObject)]
pub struct Dashboard {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The division covered: the one asked for, cut to the viewer's scope.
    pub division: String,
    /// The date the "now" figures are for.
    pub today: NaiveDate,
    pub group_by: Option<GroupBy>,
    pub period: PeriodFigures,
    pub now: NowFigures,
    /// One per key, sorted by key, the group without a key last; empty without `groupBy`.
    pub groups: Vec<DashboardGroup>,
    /// One per calendar month touching the period, clipped to it; empty unless `monthly`.
    pub months: Vec<DashboardMonth>,
    /// 减材料、减时限、减跑动: the live catalog's guides against their first versions. The
    /// catalog as it stands, the same for every period and division (docs/kpis.md).
    pub burden_reduction: BurdenReduction,
    /// How many of the period's figures came from late entries (补录).
    pub late_entries: LateEntryFigures,
    /// The periods inside `from`–`to` closed (封账) for this very division, each with its
    /// figures as reported when it was closed and as they are now, and the steps recorded
    /// since that make the difference (docs/kpis.md, "As reported and now").
    pub closed_periods: Vec<ReportedPeriod>,
}

/// The catalog's burden reductions: sums over the live items of their first version
/// ("before") and their current version ("now"), and the cut (before − now) ÷ before.
#[derive(SimpleObject)]
pub struct BurdenReduction {
    /// Live items compared.
    pub items: u64,
    /// Of those, items revised at least once.
    pub items_revised: u64,
    pub materials_before: i64,
    pub materials_now: i64,
    /// Materials cut (减材料).
    pub materials_cut: Rate,
    /// Promised limits (承诺时限) summed, in working days.
    pub promised_days_before: i64,
    pub promised_days_now: i64,
    /// Promised time cut (减时限).
    pub promised_time_cut: Rate,
    pub onsite_trips_before: i64,
    pub onsite_trips_now: i64,
    /// On-site trips cut (减跑动).
    pub onsite_trips_cut: Rate,
}

impl From<ReadBurden> for BurdenReduction {
    fn from(b: ReadBurden) -> Self {
        Self {
            items: b.items,
            items_revised: b.items_revised,
            materials_before: b.materials_before,
            materials_now: b.materials_now,
            materials_cut: b.materials_cut().into(),
            promised_days_before: b.promised_days_before,
            promised_days_now: b.promised_days_now,
            promised_time_cut: b.promised_time_cut().into(),
            onsite_trips_before: b.onsite_trips_before,
            onsite_trips_now: b.onsite_trips_now,
            onsite_trips_cut: b.onsite_trips_cut().into(),
        }
    }
}

/// A closed period's figures as reported and now.
#[derive(SimpleObject)]
pub struct ReportedPeriod {
    pub division: String,
    /// `2023`, `2023-Q4` or `2023-05`.
    pub period: String,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub closed_on: NaiveDate,
    pub closed_by: String,
    /// The figures as they stood when the period was closed.
    pub as_reported: PeriodFigures,
    /// The figures as they are now.
    pub now: PeriodFigures,
    /// The steps recorded after the closing and dated inside the period, oldest first.
    pub changes: Vec<ReportedChange>,
}

/// A step recorded after its period was closed: the case, what, dated, recorded, why and
/// whose approval let it in.
#[derive(SimpleObject)]
pub struct ReportedChange {
    pub case_id: async_graphql::ID,
    pub case_number: String,
    pub enterprise: String,
    /// e.g. `AgreementSigned`.
    pub event_type: String,
    pub business_date: NaiveDate,
    pub recorded_at: chrono::DateTime<chrono::Utc>,
    pub recorded_by: String,
    /// The reason of the late entry (补录), when it was one.
    pub late_reason: Option<String>,
    pub approved_by: Option<String>,
    pub approval_reason: Option<String>,
}

impl From<guanjia_read::ReportedPeriod> for ReportedPeriod {
    fn from(r: guanjia_read::ReportedPeriod) -> Self {
        Self {
            division: r.division.to_string(),
            period: r.period.to_string(),
            first_day: r.period.first_day(),
            last_day: r.period.last_day(),
            closed_on: r.closed_on,
            closed_by: r.closed_by,
            as_reported: r.as_reported.into(),
            now: r.now.into(),
            changes: r
                .changes
                .into_iter()
                .map(|c| ReportedChange {
                    case_id: async_graphql::ID(c.case_id),
                    case_number: c.case_number,
                    enterprise: c.enterprise,
                    event_type: c.event_type.to_owned(),
                    business_date: c.business_date,
                    recorded_at: c.recorded_at,
                    recorded_by: c.recorded_by,
                    late_reason: c.late_reason,
                    approved_by: c.approved_by,
                    approval_reason: c.approval_reason,
                })
                .collect(),
        }
    }
}

/// The figures of the period that came from late entries (补录), each counted by the business
/// date of its step like the figure it is part of (docs/kpis.md, "Late entries").
#[derive(SimpleObject, Debug, Clone, PartialEq, Eq)]
pub struct LateEntryFigures {
    /// Late entries whose step is dated in the period (by its earliest business date).
    pub entries: u64,
    /// Of `period.casesSigned`.
    pub cases_signed: u64,
    /// Of `period.visitsConducted`.
    pub visits_conducted: u64,
    /// Of `period.itemsRequested`.
    pub items_requested: u64,
    /// Of `period.itemsConcluded`.
    pub items_concluded: u64,
}

impl From<guanjia_read::LateFigures> for LateEntryFigures {
    fn from(l: guanjia_read::LateFigures) -> Self {
        Self {
            entries: l.entries,
            cases_signed: l.cases_signed,
            visits_conducted: l.visits_conducted,
            items_requested: l.items_requested,
            items_concluded: l.items_concluded,
        }
    }
}

/// The scope and dates of a dashboard, besides its figures.
pub struct DashboardScope {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub division: String,
    pub today: NaiveDate,
    pub group_by: Option<GroupBy>,
}

impl Dashboard {
    /// The GraphQL form of the read model's dashboard.
    pub fn new(
        scope: DashboardScope,
        d: ReadDashboard,
        burden: ReadBurden,
        reported: Vec<guanjia_read::ReportedPeriod>,
    ) -> Self {
        Self {
            from: scope.from,
            to: scope.to,
            division: scope.division,
            today: scope.today,
            group_by: scope.group_by,
            period: d.period.into(),
            now: d.now.into(),
            groups: d.groups.into_iter().map(DashboardGroup::from).collect(),
            months: d.months.into_iter().map(Into::into).collect(),
            burden_reduction: burden.into(),
            late_entries: d.late.into(),
            closed_periods: reported.into_iter().map(Into::into).collect(),
        }
    }
}

/// The figures of one group.
#[derive(SimpleObject)]
pub struct DashboardGroup {
    /// The steward's username, the department, or the item's implementation code; null for
    /// facts without one.
    pub key: Option<String>,
    /// The item's name, for catalog-item groups.
    pub label: Option<String>,
    pub period: PeriodFigures,
    pub now: NowFigures,
}

impl From<Group> for DashboardGroup {
    fn from(g: Group) -> Self {
        Self {
            key: g.key,
            label: g.label,
            period: g.period.into(),
            now: g.now.into(),
        }
    }
}

/// The period figures of one month.
#[derive(SimpleObject)]
pub struct DashboardMonth {
    pub year: i32,
    pub month: u32,
    /// The days of the month inside the period.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub period: PeriodFigures,
}

impl From<Month> for DashboardMonth {
    fn from(m: Month) -> Self {
        Self {
            year: m.year,
            month: m.month,
            from: m.from,
            to: m.to,
            period: m.period.into(),
        }
    }
}

/// What happened in a period (facts dated in it).
#[derive(SimpleObject, Debug, Clone, PartialEq, Eq)]
pub struct PeriodFigures {
    /// Agreements signed.
    pub cases_signed: u64,
    pub visits_conducted: u64,
    pub items_requested: u64,
    pub items_concluded: u64,
    /// 不予受理.
    pub items_rejected: u64,
    /// Bundle requests (一件事一次办).
    pub bundles_used: u64,
    /// Decided items concluded on or before their deadline ÷ decided items concluded.
    pub on_time_rate: Rate,
    /// Net working days from acceptance to conclusion, per decided item.
    pub average_net_days: Average,
    pub average_statutory_days: Average,
    pub average_promised_days: Average,
    /// 1 − Σ net ÷ Σ statutory.
    pub time_compression: Rate,
    /// Materials submitted ÷ materials the guide requires.
    pub materials_rate: Rate,
    pub trips_per_item: Average,
    /// Items concluded with no on-site trip (零跑腿) ÷ items concluded.
    pub zero_trip_rate: Rate,
    /// Ratings given, follow-ups included, voided ones left out.
    pub ratings: u64,
    /// 好评率.
    pub good_rating_rate: Rate,
    pub bad_ratings: u64,
    /// Bad ratings called back ÷ bad ratings.
    pub call_back_rate: Rate,
    /// Bad ratings rectified by their due date ÷ bad ratings settled.
    pub on_time_rectification_rate: Rate,
    pub complaints_lodged: u64,
    /// Complaints resolved ÷ complaints lodged (referred ones left out).
    pub complaint_resolution_rate: Rate,
}

impl From<ReadPeriod> for PeriodFigures {
    fn from(p: ReadPeriod) -> Self {
        Self {
            cases_signed: p.cases_signed,
            visits_conducted: p.visits_conducted,
            items_requested: p.items_requested,
            items_concluded: p.items_concluded,
            items_rejected: p.items_rejected,
            bundles_used: p.bundles_used,
            on_time_rate: p.on_time_rate.into(),
            average_net_days: p.average_net_days.into(),
            average_statutory_days: p.average_statutory_days.into(),
            average_promised_days: p.average_promised_days.into(),
            time_compression: p.time_compression.into(),
            materials_rate: p.materials_rate.into(),
            trips_per_item: p.trips_per_item.into(),
            zero_trip_rate: p.zero_trip_rate.into(),
            ratings: p.ratings,
            good_rating_rate: p.good_rating_rate.into(),
            bad_ratings: p.bad_ratings,
            call_back_rate: p.call_back_rate.into(),
            on_time_rectification_rate: p.on_time_rectification_rate.into(),
            complaints_lodged: p.complaints_lodged,
            complaint_resolution_rate: p.complaint_resolution_rate.into(),
        }
    }
}

/// The state as of today.
#[derive(SimpleObject, Debug, Clone, PartialEq, Eq)]
pub struct NowFigures {
    pub open_cases: u64,
    /// Open cases with a current key project ÷ open cases.
    pub key_project_coverage: Rate,
    /// Requested, accepted or suspended items.
    pub items_in_progress: u64,
    pub items_warning: u64,
    pub items_overdue: u64,
}

impl From<ReadNow> for NowFigures {
    fn from(n: ReadNow) -> Self {
        Self {
            open_cases: n.open_cases,
            key_project_coverage: n.key_project_coverage.into(),
            items_in_progress: n.items_in_progress,
            items_warning: n.items_warning,
            items_overdue: n.items_overdue,
        }
    }
}
