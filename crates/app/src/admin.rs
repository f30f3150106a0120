//! Who administers what: the one place where an admin's scope is checked, as `authz.rs` is for
//! the work on cases (issue 13: a town's admin had created an admin for the whole district).
//!
//! An admin runs the part of the district that its own division covers, and nothing above or
//! beside it:
//! - **accounts**: it creates, changes, disables, enables and resets the password of a user only
//!   when the user's division lies inside its own subtree ([`authorize_account`]);
//! - **grants**: it gives a role only up to its own and a division only inside its own subtree
//!   ([`authorize_grant`]), on creation and on every role or division change — so no admin can
//!   make an account, itself included, wider than it is;
//! - **erasure** of personal data: only for cases inside its subtree ([`can_erase_personal_data`];
//!   the check with its refusals is `authz.rs`'s `authorize_erasure`, next to the other case
//!   checks);
//! - **the catalog** belongs to no division: only an admin of the whole district changes it
//!   ([`authorize_catalog_change`]);
//! - the list of users it sees is cut to its subtree ([`can_administer`]);
//! - **rating links**: it lists and revokes the links of cases inside its subtree only
//!   ([`rating_link_scope`], [`can_revoke_rating_links`]); outside it a case is `NOT_FOUND`.
//!
//! Refusals are `FORBIDDEN` and say which rule, except erasure outside the subtree, which is
//! `NOT_FOUND` like every case outside a scope.

use guanjia_domain::user::{Account, Role};
use guanjia_domain::values::{DivisionCode, Tier};

use crate::Actor;
use crate::AppError;

/// How wide a role's reach is; an admin grants only roles no wider than its own.
fn breadth(role: Role) -> u8 {
    match role {
        Role::Steward | Role::Display => 0,
        Role::Leader | Role::Auditor => 1,
        Role::Admin => 2,
    }
}

/// `Ok` for admins, else `FORBIDDEN`: the first check of every admin-only operation.
pub fn may_administer(actor: &Actor) -> Result<(), AppError> {
    if actor.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "only an admin may do this (you are a {})",
            actor.role
        )))
    }
}

/// May `actor` administer an account that lies in `division`?
pub fn can_administer(actor: &Actor, division: &DivisionCode) -> bool {
    actor.role == Role::Admin && actor.division.contains(division)
}

/// May `actor` revoke the rating links of a case in `division` as an admin?
pub fn can_revoke_rating_links(actor: &Actor, division: &DivisionCode) -> bool {
    can_administer(actor, division)
}

/// The divisions whose cases' rating links `actor` lists as an admin: its own subtree.
pub fn rating_link_scope(actor: &Actor) -> Result<DivisionCode, AppError> {
    may_administer(actor)?;
    Ok(actor.division.clone())
}

/// May `actor` give someone `role` in `division`?
pub fn can_grant(actor: &Actor, role: Role, division: &DivisionCode) -> bool {
    actor.role == Role::Admin
        && breadth(role) <= breadth(actor.role)
        && actor.division.contains(division)
}

/// The check for any change to the existing account `target`.
pub fn authorize_account(actor: &Actor, target: &Account) -> Result<(), AppError> {
    may_administer(actor)?;
    if can_administer(actor, &target.division) {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "user {} is outside your division {}; ask an admin whose division holds theirs",
            target.username, actor.division
        )))
    }
}

/// The check for giving an account `role` in `division` (a new account, or a role change).
pub fn authorize_grant(actor: &Actor, role: Role, division: &DivisionCode) -> Result<(), AppError> {
    may_administer(actor)?;
    if !actor.division.contains(division) {
        return Err(AppError::Forbidden(format!(
            "division {division} is outside your division {}; you may grant only divisions \
             inside your own",
            actor.division
        )));
    }
    if breadth(role) > breadth(actor.role) {
        return Err(AppError::Forbidden(format!(
            "you may not grant the role {role}, which is wider than your own"
        )));
    }
    Ok(())
}

/// May `actor` erase the personal data of a case in `case_division` on a lawful request
/// (PIPL)? Admins whose division holds the case, and no one else: not the team that works with
/// the data, not the leaders and auditors who supervise it (docs/security.md, "Who may erase").
pub fn can_erase_personal_data(actor: &Actor, case_division: &DivisionCode) -> bool {
    can_administer(actor, case_division)
}

/// The check for publishing, revising or retiring catalog items and bundles: admins of the
/// whole district, because the catalog serves every division of it.
pub fn authorize_catalog_change(actor: &Actor) -> Result<(), AppError> {
    may_administer(actor)?;
    if actor.division.tier() == Tier::District {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "the catalog serves the whole district; only an admin of the district changes it \
             (your division is {})",
            actor.division
        )))
    }
}

#[cfg(test)]
mod tests;
