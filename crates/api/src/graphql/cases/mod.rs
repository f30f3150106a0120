//! Case mutations: one per `CaseCommand` variant, each with an input object, grouped like the
//! domain's decision modules ([`lifecycle`], [`team`], [`visits`], [`items`], [`ratings`],
//! [`complaints`]), and the erasure of personal data on a lawful request ([`erasure`]).
//!
//! Every mutation is a thin translation onto one use case of the application layer
//! (`guanjia_app`, which authorises, checks the rules across cases and runs the command):
//! [`on_case`] names the actor, the case and the request's metadata, the resolver converts its
//! input and calls the use case, [`answer`] maps the outcome.
//!
//! Each returns the log position of its last event, the case id, the event types and the case
//! as it is after the command: read from this node's read model once it has applied the
//! command's own events (read-your-writes, `read_after`). If the read model does not get there
//! within `limits.read_wait`, the answer says so (`caughtUp: false` and a note) instead of
//! showing a case that does not have the change yet.

mod complaints;
mod erasure;
mod items;
mod lifecycle;
mod ratings;
mod team;
mod visits;

use async_graphql::{Context, MergedObject, SimpleObject, ID};
use guanjia_app::{AppError, CaseOutcome, OnCase};
use guanjia_store::Committed;

use super::context::{actor, command_context, state};
use super::types::Case;
use crate::auth::authz;
use crate::error::ApiError;

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

/// The use cases `ctx`'s actor may run on the case `case_id` (`guanjia_app::OnCase`), with the
/// request's metadata and idempotency key.
pub(super) fn on_case<'a>(
    ctx: &'a Context<'_>,
    case_id: &'a ID,
    client_key: Option<String>,
) -> Result<OnCase<'a>, ApiError> {
    let actor = actor(ctx)?;
    let state = state(ctx)?;
    let case_id = checked_case_id(case_id)?;
    let context = command_context(ctx, actor, client_key)?;
    Ok(state.app.on_case(actor, case_id, context))
}

/// The answer to a case mutation: the use case's outcome, and the case read after it.
pub(super) async fn answer(
    ctx: &Context<'_>,
    outcome: Result<CaseOutcome, AppError>,
) -> Result<CaseCommandResult, ApiError> {
    let outcome = outcome?;
    let number = outcome.case_number.map(|n| n.to_string());
    read_after(ctx, &outcome.case_id, outcome.committed, number).await
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
