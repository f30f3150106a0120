//! The clock of an accepted service item: suspending it (the clock stops), resuming, extending.

use super::*;
use crate::case::commands::CaseCommand;

fn suspend(suspended_on: NaiveDate) -> CaseCommand {
    CaseCommand::SuspendServiceItem {
        item_no: 1,
        reason: SuspensionReason::Correction,
        suspended_on: Some(suspended_on),
        note: Some(" 补正土地证明 ".to_owned()),
    }
}

fn suspended_event(suspended_on: NaiveDate) -> CaseEvent {
    CaseEvent::ServiceItemSuspended {
        item_no: 1,
        reason: SuspensionReason::Correction,
        suspended_on,
        note: Some("补正土地证明".to_owned()),
    }
}

fn resume(resumed_on: NaiveDate) -> CaseCommand {
    CaseCommand::ResumeServiceItem {
        item_no: 1,
        resumed_on: Some(resumed_on),
    }
}

fn extend(days: u32) -> CaseCommand {
    CaseCommand::ExtendServiceItem {
        item_no: 1,
        days,
        approver: "zhao.director".to_owned(),
        reason: "需专家评审".to_owned(),
    }
}

#[test]
fn suspending_an_accepted_item_stops_its_clock() {
    case()
        .given(item_accepted())
        .when(suspend(date(2024, 3, 6)))
        .then_expect_events(vec![suspended_event(date(2024, 3, 6))]);
}

#[test]
fn only_an_accepted_item_can_be_suspended() {
    case()
        .given(item_requested())
        .when(suspend(today()))
        .then_expect_error(not_allowed("service item 1 was never accepted"));
    case()
        .given(item_suspended())
        .when(suspend(today()))
        .then_expect_error(not_allowed("service item 1 is suspended"));
    case()
        .given(item_concluded())
        .when(suspend(today()))
        .then_expect_error(not_allowed("service item 1 is already concluded"));
}

#[test]
fn a_suspension_is_dated_between_acceptance_and_today() {
    case()
        .given(item_accepted())
        .when(suspend(date(2024, 3, 3)))
        .then_expect_error(before(
            "suspended_on",
            date(2024, 3, 3),
            "the item's last step",
            date(2024, 3, 4),
        ));
    case()
        .given(item_accepted())
        .when(suspend(date(2024, 3, 16)))
        .then_expect_error(invalid(
            "suspended_on",
            "2024-03-16 is in the future (today is 2024-03-15)",
        ));
}

#[test]
fn resuming_a_suspended_item_restarts_its_clock() {
    case()
        .given(item_suspended())
        .when(resume(date(2024, 3, 8)))
        .then_expect_events(vec![CaseEvent::ServiceItemResumed {
            item_no: 1,
            resumed_on: date(2024, 3, 8),
        }]);
}

#[test]
fn only_a_suspended_item_can_be_resumed() {
    case()
        .given(item_accepted())
        .when(resume(today()))
        .then_expect_error(not_allowed("service item 1 is accepted and not suspended"));
    case()
        .given(item_requested())
        .when(resume(today()))
        .then_expect_error(not_allowed("service item 1 was never accepted"));
}

#[test]
fn resuming_before_the_suspension_is_refused() {
    case()
        .given(item_suspended())
        .when(resume(date(2024, 3, 5)))
        .then_expect_error(before(
            "resumed_on",
            date(2024, 3, 5),
            "the suspension",
            date(2024, 3, 6),
        ));
}

#[test]
fn a_resumed_item_can_be_suspended_again() {
    let mut resumed = item_suspended();
    resumed.push(CaseEvent::ServiceItemResumed {
        item_no: 1,
        resumed_on: date(2024, 3, 8),
    });
    case()
        .given(resumed)
        .when(suspend(date(2024, 3, 11)))
        .then_expect_events(vec![suspended_event(date(2024, 3, 11))]);
}

#[test]
fn an_accepted_or_suspended_item_can_be_extended() {
    let expected = vec![CaseEvent::ServiceItemExtended {
        item_no: 1,
        days: 365,
        approver: "zhao.director".to_owned(),
        reason: "需专家评审".to_owned(),
    }];
    case()
        .given(item_accepted())
        .when(extend(365))
        .then_expect_events(expected.clone());
    case()
        .given(item_suspended())
        .when(extend(365))
        .then_expect_events(expected);
}

#[test]
fn an_extension_is_one_to_365_days() {
    for days in [0, 366] {
        case()
            .given(item_accepted())
            .when(extend(days))
            .then_expect_error(DomainError::invalid(
                "days",
                ValueError::OutOfRange {
                    min: 1,
                    max: 365,
                    actual: i64::from(days),
                },
            ));
    }
}

#[test]
fn an_extension_needs_an_open_clock_an_approver_and_a_reason() {
    case()
        .given(item_concluded())
        .when(extend(5))
        .then_expect_error(not_allowed("service item 1 is already concluded"));
    case()
        .given(item_requested())
        .when(extend(5))
        .then_expect_error(not_allowed("service item 1 was never accepted"));
    let command = CaseCommand::ExtendServiceItem {
        item_no: 1,
        days: 5,
        approver: "zhao director".to_owned(),
        reason: "x".to_owned(),
    };
    case()
        .given(item_accepted())
        .when(command)
        .then_expect_error(DomainError::invalid(
            "approver",
            ValueError::Rule("must not contain spaces".to_owned()),
        ));
    let command = CaseCommand::ExtendServiceItem {
        item_no: 1,
        days: 5,
        approver: "zhao.director".to_owned(),
        reason: " ".to_owned(),
    };
    case()
        .given(item_accepted())
        .when(command)
        .then_expect_error(DomainError::invalid("reason", ValueError::Empty));
}
