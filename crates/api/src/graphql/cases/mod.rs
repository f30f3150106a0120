//! Case mutations: one per `CaseCommand` variant, each with an input object, grouped like the
//! domain's decision modules ([`lifecycle`], [`team`], [`visits`], [`items`], [`ratings`],
//! [`complaints`]), and the erasure of personal data on a lawful request ([`erasure`]).
//!
//! Every mutation goes through [`send`]: load the case, check the actor against it in
//! `auth::authz` (the one place for roles and scopes), check the people it names, then hand
//! the command to the store with the actor in the event metadata. The store is reached through
//! `dispatch.rs` only (`Store::register_case` / `Store::execute_case`, which keep the rules
//! that cross cases).
//!
//! Each returns the log position of its last event, the case id, the event types and the case
//! as it is after the command: read from this node's read model once it has applied the
//! command's own events (read-your-writes, `read_after`). If the read model does not get there
//! within `limits.read_wait`, the answer says so (`caughtUp: false` and a note) instead of
//! showing a case that does not have the change yet.

mod complaints;
mod dispatch;
mod erasure;
mod items;
mod lifecycle;
mod ratings;
mod team;
mod visits;

use async_graphql::{Context, MergedObject, SimpleObject, ID};
use guanjia_domain::case::model::CaseState;
use guanjia_domain::case::{CaseCommand, CaseServices, EnterpriseCase};
use guanjia_domain::user::{Account, Role, Username};
use guanjia_domain::values::DivisionCode;
use guanjia_domain::DomainError;
use guanjia_store::{Committed, Source};
use std::sync::Arc;

use super::context::{actor, command_context, state};
use super::types::Case;
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
    erasure::ErasureMutation,
);

/// What a case command appended, and the case after it.
#[derive(SimpleObject)]
pub struct CaseCommandResult {
    /// The log position of the last event: opaque; a later read can wait for it
    /// (`case(id:, atLeast:)`).
    pub position: String,
    pub case_id: ID,
    /// The event types appended, in order.
    pub events: Vec<String>,
    /// The case number, set by `registerCase`.
    pub case_number: Option<String>,
    /// The case as it is after this command (its own events included). Null when `caughtUp`
    /// is false, or when the command took the case out of the caller's scope.
    pub case: Option<Case>,
    /// False when this server could not read the case after the command in time: the command
    /// WAS applied (do not send it again); read the case later with
    /// `case(id: caseId, atLeast: position)`.
    pub caught_up: bool,
    /// Why `case` is null, when it is.
    pub read_note: Option<String>,
}

/// Builds the result of a committed command: waits until this node's read model has applied
/// `committed.position`, then reads the case (read-your-writes).
pub(super) async fn read_after(
    ctx: &Context<'_>,
    case_id: &str,
    committed: Committed,
    case_number: Option<String>,
) -> Result<CaseCommandResult, ApiError> {
    let (actor, state) = (actor(ctx)?, state(ctx)?);
    let position = committed.position;
    let waited = state.read.wait_for(position, state.limits.read_wait).await;
    let caught_up = waited.is_ok();
    let (case, read_note) = match waited {
        Ok(()) => match state.read.read(|m| m.case_by_id(case_id)) {
            Some(summary) if authz::can_read_case(actor, &summary.division) => {
                (Some(Case::new(summary)), None)
            }
            _ if authz::may_read_cases(actor).is_err() => {
                let note = "the command was applied; admins do not read cases".to_owned();
                (None, Some(note))
            }
            _ => (None, Some("the case is no longer in your scope".to_owned())),
        },
        Err(error) => {
            tracing::warn!(%error, %position, "a mutation's result was not readable in time");
            let note = format!(
                "the change is saved at position {position}, but this server has not read it \
                 yet; read the case again shortly with case(id, atLeast: \"{position}\")"
            );
            (None, Some(note))
        }
    };
    Ok(CaseCommandResult {
        position: position.to_string(),
        case_id: ID::from(case_id),
        events: committed.events.into_iter().map(|e| e.event_type).collect(),
        case_number,
        case,
        caught_up,
        read_note,
    })
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
    let context = command_context(ctx, actor, client_key)?;
    let services = services(state);
    // The person the command puts on a team, read as they are now; judged in the guard.
    let named = named_person(state, &command).await;
    // Checked on the case exactly as the store loads it for the command: one load.
    let checked = command.clone();
    let guard = move |case: &EnterpriseCase| -> Result<(), Source> {
        check_case(actor, &checked, case, &named).map_err(|refusal| Arc::new(refusal) as Source)
    };
    let committed =
        dispatch::execute_case(&state.store, case_id, command, &services, context, &guard).await?;
    read_after(ctx, case_id, committed, None).await
}

/// `command` as a late entry (补录) when a reason is given; the domain decides whether the step
/// is late and records the reason only then.
pub(super) fn late(command: CaseCommand, late_reason: Option<String>) -> CaseCommand {
    match late_reason {
        Some(reason) => CaseCommand::LateEntry {
            reason,
            command: Box::new(command),
        },
        None => command,
    }
}

/// Whether `actor` may send `command` to `case` (as loaded for the command), and whether the
/// people it names may join the case.
fn check_case(
    actor: &Actor,
    command: &CaseCommand,
    case: &EnterpriseCase,
    named: &Result<Option<Named>, ApiError>,
) -> Result<(), ApiError> {
    if case.state == CaseState::Unregistered {
        return Err(authz::case_not_found());
    }
    authz::authorize_case_command(actor, command, case)?;
    if let Some(enterprise) = &case.enterprise {
        check_named_people(actor, command, &enterprise.division, named.as_ref())?;
    }
    Ok(())
}

fn services(state: &AppState) -> CaseServices {
    CaseServices {
        clock: state.clock.clone(),
        late_entries: state.late_entries.clone(),
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
    super::context::identifier("caseId", id)?;
    Ok(id)
}

/// The person a command puts on a team: the argument that names them, and their account as it
/// is now (`None`: no such user).
struct Named {
    field: &'static str,
    name: Username,
    account: Option<Account>,
}

/// The person `command` puts on a team, read as they are now (`auth::current`), so that a user
/// disabled a moment ago, on any node, is not put on a team. `Ok(None)` for other commands.
async fn named_person(state: &AppState, command: &CaseCommand) -> Result<Option<Named>, ApiError> {
    let (field, user) = match command.step() {
        CaseCommand::AssignLeadSteward { steward, .. } => ("steward", steward),
        CaseCommand::AddTeamMember { user_id, .. } => ("userId", user_id),
        _ => return Ok(None),
    };
    let name = super::context::username(field, user)?;
    let account = state.auth.account(name.as_str()).await?;
    Ok(Some(Named {
        field,
        name,
        account,
    }))
}

/// The people a command puts on a team must be active stewards or leaders whose scope holds
/// the case (they could not work on it otherwise), and a correction may not move a case out
/// of its author's scope. `named` is what [`named_person`] found, judged only now, after the
/// actor's own check, so that its refusals tell nothing to whom may not know the case.
fn check_named_people(
    actor: &Actor,
    command: &CaseCommand,
    case_division: &DivisionCode,
    named: Result<&Option<Named>, &ApiError>,
) -> Result<(), ApiError> {
    if let CaseCommand::CorrectEnterpriseDetails { correction, .. } = command.step() {
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
    let Some(Named {
        field,
        name,
        account,
    }) = named.map_err(Clone::clone)?
    else {
        return Ok(());
    };
    let field = *field;
    let unknown = || ApiError::bad_input(field, "unknown_user", format!("no active user {name}"));
    let account = account.as_ref().ok_or_else(unknown)?;
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
