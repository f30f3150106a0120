//! The service team (lead steward and members), the 一企一策 plan and the investment projects.

use super::commands::{CaseCommand, PlanInput, ProjectInput};
use super::events::CaseEvent;
use super::model::{CaseState, Milestone, PlanContent, ProjectDetails, TeamMember};
use super::state::EnterpriseCase;
use crate::error::{DomainError, ValueError};
use crate::values::text::{self, BODY_MAX, LABEL_MAX, LIST_MAX, NAME_MAX};
use crate::values::{Money, ProjectCode};

/// Longest catalog code, as in the catalog.
const CODE_MAX: usize = 64;

pub(super) fn decide(
    case: &EnterpriseCase,
    command: CaseCommand,
) -> Result<Vec<CaseEvent>, DomainError> {
    use CaseCommand as C;
    case.require_not_closed()?;
    let event = match command {
        C::AssignLeadSteward {
            steward,
            tier,
            reason,
        } => {
            let steward = user_id("steward", &steward)?;
            // A member who becomes lead leaves the member list, so nobody holds both places.
            let mut events = Vec::new();
            if case.members.contains_key(&steward) {
                events.push(CaseEvent::TeamMemberRemoved {
                    user_id: steward.clone(),
                    reason: Some("became the lead steward".to_owned()),
                });
            }
            let assigned = match &case.lead_steward {
                None => CaseEvent::LeadStewardAssigned { steward, tier },
                Some(current) if *current == steward => {
                    return Err(DomainError::not_allowed(format!(
                        "{steward} is already the lead steward"
                    )));
                }
                Some(current) => {
                    let reason = reason.unwrap_or_default();
                    CaseEvent::LeadStewardReplaced {
                        previous: current.clone(),
                        steward,
                        tier,
                        reason: text::required("reason", &reason, BODY_MAX)?,
                    }
                }
            };
            events.push(assigned);
            return Ok(events);
        }
        C::AddTeamMember {
            user_id: id,
            role,
            tier,
        } => {
            let id = user_id("user_id", &id)?;
            if case.members.contains_key(&id) {
                return Err(DomainError::AlreadyExists(format!(
                    "{id} is already on the team"
                )));
            }
            if case.lead_steward.as_deref() == Some(id.as_str()) {
                return Err(DomainError::AlreadyExists(format!(
                    "{id} is the lead steward"
                )));
            }
            let role = text::required("role", &role, LABEL_MAX)?;
            CaseEvent::TeamMemberAdded {
                member: TeamMember {
                    user_id: id,
                    role,
                    tier,
                },
            }
        }
        C::RemoveTeamMember {
            user_id: id,
            reason,
        } => {
            let id = user_id("user_id", &id)?;
            if !case.members.contains_key(&id) {
                return Err(DomainError::NotFound {
                    what: format!("team member {id}"),
                });
            }
            CaseEvent::TeamMemberRemoved {
                user_id: id,
                reason: text::optional("reason", reason.as_deref(), BODY_MAX)?,
            }
        }
        C::AdoptPlan { plan } => {
            if case.plan.is_some() {
                return Err(DomainError::AlreadyExists(
                    "the plan is already adopted: revise it instead".to_owned(),
                ));
            }
            if !matches!(
                case.state,
                CaseState::Signed | CaseState::InService | CaseState::OnHold
            ) {
                return Err(DomainError::not_allowed(
                    "a plan is adopted after the agreement is signed",
                ));
            }
            CaseEvent::PlanAdopted {
                version: 1,
                plan: parse_plan(plan)?,
            }
        }
        C::RevisePlan { plan, reason } => {
            let Some((version, current)) = &case.plan else {
                return Err(DomainError::not_allowed(
                    "there is no plan to revise: adopt one first",
                ));
            };
            let plan = parse_plan(plan)?;
            if plan == *current {
                return Err(DomainError::not_allowed(
                    "the revision is identical to the current plan",
                ));
            }
            CaseEvent::PlanRevised {
                version: version + 1,
                plan,
                reason: text::required("reason", &reason, BODY_MAX)?,
            }
        }
        C::AddProject { project } => {
            let (code, details) = parse_project(project)?;
            if case.projects.contains_key(code.as_str()) {
                return Err(DomainError::AlreadyExists(format!(
                    "project {code} is already on the case"
                )));
            }
            CaseEvent::ProjectAdded { code, details }
        }
        C::ChangeProject { project } => {
            let (code, details) = parse_project(project)?;
            match case.projects.get(code.as_str()) {
                None => {
                    return Err(DomainError::NotFound {
                        what: format!("project {code}"),
                    })
                }
                Some((_, current)) if *current == details => {
                    return Err(DomainError::not_allowed(
                        "the change is identical to the current project",
                    ));
                }
                Some(_) => CaseEvent::ProjectChanged { code, details },
            }
        }
        _ => return Err(super::misrouted()),
    };
    Ok(vec![event])
}

/// User ids are short opaque handles; only their length and emptiness are checked here.
pub(super) fn user_id(field: &'static str, value: &str) -> Result<String, DomainError> {
    let id = text::required(field, value, LABEL_MAX)?;
    if id.chars().any(char::is_whitespace) {
        return Err(DomainError::invalid(
            field,
            ValueError::Rule("must not contain spaces".to_owned()),
        ));
    }
    Ok(id)
}

fn parse_plan(input: PlanInput) -> Result<PlanContent, DomainError> {
    let planned_items = text::list("planned_items", &input.planned_items, CODE_MAX)?;
    if input.milestones.len() > LIST_MAX {
        return Err(DomainError::invalid(
            "milestones",
            ValueError::TooLong {
                max: LIST_MAX,
                actual: input.milestones.len(),
            },
        ));
    }
    let milestones = input
        .milestones
        .into_iter()
        .map(|m| {
            Ok(Milestone {
                name: text::required("milestones.name", &m.name, NAME_MAX)?,
                due_on: m.due_on,
            })
        })
        .collect::<Result<Vec<_>, DomainError>>()?;
    Ok(PlanContent {
        text: text::required("text", &input.text, BODY_MAX)?,
        planned_items,
        milestones,
    })
}

fn parse_project(input: ProjectInput) -> Result<(ProjectCode, ProjectDetails), DomainError> {
    let code = ProjectCode::parse(&input.code).map_err(|e| DomainError::invalid("code", e))?;
    let investment = Money::from_yuan(input.investment_yuan)
        .map_err(|e| DomainError::invalid("investment_yuan", e))?;
    if let Some(year) = input.list_year {
        if !(2000..=2100).contains(&year) {
            return Err(DomainError::invalid(
                "list_year",
                ValueError::OutOfRange {
                    min: 2000,
                    max: 2100,
                    actual: i64::from(year),
                },
            ));
        }
    }
    let details = ProjectDetails {
        name: text::required("name", &input.name, NAME_MAX)?,
        investment,
        key_project: input.key_project,
        list_year: input.list_year,
    };
    Ok((code, details))
}
