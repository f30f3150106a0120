//! Builders of domain events with the few facts a test cares about, the rest filled in
//! with plausible values (an enterprise in 恒口镇, items of a given limit, ratings by QR code).

use guanjia_domain::case::events::BundleRef;
use guanjia_domain::case::model::{
    AgreementScope, Channel, DimensionSet, Enterprise, HandlingMode, ItemOutcome, LeadSource,
    Person, PlanContent, ProjectDetails, RatingTarget, Stage, SuspensionReason, TeamMember,
};
use guanjia_domain::case::CaseEvent;
use guanjia_domain::catalog::{CatalogItemFacts, ItemType};
use guanjia_domain::values::{Money, ProjectCode, RatingLevel, Tier, Uscc};

use crate::helpers::{bj, date, division, number, HENGKOU};

pub fn registered(case_number: &str, name: &str, uscc: Option<Uscc>, on: &str) -> CaseEvent {
    registered_in(case_number, name, uscc, HENGKOU, on)
}

pub fn registered_in(
    case_number: &str,
    name: &str,
    uscc: Option<Uscc>,
    div: &str,
    on: &str,
) -> CaseEvent {
    CaseEvent::CaseRegistered {
        case_number: number(case_number),
        enterprise: Enterprise {
            name: name.to_owned(),
            uscc,
            division: division(div),
            address: Some("恒口示范区工业园".to_owned()),
            contact_name: Some("王经理".to_owned()),
            contact_phone: None,
        },
        lead_source: LeadSource::InvestmentPromotion,
        stage: Stage::Establishment,
        registered_on: date(on),
    }
}

pub fn lead(steward: &str) -> CaseEvent {
    CaseEvent::LeadStewardAssigned {
        steward: steward.to_owned(),
        tier: Tier::District,
    }
}

pub fn member(user: &str, role: &str) -> CaseEvent {
    CaseEvent::TeamMemberAdded {
        member: TeamMember {
            user_id: user.to_owned(),
            role: role.to_owned(),
            tier: Tier::Town,
        },
    }
}

pub fn signed(on: &str) -> CaseEvent {
    CaseEvent::AgreementSigned {
        scope: AgreementScope::FullLifecycle,
        signed_on: date(on),
        signatories: vec!["王经理".to_owned(), "李管家".to_owned()],
    }
}

pub fn plan(version: u32, text: &str) -> PlanContent {
    let _ = version;
    PlanContent {
        text: text.to_owned(),
        planned_items: vec!["LIC-001".to_owned()],
        milestones: vec![],
    }
}

pub fn adopted() -> CaseEvent {
    CaseEvent::PlanAdopted {
        version: 1,
        plan: plan(1, "一企一策：三个月内完成设立登记"),
    }
}

pub fn project(code_serial: u32, key: bool) -> CaseEvent {
    CaseEvent::ProjectAdded {
        code: project_code(code_serial),
        details: ProjectDetails {
            name: "新材料生产线".to_owned(),
            investment: Money::from_yuan(50_000_000).expect("valid amount"),
            key_project: key,
            list_year: key.then_some(2024),
        },
    }
}

pub fn project_code(serial: u32) -> ProjectCode {
    ProjectCode::parse(&format!("2024-610902-29-03-{serial:06}")).expect("valid project code")
}

/// Catalog facts with the given limits, materials and trips.
pub fn facts(
    code: &str,
    department: &str,
    statutory: u32,
    promised: u32,
    materials: u32,
    trips: u32,
) -> CatalogItemFacts {
    CatalogItemFacts {
        implementation_code: code.to_owned(),
        basic_code: format!("B-{code}"),
        version: 1,
        name: format!("事项{code}"),
        item_type: ItemType::AdministrativeLicence,
        department: department.to_owned(),
        statutory_limit_days: statutory,
        promised_limit_days: promised,
        required_materials_count: materials,
        onsite_trips: trips,
    }
}

pub fn requested(item_no: u32, catalog: CatalogItemFacts, on: &str) -> CaseEvent {
    CaseEvent::ServiceItemRequested {
        item_no,
        catalog,
        bundle: None,
        mode: HandlingMode::Proxy,
        requested_on: date(on),
    }
}

pub fn bundled(item_no: u32, catalog: CatalogItemFacts, bundle: &str, on: &str) -> CaseEvent {
    CaseEvent::ServiceItemRequested {
        item_no,
        catalog,
        bundle: Some(BundleRef {
            code: bundle.to_owned(),
            version: 1,
            name: "企业开办一件事".to_owned(),
        }),
        mode: HandlingMode::Proxy,
        requested_on: date(on),
    }
}

pub fn accepted(item_no: u32, on: &str, limit_days: u32) -> CaseEvent {
    CaseEvent::ServiceItemAccepted {
        item_no,
        accepted_on: date(on),
        limit_days,
        receipt_no: Some(format!("SL-{item_no}")),
    }
}

pub fn suspended(item_no: u32, on: &str) -> CaseEvent {
    CaseEvent::ServiceItemSuspended {
        item_no,
        reason: SuspensionReason::Correction,
        suspended_on: date(on),
        note: Some("补正材料".to_owned()),
    }
}

pub fn resumed(item_no: u32, on: &str) -> CaseEvent {
    CaseEvent::ServiceItemResumed {
        item_no,
        resumed_on: date(on),
    }
}

pub fn concluded(
    item_no: u32,
    on: &str,
    outcome: ItemOutcome,
    materials: u32,
    trips: u32,
) -> CaseEvent {
    CaseEvent::ServiceItemConcluded {
        item_no,
        outcome,
        concluded_on: date(on),
        result_reference: Some(format!("RES-{item_no}")),
        materials_submitted: materials,
        onsite_trips: trips,
    }
}

pub fn rated(rating_no: u32, target: RatingTarget, level: u8, at: &str) -> CaseEvent {
    rated_follow_up(rating_no, target, level, at, None)
}

pub fn rated_follow_up(
    rating_no: u32,
    target: RatingTarget,
    level: u8,
    at: &str,
    of: Option<u32>,
) -> CaseEvent {
    let level = RatingLevel::new(level).expect("valid level");
    CaseEvent::RatingRecorded {
        rating_no,
        target,
        level,
        dimension_set: DimensionSet::Offline2019,
        dimensions: [("attitude".to_owned(), level)].into_iter().collect(),
        channel: Channel::QrCode,
        comment: None,
        rater: Person::default(),
        follow_up_of: of,
        rated_at: bj(at),
        recorded_by: None,
    }
}

pub fn called_back(rating_no: u32, on: &str) -> CaseEvent {
    CaseEvent::RatingCallBackRecorded {
        rating_no,
        called_on: date(on),
        confirmed: true,
        notes: "已回访核实".to_owned(),
    }
}

pub fn rectified(rating_no: u32, on: &str) -> CaseEvent {
    CaseEvent::RatingRectified {
        rating_no,
        rectified_on: date(on),
        measures: "优化窗口流程".to_owned(),
    }
}

pub fn visit_scheduled(visit_no: u32, at: &str) -> CaseEvent {
    CaseEvent::VisitScheduled {
        visit_no,
        scheduled_at: bj(at),
        place: "企业厂区".to_owned(),
        purpose: "了解开工手续".to_owned(),
        planned_participants: vec!["li".to_owned()],
    }
}

pub fn visit_conducted(visit_no: u32, at: &str) -> CaseEvent {
    CaseEvent::VisitConducted {
        visit_no,
        conducted_at: bj(at),
        participants: vec!["li".to_owned(), "王经理".to_owned()],
        notes: "企业反映用地手续进度".to_owned(),
        issues_raised: vec!["用地规划".to_owned()],
        follow_ups: vec!["协调自然资源局".to_owned()],
    }
}

pub fn lodged(complaint_no: u32, on: &str) -> CaseEvent {
    CaseEvent::ComplaintLodged {
        complaint_no,
        channel: Channel::Hotline12345,
        content: "施工许可迟迟未办".to_owned(),
        complainant: Person::default(),
        lodged_on: date(on),
    }
}
