//! On-site visits (上门服务): scheduling and numbering, conducting, cancelling.

use chrono::Duration;

use super::*;
use crate::case::commands::CaseCommand;

fn schedule(place: &str) -> CaseCommand {
    CaseCommand::ScheduleVisit {
        scheduled_at: visit_time(),
        place: place.to_owned(),
        purpose: "了解项目用地需求".to_owned(),
        planned_participants: vec!["李管家".to_owned(), " 王经理 ".to_owned()],
    }
}

fn conduct(visit_no: u32, conducted_at: DateTime<Utc>, participants: &[&str]) -> CaseCommand {
    CaseCommand::ConductVisit {
        visit_no,
        conducted_at,
        participants: participants.iter().map(|p| (*p).to_owned()).collect(),
        notes: "企业反映施工许可材料不清楚".to_owned(),
        issues_raised: vec!["施工许可材料".to_owned()],
        follow_ups: vec!["三日内送达材料清单".to_owned()],
    }
}

fn cancel(visit_no: u32) -> CaseCommand {
    CaseCommand::CancelVisit {
        visit_no,
        reason: "企业负责人出差".to_owned(),
    }
}

#[test]
fn scheduling_a_visit_numbers_it() {
    case()
        .given(in_service())
        .when(schedule(" 企业厂区 "))
        .then_expect_events(vec![visit_scheduled_event(1)]);
}

#[test]
fn visits_are_numbered_after_the_last_one_even_if_cancelled() {
    let mut given = visit_scheduled();
    given.push(visit_scheduled_event(2));
    given.push(CaseEvent::VisitCancelled {
        visit_no: 2,
        reason: "改期".to_owned(),
    });
    case()
        .given(given)
        .when(schedule("企业厂区"))
        .then_expect_events(vec![visit_scheduled_event(3)]);
}

#[test]
fn scheduling_on_hold_is_refused() {
    let mut held = in_service();
    held.push(CaseEvent::CaseHeld {
        reason: "企业资金未到位".to_owned(),
        held_on: date(2024, 3, 1),
    });
    case()
        .given(held)
        .when(schedule("企业厂区"))
        .then_expect_error(not_allowed(
            "the case is on hold (有求必应、无事不扰): resume it first",
        ));
}

#[test]
fn a_visit_needs_a_place_and_a_purpose() {
    case()
        .given(in_service())
        .when(schedule(" "))
        .then_expect_error(DomainError::invalid("place", ValueError::Empty));
    let command = CaseCommand::ScheduleVisit {
        scheduled_at: now(),
        place: "企业厂区".to_owned(),
        purpose: String::new(),
        planned_participants: vec![],
    };
    case()
        .given(in_service())
        .when(command)
        .then_expect_error(DomainError::invalid("purpose", ValueError::Empty));
}

#[test]
fn conducting_a_visit_records_what_happened() {
    case()
        .given(visit_scheduled())
        .when(conduct(1, visit_time(), &["李管家", " 王经理 "]))
        .then_expect_events(vec![CaseEvent::VisitConducted {
            visit_no: 1,
            conducted_at: visit_time(),
            participants: vec!["李管家".to_owned(), "王经理".to_owned()],
            notes: "企业反映施工许可材料不清楚".to_owned(),
            issues_raised: vec!["施工许可材料".to_owned()],
            follow_ups: vec!["三日内送达材料清单".to_owned()],
        }]);
}

#[test]
fn conducting_an_unknown_visit_is_not_found() {
    case()
        .given(visit_scheduled())
        .when(conduct(2, now(), &["李管家"]))
        .then_expect_error(not_found("visit 2"));
}

#[test]
fn a_cancelled_or_conducted_visit_cannot_be_conducted() {
    let mut cancelled = visit_scheduled();
    cancelled.push(CaseEvent::VisitCancelled {
        visit_no: 1,
        reason: "改期".to_owned(),
    });
    case()
        .given(cancelled)
        .when(conduct(1, now(), &["李管家"]))
        .then_expect_error(not_allowed("visit 1 was cancelled"));
    case()
        .given(visit_conducted())
        .when(conduct(1, now(), &["李管家"]))
        .then_expect_error(not_allowed("visit 1 was already conducted"));
}

#[test]
fn a_visit_cannot_be_conducted_in_the_future() {
    case()
        .given(visit_scheduled())
        .when(conduct(1, now() + Duration::seconds(1), &["李管家"]))
        .then_expect_error(invalid(
            "conducted_at",
            "2024-03-15 02:00:01 UTC is in the future",
        ));
    // Right now is not the future.
    let events = case()
        .given(visit_scheduled())
        .when(conduct(1, now(), &["李管家"]))
        .inspect_result()
        .expect("accepted");
    assert!(
        matches!(&events[..], [CaseEvent::VisitConducted { conducted_at, .. }] if *conducted_at == now())
    );
}

#[test]
fn a_visit_is_conducted_by_someone_and_with_notes() {
    case()
        .given(visit_scheduled())
        .when(conduct(1, now(), &[]))
        .then_expect_error(DomainError::invalid("participants", ValueError::Empty));
    case()
        .given(visit_scheduled())
        .when(conduct(1, now(), &["  "]))
        .then_expect_error(DomainError::invalid("participants", ValueError::Empty));
    let CaseCommand::ConductVisit {
        visit_no,
        conducted_at,
        participants,
        issues_raised,
        follow_ups,
        ..
    } = conduct(1, now(), &["李管家"])
    else {
        unreachable!()
    };
    let command = CaseCommand::ConductVisit {
        visit_no,
        conducted_at,
        participants,
        notes: " ".to_owned(),
        issues_raised,
        follow_ups,
    };
    case()
        .given(visit_scheduled())
        .when(command)
        .then_expect_error(DomainError::invalid("notes", ValueError::Empty));
}

#[test]
fn cancelling_a_scheduled_visit_records_the_reason() {
    case()
        .given(visit_scheduled())
        .when(cancel(1))
        .then_expect_events(vec![CaseEvent::VisitCancelled {
            visit_no: 1,
            reason: "企业负责人出差".to_owned(),
        }]);
    case()
        .given(visit_scheduled())
        .when(CaseCommand::CancelVisit {
            visit_no: 1,
            reason: " ".to_owned(),
        })
        .then_expect_error(DomainError::invalid("reason", ValueError::Empty));
}

#[test]
fn only_a_scheduled_visit_can_be_cancelled() {
    case()
        .given(visit_scheduled())
        .when(cancel(2))
        .then_expect_error(not_found("visit 2"));
    let mut cancelled = visit_scheduled();
    cancelled.push(CaseEvent::VisitCancelled {
        visit_no: 1,
        reason: "改期".to_owned(),
    });
    case()
        .given(cancelled)
        .when(cancel(1))
        .then_expect_error(not_allowed("visit 1 was cancelled"));
    case()
        .given(visit_conducted())
        .when(cancel(1))
        .then_expect_error(not_allowed("visit 1 was already conducted"));
}

#[test]
fn a_closed_case_refuses_visits() {
    case()
        .given(closed())
        .when(schedule("企业厂区"))
        .then_expect_error(not_allowed("case 2024-0007 is closed"));
}
