//! The order of business dates across the parts of a case: nothing before the registration (or
//! the reopening that started the term), nothing under the agreement before the signing, a visit
//! not conducted before the day it was scheduled for, a rating not before what it rates, a
//! resolution not before its complaint, a closure not before any step. One test per rule, each
//! checking the field and the step it names.

use chrono::{Duration, TimeZone};

use super::*;
use crate::case::commands::CaseCommand;
use crate::case::events::BundleRef;
use crate::case::model::CloseReason;

/// Midday in Beijing of a day, as an instant.
fn midday(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 4, 0, 0)
        .single()
        .expect("valid instant")
}

fn schedule(at: DateTime<Utc>) -> CaseCommand {
    CaseCommand::ScheduleVisit {
        scheduled_at: at,
        place: "企业厂区".to_owned(),
        purpose: "走访".to_owned(),
        planned_participants: vec![],
    }
}

fn conduct(at: DateTime<Utc>) -> CaseCommand {
    CaseCommand::ConductVisit {
        visit_no: 1,
        conducted_at: at,
        participants: vec!["李管家".to_owned()],
        notes: "走访".to_owned(),
        issues_raised: vec![],
        follow_ups: vec![],
    }
}

fn rated_at(at: DateTime<Utc>) -> RatingInput {
    RatingInput {
        rated_at: Some(at),
        ..rating_input(5)
    }
}

#[test]
fn an_agreement_is_not_signed_before_the_registration() {
    case()
        .given(registered())
        .when(CaseCommand::SignAgreement {
            scope: AgreementScope::FullLifecycle,
            signed_on: date(2023, 5, 1),
            signatories: vec!["王经理".to_owned()],
        })
        .then_expect_error(before(
            "signed_on",
            date(2023, 5, 1),
            "the registration",
            date(2024, 1, 8),
        ));
}

#[test]
fn a_reopened_case_is_not_signed_before_the_reopening() {
    let mut given = registered();
    given.push(CaseEvent::CaseClosed {
        reason: CloseReason::EnterpriseWithdrew,
        summary: "未签约".to_owned(),
        closed_on: date(2024, 2, 1),
    });
    given.push(CaseEvent::CaseReopened {
        term: 2,
        reason: "重新洽谈".to_owned(),
        reopened_on: date(2024, 3, 1),
    });
    case()
        .given(given)
        .when(CaseCommand::SignAgreement {
            scope: AgreementScope::FullLifecycle,
            signed_on: date(2024, 2, 20),
            signatories: vec!["王经理".to_owned()],
        })
        .then_expect_error(before(
            "signed_on",
            date(2024, 2, 20),
            "the reopening",
            date(2024, 3, 1),
        ));
}

#[test]
fn an_item_is_not_requested_before_the_signing() {
    case()
        .given(in_service())
        .when(CaseCommand::RequestServiceItem {
            catalog: facts("LIC-001"),
            mode: HandlingMode::Proxy,
            requested_on: Some(date(2024, 1, 9)),
        })
        .then_expect_error(before(
            "requested_on",
            date(2024, 1, 9),
            "the signing",
            date(2024, 1, 10),
        ));
}

#[test]
fn a_bundle_is_not_requested_before_the_signing() {
    case()
        .given(in_service())
        .when(CaseCommand::RequestBundle {
            bundle: BundleRef {
                code: "YJS-001".to_owned(),
                version: 1,
                name: "开办企业一件事".to_owned(),
            },
            items: vec![facts("LIC-001"), facts("LIC-002")],
            mode: HandlingMode::Proxy,
            requested_on: Some(date(2023, 6, 2)),
        })
        .then_expect_error(before(
            "requested_on",
            date(2023, 6, 2),
            "the signing",
            date(2024, 1, 10),
        ));
}

#[test]
fn a_visit_is_not_scheduled_before_the_registration() {
    case()
        .given(registered())
        .when(schedule(midday(2023, 6, 1)))
        .then_expect_error(before(
            "scheduled_at",
            date(2023, 6, 1),
            "the registration",
            date(2024, 1, 8),
        ));
}

#[test]
fn a_visit_is_not_conducted_before_the_signing() {
    let mut given = in_service();
    given.push(CaseEvent::VisitScheduled {
        visit_no: 1,
        scheduled_at: midday(2024, 1, 12),
        place: "企业厂区".to_owned(),
        purpose: "走访".to_owned(),
        planned_participants: vec![],
    });
    case()
        .given(given)
        .when(conduct(midday(2024, 1, 9)))
        .then_expect_error(before(
            "conducted_at",
            date(2024, 1, 9),
            "the signing",
            date(2024, 1, 10),
        ));
}

#[test]
fn a_visit_is_not_conducted_before_the_day_it_was_scheduled_for() {
    case()
        .given(visit_scheduled())
        .when(conduct(visit_time() - Duration::days(1)))
        .then_expect_error(before(
            "conducted_at",
            date(2024, 3, 13),
            "the visit's scheduled day",
            date(2024, 3, 14),
        ));
}

#[test]
fn a_visit_is_not_rated_before_it_was_conducted() {
    case()
        .given(visit_conducted())
        .when(CaseCommand::Rate {
            target: RatingTarget::Visit(1),
            rating: rated_at(midday(2024, 3, 13)),
        })
        .then_expect_error(before(
            "rated_at",
            date(2024, 3, 13),
            "the visit",
            date(2024, 3, 14),
        ));
}

#[test]
fn an_item_is_not_rated_before_its_conclusion() {
    case()
        .given(item_concluded())
        .when(CaseCommand::Rate {
            target: RatingTarget::Item(1),
            rating: rated_at(midday(2023, 3, 15)),
        })
        .then_expect_error(before(
            "rated_at",
            date(2023, 3, 15),
            "the item's conclusion",
            date(2024, 3, 12),
        ));
}

#[test]
fn a_follow_up_rating_is_not_dated_before_the_rating_it_follows() {
    case()
        .given(item_rated(5))
        .when(CaseCommand::RateFollowUp {
            rating_no: 1,
            rating: rated_at(midday(2024, 3, 14)),
        })
        .then_expect_error(before(
            "rated_at",
            date(2024, 3, 14),
            "the rating it follows up",
            date(2024, 3, 15),
        ));
}

#[test]
fn a_complaint_is_not_lodged_before_the_registration() {
    case()
        .given(registered())
        .when(CaseCommand::LodgeComplaint {
            channel: Channel::Online,
            content: "审批迟迟不办".to_owned(),
            complainant: PersonInput::default(),
            lodged_on: Some(date(2023, 6, 3)),
        })
        .then_expect_error(before(
            "lodged_on",
            date(2023, 6, 3),
            "the registration",
            date(2024, 1, 8),
        ));
}

#[test]
fn a_complaint_is_not_resolved_before_it_was_lodged() {
    let mut given = registered();
    given.push(CaseEvent::ComplaintLodged {
        complaint_no: 1,
        channel: Channel::Online,
        content: "审批迟迟不办".to_owned(),
        complainant: Person::default(),
        lodged_on: date(2024, 3, 10),
    });
    given.push(CaseEvent::ComplaintAssigned {
        complaint_no: 1,
        assignee: "li.guanjia".to_owned(),
    });
    case()
        .given(given)
        .when(CaseCommand::ResolveComplaint {
            complaint_no: 1,
            answer: "已协调办结".to_owned(),
            resolved_on: Some(date(2024, 3, 9)),
            signed_off_by: None,
        })
        .then_expect_error(before(
            "resolved_on",
            date(2024, 3, 9),
            "the complaint",
            date(2024, 3, 10),
        ));
}

#[test]
fn a_case_is_not_held_before_the_signing() {
    case()
        .given(in_service())
        .when(CaseCommand::Hold {
            reason: "企业停产".to_owned(),
            held_on: Some(date(2024, 1, 9)),
        })
        .then_expect_error(before(
            "held_on",
            date(2024, 1, 9),
            "the signing",
            date(2024, 1, 10),
        ));
}

#[test]
fn a_case_is_not_resumed_before_the_hold() {
    let mut given = in_service();
    given.push(CaseEvent::CaseHeld {
        reason: "企业停产".to_owned(),
        held_on: date(2024, 3, 1),
    });
    case()
        .given(given)
        .when(CaseCommand::Resume {
            resumed_on: Some(date(2024, 2, 28)),
        })
        .then_expect_error(before(
            "resumed_on",
            date(2024, 2, 28),
            "the hold",
            date(2024, 3, 1),
        ));
}

#[test]
fn a_case_is_not_closed_before_its_latest_step() {
    case()
        .given(item_concluded())
        .when(CaseCommand::Close {
            reason: CloseReason::AllItemsConcluded,
            summary: "办结".to_owned(),
            closed_on: Some(date(2024, 3, 11)),
        })
        .then_expect_error(before(
            "closed_on",
            date(2024, 3, 11),
            "the case's latest step",
            date(2024, 3, 12),
        ));
}

#[test]
fn a_case_is_not_closed_before_its_registration() {
    case()
        .given(registered())
        .when(CaseCommand::Close {
            reason: CloseReason::EnterpriseWithdrew,
            summary: "企业撤回".to_owned(),
            closed_on: Some(date(2023, 12, 31)),
        })
        .then_expect_error(before(
            "closed_on",
            date(2023, 12, 31),
            "the case's latest step",
            date(2024, 1, 8),
        ));
}

#[test]
fn a_case_is_not_reopened_before_its_closure() {
    case()
        .given(closed())
        .when(CaseCommand::Reopen {
            reason: "新项目".to_owned(),
            reopened_on: Some(date(2024, 2, 29)),
        })
        .then_expect_error(before(
            "reopened_on",
            date(2024, 2, 29),
            "the closure",
            date(2024, 3, 1),
        ));
}

#[test]
fn work_of_a_reopened_term_is_not_dated_before_the_reopening() {
    let mut given = closed();
    given.push(CaseEvent::CaseReopened {
        term: 2,
        reason: "新项目".to_owned(),
        reopened_on: date(2024, 3, 10),
    });
    case()
        .given(given)
        .when(CaseCommand::RequestServiceItem {
            catalog: facts("LIC-001"),
            mode: HandlingMode::Proxy,
            requested_on: Some(date(2024, 3, 5)),
        })
        .then_expect_error(before(
            "requested_on",
            date(2024, 3, 5),
            "the reopening",
            date(2024, 3, 10),
        ));
}
