//! Disabling, enabling and revoking tokens.

use super::*;
use crate::error::{DomainError, ValueError};

#[test]
fn disabling_a_user_records_the_reason_and_revokes_tokens() {
    users()
        .given(vec![created()])
        .when(UserCommand::Disable {
            reason: " 调离 ".to_owned(),
        })
        .then_expect_events(vec![
            UserEvent::UserDisabled {
                reason: "调离".to_owned(),
            },
            UserEvent::TokensRevoked { generation: 1 },
        ]);
}

#[test]
fn disabling_twice_is_refused() {
    users()
        .given(disabled())
        .when(UserCommand::Disable {
            reason: "again".to_owned(),
        })
        .then_expect_error(DomainError::not_allowed("user li.ming is already disabled"));
}

#[test]
fn disabling_needs_a_reason() {
    users()
        .given(vec![created()])
        .when(UserCommand::Disable {
            reason: " ".to_owned(),
        })
        .then_expect_error(DomainError::invalid("reason", ValueError::Empty));
}

#[test]
fn enabling_a_disabled_user_records_it() {
    users()
        .given(disabled())
        .when(UserCommand::Enable)
        .then_expect_events(vec![UserEvent::UserEnabled]);
}

#[test]
fn enabling_an_active_user_is_refused() {
    users()
        .given(vec![created()])
        .when(UserCommand::Enable)
        .then_expect_error(DomainError::not_allowed("user li.ming is not disabled"));
}

#[test]
fn revoking_tokens_moves_to_the_next_generation() {
    users()
        .given(vec![created(), UserEvent::TokensRevoked { generation: 1 }])
        .when(UserCommand::RevokeTokens)
        .then_expect_events(vec![UserEvent::TokensRevoked { generation: 2 }]);
}

#[test]
fn a_re_enabled_user_is_active_but_old_tokens_stay_revoked() {
    let mut events = disabled();
    events.push(UserEvent::UserEnabled);
    let user = replayed(events);
    let account = user.account().expect("created");
    assert!(account.is_active());
    assert_eq!(account.token_generation, 1);
    assert!(!replayed(disabled()).account().expect("created").is_active());
}

#[test]
fn events_round_trip_through_json_with_their_type_and_version() {
    use cqrs_es::DomainEvent;
    for event in disabled() {
        let json = serde_json::to_value(&event).expect("serialises");
        assert_eq!(json["type"], event.event_type());
        assert_eq!(event.event_version(), "1");
        let back: UserEvent = serde_json::from_value(json).expect("deserialises");
        assert_eq!(back, event);
    }
    let enabled = serde_json::to_value(UserEvent::UserEnabled).expect("serialises");
    assert_eq!(enabled, serde_json::json!({"type": "UserEnabled"}));
}
