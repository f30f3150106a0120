//! The team, the plan (一企一策) and the projects of a case. Assigning and removing people is
//! a leader's work; the plan and the projects are the team's.

use async_graphql::{Context, InputObject, Object, ID};
use chrono::NaiveDate;
use guanjia_domain::case::commands::{MilestoneInput, PlanInput, ProjectInput};

use super::{answer, on_case, CaseCommandResult};
use crate::error::ApiError;
use crate::graphql::enums::Tier;

/// The lead steward, new or replacing the current one.
#[derive(InputObject)]
pub struct AssignLeadStewardInput {
    /// The steward's username.
    pub steward: String,
    pub tier: Tier,
    /// Required when replacing a lead steward.
    pub reason: Option<String>,
}

/// A new team member.
#[derive(InputObject)]
pub struct AddTeamMemberInput {
    /// The member's username.
    pub user_id: String,
    /// e.g. 部门联络员, 镇级代办员.
    pub role: String,
    pub tier: Tier,
}

/// A member leaving the team.
#[derive(InputObject)]
pub struct RemoveTeamMemberInput {
    pub user_id: String,
    pub reason: Option<String>,
}

/// A dated goal of the plan.
#[derive(InputObject)]
pub struct MilestoneEntry {
    pub name: String,
    pub due_on: NaiveDate,
}

/// The content of a plan version.
#[derive(InputObject)]
pub struct ServicePlanInput {
    pub text: String,
    /// Implementation codes of the catalog items the team plans to handle.
    pub planned_items: Vec<String>,
    pub milestones: Vec<MilestoneEntry>,
}

impl From<ServicePlanInput> for PlanInput {
    fn from(input: ServicePlanInput) -> Self {
        Self {
            text: input.text,
            planned_items: input.planned_items,
            milestones: input
                .milestones
                .into_iter()
                .map(|m| MilestoneInput {
                    name: m.name,
                    due_on: m.due_on,
                })
                .collect(),
        }
    }
}

/// A revision of the plan.
#[derive(InputObject)]
pub struct RevisePlanInput {
    pub plan: ServicePlanInput,
    pub reason: String,
}

/// An investment project.
#[derive(InputObject)]
pub struct ProjectDetailsInput {
    /// The 24-digit 项目代码.
    pub code: String,
    pub name: String,
    /// Whole yuan.
    pub investment_yuan: i64,
    pub key_project: bool,
    pub list_year: Option<i32>,
}

impl From<ProjectDetailsInput> for ProjectInput {
    fn from(input: ProjectDetailsInput) -> Self {
        Self {
            code: input.code,
            name: input.name,
            investment_yuan: input.investment_yuan,
            key_project: input.key_project,
            list_year: input.list_year,
        }
    }
}

/// Team, plan and project mutations.
#[derive(Default)]
pub struct TeamMutation;

#[Object]
impl TeamMutation {
    /// Assigns or replaces the lead steward (leaders in scope).
    async fn assign_lead_steward(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: AssignLeadStewardInput,
        client_key: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let case = on_case(ctx, &case_id, client_key)?;
        answer(
            ctx,
            case.assign_lead_steward(input.steward, input.tier.into(), input.reason)
                .await,
        )
        .await
    }

    /// Adds a team member (leaders in scope).
    async fn add_team_member(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: AddTeamMemberInput,
        client_key: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let case = on_case(ctx, &case_id, client_key)?;
        answer(
            ctx,
            case.add_team_member(input.user_id, input.role, input.tier.into())
                .await,
        )
        .await
    }

    /// Removes a team member (leaders in scope).
    async fn remove_team_member(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: RemoveTeamMemberInput,
        client_key: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let case = on_case(ctx, &case_id, client_key)?;
        answer(
            ctx,
            case.remove_team_member(input.user_id, input.reason).await,
        )
        .await
    }

    /// Adopts the first plan; the case goes into service.
    async fn adopt_plan(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: ServicePlanInput,
        client_key: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let case = on_case(ctx, &case_id, client_key)?;
        answer(ctx, case.adopt_plan(input.into()).await).await
    }

    /// Records a new version of the plan.
    async fn revise_plan(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: RevisePlanInput,
        client_key: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let case = on_case(ctx, &case_id, client_key)?;
        answer(ctx, case.revise_plan(input.plan.into(), input.reason).await).await
    }

    /// Adds an investment project.
    async fn add_project(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: ProjectDetailsInput,
        client_key: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let case = on_case(ctx, &case_id, client_key)?;
        answer(ctx, case.add_project(input.into()).await).await
    }

    /// Changes the details of a project (by its code).
    async fn change_project(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: ProjectDetailsInput,
        client_key: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let case = on_case(ctx, &case_id, client_key)?;
        answer(ctx, case.change_project(input.into()).await).await
    }
}
