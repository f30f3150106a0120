//! The bad-rating loop: call-back check (回访核实), appeal (申诉复核) and its decision,
//! rectification (整改). Only a bad rating (level 1–2) that was not voided enters it.

use super::*;
use crate::case::commands::CaseCommand;

fn call_back(rating_no: u32) -> CaseCommand {
    CaseCommand::RecordCallBack {
        rating_no,
        called_on: None,
        confirmed: true,
        notes: " 企业确认材料清单不清 ".to_owned(),
    }
}

fn called_back_event() -> CaseEvent {
    CaseEvent::RatingCallBackRecorded {
        rating_no: 1,
        called_on: today(),
        confirmed: true,
        notes: "企业确认材料清单不清".to_owned(),
    }
}

fn appeal() -> CaseCommand {
    CaseCommand::AppealRating {
        rating_no: 1,
        reason: "评价人并非办事人".to_owned(),
    }
}

fn appealed_event() -> CaseEvent {
    CaseEvent::RatingAppealed {
        rating_no: 1,
        reason: "评价人并非办事人".to_owned(),
    }
}

fn decide(void: bool) -> CaseCommand {
    CaseCommand::DecideAppeal {
        rating_no: 1,
        void,
        reviewer: "sun.reviewer".to_owned(),
        reason: "调阅录像核实".to_owned(),
    }
}

/// What the reviewer of [`decide`] records.
fn decided_event(void: bool) -> CaseEvent {
    let (rating_no, reviewer, reason) = (1, "sun.reviewer".to_owned(), "调阅录像核实".to_owned());
    if void {
        CaseEvent::RatingVoided {
            rating_no,
            reviewer,
            reason,
        }
    } else {
        CaseEvent::RatingAppealRejected {
            rating_no,
            reviewer,
            reason,
        }
    }
}

fn rectify() -> CaseCommand {
    CaseCommand::RecordRectification {
        rating_no: 1,
        rectified_on: None,
        measures: "印发一次性告知单".to_owned(),
    }
}

fn rectified_event() -> CaseEvent {
    CaseEvent::RatingRectified {
        rating_no: 1,
        rectified_on: today(),
        measures: "印发一次性告知单".to_owned(),
    }
}

/// Item 1 rated 1 (bad), then `events`.
fn bad_then(events: Vec<CaseEvent>) -> Vec<CaseEvent> {
    let mut history = item_rated(1);
    history.extend(events);
    history
}

fn voided() -> Vec<CaseEvent> {
    bad_then(vec![appealed_event(), decided_event(true)])
}

#[test]
fn a_bad_rating_gets_a_call_back() {
    case()
        .given(item_rated(2))
        .when(call_back(1))
        .then_expect_events(vec![called_back_event()]);
}

#[test]
fn a_call_back_is_dated_and_has_notes() {
    let command = CaseCommand::RecordCallBack {
        rating_no: 1,
        called_on: Some(date(2024, 3, 16)),
        confirmed: false,
        notes: "x".to_owned(),
    };
    case()
        .given(item_rated(1))
        .when(command)
        .then_expect_error(invalid(
            "called_on",
            "2024-03-16 is in the future (today is 2024-03-15)",
        ));
    let command = CaseCommand::RecordCallBack {
        rating_no: 1,
        called_on: None,
        confirmed: false,
        notes: " ".to_owned(),
    };
    case()
        .given(item_rated(1))
        .when(command)
        .then_expect_error(DomainError::invalid("notes", ValueError::Empty));
}

#[test]
fn a_good_rating_gets_no_call_back_appeal_or_rectification() {
    for value in [3, 4, 5] {
        for command in [call_back(1), appeal(), rectify()] {
            case()
                .given(item_rated(value))
                .when(command)
                .then_expect_error(not_allowed("rating 1 is not a bad rating (level 1 or 2)"));
        }
    }
}

#[test]
fn a_call_back_is_recorded_once() {
    case()
        .given(bad_then(vec![called_back_event()]))
        .when(call_back(1))
        .then_expect_error(DomainError::AlreadyExists(
            "rating 1 already has its call-back".to_owned(),
        ));
}

#[test]
fn the_loop_needs_a_known_rating_that_was_not_voided() {
    case()
        .given(item_rated(1))
        .when(call_back(2))
        .then_expect_error(not_found("rating 2"));
    for command in [call_back(1), appeal(), rectify()] {
        case()
            .given(voided())
            .when(command)
            .then_expect_error(not_allowed("rating 1 was voided"));
    }
}

#[test]
fn a_bad_rating_can_be_appealed_once() {
    case()
        .given(item_rated(1))
        .when(appeal())
        .then_expect_events(vec![appealed_event()]);
    let already = || DomainError::AlreadyExists("rating 1 was already appealed".to_owned());
    case()
        .given(bad_then(vec![appealed_event()]))
        .when(appeal())
        .then_expect_error(already());
    case()
        .given(bad_then(vec![appealed_event(), decided_event(false)]))
        .when(appeal())
        .then_expect_error(already());
    let command = CaseCommand::AppealRating {
        rating_no: 1,
        reason: String::new(),
    };
    case()
        .given(item_rated(1))
        .when(command)
        .then_expect_error(DomainError::invalid("reason", ValueError::Empty));
}

#[test]
fn a_rectified_rating_cannot_be_appealed() {
    case()
        .given(bad_then(vec![called_back_event(), rectified_event()]))
        .when(appeal())
        .then_expect_error(not_allowed("rating 1 is already rectified"));
}

#[test]
fn a_reviewer_voids_the_rating_or_rejects_the_appeal() {
    let pending = bad_then(vec![appealed_event()]);
    case()
        .given(pending.clone())
        .when(decide(true))
        .then_expect_events(vec![decided_event(true)]);
    case()
        .given(pending.clone())
        .when(decide(false))
        .then_expect_events(vec![decided_event(false)]);
    let command = CaseCommand::DecideAppeal {
        rating_no: 1,
        void: true,
        reviewer: "sun reviewer".to_owned(),
        reason: "x".to_owned(),
    };
    case()
        .given(pending)
        .when(command)
        .then_expect_error(DomainError::invalid(
            "reviewer",
            ValueError::Rule("must not contain spaces".to_owned()),
        ));
}

#[test]
fn an_appeal_is_decided_once() {
    case()
        .given(voided())
        .when(decide(false))
        .then_expect_error(not_allowed("rating 1 has no pending appeal"));
    case()
        .given(item_rated(1))
        .when(decide(false))
        .then_expect_error(not_allowed("rating 1 has no pending appeal"));
    case()
        .given(item_rated(1))
        .when(CaseCommand::DecideAppeal {
            rating_no: 3,
            void: true,
            reviewer: "r".to_owned(),
            reason: "x".to_owned(),
        })
        .then_expect_error(not_found("rating 3"));
}

#[test]
fn rectification_follows_the_call_back() {
    case()
        .given(bad_then(vec![called_back_event()]))
        .when(rectify())
        .then_expect_events(vec![rectified_event()]);
    case()
        .given(item_rated(1))
        .when(rectify())
        .then_expect_error(not_allowed("rating 1 needs its call-back first"));
}

#[test]
fn rectification_waits_for_a_pending_appeal() {
    case()
        .given(bad_then(vec![called_back_event(), appealed_event()]))
        .when(rectify())
        .then_expect_error(not_allowed("rating 1 has a pending appeal"));
    let rejected = decided_event(false);
    case()
        .given(bad_then(vec![
            called_back_event(),
            appealed_event(),
            rejected,
        ]))
        .when(rectify())
        .then_expect_events(vec![rectified_event()]);
}

#[test]
fn rectification_is_recorded_once() {
    case()
        .given(bad_then(vec![called_back_event(), rectified_event()]))
        .when(rectify())
        .then_expect_error(DomainError::AlreadyExists(
            "rating 1 is already rectified".to_owned(),
        ));
}

#[test]
fn the_loop_runs_on_a_closed_case_too() {
    case()
        .given(closed_after(item_rated(1)))
        .when(call_back(1))
        .then_expect_events(vec![called_back_event()]);
}
