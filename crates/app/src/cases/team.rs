//! The team, the plan (一企一策) and the projects of a case, and who may join a team: the
//! people a command puts on a team must be active stewards or leaders whose scope holds the
//! case (they could not work on it otherwise), and a correction may not move a case out of its
//! author's scope. Assigning and removing people is a leader's work; the plan and the projects
//! are the team's (`authz`).

use guanjia_domain::case::commands::{PlanInput, ProjectInput};
use guanjia_domain::case::CaseCommand;
use guanjia_domain::user::{Account, Role, Username};
use guanjia_domain::values::{DivisionCode, Tier};
use guanjia_domain::DomainError;

use super::{CaseOutcome, OnCase};
use crate::app::People;
use crate::{Actor, AppError};

impl OnCase<'_> {
    /// Assigns or replaces the lead steward (leaders in scope); `reason` when replacing.
    pub async fn assign_lead_steward(
        self,
        steward: String,
        tier: Tier,
        reason: Option<String>,
    ) -> Result<CaseOutcome, AppError> {
        self.send(CaseCommand::AssignLeadSteward {
            steward,
            tier,
            reason,
        })
        .await
    }

    /// Adds a team member (leaders in scope).
    pub async fn add_team_member(
        self,
        user_id: String,
        role: String,
        tier: Tier,
    ) -> Result<CaseOutcome, AppError> {
        self.send(CaseCommand::AddTeamMember {
            user_id,
            role,
            tier,
        })
        .await
    }

    /// Removes a team member (leaders in scope).
    pub async fn remove_team_member(
        self,
        user_id: String,
        reason: Option<String>,
    ) -> Result<CaseOutcome, AppError> {
        self.send(CaseCommand::RemoveTeamMember { user_id, reason })
            .await
    }

    /// Adopts the first plan; the case goes into service.
    pub async fn adopt_plan(self, plan: PlanInput) -> Result<CaseOutcome, AppError> {
        self.send(CaseCommand::AdoptPlan { plan }).await
    }

    /// Records a new version of the plan.
    pub async fn revise_plan(
        self,
        plan: PlanInput,
        reason: String,
    ) -> Result<CaseOutcome, AppError> {
        self.send(CaseCommand::RevisePlan { plan, reason }).await
    }

    /// Adds an investment project.
    pub async fn add_project(self, project: ProjectInput) -> Result<CaseOutcome, AppError> {
        self.send(CaseCommand::AddProject { project }).await
    }

    /// Changes the details of a project (by its code).
    pub async fn change_project(self, project: ProjectInput) -> Result<CaseOutcome, AppError> {
        self.send(CaseCommand::ChangeProject { project }).await
    }
}

/// The person a command puts on a team: the argument that names them, and their account as it
/// is now (`None`: no such user).
pub(super) struct Named {
    field: &'static str,
    name: Username,
    account: Option<Account>,
}

/// The person `command` puts on a team, read as they are now, so that a user disabled a moment
/// ago, on any node, is not put on a team. `Ok(None)` for other commands.
pub(super) async fn named_person(
    people: &dyn People,
    command: &CaseCommand,
) -> Result<Option<Named>, AppError> {
    let (field, user) = match command.step() {
        CaseCommand::AssignLeadSteward { steward, .. } => ("steward", steward),
        CaseCommand::AddTeamMember { user_id, .. } => ("userId", user_id),
        _ => return Ok(None),
    };
    let name = Username::parse(user).map_err(|e| DomainError::invalid(field, e))?;
    let account = people.account(&name).await?;
    Ok(Some(Named {
        field,
        name,
        account,
    }))
}

/// Judges the people a command names (`named` is what [`named_person`] found), only after the
/// actor's own check, so that its refusals tell nothing to whom may not know the case.
pub(super) fn check_named_people(
    actor: &Actor,
    command: &CaseCommand,
    case_division: &DivisionCode,
    named: Result<&Option<Named>, &AppError>,
) -> Result<(), AppError> {
    if let CaseCommand::CorrectEnterpriseDetails { correction, .. } = command.step() {
        let Some(division) = &correction.division else {
            return Ok(());
        };
        let division =
            DivisionCode::parse(division).map_err(|e| DomainError::invalid("division", e))?;
        if !actor.division.contains(&division) {
            return Err(AppError::Forbidden(
                "you may not move a case out of your division".to_owned(),
            ));
        }
        return Ok(());
    }
    let Some(Named {
        field,
        name,
        account,
    }) = named.map_err(Clone::clone)?
    else {
        return Ok(());
    };
    let field = *field;
    let unknown = || AppError::bad_input(field, "unknown_user", format!("no active user {name}"));
    let account = account.as_ref().ok_or_else(unknown)?;
    if !account.is_active() {
        return Err(unknown());
    }
    if !matches!(account.role, Role::Steward | Role::Leader) {
        return Err(AppError::bad_input(
            field,
            "role",
            format!(
                "{name} is a {}; only stewards and leaders work on cases",
                account.role
            ),
        ));
    }
    if !account.division.contains(case_division) {
        return Err(AppError::bad_input(
            field,
            "out_of_scope",
            format!("the case is outside {name}'s division"),
        ));
    }
    Ok(())
}
