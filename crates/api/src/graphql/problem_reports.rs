//! The receiving division's queue of 办不成事 reports from the public, and the staff's steps on
//! them (assign, refer, answer with a leader's sign-off). The rules are the application
//! layer's (`guanjia_app::reports`); the reporter's phone is masked in the queue, and shown
//! whole only by `problemReportPhone`, a deliberate reveal recorded in the access log.

use async_graphql::{Context, Enum, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use guanjia_app::reports::can_read_reports;
use guanjia_domain::report::{ReportStatus, ReportSubject};
use guanjia_read::reports::ReportView;

use super::context::{actor, command_context, read, state};
use super::queries::{position, wait_for_client};
use crate::error::ApiError;

/// Where a report stands.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum ProblemReportStatus {
    /// 已受理: received, not yet assigned.
    Lodged,
    /// 办理中.
    Assigned,
    /// 已答复 (signed off by a leader).
    Resolved,
    /// 已转办.
    Referred,
}

impl From<ReportStatus> for ProblemReportStatus {
    fn from(status: ReportStatus) -> Self {
        match status {
            ReportStatus::None | ReportStatus::Lodged => Self::Lodged,
            ReportStatus::Assigned => Self::Assigned,
            ReportStatus::Resolved => Self::Resolved,
            ReportStatus::Referred => Self::Referred,
        }
    }
}

/// A 办不成事 report from the public.
#[derive(SimpleObject)]
pub struct ProblemReport {
    pub tracking_code: String,
    pub division: String,
    /// The catalog item's implementation code, when the report names one.
    pub item_code: Option<String>,
    /// The item's or the department's name.
    pub about: String,
    /// What happened, as the reporter wrote it.
    pub account: String,
    /// The reporter's phone, always masked (`137****1111`).
    pub phone: Option<String>,
    pub reported_at: DateTime<Utc>,
    pub status: ProblemReportStatus,
    pub assignee: Option<String>,
    pub answer: Option<String>,
    pub resolved_on: Option<NaiveDate>,
    /// The leader who signed the answer off.
    pub signed_off_by: Option<String>,
    pub referred_to: Option<String>,
}

impl From<ReportView> for ProblemReport {
    fn from(r: ReportView) -> Self {
        let (item_code, about) = match r.subject {
            ReportSubject::Item { code, name } => (Some(code), name),
            ReportSubject::Department { name } => (None, name),
        };
        Self {
            tracking_code: r.tracking_code,
            division: r.division.to_string(),
            item_code,
            about,
            account: r.account,
            phone: r.phone.map(|p| p.masked()),
            reported_at: r.reported_at,
            status: r.status.into(),
            assignee: r.assignee,
            answer: r.answer,
            resolved_on: r.resolved_on,
            signed_off_by: r.signed_off_by,
            referred_to: r.referred_to,
        }
    }
}

/// The queue.
#[derive(Default)]
pub struct ProblemReportQuery;

#[Object]
impl ProblemReportQuery {
    /// The 办不成事 reports received by the divisions in the caller's scope, newest first
    /// (stewards, leaders and auditors). `atLeast` waits for a position as `case` does.
    async fn problem_reports(
        &self,
        ctx: &Context<'_>,
        at_least: Option<String>,
    ) -> Result<Vec<ProblemReport>, ApiError> {
        let actor = actor(ctx)?;
        if let Some(wanted) = at_least.as_deref() {
            let wanted = position("atLeast", wanted)?;
            wait_for_client(state(ctx)?, "atLeast", wanted).await?;
        }
        let rows = read(ctx)?.read(|m| m.problem_reports(&actor.division));
        Ok(rows
            .into_iter()
            .filter(|r| can_read_reports(actor, &r.division))
            .map(ProblemReport::from)
            .collect())
    }

    /// The reporter's phone of one report, unmasked: a deliberate reveal (to call the reporter
    /// back) for those who may read the report, recorded in the access log (`case_id` is the
    /// tracking code, the field `reporter.phone`) before the answer leaves. Unknown and
    /// out-of-scope codes are `NOT_FOUND`.
    async fn problem_report_phone(
        &self,
        ctx: &Context<'_>,
        tracking_code: String,
    ) -> Result<String, ApiError> {
        let actor = actor(ctx)?;
        let phone = state(ctx)?.app.report_phone(actor, &tracking_code).await?;
        let code = guanjia_app::reports::normalise_code(&tracking_code)?;
        crate::graphql::access::note(ctx, &code, &["reporter.phone".to_owned()])?;
        Ok(phone)
    }
}

/// The log position of a step on a report.
#[derive(SimpleObject)]
pub struct ProblemReportResult {
    pub position: String,
}

/// The staff's steps.
#[derive(Default)]
pub struct ProblemReportMutation;

#[Object]
impl ProblemReportMutation {
    /// Assigns a report to a member of staff (stewards and leaders of the receiving division).
    async fn assign_problem_report(
        &self,
        ctx: &Context<'_>,
        tracking_code: String,
        assignee: String,
        client_key: Option<String>,
    ) -> Result<ProblemReportResult, ApiError> {
        let actor = actor(ctx)?;
        let context = command_context(ctx, actor, client_key)?;
        let done = state(ctx)?
            .app
            .assign_report(actor, &tracking_code, assignee, context)
            .await?;
        Ok(ProblemReportResult {
            position: done.position.to_string(),
        })
    }

    /// Answers an assigned report. With `complaint_sign_off` (the default) only a leader of
    /// the receiving division may, and is recorded as the signer; others are `FORBIDDEN`.
    async fn resolve_problem_report(
        &self,
        ctx: &Context<'_>,
        tracking_code: String,
        answer: String,
        client_key: Option<String>,
    ) -> Result<ProblemReportResult, ApiError> {
        let actor = actor(ctx)?;
        let context = command_context(ctx, actor, client_key)?;
        let done = state(ctx)?
            .app
            .resolve_report(actor, &tracking_code, answer, context)
            .await?;
        Ok(ProblemReportResult {
            position: done.position.to_string(),
        })
    }

    /// Refers a report to the department whose matter it is.
    async fn refer_problem_report(
        &self,
        ctx: &Context<'_>,
        tracking_code: String,
        to_department: String,
        reason: String,
        client_key: Option<String>,
    ) -> Result<ProblemReportResult, ApiError> {
        let actor = actor(ctx)?;
        let context = command_context(ctx, actor, client_key)?;
        let done = state(ctx)?
            .app
            .refer_report(actor, &tracking_code, to_department, reason, context)
            .await?;
        Ok(ProblemReportResult {
            position: done.position.to_string(),
        })
    }
}
