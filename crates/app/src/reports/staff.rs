//! Who may do what to a 办不成事 report, asked by the use cases (on the report as loaded for
//! the command) and by the front doors (to show only the steps that will be accepted): read it
//! (stewards, leaders and auditors of the receiving division), handle it (stewards and
//! leaders), answer it (a leader while `complaint_sign_off` is on), be assigned it (an active
//! steward or leader whose division holds the report's). And the deliberate reveal of the
//! reporter's phone, for those who may read the report.

use guanjia_domain::report::ProblemReport;
use guanjia_domain::user::{Account, Role, Username};
use guanjia_domain::values::DivisionCode;
use guanjia_domain::DomainError;

use super::normalise_code;
use crate::People;
use crate::{Actor, App, AppError};

/// What the actor does to a report.
#[derive(Debug, Clone)]
pub(super) enum Handling {
    /// Refer (or answer without sign-off): stewards and leaders of the division.
    Work,
    /// Assign to this person (`None`: no such user), looked up before the command.
    Assign(Option<Account>),
    /// Answer with sign-off: leaders of the division.
    SignOff,
}

/// May `actor` read the reports of `division`? Stewards, leaders and auditors whose scope holds it.
pub fn can_read_reports(actor: &Actor, division: &DivisionCode) -> bool {
    matches!(actor.role, Role::Steward | Role::Leader | Role::Auditor)
        && actor.division.contains(division)
}

/// May `actor` assign and refer the reports of `division`? Its stewards and leaders.
pub fn can_handle_reports(actor: &Actor, division: &DivisionCode) -> bool {
    matches!(actor.role, Role::Steward | Role::Leader) && can_read_reports(actor, division)
}

/// May `actor` answer the reports of `division`? With sign-off required, its leaders only.
pub fn can_answer_reports(actor: &Actor, division: &DivisionCode, sign_off: bool) -> bool {
    if sign_off {
        actor.role == Role::Leader && can_read_reports(actor, division)
    } else {
        can_handle_reports(actor, division)
    }
}

impl App {
    /// The reporter's phone of report `code`, whole, for whoever may read the report (a
    /// deliberate reveal: the front door records the read in the access log before it shows
    /// it). Unknown and out-of-scope reports read the same (`NOT_FOUND`).
    pub async fn report_phone(&self, actor: &Actor, code: &str) -> Result<String, AppError> {
        let code = normalise_code(code)?;
        let report = self.store().load::<ProblemReport>(&code).await?.state;
        let readable = report
            .division
            .as_ref()
            .is_some_and(|division| can_read_reports(actor, division));
        match (readable, report.phone) {
            (true, Some(phone)) => Ok(phone.as_str().to_owned()),
            _ => Err(not_found()),
        }
    }
}

/// The account of the person a report is to be assigned to, as it is now (`None`: no user).
pub(super) async fn named(
    people: &dyn People,
    assignee: &str,
) -> Result<Option<Account>, AppError> {
    let name = Username::parse(assignee.trim()).map_err(|e| DomainError::invalid("assignee", e))?;
    Ok(people.account(&name).await?)
}

/// Whether `actor` may take the step on `report`. Outside the actor's scope the report does
/// not exist for them; the assignee is judged only after the actor's own check, so that its
/// refusal tells nothing to whom may not know the report.
pub(super) fn authorize(
    actor: &Actor,
    report: &ProblemReport,
    handling: &Handling,
) -> Result<(), AppError> {
    let Some(division) = &report.division else {
        return Err(not_found());
    };
    if !can_read_reports(actor, division) {
        return Err(not_found());
    }
    let allowed = match handling {
        Handling::Work | Handling::Assign(_) => can_handle_reports(actor, division),
        Handling::SignOff => can_answer_reports(actor, division, true),
    };
    if !allowed {
        return Err(AppError::Forbidden(match handling {
            Handling::SignOff => format!(
                "a 办不成事 report is answered with the sign-off of a leader of the division (you are a {})",
                actor.role
            ),
            Handling::Work | Handling::Assign(_) => {
                format!("a {} may not handle reports", actor.role)
            }
        }));
    }
    match handling {
        Handling::Assign(person) => check_assignee(person.as_ref(), division),
        Handling::Work | Handling::SignOff => Ok(()),
    }
}

/// An active steward or leader whose division holds the report's.
fn check_assignee(person: Option<&Account>, division: &DivisionCode) -> Result<(), AppError> {
    let Some(account) = person.filter(|a| a.is_active()) else {
        return Err(AppError::bad_input(
            "assignee",
            "unknown_user",
            "no active user of that name",
        ));
    };
    if !matches!(account.role, Role::Steward | Role::Leader) {
        return Err(AppError::bad_input(
            "assignee",
            "role",
            format!(
                "{} is a {}; only stewards and leaders handle reports",
                account.username, account.role
            ),
        ));
    }
    if !account.division.contains(division) {
        return Err(AppError::bad_input(
            "assignee",
            "out_of_scope",
            format!("the report's division is outside {}'s", account.username),
        ));
    }
    Ok(())
}

pub(super) fn not_found() -> AppError {
    AppError::NotFound {
        what: "report".to_owned(),
    }
}
