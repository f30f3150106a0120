//! Late entries (补录): a step dated more than the configured working days (3 by default)
//! before it is recorded needs a reason, which is recorded with it; a timely step does not.
//! Today is Friday 2024-03-15; Friday 2024-03-08 lies 5 working days back, Tuesday
//! 2024-03-12 three.

use super::*;
use crate::case::commands::CaseCommand;

fn request_on(on: NaiveDate) -> CaseCommand {
    CaseCommand::RequestServiceItem {
        catalog: facts("LIC-001"),
        mode: HandlingMode::Proxy,
        requested_on: Some(on),
    }
}

fn late(reason: &str, command: CaseCommand) -> CaseCommand {
    CaseCommand::LateEntry {
        reason: reason.to_owned(),
        command: Box::new(command),
    }
}

fn requested(on: NaiveDate) -> CaseEvent {
    CaseEvent::ServiceItemRequested {
        item_no: 1,
        catalog: facts("LIC-001"),
        bundle: None,
        mode: HandlingMode::Proxy,
        requested_on: on,
    }
}

#[test]
fn a_step_dated_more_than_three_working_days_back_needs_a_reason() {
    late_case()
        .given(in_service())
        .when(request_on(date(2024, 3, 8)))
        .then_expect_error(DomainError::invalid(
            "late_reason",
            ValueError::LateEntry {
                date: date(2024, 3, 8),
                working_days: 5,
                limit: 3,
            },
        ));
}

#[test]
fn a_step_three_working_days_back_is_no_late_entry() {
    late_case()
        .given(in_service())
        .when(request_on(date(2024, 3, 12)))
        .then_expect_events(vec![requested(date(2024, 3, 12))]);
}

#[test]
fn a_late_entry_with_its_reason_is_recorded_before_the_step() {
    late_case()
        .given(in_service())
        .when(late("纸质台账补录", request_on(date(2024, 3, 8))))
        .then_expect_events(vec![
            CaseEvent::LateEntryRecorded {
                business_date: date(2024, 3, 8),
                recorded_on: today(),
                working_days_late: 5,
                reason: "纸质台账补录".to_owned(),
                events: 1,
            },
            requested(date(2024, 3, 8)),
        ]);
}

#[test]
fn a_reason_given_for_a_timely_step_records_nothing_more() {
    late_case()
        .given(in_service())
        .when(late("补录", request_on(date(2024, 3, 12))))
        .then_expect_events(vec![requested(date(2024, 3, 12))]);
}

#[test]
fn a_late_entry_reason_must_not_be_blank() {
    late_case()
        .given(in_service())
        .when(late("  ", request_on(date(2024, 3, 8))))
        .then_expect_error(DomainError::invalid("late_reason", ValueError::Empty));
}

#[test]
fn a_late_entry_carries_one_step_not_another_late_entry() {
    late_case()
        .given(in_service())
        .when(late("补录", late("补录", request_on(date(2024, 3, 8)))))
        .then_expect_error(DomainError::invalid(
            "late_reason",
            ValueError::Rule("a late entry carries one step, not another late entry".to_owned()),
        ));
}

#[test]
fn a_late_entry_still_keeps_the_order_of_dates() {
    late_case()
        .given(in_service())
        .when(late("补录", request_on(date(2024, 1, 9))))
        .then_expect_error(before(
            "requested_on",
            date(2024, 1, 9),
            "the signing",
            date(2024, 1, 10),
        ));
}
