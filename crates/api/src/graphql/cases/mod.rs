//! Case mutations: one per `CaseCommand` variant, each with an input object, grouped like the
//! domain's decision modules ([`lifecycle`], [`team`], [`visits`], [`items`], [`ratings`],
//! [`complaints`]).
//!
//! Every mutation goes through [`send`]: load the case, check the actor against it in
//! `auth::authz` (the one place for roles and scopes), check the people it names, then hand
//! the command to the store with the actor in the event metadata. The store is reached through
//! `dispatch.rs` only (`Store::register_case` / `Store::execute_case`, which keep the rules
//! that cross cases).
//!
//! Each returns the log position of its last event, the case id and the event types. Returning
//! the changed case from the read model (after waiting for that position) is the next step.

mod complaints;
mod dispatch;
mod items;
mod lifecycle;
mod ratings;
mod team;
mod visits;

use async_graphql::{Context, MergedObject, SimpleObject, ID};
use guanjia_domain::case::model::CaseState;
use guanjia_domain::case::{CaseCommand, CaseServices, EnterpriseCase};
use guanjia_domain::user::Role;
use guanjia_domain::values::DivisionCode;
use guanjia_domain::DomainError;
use guanjia_store::Committed;

use super::context::{actor, command_context, state};
use crate::auth::{authz, Actor};
use crate::error::ApiError;
use crate::state::AppState;

/// Longest case id accepted, in characters (ours are UUIDs: 36).
const CASE_ID_MAX: usize = 64;

/// All case mutations.
#[derive(MergedObject, Default)]
pub struct CaseMutation(
    lifecycle::LifecycleMutation,
    team::TeamMutation,
    visits::VisitMutation,
    items::ItemMutation,
    ratings::RatingMutation,
    complaints::ComplaintMutation,
);

/// What a case command appended.
#[derive(SimpleObject)]
pub struct CaseCommandResult {
    /// The log position of the last event: opaque; a later read can wait for it.
    pub position: String,
    pub case_id: ID,
    /// The event types appended, in order.
    pub events: Vec<String>,
    /// The case number, set by `registerCase`.
    pub case_number: Option<String>,
}

impl CaseCommandResult {
    fn new(case_id: &str, committed: Committed, case_number: Option<String>) -> Self {
        Self {
            position: committed.position.to_string(),
            case_id: ID::from(case_id),
            events: committed.events.into_iter().map(|e| e.event_type).collect(),
            case_number,
        }
    }
}

/// Sends `command` to the case `case_id` on behalf of the request's actor.
pub(super) async fn send(
    ctx: &Context<'_>,
    case_id: ID,
    command: CaseCommand,
    client_key: Option<String>,
) -> Result<CaseCommandResult, ApiError> {
    let actor = actor(ctx)?;
    let state = state(ctx)?;
    let case_id = checked_case_id(&case_id)?;
    let case = state.store.load::<EnterpriseCase>(case_id).await?.state;
    if case.state == CaseState::Unregistered {
        return Err(ApiError::NotFound {
            what: "case".to_owned(),
        });
    }
    authz::authorize_case_command(actor, &command, &case)?;
    if let Some(enterprise) = &case.enterprise {
        check_named_people(state, actor, &command, &enterprise.division)?;
    }
    let context = command_context(ctx, actor, client_key)?;
    let services = services(state);
    let committed =
        dispatch::execute_case(&state.store, case_id, command, &services, context).await?;
    Ok(CaseCommandResult::new(case_id, committed, None))
}

fn services(state: &AppState) -> CaseServices {
    CaseServices {
        clock: state.clock.clone(),
    }
}

fn checked_case_id(case_id: &ID) -> Result<&str, ApiError> {
    let id = case_id.as_str().trim();
    if id.is_empty() || id.chars().count() > CASE_ID_MAX {
        return Err(ApiError::bad_input(
            "caseId",
            "length",
            format!("must be 1-{CASE_ID_MAX} characters"),
        ));
    }
    Ok(id)
}

/// The people a command puts on a team must be active stewards or leaders whose scope holds
/// the case (they could not work on it otherwise), and a correction may not move a case out
/// of its author's scope.
fn check_named_people(
    state: &AppState,
    actor: &Actor,
    command: &CaseCommand,
    case_division: &DivisionCode,
) -> Result<(), ApiError> {
    let (field, user) = match command {
        CaseCommand::AssignLeadSteward { steward, .. } => ("steward", steward),
        CaseCommand::AddTeamMember { user_id, .. } => ("userId", user_id),
        CaseCommand::CorrectEnterpriseDetails { correction, .. } => {
            let Some(division) = &correction.division else {
                return Ok(());
            };
            let division = DivisionCode::parse(division)
                .map_err(|e| ApiError::from(DomainError::invalid("division", e)))?;
            if !actor.division.contains(&division) {
                return Err(ApiError::Forbidden(
                    "you may not move a case out of your division".to_owned(),
                ));
            }
            return Ok(());
        }
        _ => return Ok(()),
    };
    let unknown = || ApiError::bad_input(field, "unknown_user", format!("no active user {user}"));
    let name = super::context::username(field, user)?;
    let account = state
        .auth
        .directory()
        .get(name.as_str())
        .ok_or_else(unknown)?;
    if !account.is_active() {
        return Err(unknown());
    }
    if !matches!(account.role, Role::Steward | Role::Leader) {
        return Err(ApiError::bad_input(
            field,
            "role",
            format!(
                "{name} is a {}; only stewards and leaders work on cases",
                account.role
            ),
        ));
    }
    if !account.division.contains(case_division) {
        return Err(ApiError::bad_input(
            field,
            "out_of_scope",
            format!("the case is outside {name}'s division"),
        ));
    }
    Ok(())
}
