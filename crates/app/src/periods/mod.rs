//! Closed periods (封账), the use cases: a leader closes a reported period of a division in
//! their subtree, approves one entry of one case dated inside a closed period, and reads the
//! closed periods of a division. The check of every dated step against them is `check.rs`.
//!
//! How an approval works (docs/user-guide.md, "Closed periods"): a leader of the division that
//! closed the period grants it for one case and that period, with a reason
//! (`EntryApprovalGranted`, numbered within the division). The team then records the step as
//! usual; the check finds the unused approval and the case records which one it used
//! (`ClosedPeriodEntryApproved`, in the same commit as the step). An auditor reads the
//! leader's reason on either side, and one approval lets in exactly one entry.

pub(crate) mod check;

use guanjia_domain::case::EnterpriseCase;
use guanjia_domain::periods::{PeriodCommand, ReportingPeriods};
use guanjia_domain::user::Role;
use guanjia_domain::values::{DivisionCode, Period};
use guanjia_domain::DomainError;
use guanjia_store::{CommandContext, Committed};

use crate::{authz, Actor, App, AppError};

impl App {
    /// Closes `period` for `division`: leaders, within their subtree.
    pub async fn close_period(
        &self,
        actor: &Actor,
        division: &str,
        period: &str,
        context: CommandContext,
    ) -> Result<Committed, AppError> {
        let division = leader_of(actor, division, "close a period")?;
        let period = parse_period(period)?;
        let command = PeriodCommand::Close {
            division: division.clone(),
            period,
            by: actor.username.to_string(),
        };
        Ok(self
            .store()
            .execute::<ReportingPeriods>(division.as_str(), command, self.services(), context)
            .await?)
    }

    /// Approves one entry of the case `case_id` dated inside `period`, closed for `division`:
    /// leaders of that division (within their subtree), for a case in it, with a reason.
    pub async fn approve_closed_period_entry(
        &self,
        actor: &Actor,
        division: &str,
        period: &str,
        case_id: &str,
        reason: &str,
        context: CommandContext,
    ) -> Result<Committed, AppError> {
        let division = leader_of(actor, division, "approve an entry into a closed period")?;
        let period = parse_period(period)?;
        let case = self.store().load::<EnterpriseCase>(case_id).await?.state;
        let Some(enterprise) = case.enterprise else {
            return Err(authz::case_not_found());
        };
        authz::authorize_case_read(actor, &enterprise.division)?;
        if !division.contains(&enterprise.division) {
            return Err(AppError::bad_input(
                "caseId",
                "out_of_division",
                format!(
                    "the case lies in division {}, outside {division}: its entries are approved \
                     by a leader of a division that holds it",
                    enterprise.division
                ),
            ));
        }
        let command = PeriodCommand::GrantEntryApproval {
            division: division.clone(),
            period,
            case_id: case_id.to_owned(),
            by: actor.username.to_string(),
            reason: reason.to_owned(),
        };
        Ok(self
            .store()
            .execute::<ReportingPeriods>(division.as_str(), command, self.services(), context)
            .await?)
    }

    /// The closed periods and approvals of `division` and of each division above it, outermost
    /// first: what a leader or an auditor whose scope overlaps it may read.
    pub async fn reporting_periods(
        &self,
        actor: &Actor,
        division: &str,
    ) -> Result<Vec<(DivisionCode, ReportingPeriods)>, AppError> {
        let division =
            DivisionCode::parse(division).map_err(|e| DomainError::invalid("division", e))?;
        let reads = matches!(actor.role, Role::Leader | Role::Auditor)
            && (actor.division.contains(&division) || division.contains(&actor.division));
        if !reads {
            return Err(AppError::Forbidden(format!(
                "the closed periods of {division} are for its leaders and auditors (you are a {} \
                 of {})",
                actor.role, actor.division
            )));
        }
        let mut books = Vec::new();
        for code in division.ancestors() {
            let book = self
                .store()
                .load::<ReportingPeriods>(code.as_str())
                .await?
                .state;
            books.push((code, book));
        }
        Ok(books)
    }
}

/// `division`, parsed, when `actor` is a leader whose subtree holds it; else why not.
fn leader_of(actor: &Actor, division: &str, what: &str) -> Result<DivisionCode, AppError> {
    let division =
        DivisionCode::parse(division).map_err(|e| DomainError::invalid("division", e))?;
    if actor.role != Role::Leader {
        return Err(AppError::Forbidden(format!(
            "only a leader may {what} (you are a {})",
            actor.role
        )));
    }
    if !actor.division.contains(&division) {
        return Err(AppError::Forbidden(format!(
            "division {division} lies outside your subtree ({})",
            actor.division
        )));
    }
    Ok(division)
}

fn parse_period(period: &str) -> Result<Period, AppError> {
    Ok(Period::parse(period).map_err(|e| DomainError::invalid("period", e))?)
}
