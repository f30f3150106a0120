//! A service item's intake and outcome: accepted (the clock starts), rejected (不予受理),
//! concluded with its burden figures.

use super::*;
use crate::case::commands::CaseCommand;

fn accept(item_no: u32, accepted_on: Option<NaiveDate>, use_statutory_limit: bool) -> CaseCommand {
    CaseCommand::AcceptServiceItem {
        item_no,
        accepted_on,
        receipt_no: Some(" SL-2024-0301 ".to_owned()),
        use_statutory_limit,
    }
}

fn reject(rejected_on: NaiveDate) -> CaseCommand {
    CaseCommand::RejectServiceItem {
        item_no: 1,
        reason: "不属于本部门职权范围".to_owned(),
        rejected_on: Some(rejected_on),
    }
}

fn rejected(rejected_on: NaiveDate) -> CaseEvent {
    CaseEvent::ServiceItemRejected {
        item_no: 1,
        reason: "不属于本部门职权范围".to_owned(),
        rejected_on,
    }
}

fn conclude(concluded_on: NaiveDate, materials_submitted: u32, onsite_trips: u32) -> CaseCommand {
    CaseCommand::ConcludeServiceItem {
        item_no: 1,
        outcome: ItemOutcome::Granted,
        concluded_on: Some(concluded_on),
        result_reference: Some("建字第2024-001号".to_owned()),
        materials_submitted,
        onsite_trips,
    }
}

#[test]
fn accepting_starts_the_clock_against_the_promised_limit() {
    case()
        .given(item_requested())
        .when(accept(1, Some(date(2024, 3, 4)), false))
        .then_expect_events(vec![CaseEvent::ServiceItemAccepted {
            item_no: 1,
            accepted_on: date(2024, 3, 4),
            limit_days: 10,
            receipt_no: Some("SL-2024-0301".to_owned()),
        }]);
}

#[test]
fn accepting_against_the_statutory_limit_takes_its_days() {
    case()
        .given(item_requested())
        .when(accept(1, None, true))
        .then_expect_events(vec![CaseEvent::ServiceItemAccepted {
            item_no: 1,
            accepted_on: today(),
            limit_days: 20,
            receipt_no: Some("SL-2024-0301".to_owned()),
        }]);
}

#[test]
fn accepting_twice_or_an_unknown_item_is_refused() {
    case()
        .given(item_accepted())
        .when(accept(1, None, false))
        .then_expect_error(not_allowed("service item 1 is accepted and not suspended"));
    case()
        .given(item_requested())
        .when(accept(2, None, false))
        .then_expect_error(not_found("service item 2"));
}

#[test]
fn acceptance_is_dated_between_the_request_and_today() {
    case()
        .given(item_requested())
        .when(accept(1, Some(date(2024, 2, 29)), false))
        .then_expect_error(before(
            "accepted_on",
            date(2024, 2, 29),
            "the request",
            date(2024, 3, 1),
        ));
    case()
        .given(item_requested())
        .when(accept(1, Some(date(2024, 3, 16)), false))
        .then_expect_error(invalid(
            "accepted_on",
            "2024-03-16 is in the future (today is 2024-03-15)",
        ));
    let events = case()
        .given(item_requested())
        .when(accept(1, Some(date(2024, 3, 1)), false))
        .inspect_result()
        .expect("accepted");
    assert!(
        matches!(&events[..], [CaseEvent::ServiceItemAccepted { accepted_on, .. }] if *accepted_on == date(2024, 3, 1))
    );
}

#[test]
fn a_requested_or_accepted_item_can_be_rejected() {
    case()
        .given(item_requested())
        .when(reject(date(2024, 3, 1)))
        .then_expect_events(vec![rejected(date(2024, 3, 1))]);
    case()
        .given(item_accepted())
        .when(reject(date(2024, 3, 5)))
        .then_expect_events(vec![rejected(date(2024, 3, 5))]);
}

#[test]
fn a_rejection_is_not_dated_before_the_last_step_and_has_a_reason() {
    case()
        .given(item_accepted())
        .when(reject(date(2024, 3, 3)))
        .then_expect_error(before(
            "rejected_on",
            date(2024, 3, 3),
            "the item's last step",
            date(2024, 3, 4),
        ));
    case()
        .given(item_requested())
        .when(CaseCommand::RejectServiceItem {
            item_no: 1,
            reason: " ".to_owned(),
            rejected_on: None,
        })
        .then_expect_error(DomainError::invalid("reason", ValueError::Empty));
}

#[test]
fn a_suspended_concluded_or_rejected_item_cannot_be_rejected() {
    case()
        .given(item_suspended())
        .when(reject(today()))
        .then_expect_error(not_allowed("service item 1 is suspended"));
    case()
        .given(item_concluded())
        .when(reject(today()))
        .then_expect_error(not_allowed("service item 1 is already concluded"));
    let mut rejected_item = item_requested();
    rejected_item.push(rejected(date(2024, 3, 1)));
    case()
        .given(rejected_item)
        .when(reject(today()))
        .then_expect_error(not_allowed("service item 1 was rejected"));
    case()
        .given(item_requested())
        .when(CaseCommand::RejectServiceItem {
            item_no: 2,
            reason: "x".to_owned(),
            rejected_on: None,
        })
        .then_expect_error(not_found("service item 2"));
}

#[test]
fn concluding_an_accepted_item_records_outcome_and_burden() {
    case()
        .given(item_accepted())
        .when(conclude(date(2024, 3, 12), 6, 0))
        .then_expect_events(item_concluded().split_off(item_accepted().len()));
}

#[test]
fn an_item_never_accepted_cannot_be_concluded() {
    case()
        .given(item_requested())
        .when(conclude(today(), 6, 0))
        .then_expect_error(not_allowed("service item 1 was never accepted"));
}

#[test]
fn a_suspended_item_can_be_concluded_but_not_before_its_suspension() {
    let events = case()
        .given(item_suspended())
        .when(conclude(date(2024, 3, 6), 6, 0))
        .inspect_result()
        .expect("accepted");
    assert!(
        matches!(
            &events[..],
            [CaseEvent::ServiceItemConcluded { item_no: 1, .. }]
        ),
        "{events:?}"
    );
    case()
        .given(item_suspended())
        .when(conclude(date(2024, 3, 5), 6, 0))
        .then_expect_error(before(
            "concluded_on",
            date(2024, 3, 5),
            "the item's last step",
            date(2024, 3, 6),
        ));
}

#[test]
fn a_concluded_or_rejected_item_cannot_be_concluded() {
    case()
        .given(item_concluded())
        .when(conclude(today(), 6, 0))
        .then_expect_error(not_allowed("service item 1 is already concluded"));
    let mut rejected = item_accepted();
    rejected.push(CaseEvent::ServiceItemRejected {
        item_no: 1,
        reason: "材料不全".to_owned(),
        rejected_on: date(2024, 3, 5),
    });
    case()
        .given(rejected)
        .when(conclude(today(), 6, 0))
        .then_expect_error(not_allowed("service item 1 was rejected"));
}

#[test]
fn materials_and_trips_are_at_most_a_thousand() {
    let too_many = |field| {
        DomainError::invalid(
            field,
            ValueError::OutOfRange {
                min: 0,
                max: 1000,
                actual: 1001,
            },
        )
    };
    case()
        .given(item_accepted())
        .when(conclude(today(), 1001, 0))
        .then_expect_error(too_many("materials_submitted"));
    case()
        .given(item_accepted())
        .when(conclude(today(), 6, 1001))
        .then_expect_error(too_many("onsite_trips"));
    let events = case()
        .given(item_accepted())
        .when(conclude(today(), 1000, 1000))
        .inspect_result()
        .expect("accepted");
    assert!(matches!(
        &events[..],
        [CaseEvent::ServiceItemConcluded {
            materials_submitted: 1000,
            onsite_trips: 1000,
            ..
        }]
    ));
}
