//! Subscriptions (graphql-ws): the events of one case as they are appended, and the
//! dashboard's figures as they change ([`dashboard`]).
//!
//! A case subscription follows the store's log directly from the position it started at: wake
//! on the store's change signal (or its poll interval), read what is new, pass on the events of
//! the case. Both kinds are authorized when they start, like the queries (the case must be in
//! the subscriber's scope, else `NOT_FOUND`; dashboards are the leaders'), and end when the
//! server shuts down (the shared cancellation token: axum's graceful shutdown does not wait for
//! WebSocket tasks) and when their user is disabled or given another role or division.

mod dashboard;

use std::collections::VecDeque;

use async_graphql::futures_util::Stream;
use async_graphql::{Context, SimpleObject, Subscription, ID};
use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use guanjia_domain::case::model::CaseState;
use guanjia_domain::case::EnterpriseCase;
use guanjia_store::{LogPosition, LogWatcher, StoredEvent};

use super::context::{actor, state};
use crate::auth::{authz, Actor};
use crate::error::ApiError;
use crate::state::AppState;

pub use dashboard::DashboardUpdate;

/// How many log events one read returns.
const BATCH: usize = 200;

/// One event of a case, as it was appended.
#[derive(SimpleObject, Debug, Clone)]
pub struct CaseEventNotice {
    /// The event's log position: opaque, comparable with mutation results.
    pub position: String,
    pub case_id: ID,
    /// The event's number within the case.
    pub sequence: u64,
    pub event_type: String,
    /// Who appended it.
    pub actor_id: String,
    pub recorded_at: DateTime<Utc>,
}

impl From<StoredEvent> for CaseEventNotice {
    fn from(event: StoredEvent) -> Self {
        Self {
            position: event.position.to_string(),
            case_id: ID::from(event.aggregate_id),
            sequence: event.sequence,
            event_type: event.event_type,
            actor_id: event.metadata.actor_id,
            recorded_at: event.recorded_at,
        }
    }
}

/// All subscriptions.
#[derive(Default, Debug, Clone, Copy)]
pub struct SubscriptionRoot;

#[Subscription(name = "Subscription")]
impl SubscriptionRoot {
    /// The events of one case appended from now on (roles that may read the case).
    async fn case_events(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
    ) -> Result<impl Stream<Item = CaseEventNotice>, ApiError> {
        let actor = actor(ctx)?.clone();
        authz::may_read_cases(&actor)?;
        let state = state(ctx)?.clone();
        let case = state.store.load::<EnterpriseCase>(&case_id).await?.state;
        match &case.enterprise {
            Some(e) if case.state != CaseState::Unregistered => {
                authz::authorize_case_read(&actor, &e.division)?;
            }
            _ => return Err(authz::case_not_found().into()),
        }
        let follow = Follow {
            watcher: state.store.subscribe(),
            position: state.store.head().await?,
            case_id: case_id.to_string(),
            pending: VecDeque::new(),
            actor,
            state,
        };
        Ok(async_graphql::futures_util::stream::unfold(
            follow,
            Follow::next,
        ))
    }

    /// The figures of the current year (`period` from 1 January, `now` as of today) for
    /// `division` (default: the leader's whole scope), at once and then whenever they change,
    /// at most once a second. Leaders only.
    async fn dashboard_changed(
        &self,
        ctx: &Context<'_>,
        division: Option<String>,
    ) -> Result<impl Stream<Item = DashboardUpdate>, ApiError> {
        dashboard::start(ctx, division)
    }
}

/// The state of one case subscription.
struct Follow {
    state: AppState,
    actor: Actor,
    watcher: LogWatcher,
    position: LogPosition,
    case_id: String,
    /// Events of the case read but not yet handed out.
    pending: VecDeque<StoredEvent>,
}

impl Follow {
    async fn next(mut self) -> Option<(CaseEventNotice, Self)> {
        loop {
            if let Some(event) = self.pending.pop_front() {
                return Some((event.into(), self));
            }
            if !still_allowed(&self.state, &self.actor).await {
                return None;
            }
            match self.state.store.read_after(self.position, BATCH).await {
                Ok(events) if !events.is_empty() => {
                    self.position = events.last().map_or(self.position, |e| e.position);
                    let case_id = &self.case_id;
                    self.pending.extend(events.into_iter().filter(|e| {
                        e.aggregate_type == EnterpriseCase::TYPE && &e.aggregate_id == case_id
                    }));
                    continue;
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "case subscription could not read the log"),
            }
            tokio::select! {
                () = self.state.shutdown.cancelled() => return None,
                () = self.watcher.changed() => {}
            }
        }
    }
}

/// A user disabled, or given another role or division, while subscribed stops receiving: the
/// subscription was authorized for who they were. Read from the user's stream (`auth::current`),
/// so it does not wait on the log reader; a store that cannot be read ends the subscription too.
async fn still_allowed(state: &AppState, actor: &Actor) -> bool {
    match state.auth.account(actor.username.as_str()).await {
        Ok(Some(account)) => {
            account.is_active() && account.role == actor.role && account.division == actor.division
        }
        Ok(None) => false,
        Err(error) => {
            tracing::warn!(%error, "a subscription could not check its user; ending it");
            false
        }
    }
}
