//! 办不成事 reports from the public (`guanjia_domain::report`): anyone submits one without an
//! account and follows it with its tracking code and the last four digits of the phone they
//! gave; staff of the receiving division assign it, refer it, and a leader of the division signs
//! off its answer (like a case's complaint, `complaint_sign_off`).
//!
//! Which division receives a report: the zone's top division (the one the service runs for,
//! [`App::with_report_division`]). The public cannot be expected to know which town or office
//! is responsible; the district's 办不成事 window takes every report and refers it onwards.

use std::sync::Arc;

use chrono::NaiveDate;
use guanjia_domain::report::{
    ProblemReport, ReportCommand, ReportServices, ReportStatus, ReportSubject, ReportSubjectInput,
};
use guanjia_domain::user::Role;
use guanjia_domain::values::DivisionCode;
use guanjia_store::{CommandContext, Committed, Source};

use crate::{Actor, App, AppError};

/// The letters of a tracking code: no 0/O, 1/I, so a code read aloud or copied by hand
/// survives.
const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
/// `BB` and ten letters of [`ALPHABET`]: 50 random bits, beyond guessing within the limits.
const CODE_LETTERS: usize = 10;
const PREFIX: &str = "BB";

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
        let command = ReportCommand::Assign { assignee };
        self.on_report(actor, code, command, context, Handling::Work)
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
            authorize(&actor, report, handling).map_err(|refusal| Arc::new(refusal) as Source)
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

/// What the actor does to a report.
#[derive(Debug, Clone, Copy)]
enum Handling {
    /// Assign, refer (or answer without sign-off): stewards and leaders of the division.
    Work,
    /// Answer with sign-off: leaders of the division.
    SignOff,
}

/// May `actor` read the reports of `division`? Stewards, leaders and auditors whose scope holds it.
pub fn can_read_reports(actor: &Actor, division: &DivisionCode) -> bool {
    matches!(actor.role, Role::Steward | Role::Leader | Role::Auditor)
        && actor.division.contains(division)
}

fn authorize(actor: &Actor, report: &ProblemReport, handling: Handling) -> Result<(), AppError> {
    let Some(division) = &report.division else {
        return Err(not_found());
    };
    if !can_read_reports(actor, division) {
        return Err(not_found());
    }
    let allowed = match handling {
        Handling::Work => matches!(actor.role, Role::Steward | Role::Leader),
        Handling::SignOff => actor.role == Role::Leader,
    };
    if allowed {
        return Ok(());
    }
    Err(AppError::Forbidden(match handling {
        Handling::SignOff => format!(
            "a 办不成事 report is answered with the sign-off of a leader of the division (you are a {})",
            actor.role
        ),
        Handling::Work => format!("a {} may not handle reports", actor.role),
    }))
}

fn not_found() -> AppError {
    AppError::NotFound {
        what: "report".to_owned(),
    }
}

/// A new tracking code, from the operating system's randomness (through UUID v4).
fn new_code() -> String {
    let bytes = uuid::Uuid::new_v4().into_bytes();
    let letters = bytes
        .iter()
        .take(CODE_LETTERS)
        .map(|b| char::from(ALPHABET[usize::from(b & 31)]));
    PREFIX.chars().chain(letters).collect()
}

/// A tracking code as typed (any case, spaces or hyphens), in canonical form; or why not.
pub fn normalise_code(input: &str) -> Result<String, AppError> {
    let code: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let letters = code.strip_prefix(PREFIX).unwrap_or("");
    let valid = letters.len() == CODE_LETTERS && letters.bytes().all(|b| ALPHABET.contains(&b));
    if valid {
        Ok(code)
    } else {
        Err(AppError::bad_input(
            "code",
            "format",
            "a tracking code is BB followed by ten letters and digits",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_codes_are_canonical_and_typed_codes_are_normalised() {
        let code = new_code();
        assert_eq!(normalise_code(&code), Ok(code.clone()));
        let typed = format!(" {}-{} ", &code[..6].to_lowercase(), &code[6..]);
        assert_eq!(normalise_code(&typed), Ok(code));
        for bad in ["", "BB123", "XX23456789AB", "BB0123456789", "BB23456789ABC"] {
            assert!(normalise_code(bad).is_err(), "{bad}");
        }
    }
}
