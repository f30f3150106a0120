//! Erasure of personal data on a lawful request: allowed in every state, closed included,
//! with a reason; applying it blanks the contact the aggregate keeps.

use super::*;
use crate::case::commands::CaseCommand;

fn erase(reason: &str) -> CaseCommand {
    CaseCommand::ErasePersonalData {
        reason: reason.to_owned(),
    }
}

fn erased() -> CaseEvent {
    CaseEvent::PersonalDataErased {
        reason: "当事人依法申请删除".to_owned(),
    }
}

#[test]
fn erasure_is_recorded_with_its_reason() {
    case()
        .given(in_service())
        .when(erase("  当事人依法申请删除 "))
        .then_expect_events(vec![erased()]);
}

#[test]
fn a_closed_case_can_be_erased() {
    case()
        .given(closed())
        .when(erase("当事人依法申请删除"))
        .then_expect_events(vec![erased()]);
}

#[test]
fn erasing_twice_is_allowed() {
    let mut history = registered();
    history.push(erased());
    case()
        .given(history)
        .when(erase("当事人依法申请删除"))
        .then_expect_events(vec![erased()]);
}

#[test]
fn erasure_needs_a_reason() {
    case()
        .given(registered())
        .when(erase("   "))
        .then_expect_error(DomainError::invalid("reason", ValueError::Empty));
}

#[test]
fn erasure_of_an_unknown_case_is_refused() {
    case()
        .given_no_previous_events()
        .when(erase("当事人依法申请删除"))
        .then_expect_error(not_found("case"));
}

#[test]
fn applying_erasure_blanks_the_contact() {
    let mut state = EnterpriseCase::default();
    for event in registered() {
        state.apply_event(event);
    }
    assert!(state
        .enterprise
        .as_ref()
        .is_some_and(|e| e.contact_name.is_some()));
    state.apply_event(erased());
    let enterprise = state.enterprise.expect("registered");
    assert_eq!(
        (enterprise.contact_name, enterprise.contact_phone),
        (None, None)
    );
    assert_eq!(enterprise.name, "安康恒口新材料有限公司");
}
