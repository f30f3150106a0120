//! Closed periods (封账) over GraphQL: a leader closes a reported period of a division and
//! approves one entry of a case dated inside a closed period; leaders and auditors read the
//! closed periods of a division and of the divisions above it. Thin translations onto the
//! application layer (`guanjia_app::periods`), where the rules live.

use async_graphql::{Context, Object, SimpleObject, ID};
use chrono::NaiveDate;
use guanjia_domain::periods::ReportingPeriods;
use guanjia_store::Committed;

use super::catalog::CommandResult;
use super::context::{actor, command_context, state};
use crate::error::ApiError;

/// The periods mutations.
#[derive(Default)]
pub struct PeriodMutation;

#[Object]
impl PeriodMutation {
    /// Closes (封账) `period` — `2023`, `2023-Q4` or `2023-05` — for `division`, once its
    /// figures are reported: leaders whose subtree holds the division. The period must be
    /// over and not closed already. From then on a step of a case in the division (or below
    /// it) dated inside the period is refused with `PERIOD_CLOSED` unless a leader approves it
    /// (`approveClosedPeriodEntry`), and the dashboard shows the period "as reported" beside
    /// "now".
    async fn close_period(
        &self,
        ctx: &Context<'_>,
        division: String,
        period: String,
        client_key: Option<String>,
    ) -> Result<CommandResult, ApiError> {
        let actor = actor(ctx)?;
        let context = command_context(ctx, actor, client_key)?;
        let app = &state(ctx)?.app;
        let committed = app.close_period(actor, &division, &period, context).await?;
        answer(ctx, committed).await
    }

    /// Approves one entry of the case `caseId` dated inside `period`, closed for `division`:
    /// leaders whose subtree holds the division, for a case in it, with a `reason` (required,
    /// at most 4,000 characters). The team then records the step as usual; the case records
    /// that this approval let it in (`ClosedPeriodEntryApproved`), and the approval lets in
    /// nothing else. When several divisions closed the period, the approval must come from
    /// the outermost (the county's before the town's).
    async fn approve_closed_period_entry(
        &self,
        ctx: &Context<'_>,
        division: String,
        period: String,
        case_id: ID,
        reason: String,
        client_key: Option<String>,
    ) -> Result<CommandResult, ApiError> {
        let actor = actor(ctx)?;
        let context = command_context(ctx, actor, client_key)?;
        let app = &state(ctx)?.app;
        let committed = app
            .approve_closed_period_entry(actor, &division, &period, &case_id, &reason, context)
            .await?;
        answer(ctx, committed).await
    }
}

async fn answer(ctx: &Context<'_>, committed: Committed) -> Result<CommandResult, ApiError> {
    let state = state(ctx)?;
    let waited = state
        .read
        .wait_for(committed.position, state.limits.read_wait)
        .await;
    Ok(CommandResult::new(committed, waited.is_ok()))
}

/// The periods queries.
#[derive(Default)]
pub struct PeriodQuery;

#[Object]
impl PeriodQuery {
    /// The closed periods of `division` and of each division above it (outermost first), with
    /// the approvals of entries inside them: leaders and auditors whose scope holds the
    /// division or lies inside it. Read from the log itself, as the check reads them.
    async fn closed_periods(
        &self,
        ctx: &Context<'_>,
        division: String,
    ) -> Result<Vec<ClosedPeriod>, ApiError> {
        let actor = actor(ctx)?;
        let books = state(ctx)?.app.reporting_periods(actor, &division).await?;
        Ok(books
            .into_iter()
            .flat_map(|(code, book)| closed_periods(code.as_str(), &book))
            .collect())
    }
}

/// A period closed (封账) for a division.
#[derive(SimpleObject)]
pub struct ClosedPeriod {
    pub division: String,
    /// `2023`, `2023-Q4` or `2023-05`.
    pub period: String,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub closed_on: NaiveDate,
    pub closed_by: String,
    /// The approvals of entries dated inside the period, in order.
    pub approvals: Vec<EntryApproval>,
}

/// A leader's approval of one entry of one case dated inside a closed period.
#[derive(SimpleObject)]
pub struct EntryApproval {
    /// Numbered within the division.
    pub approval_no: u32,
    /// The period the approval is for (inside the closed one).
    pub period: String,
    pub case_id: ID,
    pub approved_by: String,
    pub reason: String,
    pub granted_on: NaiveDate,
}

fn closed_periods(division: &str, book: &ReportingPeriods) -> Vec<ClosedPeriod> {
    book.closed
        .iter()
        .map(|(period, closure)| ClosedPeriod {
            division: division.to_owned(),
            period: period.to_string(),
            first_day: period.first_day(),
            last_day: period.last_day(),
            closed_on: closure.closed_on,
            closed_by: closure.closed_by.clone(),
            approvals: book
                .approvals
                .iter()
                .filter(|a| period.covers(a.period))
                .map(|a| EntryApproval {
                    approval_no: a.approval_no,
                    period: a.period.to_string(),
                    case_id: ID(a.case_id.clone()),
                    approved_by: a.approved_by.clone(),
                    reason: a.reason.clone(),
                    granted_on: a.granted_on,
                })
                .collect(),
        })
        .collect()
}
