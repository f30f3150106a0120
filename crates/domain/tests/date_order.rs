//! Property test: whatever commands a case receives, with whatever business dates, the events it
//! records never run backwards. The checker below follows the recorded events on its own (it
//! does not ask the aggregate), so a rule forgotten in a decision module fails here.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use guanjia_domain::case::commands::{EnterpriseInput, PersonInput, PlanInput, RatingInput};
use guanjia_domain::case::model::{
    AgreementScope, Channel, CloseReason, DimensionSet, HandlingMode, ItemOutcome, LeadSource,
    RatingTarget, Stage, SuspensionReason,
};
use guanjia_domain::case::{CaseCommand, CaseEvent, CaseServices, EnterpriseCase};
use guanjia_domain::catalog::{CatalogItemFacts, ItemType};
use guanjia_domain::clock::{china_date, FixedClock};
use guanjia_domain::testing::SnapshotChecked;
use proptest::prelude::*;

/// The first day a step may be dated in these tests; "now" is 86 days later (2024-03-15).
fn day(offset: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 12, 20).expect("valid date") + Duration::days(offset)
}

/// 09:00 in Beijing of a day: before "now" even on the last day.
fn morning(offset: i64) -> DateTime<Utc> {
    let d = day(offset);
    Utc.from_utc_datetime(&d.and_hms_opt(1, 0, 0).expect("valid time"))
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 15, 2, 0, 0)
        .single()
        .expect("valid instant")
}

/// A command with a day offset (0–86) and a number picking a visit, item, rating or complaint.
#[derive(Debug, Clone, Copy)]
enum Step {
    Sign,
    Plan,
    Schedule,
    Conduct,
    Request,
    Accept,
    Suspend,
    Resume,
    Conclude,
    Reject,
    RateVisit,
    RateItem,
    FollowUp,
    CallBack,
    Rectify,
    Lodge,
    Assign,
    Resolve,
    Hold,
    ResumeCase,
    Close,
    Reopen,
}

const STEPS: [Step; 22] = [
    Step::Sign,
    Step::Plan,
    Step::Schedule,
    Step::Conduct,
    Step::Request,
    Step::Accept,
    Step::Suspend,
    Step::Resume,
    Step::Conclude,
    Step::Reject,
    Step::RateVisit,
    Step::RateItem,
    Step::FollowUp,
    Step::CallBack,
    Step::Rectify,
    Step::Lodge,
    Step::Assign,
    Step::Resolve,
    Step::Hold,
    Step::ResumeCase,
    Step::Close,
    Step::Reopen,
];

fn rating(level: u8, offset: i64) -> RatingInput {
    RatingInput {
        level,
        dimension_set: DimensionSet::Offline2019,
        dimensions: vec![],
        channel: Channel::EvaluatorDevice,
        comment: None,
        rater: PersonInput::default(),
        rated_at: Some(morning(offset)),
        recorded_by: None,
    }
}

fn facts() -> CatalogItemFacts {
    CatalogItemFacts {
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
    }
}

fn command(step: Step, offset: i64, no: u32) -> CaseCommand {
    late(step_command(step, offset, no))
}

fn step_command(step: Step, offset: i64, no: u32) -> CaseCommand {
    use CaseCommand as C;
    let on = Some(day(offset));
    match step {
        Step::Sign => C::SignAgreement {
            scope: AgreementScope::FullLifecycle,
            signed_on: day(offset),
            signatories: vec!["王经理".to_owned()],
        },
        Step::Plan => C::AdoptPlan {
            plan: PlanInput {
                text: "一企一策".to_owned(),
                ..PlanInput::default()
            },
        },
        Step::Schedule => C::ScheduleVisit {
            scheduled_at: morning(offset),
            place: "企业厂区".to_owned(),
            purpose: "走访".to_owned(),
            planned_participants: vec![],
        },
        Step::Conduct => C::ConductVisit {
            visit_no: no,
            conducted_at: morning(offset),
            participants: vec!["李管家".to_owned()],
            notes: "走访".to_owned(),
            issues_raised: vec![],
            follow_ups: vec![],
        },
        Step::Request => C::RequestServiceItem {
            catalog: facts(),
            mode: HandlingMode::Proxy,
            requested_on: on,
        },
        Step::Accept => C::AcceptServiceItem {
            item_no: no,
            accepted_on: on,
            receipt_no: None,
            use_statutory_limit: false,
        },
        Step::Suspend => C::SuspendServiceItem {
            item_no: no,
            reason: SuspensionReason::Correction,
            suspended_on: on,
            note: None,
        },
        Step::Resume => C::ResumeServiceItem {
            item_no: no,
            resumed_on: on,
        },
        Step::Conclude => C::ConcludeServiceItem {
            item_no: no,
            outcome: ItemOutcome::Granted,
            concluded_on: on,
            result_reference: None,
            materials_submitted: 3,
            onsite_trips: 0,
        },
        Step::Reject => C::RejectServiceItem {
            item_no: no,
            reason: "材料不全".to_owned(),
            rejected_on: on,
        },
        Step::RateVisit => C::Rate {
            target: RatingTarget::Visit(no),
            rating: rating(2, offset),
        },
        Step::RateItem => C::Rate {
            target: RatingTarget::Item(no),
            rating: rating(5, offset),
        },
        Step::FollowUp => C::RateFollowUp {
            rating_no: no,
            rating: rating(4, offset),
        },
        Step::CallBack => C::RecordCallBack {
            rating_no: no,
            called_on: on,
            confirmed: true,
            notes: "已回访".to_owned(),
        },
        Step::Rectify => C::RecordRectification {
            rating_no: no,
            rectified_on: on,
            measures: "整改".to_owned(),
        },
        Step::Lodge => C::LodgeComplaint {
            channel: Channel::Online,
            content: "办不成事".to_owned(),
            complainant: PersonInput::default(),
            lodged_on: on,
        },
        Step::Assign => C::AssignComplaint {
            complaint_no: no,
            assignee: "li.guanjia".to_owned(),
        },
        Step::Resolve => C::ResolveComplaint {
            complaint_no: no,
            answer: "已解决".to_owned(),
            resolved_on: on,
            signed_off_by: None,
        },
        Step::Hold => C::Hold {
            reason: "企业停产".to_owned(),
            held_on: on,
        },
        Step::ResumeCase => C::Resume { resumed_on: on },
        Step::Close => C::Close {
            reason: CloseReason::EnterpriseWithdrew,
            summary: "结案".to_owned(),
            closed_on: on,
        },
        Step::Reopen => C::Reopen {
            reason: "新项目".to_owned(),
            reopened_on: on,
        },
    }
}

/// Every step as a late entry with its reason: steps are dated up to 86 days back, and a
/// reason on a timely step records nothing more.
fn late(command: CaseCommand) -> CaseCommand {
    CaseCommand::LateEntry {
        reason: "纸质台账补录".to_owned(),
        command: Box::new(command),
    }
}

fn register(offset: i64) -> CaseCommand {
    late(CaseCommand::Register {
        case_number: "2024-0007".to_owned(),
        enterprise: EnterpriseInput {
            name: "安康恒口新材料有限公司".to_owned(),
            division: "610902100000".to_owned(),
            ..EnterpriseInput::default()
        },
        lead_source: LeadSource::InvestmentPromotion,
        stage: Stage::Establishment,
        registered_on: Some(day(offset)),
    })
}

/// Runs the commands; returns every recorded event, in order.
fn run(commands: Vec<CaseCommand>) -> Vec<CaseEvent> {
    let services = CaseServices::new(Arc::new(FixedClock::at(now())));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    let mut case = SnapshotChecked::<EnterpriseCase>::default();
    let mut recorded = Vec::new();
    for command in commands {
        let sink = EventSink::default();
        if runtime
            .block_on(case.handle(command, &services, &sink))
            .is_ok()
        {
            recorded.extend(runtime.block_on(sink.collect()));
        }
    }
    recorded
}

/// The first place where a recorded event is dated before a step it follows, if any.
fn first_backwards(events: &[CaseEvent]) -> Option<String> {
    let mut order = Order::default();
    events.iter().find_map(|event| order.check(event).err())
}

/// What the checker remembers of the recorded history.
#[derive(Default)]
struct Order {
    registered: Option<NaiveDate>,
    term_start: Option<NaiveDate>,
    signed: Option<NaiveDate>,
    latest: Option<NaiveDate>,
    closed: Option<NaiveDate>,
    case_hold: Option<NaiveDate>,
    visits: BTreeMap<u32, NaiveDate>,
    items: BTreeMap<u32, NaiveDate>,
    ratings: BTreeMap<u32, NaiveDate>,
    complaints: BTreeMap<u32, NaiveDate>,
}

fn at_least(what: &str, on: NaiveDate, floor: Option<NaiveDate>) -> Result<(), String> {
    match floor {
        Some(floor) if on < floor => Err(format!("{what} on {on} is before {floor}")),
        _ => Ok(()),
    }
}

impl Order {
    fn check(&mut self, event: &CaseEvent) -> Result<(), String> {
        use CaseEvent as E;
        let on = match event {
            E::CaseRegistered { registered_on, .. } => {
                self.registered = Some(*registered_on);
                self.term_start = Some(*registered_on);
                Some(*registered_on)
            }
            E::AgreementSigned { signed_on, .. } => {
                at_least("signing", *signed_on, self.term_start)?;
                self.signed = Some(*signed_on);
                Some(*signed_on)
            }
            E::VisitScheduled {
                visit_no,
                scheduled_at,
                ..
            } => {
                self.visits.insert(*visit_no, china_date(*scheduled_at));
                None
            }
            E::VisitConducted {
                visit_no,
                conducted_at,
                ..
            } => {
                let on = china_date(*conducted_at);
                at_least("visit", on, self.visits.get(visit_no).copied())?;
                at_least("visit", on, self.signed)?;
                at_least("visit", on, self.term_start)?;
                self.visits.insert(*visit_no, on);
                Some(on)
            }
            E::ServiceItemRequested {
                item_no,
                requested_on,
                ..
            } => {
                at_least("request", *requested_on, self.signed)?;
                at_least("request", *requested_on, self.term_start)?;
                self.items.insert(*item_no, *requested_on);
                Some(*requested_on)
            }
            E::ServiceItemAccepted {
                item_no,
                accepted_on: on,
                ..
            }
            | E::ServiceItemSuspended {
                item_no,
                suspended_on: on,
                ..
            }
            | E::ServiceItemResumed {
                item_no,
                resumed_on: on,
            }
            | E::ServiceItemConcluded {
                item_no,
                concluded_on: on,
                ..
            }
            | E::ServiceItemRejected {
                item_no,
                rejected_on: on,
                ..
            } => {
                at_least("item step", *on, self.items.get(item_no).copied())?;
                self.items.insert(*item_no, *on);
                Some(*on)
            }
            E::RatingRecorded {
                rating_no,
                target,
                follow_up_of,
                rated_at,
                ..
            } => {
                let on = china_date(*rated_at);
                let rated = match target {
                    RatingTarget::Visit(no) => self.visits.get(no),
                    RatingTarget::Item(no) => self.items.get(no),
                };
                at_least("rating", on, rated.copied())?;
                if let Some(original) = follow_up_of {
                    at_least("follow-up", on, self.ratings.get(original).copied())?;
                }
                self.ratings.insert(*rating_no, on);
                Some(on)
            }
            E::RatingCallBackRecorded {
                rating_no,
                called_on: on,
                ..
            }
            | E::RatingRectified {
                rating_no,
                rectified_on: on,
                ..
            } => {
                at_least("loop step", *on, self.ratings.get(rating_no).copied())?;
                self.ratings.insert(*rating_no, *on);
                Some(*on)
            }
            E::ComplaintLodged {
                complaint_no,
                lodged_on,
                ..
            } => {
                at_least("complaint", *lodged_on, self.registered)?;
                self.complaints.insert(*complaint_no, *lodged_on);
                Some(*lodged_on)
            }
            E::ComplaintResolved {
                complaint_no,
                resolved_on,
                ..
            } => {
                at_least(
                    "resolution",
                    *resolved_on,
                    self.complaints.get(complaint_no).copied(),
                )?;
                Some(*resolved_on)
            }
            E::CaseHeld { held_on: on, .. } | E::CaseResumed { resumed_on: on } => {
                at_least("hold or resumption", *on, self.case_hold)?;
                at_least("hold or resumption", *on, self.signed)?;
                self.case_hold = Some(*on);
                Some(*on)
            }
            E::CaseClosed { closed_on, .. } => {
                at_least("closure", *closed_on, self.latest)?;
                self.closed = Some(*closed_on);
                Some(*closed_on)
            }
            E::CaseReopened { reopened_on, .. } => {
                at_least("reopening", *reopened_on, self.closed)?;
                self.term_start = Some(*reopened_on);
                Some(*reopened_on)
            }
            E::LateEntryRecorded {
                business_date,
                recorded_on,
                working_days_late,
                ..
            } => {
                // A late entry is dated before it is recorded, by more than the limit.
                at_least(
                    "recording of a late entry",
                    *recorded_on,
                    Some(*business_date),
                )?;
                if *working_days_late <= 3 {
                    return Err(format!(
                        "{business_date} flagged late by {working_days_late}"
                    ));
                }
                None
            }
            _ => None,
        };
        if let Some(on) = on {
            at_least("step", on, self.registered)?;
            self.latest = self.latest.max(Some(on));
        }
        Ok(())
    }
}

#[test]
fn a_case_whose_dates_run_forward_records_every_step() {
    use Step as S;
    let steps = [
        (S::Sign, 2, 1),
        (S::Plan, 2, 1),
        (S::Schedule, 5, 1),
        (S::Conduct, 5, 1),
        (S::RateVisit, 6, 1),
        (S::CallBack, 7, 1),
        (S::Rectify, 9, 1),
        (S::FollowUp, 10, 1),
        (S::Request, 10, 1),
        (S::Accept, 11, 1),
        (S::Suspend, 12, 1),
        (S::Resume, 14, 1),
        (S::Conclude, 20, 1),
        (S::RateItem, 21, 1),
        (S::Lodge, 22, 1),
        (S::Assign, 22, 1),
        (S::Resolve, 23, 1),
        (S::Hold, 30, 1),
        (S::ResumeCase, 31, 1),
        (S::Close, 40, 1),
        (S::Reopen, 50, 1),
    ];
    let mut commands = vec![register(1)];
    commands.extend(steps.iter().map(|&(s, d, n)| command(s, d, n)));
    let events = run(commands);
    let late = events
        .iter()
        .filter(|e| matches!(e, CaseEvent::LateEntryRecorded { .. }))
        .count();
    assert_eq!(
        events.len() - late,
        1 + steps.len(),
        "every step is recorded"
    );
    // Registered 2023-12-21, recorded 2024-03-15: every step but the last few is late.
    assert!(late > steps.len() / 2, "late entries recorded: {late}");
    assert_eq!(first_backwards(&events), None);
}

#[test]
fn the_checker_finds_a_step_dated_backwards() {
    let mut events = run(vec![register(10), command(Step::Sign, 12, 1)]);
    if let Some(CaseEvent::AgreementSigned { signed_on, .. }) = events.last_mut() {
        *signed_on = day(3);
    }
    assert!(first_backwards(&events).is_some());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn no_command_sequence_records_dates_that_run_backwards(
        registered in 0i64..40,
        steps in proptest::collection::vec(
            (proptest::sample::select(STEPS.to_vec()), 0i64..87, 1u32..3),
            0..40,
        )
    ) {
        let mut commands = vec![register(registered)];
        commands.extend(steps.iter().map(|&(s, d, n)| command(s, d, n)));
        let events = run(commands);
        prop_assert_eq!(first_backwards(&events), None, "events: {:#?}", events);
    }
}
