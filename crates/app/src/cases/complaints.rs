//! Complaints (办不成事): lodge, assign, resolve, refer. The team's work, except the answer:
//! a leader of the division outside the team signs it off (when so configured, the default).

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

    /// Answers a complaint. Where sign-off is required (the default), the actor signs the
    /// answer off and must be a leader of the division outside the case's team
    /// ([`crate::authz::can_sign_off_complaint`]); the case records them as the signer.
    pub async fn resolve_complaint(
        self,
        complaint_no: u32,
        answer: String,
        resolved_on: Option<NaiveDate>,
    ) -> Result<CaseOutcome, AppError> {
        let signed_off_by = self
            .app
            .complaint_sign_off()
            .then(|| self.actor.username.to_string());
        self.send(CaseCommand::ResolveComplaint {
            complaint_no,
            answer,
            resolved_on,
            signed_off_by,
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
