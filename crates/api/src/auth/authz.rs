//! Who may do what: the one place where roles and division scopes are checked (domain.md,
//! "Who uses it"). Resolvers ask these functions and never compare roles themselves.
//!
//! | role    | reads cases            | writes cases                        | other                    |
//! |---------|------------------------|-------------------------------------|--------------------------|
//! | steward | in their division      | on the team (and in their division) | registers cases in scope |
//! | leader  | in their subtree       | on the team; manages teams in scope | reviews rating appeals   |
//! | auditor | in scope, full history | never                               | audits the log in scope  |
//! | admin   | never                  | never                               | users, catalog, config   |
//!
//! Writing requires reading: a team member must also have the case in their division, so a
//! write never lands on a case its author could not look at. Admins do not see cases: they
//! run the system, the stewards' work is not theirs to read (separation of duties).

use guanjia_domain::case::{CaseCommand, EnterpriseCase};
use guanjia_domain::user::Role;
use guanjia_domain::values::DivisionCode;

use super::Actor;
use crate::error::ApiError;

/// May `actor` read a case located in `case_division`?
pub fn can_read_case(actor: &Actor, case_division: &DivisionCode) -> bool {
    match actor.role {
        Role::Steward | Role::Leader | Role::Auditor => actor.division.contains(case_division),
        Role::Admin => false,
    }
}

/// May `actor` do the team's work on a case (visits, items, ratings, complaints, plan, notes)?
/// `team_members` holds the lead steward and the members.
pub fn can_write_case(actor: &Actor, case_division: &DivisionCode, team_members: &[&str]) -> bool {
    matches!(actor.role, Role::Steward | Role::Leader)
        && team_members.contains(&actor.username.as_str())
        && actor.division.contains(case_division)
}

/// May `actor` register a new case for an enterprise in `division`?
pub fn can_register_case(actor: &Actor, division: &DivisionCode) -> bool {
    matches!(actor.role, Role::Steward | Role::Leader) && actor.division.contains(division)
}

/// May `actor` assign or replace the lead steward and add or remove team members?
pub fn can_manage_team(actor: &Actor, case_division: &DivisionCode) -> bool {
    actor.role == Role::Leader && actor.division.contains(case_division)
}

/// May `actor` decide an appeal of a bad rating (申诉复核)? A reviewer outside the team.
pub fn can_review_appeal(actor: &Actor, case_division: &DivisionCode) -> bool {
    actor.role == Role::Leader && actor.division.contains(case_division)
}

/// May `actor` read the full event history and actor records of `division`?
pub fn can_audit(actor: &Actor, division: &DivisionCode) -> bool {
    actor.role == Role::Auditor && actor.division.contains(division)
}

/// May `actor` manage users, the catalog, the calendar and the configuration?
pub fn can_admin(actor: &Actor) -> bool {
    actor.role == Role::Admin
}

/// May `actor` see personal data (phone numbers, rater identity) of a case? The team, the
/// leaders above it and the auditors; a steward who merely has the case in scope may not.
pub fn can_see_personal_data(
    actor: &Actor,
    case_division: &DivisionCode,
    team_members: &[&str],
) -> bool {
    can_write_case(actor, case_division, team_members)
        || (matches!(actor.role, Role::Leader | Role::Auditor)
            && actor.division.contains(case_division))
}

/// The check for one case command against the case as loaded: `Ok` or why not.
pub fn authorize_case_command(
    actor: &Actor,
    command: &CaseCommand,
    case: &EnterpriseCase,
) -> Result<(), ApiError> {
    let Some(enterprise) = &case.enterprise else {
        return Err(ApiError::NotFound {
            what: "case".to_owned(),
        });
    };
    let division = &enterprise.division;
    if !can_read_case(actor, division) {
        // Not FORBIDDEN: someone who may not read a case is not told that it exists.
        return Err(ApiError::NotFound {
            what: "case".to_owned(),
        });
    }
    let team = team_of(case);
    let allowed = match command {
        CaseCommand::Register { .. } => false,
        CaseCommand::AssignLeadSteward { .. }
        | CaseCommand::AddTeamMember { .. }
        | CaseCommand::RemoveTeamMember { .. } => can_manage_team(actor, division),
        CaseCommand::DecideAppeal { .. } => can_review_appeal(actor, division),
        _ => can_write_case(actor, division, &team),
    };
    if allowed {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!(
            "a {} may not do this on this case",
            actor.role
        )))
    }
}

/// The lead steward and the members of a case's team.
pub fn team_of(case: &EnterpriseCase) -> Vec<&str> {
    case.lead_steward
        .iter()
        .map(String::as_str)
        .chain(case.members.keys().map(String::as_str))
        .collect()
}

#[cfg(test)]
mod tests;
