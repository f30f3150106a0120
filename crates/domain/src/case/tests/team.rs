//! The service team: assigning and replacing the lead steward, adding and removing members.
//! The plan and the projects, decided by the same module, are in `team_plan.rs`.

use super::*;
use crate::case::commands::CaseCommand;
use crate::case::model::TeamMember;
use crate::values::Tier;

fn assign(steward: &str, reason: Option<&str>) -> CaseCommand {
    CaseCommand::AssignLeadSteward {
        steward: steward.to_owned(),
        tier: Tier::District,
        reason: reason.map(str::to_owned),
    }
}

fn add(user_id: &str) -> CaseCommand {
    CaseCommand::AddTeamMember {
        user_id: user_id.to_owned(),
        role: " 部门联络员 ".to_owned(),
        tier: Tier::Town,
    }
}

fn remove(user_id: &str, reason: Option<&str>) -> CaseCommand {
    CaseCommand::RemoveTeamMember {
        user_id: user_id.to_owned(),
        reason: reason.map(str::to_owned),
    }
}

fn member(user_id: &str) -> TeamMember {
    TeamMember {
        user_id: user_id.to_owned(),
        role: "部门联络员".to_owned(),
        tier: Tier::Town,
    }
}

/// Signed, with li.guanjia as lead steward.
fn with_lead() -> Vec<CaseEvent> {
    let mut events = signed();
    events.push(CaseEvent::LeadStewardAssigned {
        steward: "li.guanjia".to_owned(),
        tier: Tier::District,
    });
    events
}

/// With lead, and wang.town as a member.
fn with_member() -> Vec<CaseEvent> {
    let mut events = with_lead();
    events.push(CaseEvent::TeamMemberAdded {
        member: member("wang.town"),
    });
    events
}

#[test]
fn the_first_lead_steward_is_assigned_without_a_reason() {
    case()
        .given(signed())
        .when(assign(" li.guanjia ", None))
        .then_expect_events(vec![CaseEvent::LeadStewardAssigned {
            steward: "li.guanjia".to_owned(),
            tier: Tier::District,
        }]);
}

#[test]
fn replacing_the_lead_steward_records_the_previous_one_and_the_reason() {
    case()
        .given(with_lead())
        .when(assign("zhang.guanjia", Some(" 原管家调任 ")))
        .then_expect_events(vec![CaseEvent::LeadStewardReplaced {
            previous: "li.guanjia".to_owned(),
            steward: "zhang.guanjia".to_owned(),
            tier: Tier::District,
            reason: "原管家调任".to_owned(),
        }]);
}

#[test]
fn replacing_the_lead_steward_without_a_reason_is_refused() {
    for reason in [None, Some("  ")] {
        case()
            .given(with_lead())
            .when(assign("zhang.guanjia", reason))
            .then_expect_error(DomainError::invalid("reason", ValueError::Empty));
    }
}

#[test]
fn assigning_the_same_lead_steward_again_is_refused() {
    case()
        .given(with_lead())
        .when(assign("li.guanjia", Some("再次指派")))
        .then_expect_error(not_allowed("li.guanjia is already the lead steward"));
}

#[test]
fn user_ids_must_not_be_blank_or_contain_spaces() {
    let spaces = || ValueError::Rule("must not contain spaces".to_owned());
    case()
        .given(signed())
        .when(assign("li guanjia", None))
        .then_expect_error(DomainError::invalid("steward", spaces()));
    case()
        .given(signed())
        .when(assign("  ", None))
        .then_expect_error(DomainError::invalid("steward", ValueError::Empty));
    // A tab is a control character, which no name may hold (values::text).
    case()
        .given(with_lead())
        .when(add("wang\ttown"))
        .then_expect_error(DomainError::invalid(
            "user_id",
            ValueError::BadCharacter {
                position: 5,
                found: '\t',
                allowed: "a name or identifier is one line of visible text: no control, \
                          line-break, bidirectional or zero-width characters",
            },
        ));
    case()
        .given(with_member())
        .when(remove("wang town", None))
        .then_expect_error(DomainError::invalid("user_id", spaces()));
}

#[test]
fn adding_a_member_records_the_role_and_tier() {
    case()
        .given(with_lead())
        .when(add("wang.town"))
        .then_expect_events(vec![CaseEvent::TeamMemberAdded {
            member: member("wang.town"),
        }]);
}

#[test]
fn a_member_needs_a_role() {
    case()
        .given(with_lead())
        .when(CaseCommand::AddTeamMember {
            user_id: "wang.town".to_owned(),
            role: " ".to_owned(),
            tier: Tier::Town,
        })
        .then_expect_error(DomainError::invalid("role", ValueError::Empty));
}

#[test]
fn adding_a_member_twice_is_refused() {
    case()
        .given(with_member())
        .when(add("wang.town"))
        .then_expect_error(DomainError::AlreadyExists(
            "wang.town is already on the team".to_owned(),
        ));
}

#[test]
fn the_lead_steward_cannot_also_be_a_member() {
    case()
        .given(with_lead())
        .when(add("li.guanjia"))
        .then_expect_error(DomainError::AlreadyExists(
            "li.guanjia is the lead steward".to_owned(),
        ));
}

#[test]
fn removing_a_member_records_the_optional_reason() {
    case()
        .given(with_member())
        .when(remove("wang.town", Some(" 调岗 ")))
        .then_expect_events(vec![CaseEvent::TeamMemberRemoved {
            user_id: "wang.town".to_owned(),
            reason: Some("调岗".to_owned()),
        }]);
    case()
        .given(with_member())
        .when(remove("wang.town", Some(" ")))
        .then_expect_events(vec![CaseEvent::TeamMemberRemoved {
            user_id: "wang.town".to_owned(),
            reason: None,
        }]);
}

#[test]
fn removing_someone_not_on_the_team_is_not_found() {
    case()
        .given(with_member())
        .when(remove("zhao.village", None))
        .then_expect_error(not_found("team member zhao.village"));
    // The lead steward is not a member: a lead is replaced, not removed.
    case()
        .given(with_member())
        .when(remove("li.guanjia", None))
        .then_expect_error(not_found("team member li.guanjia"));
    let mut removed = with_member();
    removed.push(CaseEvent::TeamMemberRemoved {
        user_id: "wang.town".to_owned(),
        reason: None,
    });
    case()
        .given(removed.clone())
        .when(remove("wang.town", None))
        .then_expect_error(not_found("team member wang.town"));
    // Once removed, the same person may join again.
    case()
        .given(removed)
        .when(add("wang.town"))
        .then_expect_events(vec![CaseEvent::TeamMemberAdded {
            member: member("wang.town"),
        }]);
}

#[test]
fn a_closed_case_refuses_team_changes() {
    case()
        .given(closed())
        .when(assign("li.guanjia", None))
        .then_expect_error(not_allowed("case 2024-0007 is closed"));
    case()
        .given(closed())
        .when(add("wang.town"))
        .then_expect_error(not_allowed("case 2024-0007 is closed"));
}
