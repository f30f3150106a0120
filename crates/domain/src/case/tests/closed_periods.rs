//! Entries into closed periods (封账): a step sent with a leader's approval records the
//! approval first, with the step in the same commit; an approval lets in one entry, and only
//! one dated inside its period. (Which periods are closed, and whether a step needs an
//! approval, is the application layer's check across aggregates.) The case was signed on
//! 2024-01-10; February 2024 is the closed period.

use super::*;
use crate::case::commands::CaseCommand;
use crate::periods::EntryApproval;
use crate::values::Period;

fn request_on(on: NaiveDate) -> CaseCommand {
    CaseCommand::RequestServiceItem {
        catalog: facts("LIC-001"),
        mode: HandlingMode::Proxy,
        requested_on: Some(on),
    }
}

fn requested(item_no: u32, on: NaiveDate) -> CaseEvent {
    CaseEvent::ServiceItemRequested {
        item_no,
        catalog: facts("LIC-001"),
        bundle: None,
        mode: HandlingMode::Proxy,
        requested_on: on,
    }
}

fn approval(no: u32) -> EntryApproval {
    EntryApproval {
        division: DivisionCode::parse("610902000000").expect("valid"),
        approval_no: no,
        period: Period::Month(2024, 2),
        case_id: "case-1".to_owned(),
        approved_by: "zhao.leader".to_owned(),
        reason: "二月台账漏录一件".to_owned(),
        granted_on: today(),
    }
}

fn approved(no: u32, command: CaseCommand) -> CaseCommand {
    CaseCommand::ApprovedEntry {
        approval: approval(no),
        command: Box::new(command),
    }
}

fn approval_recorded(no: u32, events: u32) -> CaseEvent {
    CaseEvent::ClosedPeriodEntryApproved {
        division: DivisionCode::parse("610902000000").expect("valid"),
        period: Period::Month(2024, 2),
        approval_no: no,
        approved_by: "zhao.leader".to_owned(),
        reason: "二月台账漏录一件".to_owned(),
        events,
    }
}

#[test]
fn an_approved_entry_records_the_approval_before_the_step() {
    case()
        .given(in_service())
        .when(approved(1, request_on(date(2024, 2, 20))))
        .then_expect_events(vec![
            approval_recorded(1, 1),
            requested(1, date(2024, 2, 20)),
        ]);
}

#[test]
fn an_approved_late_entry_records_the_approval_then_the_late_entry() {
    late_case()
        .given(in_service())
        .when(approved(
            1,
            CaseCommand::LateEntry {
                reason: "纸质台账补录".to_owned(),
                command: Box::new(request_on(date(2024, 2, 20))),
            },
        ))
        .then_expect_events(vec![
            approval_recorded(1, 2),
            CaseEvent::LateEntryRecorded {
                business_date: date(2024, 2, 20),
                recorded_on: today(),
                working_days_late: 18,
                reason: "纸质台账补录".to_owned(),
                events: 1,
            },
            requested(1, date(2024, 2, 20)),
        ]);
}

#[test]
fn an_approval_lets_in_one_entry_only() {
    let mut given = in_service();
    given.extend([approval_recorded(1, 1), requested(1, date(2024, 2, 20))]);
    case()
        .given(given)
        .when(approved(1, request_on(date(2024, 2, 21))))
        .then_expect_error(not_allowed(
            "approval 1 of division 610902000000 was already used by another entry of this case",
        ));
}

#[test]
fn an_approval_does_not_let_in_a_step_dated_outside_its_period() {
    case()
        .given(in_service())
        .when(approved(1, request_on(date(2024, 3, 1))))
        .then_expect_error(invalid(
            "approval",
            "the step is not dated inside 2024-02, the period the approval is for",
        ));
}

#[test]
fn an_approved_entry_carries_one_step() {
    case()
        .given(in_service())
        .when(approved(1, approved(2, request_on(date(2024, 2, 20)))))
        .then_expect_error(invalid("approval", "an approved entry carries one step"));
}

#[test]
fn the_dates_a_command_would_record_are_read_without_recording_it() {
    let mut state = EnterpriseCase::default();
    for event in in_service() {
        state.apply_event(event);
    }
    let services = CaseServices::new(Arc::new(FixedClock::at(now())));
    let late = CaseCommand::LateEntry {
        reason: "补录".to_owned(),
        command: Box::new(request_on(date(2024, 2, 20))),
    };
    assert_eq!(
        state.business_dates_of(&late, &services),
        vec![date(2024, 2, 20)]
    );
    // Refused on its own (before the signing): no dates, the command fails by itself.
    assert_eq!(
        state.business_dates_of(&request_on(date(2024, 1, 2)), &services),
        Vec::<NaiveDate>::new()
    );
}
