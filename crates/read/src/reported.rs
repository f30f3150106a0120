//! Closed periods (封账) on the read side: each period's figures "as reported" — as they stood
//! when the period was closed — beside the figures "now", and the entries that made the
//! difference.
//!
//! The figures as reported are computed when the model applies `PeriodClosed`: every event
//! before it in the log, and none after, has been applied at that moment, so a replay after a
//! restart and every other node compute the same figures from the same log. (Counts depend on
//! the log alone; the timeliness rates use the calendar and configuration the node holds when
//! it applies the closing.) Every later step of a case in the closing division dated inside
//! the period is kept as a change, with its late-entry reason and the approval that let it in.

use chrono::{DateTime, NaiveDate, Utc};
use guanjia_domain::values::{DivisionCode, Period};
use guanjia_store::LogPosition;
use serde::{Deserialize, Serialize};

use crate::cases::{CaseIx, EventKind};
use crate::dashboard::DashboardQuery;
use crate::kpi::figures::PeriodFigures;
use crate::ReadModel;

/// A closed period and what changed in it since.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Closure {
    pub division: DivisionCode,
    pub period: Period,
    #[serde(with = "crate::snapshot_serde::date")]
    pub closed_on: NaiveDate,
    pub closed_by: Box<str>,
    #[serde(with = "crate::snapshot_serde::position")]
    pub position: LogPosition,
    pub reported: PeriodFigures,
    pub changes: Vec<Change>,
}

/// A step recorded after the closing, dated inside the period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub(crate) struct Change {
    pub case: CaseIx,
    /// The step's event on the case's timeline (its index in the timeline table).
    pub entry: u32,
    pub kind: EventKind,
    #[serde(with = "crate::snapshot_serde::date")]
    pub date: NaiveDate,
    #[serde(with = "crate::snapshot_serde::instant")]
    pub recorded_at: DateTime<Utc>,
    /// The case's late entry (补录) and approval this step was recorded with, if any.
    pub late: Option<u32>,
    pub approval: Option<u32>,
}

/// A closed period of a division, as reported and now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportedPeriod {
    pub division: DivisionCode,
    pub period: Period,
    pub closed_on: NaiveDate,
    pub closed_by: String,
    /// The figures as they stood when the period was closed.
    pub as_reported: PeriodFigures,
    /// The figures as they are now (`today`).
    pub now: PeriodFigures,
    /// The steps recorded since, dated inside the period, oldest first: the difference.
    pub changes: Vec<ReportedChange>,
}

/// One step recorded after its period was closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportedChange {
    pub case_id: String,
    pub case_number: String,
    pub enterprise: String,
    /// The stored event type, e.g. `AgreementSigned`.
    pub event_type: &'static str,
    /// The business date.
    pub business_date: NaiveDate,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: String,
    pub late_reason: Option<String>,
    pub approved_by: Option<String>,
    pub approval_reason: Option<String>,
}

/// A closed period as a list shows it: which division closed which period, when and who.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClosedPeriodEntry {
    pub division: DivisionCode,
    pub period: Period,
    pub closed_on: NaiveDate,
    pub closed_by: String,
    /// The steps recorded since the closing, dated inside the period.
    pub changes: usize,
}

impl ReadModel {
    /// The periods closed for `scope`, for a division inside it or for one above it — what a
    /// leader or an auditor of `scope` is concerned with — latest period first, then by
    /// division. Cheap: no figures are computed.
    pub fn closed_periods_touching(&self, scope: &DivisionCode) -> Vec<ClosedPeriodEntry> {
        let mut list: Vec<ClosedPeriodEntry> = self
            .closures
            .iter()
            .filter(|c| scope.contains(&c.division) || c.division.contains(scope))
            .map(|c| ClosedPeriodEntry {
                division: c.division.clone(),
                period: c.period,
                closed_on: c.closed_on,
                closed_by: c.closed_by.to_string(),
                changes: c.changes.len(),
            })
            .collect();
        list.sort_by(|a, b| {
            (b.period.first_day(), &a.division).cmp(&(a.period.first_day(), &b.division))
        });
        list
    }

    /// Records the closing of `period` for `division`, with its figures as they stand now.
    pub(crate) fn close_period(
        &mut self,
        division: DivisionCode,
        period: Period,
        closed_on: NaiveDate,
        closed_by: &str,
        position: LogPosition,
    ) {
        let query = DashboardQuery {
            from: period.first_day(),
            to: period.last_day(),
            today: closed_on,
            division: Some(division.clone()),
            group_by: None,
            monthly: false,
        };
        let reported = self.dashboard(&query).map(|d| d.period).unwrap_or_default();
        self.closures.push(Closure {
            division,
            period,
            closed_on,
            closed_by: closed_by.into(),
            position,
            reported,
            changes: Vec::new(),
        });
    }

    /// Notes the event just applied to `case` as a change of every closed period holding its
    /// business date whose division holds the case.
    pub(crate) fn note_change(&mut self, case: CaseIx) {
        if self.closures.is_empty() {
            return;
        }
        let Some(record) = self.cases.case(case) else {
            return;
        };
        let Some(entry) = self.cases.timeline.get(record.last_event as usize) else {
            return;
        };
        let (Some(date), kind) = (entry.date, entry.kind) else {
            return;
        };
        if matches!(
            kind,
            EventKind::LateEntryRecorded | EventKind::ClosedPeriodEntryApproved
        ) {
            return;
        }
        let cover = record
            .cover
            .filter(|cover| u64::from(entry.sequence) <= cover.until);
        let change = Change {
            case,
            entry: record.last_event,
            kind,
            date,
            recorded_at: entry.recorded_at,
            late: cover.and_then(|c| c.late),
            approval: cover.and_then(|c| c.approval),
        };
        let division = &record.enterprise.division;
        for closure in &mut self.closures {
            if closure.period.contains(date) && closure.division.contains(division) {
                closure.changes.push(change);
            }
        }
    }

    /// The closed periods of `division` (closed for that division itself), as reported and as
    /// they stand on `today`, optionally only those inside `from ..= to`.
    pub fn reported_periods(
        &self,
        division: &DivisionCode,
        within: Option<(NaiveDate, NaiveDate)>,
        today: NaiveDate,
    ) -> Vec<ReportedPeriod> {
        self.closures
            .iter()
            .filter(|c| &c.division == division)
            .filter(|c| {
                within.is_none_or(|(from, to)| {
                    from <= c.period.first_day() && c.period.last_day() <= to
                })
            })
            .map(|c| {
                let query = DashboardQuery {
                    from: c.period.first_day(),
                    to: c.period.last_day(),
                    today,
                    division: Some(c.division.clone()),
                    group_by: None,
                    monthly: false,
                };
                ReportedPeriod {
                    division: c.division.clone(),
                    period: c.period,
                    closed_on: c.closed_on,
                    closed_by: c.closed_by.to_string(),
                    as_reported: c.reported.clone(),
                    now: self.dashboard(&query).map(|d| d.period).unwrap_or_default(),
                    changes: c.changes.iter().filter_map(|ch| self.change(ch)).collect(),
                }
            })
            .collect()
    }

    fn change(&self, change: &Change) -> Option<ReportedChange> {
        let record = self.cases.case(change.case)?;
        let entry = self.cases.timeline.get(change.entry as usize)?;
        let late = change
            .late
            .and_then(|ix| record.late_entries.get(ix as usize));
        let approval = change
            .approval
            .and_then(|ix| record.approvals.get(ix as usize));
        Some(ReportedChange {
            case_id: record.id.to_string(),
            case_number: record.number.to_string(),
            enterprise: record.enterprise.name.clone(),
            event_type: change.kind.name(),
            business_date: change.date,
            recorded_at: change.recorded_at,
            recorded_by: self.symbols.owned(entry.actor),
            late_reason: late.map(|l| l.reason.to_string()),
            approved_by: approval.map(|a| a.approved_by.to_string()),
            approval_reason: approval.map(|a| a.reason.to_string()),
        })
    }
}
