//! On-site visits (走访): schedule, conduct, cancel. The team's work.

use chrono::{DateTime, Utc};
use guanjia_domain::case::CaseCommand;

use super::{CaseOutcome, OnCase};
use crate::AppError;

impl OnCase<'_> {
    /// Schedules a visit.
    pub async fn schedule_visit(
        self,
        scheduled_at: DateTime<Utc>,
        place: String,
        purpose: String,
        planned_participants: Vec<String>,
    ) -> Result<CaseOutcome, AppError> {
        self.send(CaseCommand::ScheduleVisit {
            scheduled_at,
            place,
            purpose,
            planned_participants,
        })
        .await
    }

    /// Records a scheduled visit as conducted.
    pub async fn conduct_visit(
        self,
        visit_no: u32,
        conducted_at: DateTime<Utc>,
        participants: Vec<String>,
        notes: String,
        issues_raised: Vec<String>,
        follow_ups: Vec<String>,
    ) -> Result<CaseOutcome, AppError> {
        self.send(CaseCommand::ConductVisit {
            visit_no,
            conducted_at,
            participants,
            notes,
            issues_raised,
            follow_ups,
        })
        .await
    }

    /// Cancels a scheduled visit.
    pub async fn cancel_visit(
        self,
        visit_no: u32,
        reason: String,
    ) -> Result<CaseOutcome, AppError> {
        self.send(CaseCommand::CancelVisit { visit_no, reason })
            .await
    }
}
