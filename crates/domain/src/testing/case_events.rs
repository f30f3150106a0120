//! One sample of every case event variant, its personal fields holding recognisable markers:
//! for the walks that prove the declared personal fields are where the data is
//! (`case/personal.rs`) and that the store seals them all (the store's personal-data tests).

mod parts;

use chrono::{TimeZone, Utc};

use crate::case::events::BundleRef;
use crate::case::model::{
    AgreementScope, Channel, CloseReason, DimensionSet, Enterprise, HandlingMode, ItemOutcome,
    LeadSource, RatingTarget, Stage, SuspensionReason, TeamMember,
};
use crate::case::CaseEvent;
use crate::values::{CaseNumber, DivisionCode, RatingLevel, Tier, Uscc};
use parts::{day, facts, person, phone, plan, project};

/// The personal values the samples hold: none of them may appear in a sealed payload.
pub const PERSONAL_MARKERS: [&str; 8] = [
    "联系人甲",
    "13800000001",
    "联系人乙",
    "13800000002",
    "评价人丙",
    "13800000003",
    "投诉人丁",
    "13800000004",
];

/// The name of every variant of [`CaseEvent`], as serde knows them (so a variant added without
/// a sample is noticed).
pub fn variant_names() -> Vec<String> {
    let unknown = serde_json::json!({ "NoSuchEvent": {} });
    let error = serde_json::from_value::<CaseEvent>(unknown)
        .expect_err("no such variant")
        .to_string();
    let list = error.split("expected one of").nth(1).unwrap_or_default();
    list.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

fn rating(rating_no: u32, follow_up_of: Option<u32>) -> CaseEvent {
    let level = RatingLevel::new(2).expect("valid level");
    CaseEvent::RatingRecorded {
        rating_no,
        target: RatingTarget::Item(1),
        level,
        dimension_set: DimensionSet::Offline2019,
        dimensions: [("efficiency".to_owned(), level)].into_iter().collect(),
        channel: Channel::QrCode,
        comment: Some("办理较慢".to_owned()),
        rater: person("评价人丙", "13800000003"),
        follow_up_of,
        rated_at: Utc
            .with_ymd_and_hms(2024, 3, 15, 2, 0, 0)
            .single()
            .expect("valid"),
        recorded_by: None,
    }
}

/// One sample of every variant of [`CaseEvent`].
pub fn every_case_event() -> Vec<CaseEvent> {
    let (code, details) = project();
    let at = Utc
        .with_ymd_and_hms(2024, 3, 15, 2, 0, 0)
        .single()
        .expect("valid");
    let reason = || "原因".to_owned();
    vec![
        CaseEvent::CaseRegistered {
            case_number: CaseNumber::parse("2024-0001").expect("valid number"),
            enterprise: Enterprise {
                name: "安康恒口新材料有限公司".to_owned(),
                uscc: Some(Uscc::parse("91350100M000100Y43").expect("valid uscc")),
                division: DivisionCode::parse("610902100201").expect("valid division"),
                address: Some("恒口镇".to_owned()),
                contact_name: Some("联系人甲".to_owned()),
                contact_phone: phone("13800000001"),
            },
            lead_source: LeadSource::InvestmentPromotion,
            stage: Stage::Establishment,
            registered_on: day(),
        },
        CaseEvent::EnterpriseDetailsCorrected {
            name: None,
            uscc: None,
            division: None,
            address: None,
            contact_name: Some("联系人乙".to_owned()),
            contact_phone: phone("13800000002"),
            reason: reason(),
        },
        CaseEvent::AgreementSigned {
            scope: AgreementScope::Stage(Stage::Construction),
            signed_on: day(),
            signatories: vec!["企业法人".to_owned()],
        },
        CaseEvent::LeadStewardAssigned {
            steward: "li.ming".to_owned(),
            tier: Tier::Town,
        },
        CaseEvent::LeadStewardReplaced {
            previous: "li.ming".to_owned(),
            steward: "zhao.lei".to_owned(),
            tier: Tier::Town,
            reason: reason(),
        },
        CaseEvent::TeamMemberAdded {
            member: TeamMember {
                user_id: "wang.lei".to_owned(),
                role: "联络员".to_owned(),
                tier: Tier::Village,
            },
        },
        CaseEvent::TeamMemberRemoved {
            user_id: "wang.lei".to_owned(),
            reason: Some(reason()),
        },
        CaseEvent::PlanAdopted {
            version: 1,
            plan: plan(),
        },
        CaseEvent::PlanRevised {
            version: 2,
            plan: plan(),
            reason: reason(),
        },
        CaseEvent::StageAdvanced {
            from: Stage::Establishment,
            to: Stage::Construction,
        },
        CaseEvent::ProjectAdded {
            code: code.clone(),
            details: details.clone(),
        },
        CaseEvent::ProjectChanged { code, details },
        CaseEvent::VisitScheduled {
            visit_no: 1,
            scheduled_at: at,
            place: "企业".to_owned(),
            purpose: "了解需求".to_owned(),
            planned_participants: vec!["li.ming".to_owned()],
        },
        CaseEvent::VisitConducted {
            visit_no: 1,
            conducted_at: at,
            participants: vec!["li.ming".to_owned()],
            notes: "走访".to_owned(),
            issues_raised: vec!["用地".to_owned()],
            follow_ups: vec!["协调".to_owned()],
        },
        CaseEvent::VisitCancelled {
            visit_no: 2,
            reason: reason(),
        },
        CaseEvent::ServiceItemRequested {
            item_no: 1,
            catalog: facts(),
            bundle: Some(BundleRef {
                code: "B-1".to_owned(),
                version: 1,
                name: "开办企业一件事".to_owned(),
            }),
            mode: HandlingMode::Proxy,
            requested_on: day(),
        },
        CaseEvent::ServiceItemAccepted {
            item_no: 1,
            accepted_on: day(),
            limit_days: 10,
            receipt_no: Some("SL-1".to_owned()),
        },
        CaseEvent::ServiceItemSuspended {
            item_no: 1,
            reason: SuspensionReason::Correction,
            suspended_on: day(),
            note: Some("补正".to_owned()),
        },
        CaseEvent::ServiceItemResumed {
            item_no: 1,
            resumed_on: day(),
        },
        CaseEvent::ServiceItemExtended {
            item_no: 1,
            days: 5,
            approver: "局长".to_owned(),
            reason: reason(),
        },
        CaseEvent::ServiceItemConcluded {
            item_no: 1,
            outcome: ItemOutcome::Granted,
            concluded_on: day(),
            result_reference: Some("证-1".to_owned()),
            materials_submitted: 5,
            onsite_trips: 1,
        },
        CaseEvent::ServiceItemRejected {
            item_no: 2,
            reason: reason(),
            rejected_on: day(),
        },
        rating(1, None),
        CaseEvent::RatingCallBackRecorded {
            rating_no: 1,
            called_on: day(),
            confirmed: true,
            notes: "核实".to_owned(),
        },
        CaseEvent::RatingAppealed {
            rating_no: 1,
            reason: reason(),
        },
        CaseEvent::RatingVoided {
            rating_no: 1,
            reviewer: "chen.jun".to_owned(),
            reason: reason(),
        },
        CaseEvent::RatingAppealRejected {
            rating_no: 1,
            reviewer: "chen.jun".to_owned(),
            reason: reason(),
        },
        CaseEvent::RatingRectified {
            rating_no: 1,
            rectified_on: day(),
            measures: "整改".to_owned(),
        },
        CaseEvent::ComplaintLodged {
            complaint_no: 1,
            channel: Channel::Hotline12345,
            content: "投诉内容".to_owned(),
            complainant: person("投诉人丁", "13800000004"),
            lodged_on: day(),
        },
        CaseEvent::ComplaintAssigned {
            complaint_no: 1,
            assignee: "li.ming".to_owned(),
        },
        CaseEvent::ComplaintResolved {
            complaint_no: 1,
            answer: "答复".to_owned(),
            resolved_on: day(),
            signed_off_by: None,
        },
        CaseEvent::ComplaintReferred {
            complaint_no: 1,
            to_department: "市场监管局".to_owned(),
            reason: reason(),
        },
        CaseEvent::NoteAdded {
            note_no: 1,
            text: "备注".to_owned(),
        },
        CaseEvent::LateEntryRecorded {
            business_date: day(),
            recorded_on: day(),
            working_days_late: 5,
            reason: reason(),
            events: 1,
        },
        CaseEvent::ClosedPeriodEntryApproved {
            division: crate::values::DivisionCode::parse("610902000000").expect("valid"),
            period: crate::values::Period::Year(2023),
            approval_no: 1,
            approved_by: "zhao.leader".to_owned(),
            reason: reason(),
            events: 1,
        },
        CaseEvent::CaseHeld {
            reason: reason(),
            held_on: day(),
        },
        CaseEvent::CaseResumed { resumed_on: day() },
        CaseEvent::CaseClosed {
            reason: CloseReason::AllItemsConcluded,
            summary: "办结".to_owned(),
            closed_on: day(),
        },
        CaseEvent::CaseReopened {
            term: 2,
            reason: reason(),
            reopened_on: day(),
        },
        CaseEvent::PersonalDataErased { reason: reason() },
    ]
}
