//! One whole case life driven through real commands, each step given the events the earlier
//! steps produced: the decision modules must agree with each other, not only with fixtures.

use super::*;
use crate::case::commands::CaseCommand;
use crate::case::model::{CaseState, CloseReason};
use crate::case::state::{ComplaintStatus, ItemStatus};
use crate::values::Tier;

/// Runs `command` on the case built from `history`, checks it produced exactly `expected`, and
/// appends what it produced to `history`.
fn step(history: &mut Vec<CaseEvent>, command: CaseCommand, expected: Vec<CaseEvent>) {
    let produced = case()
        .given(history.clone())
        .when(command.clone())
        .inspect_result()
        .expect("command accepted");
    assert_eq!(produced, expected, "{command:?}");
    history.extend(produced);
}

#[test]
fn a_full_case_life_from_registration_to_reopening() {
    let mut history = Vec::new();
    let register = CaseCommand::Register {
        case_number: "2024-0007".to_owned(),
        enterprise: enterprise_input(),
        lead_source: LeadSource::InvestmentPromotion,
        stage: Stage::Establishment,
        registered_on: Some(date(2024, 1, 8)),
    };
    step(&mut history, register, registered());
    let sign = CaseCommand::SignAgreement {
        scope: AgreementScope::FullLifecycle,
        signed_on: date(2024, 1, 10),
        signatories: vec!["王经理".to_owned(), "李管家".to_owned()],
    };
    step(&mut history, sign, signed().split_off(registered().len()));
    let lead = CaseCommand::AssignLeadSteward {
        steward: "li.guanjia".to_owned(),
        tier: Tier::District,
        reason: None,
    };
    step(
        &mut history,
        lead,
        vec![CaseEvent::LeadStewardAssigned {
            steward: "li.guanjia".to_owned(),
            tier: Tier::District,
        }],
    );
    let adopt = CaseCommand::AdoptPlan { plan: plan_input() };
    step(&mut history, adopt, in_service().split_off(signed().len()));

    // A visit, conducted and rated well (一次一评).
    let schedule = CaseCommand::ScheduleVisit {
        scheduled_at: visit_time(),
        place: "企业厂区".to_owned(),
        purpose: "了解项目用地需求".to_owned(),
        planned_participants: vec!["李管家".to_owned(), "王经理".to_owned()],
    };
    step(&mut history, schedule, vec![visit_scheduled_event(1)]);
    let conduct = CaseCommand::ConductVisit {
        visit_no: 1,
        conducted_at: visit_time(),
        participants: vec!["李管家".to_owned()],
        notes: "走访".to_owned(),
        issues_raised: vec![],
        follow_ups: vec![],
    };
    step(
        &mut history,
        conduct,
        visit_conducted().split_off(visit_scheduled().len()),
    );
    let rate_visit = CaseCommand::Rate {
        target: RatingTarget::Visit(1),
        rating: rating_input(5),
    };
    step(
        &mut history,
        rate_visit,
        vec![rating_recorded(1, RatingTarget::Visit(1), 5, None)],
    );

    // A service item through its whole clock.
    let request = CaseCommand::RequestServiceItem {
        catalog: facts("LIC-001"),
        mode: HandlingMode::Proxy,
        requested_on: Some(date(2024, 3, 1)),
    };
    step(
        &mut history,
        request,
        item_requested().split_off(in_service().len()),
    );
    let accept = CaseCommand::AcceptServiceItem {
        item_no: 1,
        accepted_on: Some(date(2024, 3, 4)),
        receipt_no: None,
        use_statutory_limit: false,
    };
    step(
        &mut history,
        accept,
        item_accepted().split_off(item_requested().len()),
    );
    let suspend = CaseCommand::SuspendServiceItem {
        item_no: 1,
        reason: SuspensionReason::Correction,
        suspended_on: Some(date(2024, 3, 6)),
        note: Some("补正土地证明".to_owned()),
    };
    step(
        &mut history,
        suspend,
        item_suspended().split_off(item_accepted().len()),
    );
    let resume = CaseCommand::ResumeServiceItem {
        item_no: 1,
        resumed_on: Some(date(2024, 3, 8)),
    };
    step(
        &mut history,
        resume,
        vec![CaseEvent::ServiceItemResumed {
            item_no: 1,
            resumed_on: date(2024, 3, 8),
        }],
    );
    let extend = CaseCommand::ExtendServiceItem {
        item_no: 1,
        days: 5,
        approver: "zhao.director".to_owned(),
        reason: "现场核查".to_owned(),
    };
    step(
        &mut history,
        extend,
        vec![CaseEvent::ServiceItemExtended {
            item_no: 1,
            days: 5,
            approver: "zhao.director".to_owned(),
            reason: "现场核查".to_owned(),
        }],
    );
    let conclude = CaseCommand::ConcludeServiceItem {
        item_no: 1,
        outcome: ItemOutcome::Granted,
        concluded_on: Some(date(2024, 3, 12)),
        result_reference: Some("建字第2024-001号".to_owned()),
        materials_submitted: 6,
        onsite_trips: 0,
    };
    step(
        &mut history,
        conclude,
        item_concluded().split_off(item_accepted().len()),
    );

    // A bad rating of the item, through the loop to its follow-up.
    let rate_item = CaseCommand::Rate {
        target: RatingTarget::Item(1),
        rating: rating_input(2),
    };
    step(
        &mut history,
        rate_item,
        vec![rating_recorded(2, RatingTarget::Item(1), 2, None)],
    );
    let call_back = CaseCommand::RecordCallBack {
        rating_no: 2,
        called_on: None,
        confirmed: true,
        notes: "等待时间过长".to_owned(),
    };
    step(
        &mut history,
        call_back,
        vec![CaseEvent::RatingCallBackRecorded {
            rating_no: 2,
            called_on: today(),
            confirmed: true,
            notes: "等待时间过长".to_owned(),
        }],
    );
    let rectify = CaseCommand::RecordRectification {
        rating_no: 2,
        rectified_on: None,
        measures: "增设帮办窗口".to_owned(),
    };
    step(
        &mut history,
        rectify,
        vec![CaseEvent::RatingRectified {
            rating_no: 2,
            rectified_on: today(),
            measures: "增设帮办窗口".to_owned(),
        }],
    );
    let follow_up = CaseCommand::RateFollowUp {
        rating_no: 2,
        rating: rating_input(4),
    };
    step(
        &mut history,
        follow_up,
        vec![rating_recorded(3, RatingTarget::Item(1), 4, Some(2))],
    );

    // A complaint, handled to its answer.
    let lodge = CaseCommand::LodgeComplaint {
        channel: Channel::Hotline12345,
        content: "验收排期慢".to_owned(),
        complainant: PersonInput::default(),
        lodged_on: None,
    };
    step(
        &mut history,
        lodge,
        vec![CaseEvent::ComplaintLodged {
            complaint_no: 1,
            channel: Channel::Hotline12345,
            content: "验收排期慢".to_owned(),
            complainant: Person::default(),
            lodged_on: today(),
        }],
    );
    let assign = CaseCommand::AssignComplaint {
        complaint_no: 1,
        assignee: "chen.office".to_owned(),
    };
    step(
        &mut history,
        assign,
        vec![CaseEvent::ComplaintAssigned {
            complaint_no: 1,
            assignee: "chen.office".to_owned(),
        }],
    );
    let resolve = CaseCommand::ResolveComplaint {
        complaint_no: 1,
        answer: "已协调提前验收".to_owned(),
        resolved_on: None,
        signed_off_by: None,
    };
    step(
        &mut history,
        resolve,
        vec![CaseEvent::ComplaintResolved {
            complaint_no: 1,
            answer: "已协调提前验收".to_owned(),
            resolved_on: today(),
            signed_off_by: None,
        }],
    );

    // The file is closed, then a new service term starts.
    let close = CaseCommand::Close {
        reason: CloseReason::AllItemsConcluded,
        summary: "事项全部办结".to_owned(),
        closed_on: None,
    };
    step(
        &mut history,
        close,
        vec![CaseEvent::CaseClosed {
            reason: CloseReason::AllItemsConcluded,
            summary: "事项全部办结".to_owned(),
            closed_on: today(),
        }],
    );
    let reopen = CaseCommand::Reopen {
        reason: "二期项目启动".to_owned(),
        reopened_on: None,
    };
    step(
        &mut history,
        reopen,
        vec![CaseEvent::CaseReopened {
            term: 2,
            reason: "二期项目启动".to_owned(),
            reopened_on: today(),
        }],
    );

    let mut state = EnterpriseCase::default();
    history
        .into_iter()
        .for_each(|event| state.apply_event(event));
    assert_eq!((state.state, state.term), (CaseState::InService, 2));
    assert_eq!(
        state.items.get(&1).map(|item| item.status),
        Some(ItemStatus::Concluded)
    );
    assert_eq!(
        state.ratings.keys().copied().collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    assert_eq!(state.complaints.get(&1), Some(&ComplaintStatus::Resolved));
}
