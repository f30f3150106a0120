//! 办不成事 complaints: lodged and numbered, assigned (and reassigned), then resolved with an
//! answer or referred; also on a closed case.

use super::*;
use crate::case::commands::CaseCommand;

fn lodge(lodged_on: Option<NaiveDate>) -> CaseCommand {
    CaseCommand::LodgeComplaint {
        channel: Channel::Hotline12345,
        content: " 施工许可迟迟未办 ".to_owned(),
        complainant: PersonInput {
            name: Some("刘女士".to_owned()),
            phone: None,
        },
        lodged_on,
    }
}

fn lodged_event(complaint_no: u32, lodged_on: NaiveDate) -> CaseEvent {
    CaseEvent::ComplaintLodged {
        complaint_no,
        channel: Channel::Hotline12345,
        content: "施工许可迟迟未办".to_owned(),
        complainant: Person {
            name: Some("刘女士".to_owned()),
            phone: None,
        },
        lodged_on,
    }
}

/// In service, with complaint 1 lodged on 2024-03-11 and then `events`.
fn lodged_then(events: Vec<CaseEvent>) -> Vec<CaseEvent> {
    let mut history = in_service();
    history.push(lodged_event(1, date(2024, 3, 11)));
    history.extend(events);
    history
}

fn assign(complaint_no: u32, assignee: &str) -> CaseCommand {
    CaseCommand::AssignComplaint {
        complaint_no,
        assignee: assignee.to_owned(),
    }
}

fn assigned_event(assignee: &str) -> CaseEvent {
    CaseEvent::ComplaintAssigned {
        complaint_no: 1,
        assignee: assignee.to_owned(),
    }
}

fn resolve(complaint_no: u32) -> CaseCommand {
    CaseCommand::ResolveComplaint {
        complaint_no,
        answer: "已协调住建局三日内办结".to_owned(),
        resolved_on: None,
        signed_off_by: None,
    }
}

fn refer(complaint_no: u32) -> CaseCommand {
    CaseCommand::ReferComplaint {
        complaint_no,
        to_department: "区住建局".to_owned(),
        reason: "属住建职权".to_owned(),
    }
}

fn referred_event() -> CaseEvent {
    CaseEvent::ComplaintReferred {
        complaint_no: 1,
        to_department: "区住建局".to_owned(),
        reason: "属住建职权".to_owned(),
    }
}

fn resolved_event() -> CaseEvent {
    CaseEvent::ComplaintResolved {
        complaint_no: 1,
        answer: "已协调住建局三日内办结".to_owned(),
        resolved_on: today(),
        signed_off_by: None,
    }
}

#[test]
fn lodging_a_complaint_numbers_it() {
    case()
        .given(in_service())
        .when(lodge(Some(date(2024, 3, 11))))
        .then_expect_events(vec![lodged_event(1, date(2024, 3, 11))]);
    case()
        .given(lodged_then(vec![]))
        .when(lodge(None))
        .then_expect_events(vec![lodged_event(2, today())]);
}

#[test]
fn a_complaint_has_content_a_valid_phone_and_no_future_date() {
    let command = CaseCommand::LodgeComplaint {
        channel: Channel::InPerson,
        content: " ".to_owned(),
        complainant: PersonInput::default(),
        lodged_on: None,
    };
    case()
        .given(in_service())
        .when(command)
        .then_expect_error(DomainError::invalid("content", ValueError::Empty));
    let command = CaseCommand::LodgeComplaint {
        channel: Channel::InPerson,
        content: "办不成".to_owned(),
        complainant: PersonInput {
            name: None,
            phone: Some("12345".to_owned()),
        },
        lodged_on: None,
    };
    let error = case()
        .given(in_service())
        .when(command)
        .inspect_result()
        .expect_err("refused");
    assert!(
        matches!(
            error,
            DomainError::Invalid {
                field: "complainant.phone",
                ..
            }
        ),
        "{error:?}"
    );
    case()
        .given(in_service())
        .when(lodge(Some(date(2024, 3, 16))))
        .then_expect_error(invalid(
            "lodged_on",
            "2024-03-16 is in the future (today is 2024-03-15)",
        ));
}

#[test]
fn a_complaint_is_assigned_and_may_be_reassigned() {
    case()
        .given(lodged_then(vec![]))
        .when(assign(1, " chen.office "))
        .then_expect_events(vec![assigned_event("chen.office")]);
    case()
        .given(lodged_then(vec![assigned_event("chen.office")]))
        .when(assign(1, "zhou.office"))
        .then_expect_events(vec![assigned_event("zhou.office")]);
    case()
        .given(lodged_then(vec![]))
        .when(assign(1, "chen office"))
        .then_expect_error(DomainError::invalid(
            "assignee",
            ValueError::Rule("must not contain spaces".to_owned()),
        ));
}

#[test]
fn an_unassigned_complaint_cannot_be_resolved() {
    case()
        .given(lodged_then(vec![]))
        .when(resolve(1))
        .then_expect_error(not_allowed(
            "complaint 1 must be assigned before it is resolved",
        ));
}

#[test]
fn an_assigned_complaint_is_resolved_with_an_answer() {
    let assigned = lodged_then(vec![assigned_event("chen.office")]);
    case()
        .given(assigned.clone())
        .when(resolve(1))
        .then_expect_events(vec![resolved_event()]);
    let command = CaseCommand::ResolveComplaint {
        complaint_no: 1,
        answer: " ".to_owned(),
        resolved_on: None,
        signed_off_by: None,
    };
    case()
        .given(assigned)
        .when(command)
        .then_expect_error(DomainError::invalid("answer", ValueError::Empty));
}

#[test]
fn a_lodged_or_assigned_complaint_can_be_referred() {
    case()
        .given(lodged_then(vec![]))
        .when(refer(1))
        .then_expect_events(vec![referred_event()]);
    case()
        .given(lodged_then(vec![assigned_event("chen.office")]))
        .when(refer(1))
        .then_expect_events(vec![referred_event()]);
    let command = CaseCommand::ReferComplaint {
        complaint_no: 1,
        to_department: " ".to_owned(),
        reason: "x".to_owned(),
    };
    case()
        .given(lodged_then(vec![]))
        .when(command)
        .then_expect_error(DomainError::invalid("to_department", ValueError::Empty));
}

#[test]
fn a_resolved_complaint_is_finished() {
    let resolved = lodged_then(vec![assigned_event("chen.office"), resolved_event()]);
    let refused = || not_allowed("complaint 1 is already resolved");
    case()
        .given(resolved.clone())
        .when(resolve(1))
        .then_expect_error(refused());
    case()
        .given(resolved.clone())
        .when(refer(1))
        .then_expect_error(refused());
    case()
        .given(resolved)
        .when(assign(1, "zhou.office"))
        .then_expect_error(refused());
}

#[test]
fn a_referred_complaint_is_finished() {
    let referred = lodged_then(vec![assigned_event("chen.office"), referred_event()]);
    let refused = || not_allowed("complaint 1 was referred");
    case()
        .given(referred.clone())
        .when(resolve(1))
        .then_expect_error(refused());
    case()
        .given(referred.clone())
        .when(refer(1))
        .then_expect_error(refused());
    case()
        .given(referred)
        .when(assign(1, "zhou.office"))
        .then_expect_error(refused());
}

#[test]
fn an_unknown_complaint_is_not_found() {
    case()
        .given(lodged_then(vec![]))
        .when(assign(2, "chen.office"))
        .then_expect_error(not_found("complaint 2"));
    case()
        .given(lodged_then(vec![]))
        .when(resolve(2))
        .then_expect_error(not_found("complaint 2"));
    case()
        .given(lodged_then(vec![]))
        .when(refer(2))
        .then_expect_error(not_found("complaint 2"));
}

#[test]
fn a_closed_case_still_takes_and_handles_complaints() {
    case()
        .given(closed())
        .when(lodge(None))
        .then_expect_events(vec![lodged_event(1, today())]);
    let history = lodged_then(vec![assigned_event("chen.office")]);
    case()
        .given(closed_after(history))
        .when(resolve(1))
        .then_expect_events(vec![resolved_event()]);
}

fn signed_off(complaint_no: u32, leader: &str) -> CaseCommand {
    CaseCommand::ResolveComplaint {
        complaint_no,
        answer: "已协调住建局三日内办结".to_owned(),
        resolved_on: None,
        signed_off_by: Some(leader.to_owned()),
    }
}

#[test]
fn a_leader_off_the_team_signs_off_the_answer_and_is_recorded() {
    let mut expected = resolved_event();
    if let CaseEvent::ComplaintResolved { signed_off_by, .. } = &mut expected {
        *signed_off_by = Some("chen.jun".to_owned());
    }
    case()
        .given(lodged_then(vec![assigned_event("li.ming")]))
        .when(signed_off(1, "chen.jun"))
        .then_expect_events(vec![expected]);
}

#[test]
fn no_one_on_the_team_signs_off_the_answer_to_a_complaint_about_it() {
    // The lead steward signs off: refused
    let led = lodged_then(vec![
        CaseEvent::LeadStewardAssigned {
            steward: "li.ming".to_owned(),
            tier: crate::values::Tier::Town,
        },
        assigned_event("li.ming"),
    ]);
    case()
        .given(led)
        .when(signed_off(1, "li.ming"))
        .then_expect_error(not_allowed(
            "complaint 1 is about this case's team, so li.ming, who is on it, cannot sign off \
             its answer: a leader of the division outside the team does",
        ));
    // Nor a blank signer
    case()
        .given(lodged_then(vec![assigned_event("li.ming")]))
        .when(signed_off(1, " "))
        .then_expect_error(DomainError::invalid("signed_off_by", ValueError::Empty));
}
