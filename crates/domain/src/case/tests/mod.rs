//! Given–when–then tests of the case aggregate, one module per part of the case. The fixtures
//! here build the usual histories so that each test states only what it is about.

mod closed_periods;
mod complaints;
mod erasure;
mod full_life;
mod items;
mod items_clock;
mod items_outcome;
mod late_entries;
mod lifecycle;
mod ratings;
mod ratings_loop;
mod step_dates;
mod step_order;
mod team;
mod team_plan;
mod visits;

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use cqrs_es::test::TestFramework;

use super::commands::{EnterpriseInput, PersonInput, PlanInput, RatingInput};
use super::events::CaseEvent;
use super::model::{
    AgreementScope, Channel, DimensionScores, DimensionSet, Enterprise, HandlingMode, ItemOutcome,
    LeadSource, Person, PlanContent, RatingTarget, Stage, SuspensionReason,
};
use super::{CaseServices, EnterpriseCase};
use crate::catalog::{CatalogItemFacts, ItemType};
use crate::clock::FixedClock;
use crate::error::{DomainError, ValueError};
use crate::testing::SnapshotChecked;
use crate::values::{CaseNumber, DivisionCode, RatingLevel, Uscc};

/// 2024-03-15 10:00 in Beijing: the "now" of every test.
pub(super) fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 15, 2, 0, 0)
        .single()
        .expect("valid instant")
}

pub(super) fn today() -> NaiveDate {
    date(2024, 3, 15)
}

pub(super) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// The case under test. Its late-entry limit is out of reach: these tests date steps weeks
/// back to check other rules; `late_entries.rs` checks the limit with [`late_case`].
pub(super) fn case() -> TestFramework<SnapshotChecked<EnterpriseCase>> {
    let mut services = CaseServices::new(Arc::new(FixedClock::at(now())));
    services.late_entries.days = u32::MAX;
    TestFramework::with(services)
}

/// The case under test with the default late-entry policy (3 working days).
pub(super) fn late_case() -> TestFramework<SnapshotChecked<EnterpriseCase>> {
    TestFramework::with(CaseServices::new(Arc::new(FixedClock::at(now()))))
}

pub(super) fn not_allowed(message: &str) -> DomainError {
    DomainError::not_allowed(message)
}

pub(super) fn not_found(what: &str) -> DomainError {
    DomainError::NotFound {
        what: what.to_owned(),
    }
}

pub(super) fn invalid(field: &'static str, rule: &str) -> DomainError {
    DomainError::invalid(field, ValueError::Rule(rule.to_owned()))
}

/// The refusal of a business date before the step it follows.
pub(super) fn before(
    field: &'static str,
    given: NaiveDate,
    step: &str,
    earliest: NaiveDate,
) -> DomainError {
    DomainError::invalid(
        field,
        ValueError::BeforeStep {
            date: given,
            step: step.to_owned(),
            earliest,
        },
    )
}

pub(super) fn enterprise_input() -> EnterpriseInput {
    EnterpriseInput {
        name: "安康恒口新材料有限公司".to_owned(),
        uscc: Some("91350100M000100Y43".to_owned()),
        division: "610902100000".to_owned(),
        address: Some("恒口示范区工业园".to_owned()),
        contact_name: Some("王经理".to_owned()),
        contact_phone: None,
    }
}

pub(super) fn enterprise() -> Enterprise {
    Enterprise {
        name: "安康恒口新材料有限公司".to_owned(),
        uscc: Some(Uscc::parse("91350100M000100Y43").expect("valid USCC")),
        division: DivisionCode::parse("610902100000").expect("valid division"),
        address: Some("恒口示范区工业园".to_owned()),
        contact_name: Some("王经理".to_owned()),
        contact_phone: None,
    }
}

pub(super) fn registered() -> Vec<CaseEvent> {
    vec![CaseEvent::CaseRegistered {
        case_number: CaseNumber::parse("2024-0007").expect("valid case number"),
        enterprise: enterprise(),
        lead_source: LeadSource::InvestmentPromotion,
        stage: Stage::Establishment,
        registered_on: date(2024, 1, 8),
    }]
}

pub(super) fn signed() -> Vec<CaseEvent> {
    let mut events = registered();
    events.push(CaseEvent::AgreementSigned {
        scope: AgreementScope::FullLifecycle,
        signed_on: date(2024, 1, 10),
        signatories: vec!["王经理".to_owned(), "李管家".to_owned()],
    });
    events
}

pub(super) fn plan_input() -> PlanInput {
    PlanInput {
        text: "一企一策：三个月内完成设立登记".to_owned(),
        planned_items: vec!["LIC-001".to_owned()],
        milestones: vec![],
    }
}

pub(super) fn plan() -> PlanContent {
    PlanContent {
        text: "一企一策：三个月内完成设立登记".to_owned(),
        planned_items: vec!["LIC-001".to_owned()],
        milestones: vec![],
    }
}

pub(super) fn in_service() -> Vec<CaseEvent> {
    let mut events = signed();
    events.push(CaseEvent::PlanAdopted {
        version: 1,
        plan: plan(),
    });
    events
}

pub(super) fn closed() -> Vec<CaseEvent> {
    let mut events = in_service();
    events.push(CaseEvent::CaseClosed {
        reason: super::model::CloseReason::EnterpriseWithdrew,
        summary: "企业撤回".to_owned(),
        closed_on: date(2024, 3, 1),
    });
    events
}

/// 2024-03-14 09:00 in Beijing: when visit 1 takes place.
pub(super) fn visit_time() -> DateTime<Utc> {
    now() - chrono::Duration::hours(25)
}

/// Visit `visit_no` scheduled at [`visit_time`].
pub(super) fn visit_scheduled_event(visit_no: u32) -> CaseEvent {
    CaseEvent::VisitScheduled {
        visit_no,
        scheduled_at: visit_time(),
        place: "企业厂区".to_owned(),
        purpose: "了解项目用地需求".to_owned(),
        planned_participants: vec!["李管家".to_owned(), "王经理".to_owned()],
    }
}

/// In service, with visit 1 scheduled.
pub(super) fn visit_scheduled() -> Vec<CaseEvent> {
    let mut events = in_service();
    events.push(visit_scheduled_event(1));
    events
}

/// Visit 1 conducted at [`visit_time`].
pub(super) fn visit_conducted() -> Vec<CaseEvent> {
    let mut events = visit_scheduled();
    events.push(CaseEvent::VisitConducted {
        visit_no: 1,
        conducted_at: visit_time(),
        participants: vec!["李管家".to_owned()],
        notes: "走访".to_owned(),
        issues_raised: vec![],
        follow_ups: vec![],
    });
    events
}

/// `history` closed as in [`closed`], but today, so that the closure comes after what happened.
pub(super) fn closed_after(mut history: Vec<CaseEvent>) -> Vec<CaseEvent> {
    let mut closure = closed().pop().expect("closed() ends with the closure");
    if let CaseEvent::CaseClosed { closed_on, .. } = &mut closure {
        *closed_on = today();
    }
    history.push(closure);
    history
}

pub(super) fn facts(code: &str) -> CatalogItemFacts {
    CatalogItemFacts {
        implementation_code: code.to_owned(),
        basic_code: format!("B-{code}"),
        version: 2,
        name: "建设工程规划许可证核发".to_owned(),
        item_type: ItemType::AdministrativeLicence,
        department: "自然资源局".to_owned(),
        statutory_limit_days: 20,
        promised_limit_days: 10,
        required_materials_count: 6,
        onsite_trips: 1,
    }
}

/// In service, with item 1 requested (2024-03-01).
pub(super) fn item_requested() -> Vec<CaseEvent> {
    let mut events = in_service();
    events.push(CaseEvent::ServiceItemRequested {
        item_no: 1,
        catalog: facts("LIC-001"),
        bundle: None,
        mode: HandlingMode::Proxy,
        requested_on: date(2024, 3, 1),
    });
    events
}

/// Item 1 accepted on 2024-03-04 against its promised 10 days.
pub(super) fn item_accepted() -> Vec<CaseEvent> {
    let mut events = item_requested();
    events.push(CaseEvent::ServiceItemAccepted {
        item_no: 1,
        accepted_on: date(2024, 3, 4),
        limit_days: 10,
        receipt_no: None,
    });
    events
}

/// Item 1 accepted, then suspended for correction (补正) on 2024-03-06.
pub(super) fn item_suspended() -> Vec<CaseEvent> {
    let mut events = item_accepted();
    events.push(CaseEvent::ServiceItemSuspended {
        item_no: 1,
        reason: SuspensionReason::Correction,
        suspended_on: date(2024, 3, 6),
        note: Some("补正土地证明".to_owned()),
    });
    events
}

/// Item 1 concluded as granted on 2024-03-12.
pub(super) fn item_concluded() -> Vec<CaseEvent> {
    let mut events = item_accepted();
    events.push(CaseEvent::ServiceItemConcluded {
        item_no: 1,
        outcome: ItemOutcome::Granted,
        concluded_on: date(2024, 3, 12),
        result_reference: Some("建字第2024-001号".to_owned()),
        materials_submitted: 6,
        onsite_trips: 0,
    });
    events
}

pub(super) fn rating_input(level: u8) -> RatingInput {
    RatingInput {
        level,
        dimension_set: DimensionSet::Offline2019,
        dimensions: vec![("attitude".to_owned(), level)],
        channel: Channel::QrCode,
        comment: None,
        rater: PersonInput::default(),
        rated_at: None,
        recorded_by: None,
    }
}

pub(super) fn level(value: u8) -> RatingLevel {
    RatingLevel::new(value).expect("valid level")
}

/// The rating that [`rating_input`] of level `value` records now.
pub(super) fn rating_recorded(
    rating_no: u32,
    target: RatingTarget,
    value: u8,
    follow_up_of: Option<u32>,
) -> CaseEvent {
    CaseEvent::RatingRecorded {
        rating_no,
        target,
        level: level(value),
        dimension_set: DimensionSet::Offline2019,
        dimensions: DimensionScores::from([("attitude".to_owned(), level(value))]),
        channel: Channel::QrCode,
        comment: None,
        rater: Person::default(),
        follow_up_of,
        rated_at: now(),
        recorded_by: None,
    }
}

/// Item 1 concluded and rated at `value` (rating 1).
pub(super) fn item_rated(value: u8) -> Vec<CaseEvent> {
    let mut events = item_concluded();
    events.push(rating_recorded(1, RatingTarget::Item(1), value, None));
    events
}
