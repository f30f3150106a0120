//! `dashboardChanged`: a leader's dashboard of the current year, pushed when it changes.
//!
//! The stream sends the figures once at the start, then waits on the read model's position:
//! each time it advances, and at most once per [`DEBOUNCE`] (a burst of commits makes one
//! computation, not hundreds), it recomputes the figures and sends them if they differ from the
//! last ones sent — a commit in another town moves the position but not this dashboard. The read
//! model answers a whole-district dashboard in milliseconds, so recomputing is cheaper than
//! working out which facts an event touched.

use std::time::Duration;

use async_graphql::futures_util::Stream;
use async_graphql::{Context, SimpleObject};
use chrono::{Datelike, NaiveDate};
use guanjia_domain::clock::china_date;
use guanjia_domain::values::DivisionCode;
use guanjia_read::{Dashboard, DashboardQuery};
use guanjia_store::LogPosition;
use tokio::sync::watch;
use tokio::time::Instant;

use super::still_allowed;
use crate::auth::{authz, Actor};
use crate::error::ApiError;
use crate::graphql::context::{actor, state};
use crate::graphql::queries::reports::start_of_year;
use crate::graphql::types::dashboard::{NowFigures, PeriodFigures};
use crate::state::AppState;

/// The shortest time between two updates of one subscription.
pub const DEBOUNCE: Duration = Duration::from_secs(1);

/// The figures of the current year as of the read model's position.
#[derive(SimpleObject)]
pub struct DashboardUpdate {
    /// The read model's position the figures are computed at.
    pub position: String,
    pub division: String,
    /// 1 January of the current year.
    pub from: NaiveDate,
    /// 31 December of the current year.
    pub to: NaiveDate,
    pub today: NaiveDate,
    pub period: PeriodFigures,
    pub now: NowFigures,
}

/// Checks the subscriber and starts the stream.
pub(super) fn start(
    ctx: &Context<'_>,
    division: Option<String>,
) -> Result<impl Stream<Item = DashboardUpdate>, ApiError> {
    let actor = actor(ctx)?.clone();
    authz::may_view_dashboard(&actor)?;
    let requested = division
        .as_deref()
        .map(|d| crate::graphql::queries::division("division", d))
        .transpose()?;
    let Some(scope) = authz::read_scope(&actor, requested.as_ref())? else {
        return Err(ApiError::Forbidden(
            "the division lies outside your scope".to_owned(),
        ));
    };
    let state = state(ctx)?.clone();
    let watch = DashboardWatch {
        positions: state.read.watch(),
        state,
        actor,
        scope,
        last: None,
        computed_at: None,
    };
    Ok(async_graphql::futures_util::stream::unfold(
        watch,
        DashboardWatch::next,
    ))
}

/// The state of one dashboard subscription.
struct DashboardWatch {
    state: AppState,
    actor: Actor,
    scope: DivisionCode,
    /// The read model's position; changes wake the stream. `None` once the follower stopped.
    positions: watch::Receiver<Option<LogPosition>>,
    /// The figures last sent.
    last: Option<Dashboard>,
    /// When the figures were last computed: the next computation waits out [`DEBOUNCE`].
    computed_at: Option<Instant>,
}

impl DashboardWatch {
    async fn next(mut self) -> Option<(DashboardUpdate, Self)> {
        loop {
            if self.last.is_some() {
                self.wait_for_change().await?;
            }
            if !still_allowed(&self.state, &self.actor).await {
                return None;
            }
            self.computed_at = Some(Instant::now());
            let (position, today, figures) = self.figures()?;
            if self.last.as_ref() == Some(&figures) {
                continue;
            }
            let (from, to) = year_of(today);
            let update = DashboardUpdate {
                position: position.to_string(),
                division: self.scope.as_str().to_owned(),
                from,
                to,
                today,
                period: figures.period.clone().into(),
                now: figures.now.clone().into(),
            };
            self.last = Some(figures);
            return Some((update, self));
        }
    }

    /// Waits for the read model to move, then out the rest of the debounce interval. `None`
    /// at shutdown or when the follower stopped.
    async fn wait_for_change(&mut self) -> Option<()> {
        let shutdown = self.state.shutdown.clone();
        tokio::select! {
            () = shutdown.cancelled() => return None,
            changed = self.positions.changed() => changed.ok()?,
        }
        if let Some(computed_at) = self.computed_at {
            tokio::select! {
                () = shutdown.cancelled() => return None,
                () = tokio::time::sleep_until(computed_at + DEBOUNCE) => {}
            }
        }
        // Changes during the pause are part of this update.
        self.positions.borrow_and_update();
        Some(())
    }

    /// The figures of the current year now, with the position and day they are for.
    fn figures(&self) -> Option<(LogPosition, NaiveDate, Dashboard)> {
        let today = china_date(self.state.clock.now());
        let (from, to) = year_of(today);
        let query = DashboardQuery {
            from,
            to,
            today,
            division: Some(self.scope.clone()),
            group_by: None,
            monthly: false,
        };
        let computed = self
            .state
            .read
            .read(|m| m.dashboard(&query).map(|d| (m.position(), d)));
        match computed {
            Ok((position, figures)) => Some((position, today, figures)),
            Err(error) => {
                tracing::error!(%error, "the dashboard subscription could not compute its figures");
                None
            }
        }
    }
}

/// 1 January and 31 December of `day`'s year.
fn year_of(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let end = NaiveDate::from_ymd_opt(day.year(), 12, 31).unwrap_or(day);
    (start_of_year(day), end)
}
