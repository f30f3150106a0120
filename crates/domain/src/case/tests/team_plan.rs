//! The 一企一策 plan (adopted once, then revised in numbered versions) and the investment projects.

use super::*;
use crate::case::commands::{CaseCommand, MilestoneInput, ProjectInput};
use crate::case::model::{Milestone, ProjectDetails};
use crate::values::{Money, ProjectCode};

const PROJECT: &str = "2023-610902-48-01-012345";

fn revised_input() -> PlanInput {
    PlanInput {
        text: "一企一策：六个月内完成设立和施工许可".to_owned(),
        planned_items: vec!["LIC-001".to_owned(), " LIC-002 ".to_owned()],
        milestones: vec![MilestoneInput {
            name: "取得施工许可".to_owned(),
            due_on: date(2024, 9, 30),
        }],
    }
}

fn revised() -> PlanContent {
    PlanContent {
        text: "一企一策：六个月内完成设立和施工许可".to_owned(),
        planned_items: vec!["LIC-001".to_owned(), "LIC-002".to_owned()],
        milestones: vec![Milestone {
            name: "取得施工许可".to_owned(),
            due_on: date(2024, 9, 30),
        }],
    }
}

fn revise(plan: PlanInput) -> CaseCommand {
    CaseCommand::RevisePlan {
        plan,
        reason: "增加施工阶段事项".to_owned(),
    }
}

fn project_input(code: &str, investment_yuan: i64) -> ProjectInput {
    ProjectInput {
        code: code.to_owned(),
        name: "新材料产业园一期".to_owned(),
        investment_yuan,
        key_project: true,
        list_year: Some(2024),
    }
}

fn details(investment_yuan: i64) -> ProjectDetails {
    ProjectDetails {
        name: "新材料产业园一期".to_owned(),
        investment: Money::from_yuan(investment_yuan).expect("valid amount"),
        key_project: true,
        list_year: Some(2024),
    }
}

fn code() -> ProjectCode {
    ProjectCode::parse(PROJECT).expect("valid project code")
}

/// In service, with the project added at 50 million yuan.
fn with_project() -> Vec<CaseEvent> {
    let mut events = in_service();
    events.push(CaseEvent::ProjectAdded {
        code: code(),
        details: details(50_000_000),
    });
    events
}

#[test]
fn adopting_the_plan_after_signing_records_version_one() {
    let expected = in_service().split_off(signed().len());
    case()
        .given(signed())
        .when(CaseCommand::AdoptPlan { plan: plan_input() })
        .then_expect_events(expected);
}

#[test]
fn a_plan_before_the_agreement_is_refused() {
    case()
        .given(registered())
        .when(CaseCommand::AdoptPlan { plan: plan_input() })
        .then_expect_error(not_allowed(
            "a plan is adopted after the agreement is signed",
        ));
}

#[test]
fn adopting_a_plan_twice_is_refused() {
    case()
        .given(in_service())
        .when(CaseCommand::AdoptPlan {
            plan: revised_input(),
        })
        .then_expect_error(DomainError::AlreadyExists(
            "the plan is already adopted: revise it instead".to_owned(),
        ));
}

#[test]
fn a_plan_needs_text_and_named_milestones() {
    let adopt = |change: fn(&mut PlanInput)| {
        let mut plan = revised_input();
        change(&mut plan);
        case().given(signed()).when(CaseCommand::AdoptPlan { plan })
    };
    adopt(|p| p.text = " ".to_owned())
        .then_expect_error(DomainError::invalid("text", ValueError::Empty));
    adopt(|p| p.planned_items.push(String::new()))
        .then_expect_error(DomainError::invalid("planned_items", ValueError::Empty));
    adopt(|p| p.milestones[0].name = String::new())
        .then_expect_error(DomainError::invalid("milestones.name", ValueError::Empty));
    adopt(|p| {
        p.milestones = vec![
            MilestoneInput {
                name: "m".to_owned(),
                due_on: date(2024, 5, 1)
            };
            101
        ]
    })
    .then_expect_error(DomainError::invalid(
        "milestones",
        ValueError::TooLong {
            max: 100,
            actual: 101,
        },
    ));
}

#[test]
fn revising_without_a_plan_is_refused() {
    case()
        .given(signed())
        .when(revise(revised_input()))
        .then_expect_error(not_allowed("there is no plan to revise: adopt one first"));
}

#[test]
fn a_revision_identical_to_the_current_plan_is_refused() {
    let mut padded = plan_input();
    padded.text = format!("  {}  ", padded.text);
    case()
        .given(in_service())
        .when(revise(padded))
        .then_expect_error(not_allowed("the revision is identical to the current plan"));
}

#[test]
fn each_revision_takes_the_next_version_and_needs_a_reason() {
    let version_2 = CaseEvent::PlanRevised {
        version: 2,
        plan: revised(),
        reason: "增加施工阶段事项".to_owned(),
    };
    case()
        .given(in_service())
        .when(revise(revised_input()))
        .then_expect_events(vec![version_2.clone()]);
    let mut given = in_service();
    given.push(version_2);
    case()
        .given(given.clone())
        .when(CaseCommand::RevisePlan {
            plan: plan_input(),
            reason: "恢复原方案".to_owned(),
        })
        .then_expect_events(vec![CaseEvent::PlanRevised {
            version: 3,
            plan: plan(),
            reason: "恢复原方案".to_owned(),
        }]);
    case()
        .given(given)
        .when(CaseCommand::RevisePlan {
            plan: plan_input(),
            reason: String::new(),
        })
        .then_expect_error(DomainError::invalid("reason", ValueError::Empty));
}

#[test]
fn adding_a_project_records_its_code_and_details() {
    case()
        .given(in_service())
        .when(CaseCommand::AddProject {
            project: project_input(PROJECT, 50_000_000),
        })
        .then_expect_events(with_project().split_off(in_service().len()));
}

#[test]
fn adding_the_same_project_twice_is_refused_whatever_its_spelling() {
    for spelling in [PROJECT, "20236109024801012345"] {
        case()
            .given(with_project())
            .when(CaseCommand::AddProject {
                project: project_input(spelling, 1),
            })
            .then_expect_error(DomainError::AlreadyExists(format!(
                "project {PROJECT} is already on the case"
            )));
    }
}

#[test]
fn a_project_with_a_bad_code_investment_year_or_name_is_refused() {
    let add = |project: ProjectInput| {
        case()
            .given(in_service())
            .when(CaseCommand::AddProject { project })
    };
    add(project_input("2023-610902-48-01-01234", 1)).then_expect_error(DomainError::invalid(
        "code",
        ValueError::WrongLength {
            expected: 24,
            actual: 23,
        },
    ));
    add(project_input(PROJECT, -1)).then_expect_error(DomainError::invalid(
        "investment_yuan",
        ValueError::OutOfRange {
            min: 0,
            max: i64::MAX / 100,
            actual: -1,
        },
    ));
    for year in [1999, 2101] {
        add(ProjectInput {
            list_year: Some(year),
            ..project_input(PROJECT, 1)
        })
        .then_expect_error(DomainError::invalid(
            "list_year",
            ValueError::OutOfRange {
                min: 2000,
                max: 2100,
                actual: i64::from(year),
            },
        ));
    }
    add(ProjectInput {
        name: " ".to_owned(),
        ..project_input(PROJECT, 1)
    })
    .then_expect_error(DomainError::invalid("name", ValueError::Empty));
}

#[test]
fn changing_a_project_records_the_new_details() {
    case()
        .given(with_project())
        .when(CaseCommand::ChangeProject {
            project: project_input("20236109024801012345", 80_000_000),
        })
        .then_expect_events(vec![CaseEvent::ProjectChanged {
            code: code(),
            details: details(80_000_000),
        }]);
}

#[test]
fn changing_an_unknown_project_is_not_found() {
    case()
        .given(in_service())
        .when(CaseCommand::ChangeProject {
            project: project_input(PROJECT, 1),
        })
        .then_expect_error(not_found(&format!("project {PROJECT}")));
}

#[test]
fn a_change_identical_to_the_project_is_refused() {
    case()
        .given(with_project())
        .when(CaseCommand::ChangeProject {
            project: project_input(PROJECT, 50_000_000),
        })
        .then_expect_error(not_allowed(
            "the change is identical to the current project",
        ));
}

#[test]
fn a_closed_case_refuses_plan_and_project_changes() {
    case()
        .given(closed())
        .when(revise(revised_input()))
        .then_expect_error(not_allowed("case 2024-0007 is closed"));
    case()
        .given(closed())
        .when(CaseCommand::AddProject {
            project: project_input(PROJECT, 1),
        })
        .then_expect_error(not_allowed("case 2024-0007 is closed"));
}
