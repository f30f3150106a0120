//! What auditors ask: the event history (filtered, paged), a case as it stood at a past
//! position or time, and the hash chain over the log. Auditors only.
//!
//! The history comes from the store (`Store::audit`), which filters by case, actor, type and
//! time in SQL but knows nothing of divisions. Events are therefore cut to the auditor's scope
//! here, event by event: a case's event by the case's current division (from the read model,
//! which is first brought up to the page read), a user's event by the user's division, and an
//! event of neither (catalog, registries) only for auditors of the whole district. So that an
//! auditor of a small town cannot make one request scan the whole log, a page reads at most
//! [`SCAN_MAX`] events: it may then hold fewer than `first` edges, with `hasNextPage` true and
//! `endCursor` after the last event read.

use async_graphql::{Context, InputObject, Object, ID};
use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use guanjia_domain::case::EnterpriseCase;
use guanjia_domain::user::User;
use guanjia_domain::values::DivisionCode;
use guanjia_store::{AsOf, AuditFilter, LogPosition, StoredEvent};

use super::{page_size, position, wait_for};
use crate::auth::{authz, Actor};
use crate::error::ApiError;
use crate::graphql::context::{actor, read, state, username};
use crate::graphql::types::as_of::{AsOfPoint, CaseAsOf};
use crate::graphql::types::audit::{AuditConnection, AuditEdge, AuditEvent};
use crate::graphql::types::chain::{ChainHead, ChainVerification};
use crate::graphql::types::connection::PageInfo;
use crate::state::AppState;

/// Events per page when the caller does not say.
pub const DEFAULT_AUDIT_PAGE: usize = 50;
/// The most events one page may hold.
pub const MAX_AUDIT_PAGE: usize = 200;
/// The most events one page reads from the log before it answers.
pub const SCAN_MAX: usize = 5000;
/// Events read from the store at a time.
const BATCH: usize = 500;

/// Which events: every field left out does not filter.
#[derive(InputObject, Default)]
pub struct AuditHistoryFilter {
    /// The events of one case.
    pub case_id: Option<ID>,
    /// `enterprise_case`, `user`, `service_catalog`, …
    pub aggregate_type: Option<String>,
    /// The username that appended them.
    pub actor: Option<String>,
    /// e.g. `ServiceItemAccepted`.
    pub event_type: Option<String>,
    /// Recorded at or after.
    pub from: Option<DateTime<Utc>>,
    /// Recorded strictly before.
    pub until: Option<DateTime<Utc>>,
}

/// Auditors' queries.
#[derive(Default)]
pub struct AuditQueries;

#[Object]
impl AuditQueries {
    /// Every event matching `filter` in the auditor's scope, in log order, with its actor,
    /// role, time, correlation and request ids and payload.
    async fn audit_history(
        &self,
        ctx: &Context<'_>,
        filter: Option<AuditHistoryFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<AuditConnection, ApiError> {
        let actor = actor(ctx)?;
        authz::may_audit(actor)?;
        let state = state(ctx)?;
        let first = page_size(first, DEFAULT_AUDIT_PAGE, MAX_AUDIT_PAGE)?;
        let filter = store_filter(ctx, actor, filter.unwrap_or_default())?;
        let mut cursor = match after.as_deref() {
            Some(after) => position("after", after)?,
            None => LogPosition::START,
        };
        let continues = after.is_some();
        let mut found: Vec<StoredEvent> = Vec::new();
        let (mut scanned, mut exhausted) = (0, false);
        while found.len() <= first && scanned < SCAN_MAX {
            let batch = state.store.audit(&filter, cursor, BATCH).await?;
            exhausted = batch.len() < BATCH;
            if let Some(last) = batch.last() {
                wait_for(&state.read, last.position, state.limits.read_wait).await?;
            }
            for event in batch {
                cursor = event.position;
                scanned += 1;
                if visible(state, actor, &event) {
                    found.push(event);
                }
            }
            if exhausted {
                break;
            }
        }
        let more = found.len() > first;
        found.truncate(first);
        let edges: Vec<AuditEdge> = found
            .into_iter()
            .map(|event| AuditEdge {
                cursor: event.position.to_string(),
                node: AuditEvent::from(event),
            })
            .collect();
        let end_cursor = match (more, exhausted) {
            // Stopped by the scan limit: continue after the last event read.
            (false, false) => Some(cursor.to_string()),
            _ => edges.last().map(|e| e.cursor.clone()),
        };
        Ok(AuditConnection {
            page_info: PageInfo {
                has_next_page: more || !exhausted,
                has_previous_page: continues,
                start_cursor: edges.first().map(|e| e.cursor.clone()),
                end_cursor,
            },
            edges,
        })
    }

    /// A case as it stood after the event at `position`, or at the instant `at` (give one),
    /// rebuilt from its own events.
    async fn case_as_of(
        &self,
        ctx: &Context<'_>,
        id: ID,
        position: Option<String>,
        at: Option<DateTime<Utc>>,
    ) -> Result<CaseAsOf, ApiError> {
        let actor = actor(ctx)?;
        authz::may_audit(actor)?;
        let (as_of, point) = match (position, at) {
            (Some(text), None) => {
                let parsed = super::position("position", &text)?;
                (
                    AsOf::Position(parsed),
                    AsOfPoint::Position(parsed.to_string()),
                )
            }
            (None, Some(at)) => (AsOf::Time(at), AsOfPoint::Time(at)),
            _ => {
                return Err(ApiError::bad_input(
                    "position",
                    "one_of",
                    "give exactly one of position and at",
                ))
            }
        };
        let id = id.trim();
        let division = read(ctx)?.read(|m| m.case_by_id(id)).map(|c| c.division);
        if !division
            .as_ref()
            .is_some_and(|d| authz::can_audit(actor, d))
        {
            return Err(authz::case_not_found());
        }
        let store = &state(ctx)?.store;
        let loaded = store.load_as_of::<EnterpriseCase>(id, as_of).await?;
        let case = &loaded.state;
        let personal = case.enterprise.as_ref().is_some_and(|e| {
            authz::can_see_personal_data(actor, &e.division, &authz::team_of(case))
        });
        Ok(CaseAsOf::new(id, case, loaded.sequence, point, personal))
    }

    /// The head of the hash chain, after linking every event not chained yet: the head to
    /// export. Linking is idempotent and safe from several nodes at once.
    async fn chain_head(&self, ctx: &Context<'_>) -> Result<Option<ChainHead>, ApiError> {
        authz::may_audit(actor(ctx)?)?;
        let head = state(ctx)?.store.extend_chain().await?;
        Ok(head.map(ChainHead::from))
    }

    /// Recomputes the hash chain from the events and names the first one that does not match;
    /// with `head` (an exported `chainHead.exported`), also proves the log still extends it.
    async fn verify_chain(
        &self,
        ctx: &Context<'_>,
        head: Option<String>,
    ) -> Result<ChainVerification, ApiError> {
        authz::may_audit(actor(ctx)?)?;
        let store = &state(ctx)?.store;
        let report = match head {
            Some(text) => {
                let head = text.trim().parse().map_err(|_| {
                    ApiError::bad_input("head", "chain_head", "is not an exported chain head")
                })?;
                store.verify_extends(&head).await?
            }
            None => store.verify_chain().await?,
        };
        Ok(report.into())
    }
}

/// The store's filter for `filter`; a case filter must name a case in the auditor's scope.
fn store_filter(
    ctx: &Context<'_>,
    actor: &Actor,
    filter: AuditHistoryFilter,
) -> Result<AuditFilter, ApiError> {
    let mut aggregate_type = filter.aggregate_type;
    let aggregate_id = match filter.case_id {
        Some(id) => {
            let id = id.trim().to_owned();
            let division = read(ctx)?.read(|m| m.case_by_id(&id)).map(|c| c.division);
            if !division
                .as_ref()
                .is_some_and(|d| authz::can_audit(actor, d))
            {
                return Err(authz::case_not_found());
            }
            aggregate_type = Some(EnterpriseCase::TYPE.to_owned());
            Some(id)
        }
        None => None,
    };
    let actor_id = filter
        .actor
        .as_deref()
        .map(|name| username("actor", name).map(|n| n.to_string()))
        .transpose()?;
    Ok(AuditFilter {
        aggregate_type,
        aggregate_id,
        actor_id,
        event_type: filter.event_type,
        from: filter.from,
        until: filter.until,
    })
}

/// Whether `actor` may see `event` (see the module documentation).
fn visible(state: &AppState, actor: &Actor, event: &StoredEvent) -> bool {
    let division: Option<DivisionCode> = if event.aggregate_type == EnterpriseCase::TYPE {
        let case = state.read.read(|m| m.case_by_id(&event.aggregate_id));
        match case {
            Some(case) => Some(case.division),
            // Not a case this node knows: nobody's to see.
            None => return false,
        }
    } else if event.aggregate_type == User::TYPE {
        state
            .auth
            .directory()
            .get(&event.aggregate_id)
            .map(|account| account.division)
    } else {
        None
    };
    authz::can_audit_event(actor, division.as_ref())
}
