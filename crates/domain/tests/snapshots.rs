//! Property test: whatever sequence of commands a case goes through, every state it reaches
//! can be snapshotted and restored equal. Each command runs through
//! [`SnapshotChecked`], which checks the round trip after every event it applies; refused
//! commands are part of the sequence too (they change nothing).

use std::sync::Arc;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use guanjia_domain::case::commands::{EnterpriseInput, PersonInput, PlanInput, RatingInput};
use guanjia_domain::case::model::{
    AgreementScope, Channel, CloseReason, DimensionSet, HandlingMode, ItemOutcome, LeadSource,
    RatingTarget, Stage, SuspensionReason,
};
use guanjia_domain::case::{CaseCommand, CaseServices, EnterpriseCase};
use guanjia_domain::catalog::{CatalogItemFacts, ItemType};
use guanjia_domain::clock::FixedClock;
use guanjia_domain::testing::{assert_restores_equal, SnapshotChecked};
use proptest::prelude::*;

type Case = SnapshotChecked<EnterpriseCase>;

/// One step of a case's life; numbers pick a visit, item, rating or complaint (1–3).
#[derive(Debug, Clone)]
enum Step {
    Schedule,
    Conduct(u32),
    Request,
    Accept(u32),
    Suspend(u32),
    Resume(u32),
    Conclude(u32),
    RateVisit(u32, u8),
    RateItem(u32, u8),
    FollowUp(u32, u8),
    CallBack(u32),
    Appeal(u32),
    Decide(u32, bool),
    Rectify(u32),
    Lodge,
    Assign(u32),
    Resolve(u32),
    Note,
    Close,
    Reopen,
}

fn step() -> impl Strategy<Value = Step> {
    let no = 1u32..4;
    let level = 1u8..6;
    prop_oneof![
        Just(Step::Schedule),
        no.clone().prop_map(Step::Conduct),
        Just(Step::Request),
        no.clone().prop_map(Step::Accept),
        no.clone().prop_map(Step::Suspend),
        no.clone().prop_map(Step::Resume),
        no.clone().prop_map(Step::Conclude),
        (no.clone(), level.clone()).prop_map(|(n, l)| Step::RateVisit(n, l)),
        (no.clone(), level.clone()).prop_map(|(n, l)| Step::RateItem(n, l)),
        (no.clone(), level).prop_map(|(n, l)| Step::FollowUp(n, l)),
        no.clone().prop_map(Step::CallBack),
        no.clone().prop_map(Step::Appeal),
        (no.clone(), any::<bool>()).prop_map(|(n, v)| Step::Decide(n, v)),
        no.clone().prop_map(Step::Rectify),
        Just(Step::Lodge),
        no.clone().prop_map(Step::Assign),
        no.prop_map(Step::Resolve),
        Just(Step::Note),
        Just(Step::Close),
        Just(Step::Reopen),
    ]
}

fn rating(level: u8) -> RatingInput {
    RatingInput {
        level,
        dimension_set: DimensionSet::Offline2019,
        dimensions: vec![("attitude".to_owned(), level)],
        channel: Channel::QrCode,
        comment: Some("评价".to_owned()),
        rater: PersonInput::default(),
        rated_at: None,
        recorded_by: None,
    }
}

fn command(step: &Step, now: chrono::DateTime<Utc>) -> CaseCommand {
    use CaseCommand as C;
    match *step {
        Step::Schedule => C::ScheduleVisit {
            scheduled_at: now - Duration::hours(2),
            place: "企业厂区".to_owned(),
            purpose: "走访".to_owned(),
            planned_participants: vec![],
        },
        Step::Conduct(visit_no) => C::ConductVisit {
            visit_no,
            conducted_at: now - Duration::hours(1),
            participants: vec!["李管家".to_owned()],
            notes: "走访".to_owned(),
            issues_raised: vec![],
            follow_ups: vec![],
        },
        Step::Request => C::RequestServiceItem {
            catalog: CatalogItemFacts {
                implementation_code: "LIC-001".to_owned(),
                basic_code: "B-LIC-001".to_owned(),
                version: 1,
                name: "建设工程规划许可证核发".to_owned(),
                item_type: ItemType::AdministrativeLicence,
                department: "自然资源局".to_owned(),
                statutory_limit_days: 20,
                promised_limit_days: 10,
                required_materials_count: 6,
                onsite_trips: 1,
            },
            mode: HandlingMode::Proxy,
            requested_on: None,
        },
        Step::Accept(item_no) => C::AcceptServiceItem {
            item_no,
            accepted_on: None,
            receipt_no: None,
            use_statutory_limit: false,
        },
        Step::Suspend(item_no) => C::SuspendServiceItem {
            item_no,
            reason: SuspensionReason::Correction,
            suspended_on: None,
            note: None,
        },
        Step::Resume(item_no) => C::ResumeServiceItem {
            item_no,
            resumed_on: None,
        },
        Step::Conclude(item_no) => C::ConcludeServiceItem {
            item_no,
            outcome: ItemOutcome::Granted,
            concluded_on: None,
            result_reference: None,
            materials_submitted: 6,
            onsite_trips: 0,
        },
        Step::RateVisit(n, level) => C::Rate {
            target: RatingTarget::Visit(n),
            rating: rating(level),
        },
        Step::RateItem(n, level) => C::Rate {
            target: RatingTarget::Item(n),
            rating: rating(level),
        },
        Step::FollowUp(rating_no, level) => C::RateFollowUp {
            rating_no,
            rating: rating(level),
        },
        Step::CallBack(rating_no) => C::RecordCallBack {
            rating_no,
            called_on: None,
            confirmed: true,
            notes: "已回访".to_owned(),
        },
        Step::Appeal(rating_no) => C::AppealRating {
            rating_no,
            reason: "误评".to_owned(),
        },
        Step::Decide(rating_no, void) => C::DecideAppeal {
            rating_no,
            void,
            reviewer: "zhang.fuhe".to_owned(),
            reason: "复核".to_owned(),
        },
        Step::Rectify(rating_no) => C::RecordRectification {
            rating_no,
            rectified_on: None,
            measures: "整改".to_owned(),
        },
        Step::Lodge => C::LodgeComplaint {
            channel: Channel::Online,
            content: "办不成事".to_owned(),
            complainant: PersonInput::default(),
            lodged_on: None,
        },
        Step::Assign(complaint_no) => C::AssignComplaint {
            complaint_no,
            assignee: "li.guanjia".to_owned(),
        },
        Step::Resolve(complaint_no) => C::ResolveComplaint {
            complaint_no,
            answer: "已解决".to_owned(),
            resolved_on: None,
            signed_off_by: None,
        },
        Step::Note => C::AddNote {
            text: "跟进".to_owned(),
        },
        Step::Close => C::Close {
            reason: CloseReason::AllItemsConcluded,
            summary: "办结".to_owned(),
            closed_on: None,
        },
        Step::Reopen => C::Reopen {
            reason: "新项目".to_owned(),
            reopened_on: None,
        },
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// A case registered and in service, ready for the steps; registered and signed weeks ago,
/// so recorded as late entries.
fn opening() -> Vec<CaseCommand> {
    let late = |command| CaseCommand::LateEntry {
        reason: "纸质台账补录".to_owned(),
        command: Box::new(command),
    };
    vec![
        late(CaseCommand::Register {
            case_number: "2024-0007".to_owned(),
            enterprise: EnterpriseInput {
                name: "安康恒口新材料有限公司".to_owned(),
                uscc: Some("91350100M000100Y43".to_owned()),
                division: "610902100000".to_owned(),
                address: None,
                contact_name: Some("王经理".to_owned()),
                contact_phone: None,
            },
            lead_source: LeadSource::InvestmentPromotion,
            stage: Stage::Establishment,
            registered_on: Some(date(2024, 1, 8)),
        }),
        late(CaseCommand::SignAgreement {
            scope: AgreementScope::FullLifecycle,
            signed_on: date(2024, 1, 10),
            signatories: vec!["王经理".to_owned()],
        }),
        CaseCommand::AdoptPlan {
            plan: PlanInput {
                text: "一企一策".to_owned(),
                planned_items: vec![],
                milestones: vec![],
            },
        },
    ]
}

/// Runs the commands in order; returns the case and how many were accepted.
fn run(commands: Vec<CaseCommand>) -> (Case, usize) {
    let now = Utc
        .with_ymd_and_hms(2024, 3, 15, 2, 0, 0)
        .single()
        .expect("valid instant");
    let services = CaseServices::new(Arc::new(FixedClock::at(now)));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    let mut case = Case::default();
    let mut accepted = 0;
    for command in commands {
        let sink = EventSink::default();
        // `SnapshotChecked` applies each recorded event to `case` and checks the round trip.
        if runtime
            .block_on(case.handle(command, &services, &sink))
            .is_ok()
        {
            accepted += 1;
        }
    }
    (case, accepted)
}

fn with_steps(steps: &[Step]) -> Vec<CaseCommand> {
    let now = Utc
        .with_ymd_and_hms(2024, 3, 15, 2, 0, 0)
        .single()
        .expect("valid instant");
    let mut commands = opening();
    commands.extend(steps.iter().map(|s| command(s, now)));
    commands
}

#[test]
fn a_rated_case_with_every_part_restores_equal() {
    use Step as S;
    let steps = [
        S::Schedule,
        S::Conduct(1),
        S::RateVisit(1, 2),
        S::CallBack(1),
        S::Rectify(1),
        S::FollowUp(1, 4),
        S::Request,
        S::Accept(1),
        S::Suspend(1),
        S::Resume(1),
        S::Conclude(1),
        S::RateItem(1, 1),
        S::Appeal(3),
        S::Decide(3, true),
        S::Lodge,
        S::Assign(1),
        S::Resolve(1),
        S::Note,
    ];
    let (case, accepted) = run(with_steps(&steps));
    assert_eq!(accepted, 3 + steps.len(), "every step is accepted");
    assert_eq!(case.0.rated_targets.len(), 2);
    assert_restores_equal(&case.0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn every_state_of_any_command_sequence_restores_equal(
        steps in proptest::collection::vec(step(), 0..40)
    ) {
        let (case, _) = run(with_steps(&steps));
        assert_restores_equal(&case.0);
    }
}
