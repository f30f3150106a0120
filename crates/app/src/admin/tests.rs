//! The administration matrix: admins of the district, of town A and of town B, against accounts
//! and cases in and out of their subtrees, for every kind of administration; and every escalation
//! (a wider division, a wider role, a target above or beside the admin) refused.

use guanjia_domain::user::{Account, PasswordHash, Username};

use super::*;
use crate::authz::{authorize_erasure, case_not_found};
use crate::test_people::{actor, code};

const DISTRICT: &str = "610902000000";
const TOWN_A: &str = "610902100000";
const VILLAGE_A: &str = "610902100201";
const TOWN_B: &str = "610902101000";

fn account(name: &str, role: Role, division: &str) -> Account {
    Account {
        username: Username::parse(name).expect("valid username"),
        display_name: name.to_owned(),
        role,
        division: code(division),
        password_hash: PasswordHash::parse("$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA")
            .expect("a PHC string"),
        disabled: None,
        token_generation: 0,
    }
}

fn admins() -> [Actor; 3] {
    [
        actor("admin", Role::Admin, DISTRICT),
        actor("admin.a", Role::Admin, TOWN_A),
        actor("admin.b", Role::Admin, TOWN_B),
    ]
}

/// Whether `outer` holds `inner`, written out by hand for the matrix (not with `contains`).
fn holds(outer: &str, inner: &str) -> bool {
    match outer {
        DISTRICT => true,
        TOWN_A => inner == TOWN_A || inner == VILLAGE_A,
        TOWN_B => inner == TOWN_B,
        _ => false,
    }
}

const DIVISIONS: [&str; 4] = [DISTRICT, TOWN_A, VILLAGE_A, TOWN_B];
const ROLES: [Role; 4] = [Role::Steward, Role::Leader, Role::Auditor, Role::Admin];

#[test]
fn create_and_change_role_or_division_only_inside_the_subtree() {
    for admin in admins() {
        let own = admin.division.to_string();
        for division in DIVISIONS {
            for role in ROLES {
                // Create: the new account's division must lie inside the admin's.
                let granted = authorize_grant(&admin, role, &code(division));
                assert_eq!(
                    granted.is_ok(),
                    holds(&own, division),
                    "{} creates a {role} in {division}: {granted:?}",
                    admin.username
                );
                if let Err(error) = granted {
                    assert!(matches!(error, AppError::Forbidden(_)), "{error:?}");
                }
                // Change role or division of an account in `from` to `role` in `division`.
                for from in DIVISIONS {
                    let target = account("target", Role::Steward, from);
                    let allowed = authorize_account(&admin, &target)
                        .and_then(|()| authorize_grant(&admin, role, &code(division)));
                    assert_eq!(
                        allowed.is_ok(),
                        holds(&own, from) && holds(&own, division),
                        "{} moves a steward of {from} to {role} in {division}",
                        admin.username
                    );
                }
            }
        }
    }
}

#[test]
fn reset_disable_and_enable_only_inside_the_subtree() {
    for admin in admins() {
        let own = admin.division.to_string();
        for division in DIVISIONS {
            for role in ROLES {
                let target = account("target", role, division);
                let decided = authorize_account(&admin, &target);
                assert_eq!(
                    decided.is_ok(),
                    holds(&own, division),
                    "{} administers a {role} of {division}",
                    admin.username
                );
                if let Err(error) = decided {
                    assert!(matches!(error, AppError::Forbidden(_)), "{error:?}");
                }
            }
        }
    }
}

#[test]
fn erasure_only_of_cases_inside_the_subtree_and_not_found_elsewhere() {
    for admin in admins() {
        let own = admin.division.to_string();
        for division in [VILLAGE_A, TOWN_B] {
            let decided = authorize_erasure(&admin, &code(division));
            if holds(&own, division) {
                assert_eq!(decided, Ok(()), "{} erases in {division}", admin.username);
            } else {
                assert_eq!(decided, Err(case_not_found()), "{}", admin.username);
            }
        }
    }
}

#[test]
fn the_escalations_of_issue_13_are_refused() {
    let town_b = actor("admin.b", Role::Admin, TOWN_B);
    // An admin for the whole district, made by a town's admin.
    assert!(authorize_grant(&town_b, Role::Admin, &code(DISTRICT)).is_err());
    // A town-A steward turned into a district leader.
    let steward_a = account("li.ming", Role::Steward, VILLAGE_A);
    assert!(authorize_account(&town_b, &steward_a).is_err());
    assert!(authorize_grant(&town_b, Role::Leader, &code(DISTRICT)).is_err());
    // The district leader's password reset (and so their account taken over).
    let district_leader = account("chen.jun", Role::Leader, DISTRICT);
    assert!(authorize_account(&town_b, &district_leader).is_err());
    // Its own account widened: a role change to a wider division.
    let itself = account("admin.b", Role::Admin, TOWN_B);
    assert!(authorize_account(&town_b, &itself).is_ok());
    assert!(authorize_grant(&town_b, Role::Admin, &code(DISTRICT)).is_err());
    // A town-A case erased by an admin of town B.
    assert_eq!(
        authorize_erasure(&town_b, &code(VILLAGE_A)),
        Err(case_not_found())
    );
}

#[test]
fn no_one_but_an_admin_administers_and_roles_are_never_widened() {
    for role in [Role::Steward, Role::Leader, Role::Auditor] {
        let who = actor("someone", role, DISTRICT);
        assert!(matches!(may_administer(&who), Err(AppError::Forbidden(_))));
        assert!(!can_administer(&who, &code(VILLAGE_A)));
        for granted in ROLES {
            assert!(!can_grant(&who, granted, &code(VILLAGE_A)));
        }
        assert!(authorize_catalog_change(&who).is_err());
    }
    let admin = actor("admin", Role::Admin, DISTRICT);
    for granted in ROLES {
        assert!(can_grant(&admin, granted, &code(VILLAGE_A)));
    }
}

#[test]
fn only_an_admin_of_the_district_changes_the_catalog() {
    let [district, town_a, town_b] = admins();
    assert_eq!(authorize_catalog_change(&district), Ok(()));
    for admin in [town_a, town_b] {
        assert!(matches!(
            authorize_catalog_change(&admin),
            Err(AppError::Forbidden(_))
        ));
    }
}
