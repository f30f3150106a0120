//! Complaints (投诉): lodge, assign, resolve, refer. The team's work.

use chrono::NaiveDate;
use guanjia_domain::case::commands::PersonInput;
use guanjia_domain::case::model::Channel;
use guanjia_domain::case::CaseCommand;

use super::{CaseOutcome, OnCase};
use crate::AppError;

impl OnCase<'_> {
    /// Lodges a complaint; the complainant is personal data.
    pub async fn lodge_complaint(
        self,
        channel: Channel,
        content: String,
        complainant: PersonInput,
        lodged_on: Option<NaiveDate>,
    ) -> Result<CaseOutcome, AppError> {
        self.send(CaseCommand::LodgeComplaint {
            channel,
            content,
            complainant,
            lodged_on,
        })
        .await
    }

    /// Assigns a complaint to someone who handles it.
    pub async fn assign_complaint(
        self,
        complaint_no: u32,
        assignee: String,
    ) -> Result<CaseOutcome, AppError> {
        self.send(CaseCommand::AssignComplaint {
            complaint_no,
            assignee,
        })
        .await
    }

    /// Answers a complaint.
    pub async fn resolve_complaint(
        self,
        complaint_no: u32,
        answer: String,
        resolved_on: Option<NaiveDate>,
    ) -> Result<CaseOutcome, AppError> {
        self.send(CaseCommand::ResolveComplaint {
            complaint_no,
            answer,
            resolved_on,
        })
        .await
    }

    /// Refers a complaint to another department.
    pub async fn refer_complaint(
        self,
        complaint_no: u32,
        to_department: String,
        reason: String,
    ) -> Result<CaseOutcome, AppError> {
        self.send(CaseCommand::ReferComplaint {
            complaint_no,
            to_department,
            reason,
        })
        .await
    }
}
