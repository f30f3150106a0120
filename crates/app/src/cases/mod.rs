//! The use cases of an enterprise case, one method each, grouped like the domain's decision
//! modules: [`register`] (a new case), `lifecycle.rs`, `team.rs`, `visits.rs`, `items.rs`,
//! `ratings.rs`, `complaints.rs`, the public rating links ([`rating_links`], on the record in
//! [`rating_link_record`]) and the
//! enterprise's 办件进度 links ([`progress_links`]).
//!
//! A use case on an existing case starts at [`App::on_case`] (who, which case, the request's
//! metadata and key) and goes through one path, `OnCase::send`: the case is loaded once, the
//! actor is checked on it as loaded ([`crate::authz::authorize_case_command`]), the people the
//! command names are checked (`team.rs`), and the command runs with the rules that cross cases
//! (`cross_case.rs`). The outcome carries the log position of its last event, for the front
//! door's read-your-writes.

mod complaints;
mod cross_case;
mod items;
mod lifecycle;
pub mod progress_links;
pub mod rating_link_record;
pub mod rating_links;
mod ratings;
pub(crate) mod register;
mod registry;
mod team;
mod visits;

use std::sync::Arc;

use guanjia_domain::case::model::CaseState;
use guanjia_domain::case::{CaseCommand, EnterpriseCase};
use guanjia_domain::values::CaseNumber;
use guanjia_store::{CommandContext, Committed, LogPosition, Source};

#[cfg(feature = "testing")]
pub(crate) use cross_case::run as run_trusted;
pub use register::CaseRegistration;

use crate::{authz, Actor, App, AppError};

/// What a use case on a case recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseOutcome {
    pub case_id: String,
    /// Set by registration.
    pub case_number: Option<CaseNumber>,
    /// The events appended and the position of the last one.
    pub committed: Committed,
}

impl CaseOutcome {
    /// The log position of the last event: a read model that has reached it has seen the
    /// whole use case.
    pub fn position(&self) -> LogPosition {
        self.committed.position
    }
}

/// One actor's request on one case: where every use case on an existing case starts.
#[derive(Debug)]
pub struct OnCase<'a> {
    app: &'a App,
    actor: &'a Actor,
    case_id: &'a str,
    context: CommandContext,
    /// Set by [`OnCase::late_entry`]: the step is sent as a late entry (补录) with this reason.
    late_reason: Option<String>,
}

impl App {
    /// The use cases `actor` may run on the case `case_id`; `context` carries the request's
    /// metadata (the actor among it) and its idempotency key.
    pub fn on_case<'a>(
        &'a self,
        actor: &'a Actor,
        case_id: &'a str,
        context: CommandContext,
    ) -> OnCase<'a> {
        OnCase {
            app: self,
            actor,
            case_id,
            context,
            late_reason: None,
        }
    }
}

impl OnCase<'_> {
    /// The use case that follows is a late entry (补录) when `reason` is given: the domain
    /// decides whether the step is late and records the reason only then.
    pub fn late_entry(mut self, reason: Option<String>) -> Self {
        self.late_reason = reason;
        self
    }

    /// Runs `command` for the actor: checked on the case exactly as the store loads it for the
    /// command, in one load.
    async fn send(self, command: CaseCommand) -> Result<CaseOutcome, AppError> {
        let Self {
            app,
            actor,
            case_id,
            context,
            late_reason,
        } = self;
        let command = match late_reason {
            Some(reason) => CaseCommand::LateEntry {
                reason,
                command: Box::new(command),
            },
            None => command,
        };
        // The person the command puts on a team, read as they are now; judged in the guard.
        let named = team::named_person(app.people(), &command).await;
        let checked = command.clone();
        let guard = move |case: &EnterpriseCase| -> Result<(), Source> {
            check_case(actor, &checked, case, &named).map_err(|refusal| Arc::new(refusal) as Source)
        };
        let committed = cross_case::run(
            app.store(),
            case_id,
            command,
            app.services(),
            context,
            &guard,
        )
        .await?;
        Ok(CaseOutcome {
            case_id: case_id.to_owned(),
            case_number: None,
            committed,
        })
    }
}

/// Whether `actor` may send `command` to `case` (as loaded for the command), and whether the
/// people it names may join the case.
fn check_case(
    actor: &Actor,
    command: &CaseCommand,
    case: &EnterpriseCase,
    named: &Result<Option<team::Named>, AppError>,
) -> Result<(), AppError> {
    if case.state == CaseState::Unregistered {
        return Err(authz::case_not_found());
    }
    authz::authorize_case_command(actor, command, case)?;
    if let Some(enterprise) = &case.enterprise {
        team::check_named_people(actor, command, &enterprise.division, named.as_ref())?;
    }
    Ok(())
}
