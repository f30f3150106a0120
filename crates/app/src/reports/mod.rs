//! 办不成事 reports from the public (`guanjia_domain::report`): anyone submits one without an
//! account and follows it with its tracking code and the last four digits of the phone they
//! gave; staff of the receiving division assign it, refer it, and a leader of the division signs
//! off its answer (like a case's complaint, `complaint_sign_off`). Who may do what, and the
//! reveal of the reporter's phone, are in `staff.rs`; the tracking code in `code.rs`.
//!
//! Which division receives a report: the zone's top division (the one the service runs for,
//! [`App::with_report_division`]). The public cannot be expected to know which town or office
//! is responsible; the district's 办不成事 window takes every report and refers it onwards.

use std::sync::Arc;

use chrono::NaiveDate;
use guanjia_domain::report::{
    ProblemReport, ReportCommand, ReportServices, ReportStatus, ReportSubject, ReportSubjectInput,
};
use guanjia_domain::values::DivisionCode;
use guanjia_store::{CommandContext, Committed, Source};

use crate::{Actor, App, AppError};

mod code;
mod staff;

use code::new_code;
pub use code::normalise_code;
use staff::{authorize, not_found, Handling};
pub use staff::{can_answer_reports, can_handle_reports, can_read_reports};

/// A report as submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemInput {
    pub subject: ReportSubjectInput,
    pub account: String,
    pub phone: String,
}

/// What the reporter is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportReceipt {
    pub tracking_code: String,
    pub committed: Committed,
}

/// What the reporter sees when following the report: no phone, no staff name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportProgress {
    pub tracking_code: String,
    pub subject: ReportSubject,
    pub reported_on: NaiveDate,
    pub status: ReportStatus,
    pub answer: Option<String>,
    pub resolved_on: Option<NaiveDate>,
    pub referred_to: Option<String>,
}

impl App {
    /// Reports go to `division` (the zone's top division) rather than the default district.
    pub fn with_report_division(mut self, division: DivisionCode) -> Self {
        self.report_division = Some(division);
        self
    }

    /// Records a report from the public and returns its new tracking code. No one is signed
    /// in: the front door limits how often a client may submit.
    pub async fn report_problem(
        &self,
        input: ProblemInput,
        context: CommandContext,
    ) -> Result<ReportReceipt, AppError> {
        let division = self.report_division().ok_or_else(|| {
            AppError::Forbidden(
                "this service takes no reports: no division receives them".to_owned(),
            )
        })?;
        let command = ReportCommand::Submit {
            division: division.to_string(),
            subject: input.subject,
            account: input.account,
            phone: input.phone,
        };
        let code = new_code();
        let committed = self
            .store()
            .execute::<ProblemReport>(&code, command, &self.report_services(), context)
            .await?;
        Ok(ReportReceipt {
            tracking_code: code,
            committed,
        })
    }

    /// The report `code` for whoever gives the last four digits of its phone. An unknown code
    /// and a wrong phone read the same (`NOT_FOUND`), so a guess tells nothing.
    pub async fn follow_report(
        &self,
        code: &str,
        last_four: &str,
    ) -> Result<ReportProgress, AppError> {
        let code = normalise_code(code)?;
        let last_four = last_four.trim();
        if last_four.len() != 4 || !last_four.bytes().all(|b| b.is_ascii_digit()) {
            return Err(AppError::bad_input(
                "phoneLastFour",
                "format",
                "the last four digits of the phone given with the report",
            ));
        }
        let report = self.store().load::<ProblemReport>(&code).await?.state;
        let matches = report
            .phone
            .as_ref()
            .is_some_and(|phone| phone.as_str().ends_with(last_four));
        let (Some(subject), Some(reported_at), true) =
            (report.subject, report.reported_at, matches)
        else {
            return Err(not_found());
        };
        Ok(ReportProgress {
            tracking_code: code,
            subject,
            reported_on: guanjia_domain::clock::china_date(reported_at),
            status: report.status,
            answer: report.answer,
            resolved_on: report.resolved_on,
            referred_to: report.referred_to,
        })
    }

    /// Assigns report `code` to `assignee` (staff of the receiving division).
    pub async fn assign_report(
        &self,
        actor: &Actor,
        code: &str,
        assignee: String,
        context: CommandContext,
    ) -> Result<Committed, AppError> {
        let person = staff::named(self.people(), &assignee).await?;
        let command = ReportCommand::Assign { assignee };
        self.on_report(actor, code, command, context, Handling::Assign(person))
            .await
    }

    /// Refers report `code` to another department.
    pub async fn refer_report(
        &self,
        actor: &Actor,
        code: &str,
        to_department: String,
        reason: String,
        context: CommandContext,
    ) -> Result<Committed, AppError> {
        let command = ReportCommand::Refer {
            to_department,
            reason,
        };
        self.on_report(actor, code, command, context, Handling::Work)
            .await
    }

    /// Answers report `code`; with `complaint_sign_off` (the default) only a leader of the
    /// division may, and is recorded as the signer.
    pub async fn resolve_report(
        &self,
        actor: &Actor,
        code: &str,
        answer: String,
        context: CommandContext,
    ) -> Result<Committed, AppError> {
        let sign_off = self.complaint_sign_off();
        let command = ReportCommand::Resolve {
            answer,
            signed_off_by: sign_off.then(|| actor.username.to_string()),
        };
        let handling = if sign_off {
            Handling::SignOff
        } else {
            Handling::Work
        };
        self.on_report(actor, code, command, context, handling)
            .await
    }

    async fn on_report(
        &self,
        actor: &Actor,
        code: &str,
        command: ReportCommand,
        context: CommandContext,
        handling: Handling,
    ) -> Result<Committed, AppError> {
        let code = normalise_code(code)?;
        let actor = actor.clone();
        let guard = move |report: &ProblemReport| -> Result<(), Source> {
            authorize(&actor, report, &handling).map_err(|refusal| Arc::new(refusal) as Source)
        };
        Ok(self
            .store()
            .execute_guarded::<ProblemReport>(
                &code,
                command,
                &self.report_services(),
                context,
                &guard,
            )
            .await?)
    }

    fn report_services(&self) -> ReportServices {
        ReportServices {
            clock: self.services().clock.clone(),
        }
    }
}
