//! Creating a user, and the refusals of a create and of any command on an unknown user.

use super::*;
use crate::error::{DomainError, ValueError};

#[test]
fn creating_a_user_records_the_normalised_account() {
    let UserCommand::CreateUser {
        display_name,
        role,
        division,
        password_hash,
        ..
    } = create_command()
    else {
        unreachable!("the fixture is a CreateUser")
    };
    users()
        .given_no_previous_events()
        .when(UserCommand::CreateUser {
            username: " Li.Ming ".to_owned(),
            display_name: format!("  {display_name} "),
            role,
            division,
            password_hash,
        })
        .then_expect_events(vec![created()]);
}

#[test]
fn creating_the_same_user_twice_is_refused() {
    users()
        .given(vec![created()])
        .when(create_command())
        .then_expect_error(DomainError::AlreadyExists(
            "user li.ming already exists".to_owned(),
        ));
}

#[test]
fn a_malformed_username_is_refused_with_its_field() {
    let mut command = create_command();
    if let UserCommand::CreateUser { username, .. } = &mut command {
        *username = "李明明".to_owned();
    }
    let result = users()
        .given_no_previous_events()
        .when(command)
        .inspect_result();
    assert!(matches!(
        result,
        Err(DomainError::Invalid {
            field: "username",
            source: ValueError::BadCharacter { position: 1, .. }
        })
    ));
}

#[test]
fn each_malformed_field_of_a_create_is_named() {
    type Breaker = fn(&mut UserCommand);
    let cases: [(&str, Breaker); 3] = [
        ("display_name", |c| {
            if let UserCommand::CreateUser { display_name, .. } = c {
                *display_name = "  ".to_owned();
            }
        }),
        ("division", |c| {
            if let UserCommand::CreateUser { division, .. } = c {
                *division = "6109".to_owned();
            }
        }),
        ("password_hash", |c| {
            if let UserCommand::CreateUser { password_hash, .. } = c {
                *password_hash = "plain text".to_owned();
            }
        }),
    ];
    for (expected, break_it) in cases {
        let mut command = create_command();
        break_it(&mut command);
        let result = users()
            .given_no_previous_events()
            .when(command)
            .inspect_result();
        assert!(
            matches!(result, Err(DomainError::Invalid { field, .. }) if field == expected),
            "{expected}: {result:?}"
        );
    }
}

#[test]
fn every_other_command_on_an_unknown_user_is_not_found() {
    let commands = [
        UserCommand::ChangePassword {
            password_hash: HASH_2.to_owned(),
        },
        UserCommand::ResetPassword {
            password_hash: HASH_2.to_owned(),
        },
        UserCommand::ChangeRole {
            role: Role::Leader,
            division: TOWN.to_owned(),
        },
        UserCommand::Disable {
            reason: "调离".to_owned(),
        },
        UserCommand::Enable,
        UserCommand::RevokeTokens,
    ];
    for command in commands {
        users()
            .given_no_previous_events()
            .when(command)
            .then_expect_error(DomainError::NotFound {
                what: "user".to_owned(),
            });
    }
}

#[test]
fn a_created_user_is_active_at_generation_zero() {
    let user = replayed(vec![created()]);
    let account = user.account().expect("created");
    assert!(account.is_active());
    assert_eq!(account.token_generation, 0);
    assert_eq!(account.role, Role::Steward);
    assert_eq!(account.division, division(TOWN));
    assert!(User::default().account().is_none());
}
