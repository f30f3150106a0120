//! What auditors ask: the event history (filtered, paged), a case as it stood at a past
//! position or time, and the hash chain over the log. Auditors only.
//!
//! The history comes from the store (`Store::audit`), which filters by case, actor, type and
//! time in SQL but knows nothing of divisions. Events are therefore cut to the auditor's scope
//! here, event by event (`scope.rs`): a case's event by the case's current division (from the
//! read model, which is first brought up to the page read), a user's event by the user's
//! division, a read of personal data (access log) by the division of the case that was read,
//! and an event of none of these (catalog, registries) only for auditors of the whole
//! district. So that an auditor of a small town cannot make one request scan the whole log, a
//! page reads at most [`SCAN_MAX`] events: it may then hold fewer than `first` edges, with
//! `hasNextPage` true and `endCursor` after the last event read.

mod scope;

use async_graphql::connection::PageInfo;
use async_graphql::{Context, Object, ID};
use chrono::{DateTime, Utc};
use guanjia_domain::case::EnterpriseCase;
use guanjia_store::{AsOf, LogPosition, StoredEvent};

use super::{page_size, position, wait_for};
use crate::auth::authz;
use crate::error::ApiError;
use crate::graphql::access::{self, fields};
use crate::graphql::context::{actor, read, state};
use crate::graphql::types::as_of::{AsOfPoint, CaseAsOf};
use crate::graphql::types::audit::{AuditConnection, AuditEdge, AuditEvent};
use crate::graphql::types::chain::{ChainHead, ChainVerification};

pub use self::scope::AuditHistoryFilter;
use self::scope::{store_filter, visible};

/// Events per page when the caller does not say.
pub const DEFAULT_AUDIT_PAGE: usize = 50;
/// The most events one page may hold.
pub const MAX_AUDIT_PAGE: usize = 200;
/// The most events one page reads from the log before it answers.
pub const SCAN_MAX: usize = 5000;
/// Events read from the store at a time.
const BATCH: usize = 500;

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
        // Auditors see payloads whole: each case whose personal data a payload shows is a read.
        if ctx
            .look_ahead()
            .field("edges")
            .field("node")
            .field("payload")
            .exists()
        {
            for event in &found {
                access::note(ctx, &event.aggregate_id, &fields::payload(event))?;
            }
        }
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
            return Err(authz::case_not_found().into());
        }
        let store = &state(ctx)?.store;
        let loaded = store.load_as_of::<EnterpriseCase>(id, as_of).await?;
        let case = &loaded.state;
        let personal = case.enterprise.as_ref().is_some_and(|e| {
            authz::can_see_personal_data(actor, &e.division, &authz::team_of(case))
        });
        if let (true, Some(e)) = (personal, &case.enterprise) {
            let name = e.contact_name.as_deref();
            let shown = fields::as_of(&ctx.look_ahead(), name, e.contact_phone.is_some());
            access::note(ctx, id, &shown)?;
        }
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
