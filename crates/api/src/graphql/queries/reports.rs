//! The views over many cases: a steward's workload and the leadership dashboard.
//!
//! A workload is one's own (stewards) or, for a leader, anyone's in their subtree; its entries
//! are cut to the cases the viewer may read. The dashboard is the leaders': its division is the
//! one asked for cut to the leader's scope, and one that lies outside it is `FORBIDDEN` rather
//! than a dashboard of zeros, which would read as "nothing happened there".

use std::collections::HashSet;

use async_graphql::{Context, Object};
use chrono::{Datelike, NaiveDate};
use guanjia_read::workload::DEFAULT_HORIZON_DAYS;
use guanjia_read::{DashboardQuery, WorkloadQuery};

use super::count;
use crate::auth::authz;
use crate::error::ApiError;
use crate::graphql::context::{actor, read, state, today, username};
use crate::graphql::enums::GroupBy;
use crate::graphql::types::dashboard::{Dashboard, DashboardScope};
use crate::graphql::types::workload::Workload;

/// Most working days a workload looks ahead.
pub const MAX_HORIZON_DAYS: u32 = 60;
/// Most users one workload covers (a team).
pub const MAX_WORKLOAD_USERS: usize = 50;
/// Longest dashboard period, in days (ten years).
pub const MAX_PERIOD_DAYS: i64 = 3660;

/// Workload and dashboard.
#[derive(Default)]
pub struct ReportQueries;

#[Object]
impl ReportQueries {
    /// What needs doing for `users` (default: the signed-in user), as of today: open cases,
    /// items due within `horizonDays` working days (default 5) and overdue, upcoming visits,
    /// bad ratings awaiting call-back or rectification, open complaints assigned to them.
    async fn workload(
        &self,
        ctx: &Context<'_>,
        users: Option<Vec<String>>,
        horizon_days: Option<i32>,
    ) -> Result<Workload, ApiError> {
        let actor = actor(ctx)?;
        let horizon = match horizon_days {
            Some(days) => count("horizonDays", days, MAX_HORIZON_DAYS)?,
            None => DEFAULT_HORIZON_DAYS,
        };
        let asked = users.unwrap_or_else(|| vec![actor.username.to_string()]);
        if asked.is_empty() || asked.len() > MAX_WORKLOAD_USERS {
            return Err(ApiError::bad_input(
                "users",
                "length",
                format!("name 1 to {MAX_WORKLOAD_USERS} users"),
            ));
        }
        let directory = state(ctx)?.auth.directory();
        let mut names = Vec::with_capacity(asked.len());
        for user in &asked {
            let name = username("users", user)?;
            let account = directory.get(name.as_str());
            let division = account.as_ref().map(|a| &a.division);
            if !authz::can_view_workload(actor, name.as_str(), division) {
                return Err(ApiError::Forbidden(format!(
                    "a {} may not see the workload of {name}",
                    actor.role
                )));
            }
            if account.is_none() {
                return Err(ApiError::NotFound {
                    what: format!("user {name}"),
                });
            }
            if !names.contains(&name.to_string()) {
                names.push(name.to_string());
            }
        }
        let today = today(ctx)?;
        let query = WorkloadQuery {
            users: names.clone(),
            today,
            horizon_days: horizon,
        };
        let (work, visible) = read(ctx)?.read(|m| {
            let work = m.workload(&query);
            let visible: HashSet<String> = case_ids(&work)
                .filter(|id| {
                    m.case_by_id(id)
                        .is_some_and(|c| authz::can_read_case(actor, &c.division))
                })
                .map(str::to_owned)
                .collect();
            (work, visible)
        });
        Ok(Workload::new(work, names, today, horizon, |id| {
            visible.contains(id)
        }))
    }

    /// The leadership KPIs (docs/kpis.md) for the period `from`–`to` (default: this year up
    /// to today) in `division` (default: the leader's whole scope), optionally grouped and,
    /// with `monthly: true`, month by month. Leaders only.
    async fn dashboard(
        &self,
        ctx: &Context<'_>,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        division: Option<String>,
        group_by: Option<GroupBy>,
        monthly: Option<bool>,
    ) -> Result<Dashboard, ApiError> {
        let actor = actor(ctx)?;
        authz::may_view_dashboard(actor)?;
        let requested = division
            .as_deref()
            .map(|d| super::division("division", d))
            .transpose()?;
        let Some(scope) = authz::read_scope(actor, requested.as_ref())? else {
            return Err(ApiError::Forbidden(
                "the division lies outside your scope".to_owned(),
            ));
        };
        let today = today(ctx)?;
        let from = from.unwrap_or_else(|| start_of_year(today));
        let to = to.unwrap_or(today);
        if (to - from).num_days() > MAX_PERIOD_DAYS {
            return Err(ApiError::bad_input(
                "to",
                "out_of_range",
                format!("a period may cover at most {MAX_PERIOD_DAYS} days"),
            ));
        }
        let query = DashboardQuery {
            from,
            to,
            today,
            division: Some(scope.clone()),
            group_by: group_by.map(Into::into),
            monthly: monthly.unwrap_or(false),
        };
        let (figures, burden, reported) = read(ctx)?.read(|m| {
            m.dashboard(&query).map(|d| {
                let reported = m.reported_periods(&scope, Some((from, to)), today);
                (d, m.burden_reduction(), reported)
            })
        })?;
        let scope = DashboardScope {
            from,
            to,
            division: scope.as_str().to_owned(),
            today,
            group_by,
        };
        Ok(Dashboard::new(scope, figures, burden, reported))
    }
}

/// 1 January of `day`'s year.
pub(crate) fn start_of_year(day: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(day.year(), 1, 1).unwrap_or(day)
}

/// Every case id a workload names.
fn case_ids(work: &guanjia_read::Workload) -> impl Iterator<Item = &str> {
    let cases = work.open_cases.iter().map(|c| c.id.as_str());
    let items = work
        .items_due_soon
        .iter()
        .chain(&work.overdue_items)
        .map(|i| i.case.case_id.as_str());
    let visits = work.upcoming_visits.iter().map(|v| v.case.case_id.as_str());
    let ratings = work
        .awaiting_call_back
        .iter()
        .chain(&work.awaiting_rectification)
        .map(|r| r.case.case_id.as_str());
    let complaints = work.open_complaints.iter().map(|c| c.case.case_id.as_str());
    cases
        .chain(items)
        .chain(visits)
        .chain(ratings)
        .chain(complaints)
}
