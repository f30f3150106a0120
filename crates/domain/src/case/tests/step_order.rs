//! Rules about the order of steps: dates never run backwards within an item or a bad-rating
//! loop, a member promoted to lead leaves the member list, and a reopened case returns to the
//! state it had reached before it was closed.

use super::*;
use crate::case::commands::CaseCommand;
use crate::case::model::{CaseState, CloseReason, TeamMember};
use crate::values::Tier;

#[test]
fn a_second_suspension_cannot_be_dated_before_the_last_resumption() {
    let mut given = item_suspended();
    given.push(CaseEvent::ServiceItemResumed {
        item_no: 1,
        resumed_on: date(2024, 3, 8),
    });
    case()
        .given(given)
        .when(CaseCommand::SuspendServiceItem {
            item_no: 1,
            reason: SuspensionReason::Inspection,
            suspended_on: Some(date(2024, 3, 7)),
            note: None,
        })
        .then_expect_error(before(
            "suspended_on",
            date(2024, 3, 7),
            "the item's last step",
            date(2024, 3, 8),
        ));
}

#[test]
fn a_conclusion_cannot_be_dated_before_the_last_resumption() {
    let mut given = item_suspended();
    given.push(CaseEvent::ServiceItemResumed {
        item_no: 1,
        resumed_on: date(2024, 3, 8),
    });
    case()
        .given(given)
        .when(CaseCommand::ConcludeServiceItem {
            item_no: 1,
            outcome: ItemOutcome::Granted,
            concluded_on: Some(date(2024, 3, 7)),
            result_reference: None,
            materials_submitted: 6,
            onsite_trips: 0,
        })
        .then_expect_error(before(
            "concluded_on",
            date(2024, 3, 7),
            "the item's last step",
            date(2024, 3, 8),
        ));
}

#[test]
fn a_call_back_cannot_be_dated_before_the_rating() {
    case()
        .given(item_rated(1))
        .when(CaseCommand::RecordCallBack {
            rating_no: 1,
            called_on: Some(date(2024, 3, 14)),
            confirmed: true,
            notes: "已回访".to_owned(),
        })
        .then_expect_error(before(
            "called_on",
            date(2024, 3, 14),
            "the rating",
            date(2024, 3, 15),
        ));
}

#[test]
fn a_rectification_cannot_be_dated_before_the_call_back() {
    let mut given = item_rated(2);
    given.push(CaseEvent::RatingCallBackRecorded {
        rating_no: 1,
        called_on: date(2024, 3, 15),
        confirmed: true,
        notes: "已回访".to_owned(),
    });
    case()
        .given(given)
        .when(CaseCommand::RecordRectification {
            rating_no: 1,
            rectified_on: Some(date(2024, 3, 14)),
            measures: "优化流程".to_owned(),
        })
        .then_expect_error(before(
            "rectified_on",
            date(2024, 3, 14),
            "the call-back",
            date(2024, 3, 15),
        ));
}

#[test]
fn a_member_promoted_to_lead_leaves_the_member_list() {
    let mut given = registered();
    given.push(CaseEvent::TeamMemberAdded {
        member: TeamMember {
            user_id: "zhang".to_owned(),
            role: "镇级代办员".to_owned(),
            tier: Tier::Town,
        },
    });
    case()
        .given(given)
        .when(CaseCommand::AssignLeadSteward {
            steward: "zhang".to_owned(),
            tier: Tier::Town,
            reason: None,
        })
        .then_expect_events(vec![
            CaseEvent::TeamMemberRemoved {
                user_id: "zhang".to_owned(),
                reason: Some("became the lead steward".to_owned()),
            },
            CaseEvent::LeadStewardAssigned {
                steward: "zhang".to_owned(),
                tier: Tier::Town,
            },
        ]);
}

#[test]
fn a_case_closed_before_signing_reopens_as_registered_and_cannot_take_items() {
    let mut history = registered();
    history.push(CaseEvent::CaseClosed {
        reason: CloseReason::EnterpriseWithdrew,
        summary: "未签约".to_owned(),
        closed_on: date(2024, 2, 1),
    });
    history.push(CaseEvent::CaseReopened {
        term: 2,
        reason: "重新洽谈".to_owned(),
        reopened_on: date(2024, 3, 1),
    });
    let mut reopened = EnterpriseCase::default();
    for event in history.clone() {
        reopened.apply_event(event);
    }
    assert_eq!(reopened.state, CaseState::Registered);
    case()
        .given(history)
        .when(CaseCommand::RequestServiceItem {
            catalog: facts("LIC-001"),
            mode: HandlingMode::Proxy,
            requested_on: None,
        })
        .then_expect_error(not_allowed(
            "service items are handled under a signed agreement: sign it first",
        ));
}
