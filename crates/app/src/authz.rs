//! Who may do what: the one place where roles and division scopes are checked (domain.md,
//! "Who uses it"). Resolvers ask these functions and never compare roles themselves.
//!
//! | role    | reads cases            | writes cases                        | other                    |
//! |---------|------------------------|-------------------------------------|--------------------------|
//! | steward | in their division      | on the team (and in their division) | registers cases in scope |
//! | leader  | in their subtree       | on the team; manages teams in scope | reviews rating appeals   |
//! | auditor | in scope, full history | never                               | audits the log in scope  |
//! | admin   | never                  | never (erasure of personal data)    | users, catalog, config   |
//!
//! What an admin may administer — whose accounts, which grants, which erasures, the catalog —
//! is decided by its division in [`crate::admin`].
//!
//! Writing requires reading: a team member must also have the case in their division, so a
//! write never lands on a case its author could not look at. Admins do not see cases: they
//! run the system, the stewards' work is not theirs to read (separation of duties).
//!
//! Reads beyond one case: lists and dashboards are cut to the caller's scope ([`read_scope`]);
//! dashboards are the leaders'; a workload is one's own, or, for a leader, any user's in the
//! subtree; the event history, past states and the hash chain are the auditors'.

use guanjia_domain::case::{CaseCommand, EnterpriseCase};
use guanjia_domain::user::Role;
use guanjia_domain::values::{DivisionCode, Tier};

use crate::admin::can_erase_personal_data;
use crate::Actor;
use crate::AppError;

/// May `actor` read a case located in `case_division`?
pub fn can_read_case(actor: &Actor, case_division: &DivisionCode) -> bool {
    match actor.role {
        Role::Steward | Role::Leader | Role::Auditor => actor.division.contains(case_division),
        Role::Admin | Role::Display => false,
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

/// May `actor` sign off the answer to a 办不成事 complaint on a case in `case_division`? A
/// leader of the division (or above it) who is not on the case's team: the complaint is about
/// the team, so the team does not close it alone.
pub fn can_sign_off_complaint(
    actor: &Actor,
    case_division: &DivisionCode,
    team_members: &[&str],
) -> bool {
    actor.role == Role::Leader
        && actor.division.contains(case_division)
        && !team_members.contains(&actor.username.as_str())
}

/// `Ok` for [`can_sign_off_complaint`], else `FORBIDDEN` saying who signs off.
fn authorize_complaint_sign_off(
    actor: &Actor,
    case_division: &DivisionCode,
    team_members: &[&str],
) -> Result<(), AppError> {
    if can_sign_off_complaint(actor, case_division, team_members) {
        return Ok(());
    }
    let who = if team_members.contains(&actor.username.as_str()) {
        format!("a {} on the case's team", actor.role)
    } else {
        format!("a {}", actor.role)
    };
    Err(AppError::Forbidden(format!(
        "a 办不成事 complaint is resolved with the sign-off of a leader of the division who is \
         not on the case's team (you are {who})"
    )))
}

/// May `actor` read the full event history and actor records of `division`?
pub fn can_audit(actor: &Actor, division: &DivisionCode) -> bool {
    actor.role == Role::Auditor && actor.division.contains(division)
}

/// May `actor` read an event that belongs to no division (the catalog, the cross-case
/// registries)? Auditors of the whole district only: a town's auditor audits the town.
pub fn can_audit_unscoped(actor: &Actor) -> bool {
    actor.role == Role::Auditor && actor.division.tier() == Tier::District
}

/// `Ok` for the roles that read cases at all; admins are `FORBIDDEN` before anything is
/// looked up, so the refusal tells nothing about any case.
pub fn may_read_cases(actor: &Actor) -> Result<(), AppError> {
    match actor.role {
        Role::Steward | Role::Leader | Role::Auditor => Ok(()),
        Role::Admin => Err(AppError::Forbidden(
            "admins do not read cases (separation of duties)".to_owned(),
        )),
        Role::Display => Err(AppError::Forbidden(
            "a hall display shows its dashboard only".to_owned(),
        )),
    }
}

/// `Ok` if `actor` may read a case located in `case_division`, else `NOT_FOUND`: someone who
/// may not read a case is not told that it exists.
pub fn authorize_case_read(actor: &Actor, case_division: &DivisionCode) -> Result<(), AppError> {
    if can_read_case(actor, case_division) {
        Ok(())
    } else {
        Err(case_not_found())
    }
}

/// The division a list or dashboard of `actor` covers: the requested division cut to the
/// actor's scope. `None` when the two do not overlap (the answer is empty). Division scopes
/// are prefixes, so two of them either nest or are disjoint.
pub fn read_scope(
    actor: &Actor,
    requested: Option<&DivisionCode>,
) -> Result<Option<DivisionCode>, AppError> {
    may_read_cases(actor)?;
    let own = &actor.division;
    Ok(match requested {
        None => Some(own.clone()),
        Some(wanted) if own.contains(wanted) => Some(wanted.clone()),
        Some(wanted) if wanted.contains(own) => Some(own.clone()),
        Some(_) => None,
    })
}

/// May `actor` see the leadership dashboard? Leaders, for their subtree ([`read_scope`]).
pub fn may_view_dashboard(actor: &Actor) -> Result<(), AppError> {
    if actor.role == Role::Leader {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "dashboards are for leaders (you are a {})",
            actor.role
        )))
    }
}

/// May `actor` see the workload of `user`, whose account lies in `user_division` (`None`:
/// no such user)? Stewards their own only; leaders their own and anyone's in their subtree (an
/// unknown user is then theirs to be told about).
pub fn can_view_workload(actor: &Actor, user: &str, user_division: Option<&DivisionCode>) -> bool {
    let own = actor.username.as_str() == user;
    match actor.role {
        Role::Steward => own,
        Role::Leader => own || user_division.is_none_or(|d| actor.division.contains(d)),
        Role::Auditor | Role::Admin | Role::Display => false,
    }
}

/// The division whose big screen (大屏) `actor` may show: a hall display its own, a leader
/// their own (to look at it before a display is set up); else `FORBIDDEN`. The screen shows
/// figures only, no case and no personal data.
pub fn big_screen_scope(actor: &Actor) -> Result<DivisionCode, AppError> {
    match actor.role {
        Role::Display | Role::Leader => Ok(actor.division.clone()),
        _ => Err(AppError::Forbidden(format!(
            "the big screen is for hall displays and leaders (you are a {})",
            actor.role
        ))),
    }
}

/// `Ok` for auditors, who read the event history and past states in their scope and check
/// the hash chain over the whole log (it proves the log intact and shows no case data); else
/// `FORBIDDEN`.
pub fn may_audit(actor: &Actor) -> Result<(), AppError> {
    if actor.role == Role::Auditor {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "the event history is for auditors (you are a {})",
            actor.role
        )))
    }
}

/// May `actor` read an event of the history that belongs to `division` (the case's or the
/// user's), or to none ([`can_audit_unscoped`])?
pub fn can_audit_event(actor: &Actor, division: Option<&DivisionCode>) -> bool {
    match division {
        Some(division) => can_audit(actor, division),
        None => can_audit_unscoped(actor),
    }
}

/// The error for a case that does not exist or may not be known.
pub fn case_not_found() -> AppError {
    AppError::NotFound {
        what: "case".to_owned(),
    }
}

/// May `actor` manage users, the catalog, the calendar and the configuration at all? Which
/// ones is decided in [`crate::admin`], by the admin's division.
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
) -> Result<(), AppError> {
    let Some(enterprise) = &case.enterprise else {
        return Err(case_not_found());
    };
    let division = &enterprise.division;
    // Judged on the step a late-entry envelope carries, never on the envelope.
    let command = command.step();
    // Erasure is no work on the case but a lawful request, decided by another rule before the
    // read check (admins do not read cases).
    if let CaseCommand::ErasePersonalData { .. } = command {
        return authorize_erasure(actor, division);
    }
    // Not FORBIDDEN: someone who may not read a case is not told that it exists.
    authorize_case_read(actor, division)?;
    let team = team_of(case);
    if let CaseCommand::ResolveComplaint {
        signed_off_by: Some(_),
        ..
    } = command
    {
        return authorize_complaint_sign_off(actor, division, &team);
    }
    let allowed = match command {
        // Register goes through registration; erasure was decided above. Never the team's.
        CaseCommand::Register { .. } | CaseCommand::ErasePersonalData { .. } => false,
        CaseCommand::AssignLeadSteward { .. }
        | CaseCommand::AddTeamMember { .. }
        | CaseCommand::RemoveTeamMember { .. } => can_manage_team(actor, division),
        CaseCommand::DecideAppeal { .. } => can_review_appeal(actor, division),
        _ => can_write_case(actor, division, &team),
    };
    if allowed {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "a {} may not do this on this case",
            actor.role
        )))
    }
}

/// The check for erasure: `Ok` for [`can_erase_personal_data`]; `NOT_FOUND` for whoever may
/// not know the case exists (an admin of another division included); else `FORBIDDEN`.
pub fn authorize_erasure(actor: &Actor, case_division: &DivisionCode) -> Result<(), AppError> {
    if can_erase_personal_data(actor, case_division) {
        return Ok(());
    }
    if actor.role == Role::Admin || !can_read_case(actor, case_division) {
        return Err(case_not_found());
    }
    Err(AppError::Forbidden(format!(
        "only an admin erases personal data, on a lawful request (you are a {})",
        actor.role
    )))
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
