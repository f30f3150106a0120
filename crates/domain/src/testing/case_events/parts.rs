//! The parts the case event samples are built from: a day, people, a catalog item, a project
//! and a plan.

use chrono::NaiveDate;

use crate::case::model::{Milestone, Person, PlanContent, ProjectDetails};
use crate::catalog::{CatalogItemFacts, ItemType};
use crate::values::{Money, Phone, ProjectCode};

pub(super) fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 3, 15).expect("valid date")
}

pub(super) fn phone(text: &str) -> Option<Phone> {
    Some(Phone::parse(text).expect("valid phone"))
}

pub(super) fn person(name: &str, number: &str) -> Person {
    Person {
        name: Some(name.to_owned()),
        phone: phone(number),
    }
}

pub(super) fn facts() -> CatalogItemFacts {
    CatalogItemFacts {
        implementation_code: "11610902MB0000000X4000111001000".to_owned(),
        basic_code: "000111001000".to_owned(),
        version: 1,
        name: "建设工程规划许可".to_owned(),
        item_type: ItemType::AdministrativeLicence,
        department: "自然资源局".to_owned(),
        statutory_limit_days: 20,
        promised_limit_days: 10,
        required_materials_count: 5,
        onsite_trips: 1,
    }
}

pub(super) fn project() -> (ProjectCode, ProjectDetails) {
    let code = ProjectCode::parse("202161090248010123456789").expect("valid code");
    let details = ProjectDetails {
        name: "新材料产业园".to_owned(),
        investment: Money::from_yuan(100_000_000).expect("valid amount"),
        key_project: true,
        list_year: Some(2024),
    };
    (code, details)
}

pub(super) fn plan() -> PlanContent {
    PlanContent {
        text: "一企一策".to_owned(),
        planned_items: vec!["11610902MB0000000X4000111001000".to_owned()],
        milestones: vec![Milestone {
            name: "开工".to_owned(),
            due_on: day(),
        }],
    }
}
