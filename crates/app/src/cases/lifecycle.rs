//! The life of a case: correct its enterprise, sign the agreement, advance the stage, notes,
//! hold and resume, close and reopen, and the erasure of its personal data on a lawful request
//! (no work on the case but an operation on the people in it: admins only, `admin.rs`).

use chrono::NaiveDate;
use guanjia_domain::case::commands::EnterpriseCorrection;
use guanjia_domain::case::model::{AgreementScope, CloseReason, Stage};
use guanjia_domain::case::CaseCommand;

use super::{CaseOutcome, OnCase};
use crate::AppError;

impl OnCase<'_> {
    /// Corrects enterprise details (a new event; the old facts stay in the history). A new
    /// USCC is claimed first; a new division must stay in the actor's scope.
    pub async fn correct_enterprise_details(
        self,
        correction: EnterpriseCorrection,
        reason: String,
    ) -> Result<CaseOutcome, AppError> {
        self.send(CaseCommand::CorrectEnterpriseDetails { correction, reason })
            .await
    }

    /// Records the signed agreement (代办委托协议).
    pub async fn sign_agreement(
        self,
        scope: AgreementScope,
        signed_on: NaiveDate,
        signatories: Vec<String>,
    ) -> Result<CaseOutcome, AppError> {
        self.send(CaseCommand::SignAgreement {
            scope,
            signed_on,
            signatories,
        })
        .await
    }

    /// Moves the case to a later life stage.
    pub async fn advance_stage(self, to: Stage) -> Result<CaseOutcome, AppError> {
        self.send(CaseCommand::AdvanceStage { to }).await
    }

    /// Adds a note to the timeline.
    pub async fn add_note(self, text: String) -> Result<CaseOutcome, AppError> {
        self.send(CaseCommand::AddNote { text }).await
    }

    /// Pauses the case at the enterprise's request.
    pub async fn hold(
        self,
        reason: String,
        held_on: Option<NaiveDate>,
    ) -> Result<CaseOutcome, AppError> {
        self.send(CaseCommand::Hold { reason, held_on }).await
    }

    /// Ends a pause.
    pub async fn resume(self, resumed_on: Option<NaiveDate>) -> Result<CaseOutcome, AppError> {
        self.send(CaseCommand::Resume { resumed_on }).await
    }

    /// Closes the case; its USCC is free for a new case afterwards.
    pub async fn close(
        self,
        reason: CloseReason,
        summary: String,
        closed_on: Option<NaiveDate>,
    ) -> Result<CaseOutcome, AppError> {
        self.send(CaseCommand::Close {
            reason,
            summary,
            closed_on,
        })
        .await
    }

    /// Starts a new service term on a closed case, claiming its USCC again.
    pub async fn reopen(
        self,
        reason: String,
        reopened_on: Option<NaiveDate>,
    ) -> Result<CaseOutcome, AppError> {
        self.send(CaseCommand::Reopen {
            reason,
            reopened_on,
        })
        .await
    }

    /// Erases the personal data of the case on a lawful request (PIPL art. 47): admins whose
    /// division holds the case. The events stay; the keys of their personal fields are shredded.
    pub async fn erase_personal_data(self, reason: String) -> Result<CaseOutcome, AppError> {
        self.send(CaseCommand::ErasePersonalData { reason }).await
    }
}
