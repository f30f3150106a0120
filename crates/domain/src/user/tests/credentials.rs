//! Passwords and roles: each change revokes the tokens issued before it.

use super::*;
use crate::error::{DomainError, ValueError};

#[test]
fn changing_the_password_records_it_and_revokes_tokens() {
    users()
        .given(vec![created()])
        .when(UserCommand::ChangePassword {
            password_hash: HASH_2.to_owned(),
        })
        .then_expect_events(vec![
            UserEvent::PasswordChanged {
                password_hash: hash(HASH_2),
            },
            UserEvent::TokensRevoked { generation: 1 },
        ]);
}

#[test]
fn a_disabled_user_cannot_change_their_password() {
    users()
        .given(disabled())
        .when(UserCommand::ChangePassword {
            password_hash: HASH_2.to_owned(),
        })
        .then_expect_error(DomainError::not_allowed("user li.ming is disabled"));
}

#[test]
fn a_malformed_hash_is_refused_with_its_field() {
    users()
        .given(vec![created()])
        .when(UserCommand::ChangePassword {
            password_hash: String::new(),
        })
        .then_expect_error(DomainError::invalid("password_hash", ValueError::Empty));
}

#[test]
fn an_admin_reset_works_on_a_disabled_user_and_revokes_tokens() {
    users()
        .given(disabled())
        .when(UserCommand::ResetPassword {
            password_hash: HASH_2.to_owned(),
        })
        .then_expect_events(vec![
            UserEvent::PasswordReset {
                password_hash: hash(HASH_2),
            },
            UserEvent::TokensRevoked { generation: 2 },
        ]);
}

#[test]
fn changing_the_role_keeps_the_previous_one_and_revokes_tokens() {
    users()
        .given(vec![created()])
        .when(UserCommand::ChangeRole {
            role: Role::Leader,
            division: DISTRICT.to_owned(),
        })
        .then_expect_events(vec![
            UserEvent::RoleChanged {
                previous_role: Role::Steward,
                previous_division: division(TOWN),
                role: Role::Leader,
                division: division(DISTRICT),
            },
            UserEvent::TokensRevoked { generation: 1 },
        ]);
}

#[test]
fn a_role_change_that_changes_nothing_is_refused() {
    users()
        .given(vec![created()])
        .when(UserCommand::ChangeRole {
            role: Role::Steward,
            division: TOWN.to_owned(),
        })
        .then_expect_error(DomainError::not_allowed(
            "user li.ming already has role steward in division 610902100000",
        ));
}

#[test]
fn a_role_change_to_a_malformed_division_is_refused() {
    let result = users()
        .given(vec![created()])
        .when(UserCommand::ChangeRole {
            role: Role::Leader,
            division: "61090210000x".to_owned(),
        })
        .inspect_result();
    assert!(matches!(
        result,
        Err(DomainError::Invalid {
            field: "division",
            ..
        })
    ));
}

#[test]
fn replaying_changes_updates_the_account() {
    let user = replayed(vec![
        created(),
        UserEvent::PasswordReset {
            password_hash: hash(HASH_2),
        },
        UserEvent::RoleChanged {
            previous_role: Role::Steward,
            previous_division: division(TOWN),
            role: Role::Auditor,
            division: division(DISTRICT),
        },
        UserEvent::TokensRevoked { generation: 1 },
    ]);
    let account = user.account().expect("created");
    assert_eq!(account.password_hash, hash(HASH_2));
    assert_eq!(
        (account.role, &account.division),
        (Role::Auditor, &division(DISTRICT))
    );
    assert_eq!(account.token_generation, 1);
}
