//! The `Case` type: a case as listed (its summary) and, on demand, everything about it.
//!
//! A `Case` is built from the read model's `CaseSummary` by every query that finds cases, so a
//! list of 100 cases costs 100 summaries. The detail (team, plan, items, ratings, timeline, …)
//! is read from the read model the first time one of its fields is asked for, once per `Case`,
//! for today's date. Whether the viewer sees personal data is decided at that moment, by
//! `authz::can_see_personal_data` against the case's current team; the fields that then show
//! it unmasked note the read for the access log (`graphql::access`).
//!
//! Callers build a `Case` only for a case the viewer may read (`authz::authorize_case_read`).

use std::sync::OnceLock;

use async_graphql::{Context, Object, SimpleObject, ID};
use chrono::NaiveDate;
use guanjia_read::{CaseDetail, CaseSummary, DetailParts, NoteWindow};

use super::detail::{
    Agreement, Enterprise, LifecycleStep, Note, Project, StageChange, TimelineEntry,
};
use super::items::ServiceItem;
use super::team::{PlanVersion, Team};
use super::visits::{Complaint, Rating, Visit};
use crate::auth::{authz, Actor};
use crate::error::ApiError;
use crate::graphql::access::{self, fields};
use crate::graphql::context::{actor, read, today};
use crate::graphql::enums::{CaseState, LeadSource, Stage};
use crate::graphql::queries::window;

/// The most notes one `notes(last:)` returns.
const MAX_NOTES_WINDOW: usize = 500;

/// An enterprise case (一企一档).
pub struct Case {
    summary: CaseSummary,
    detail: OnceLock<Option<Loaded>>,
}

/// The detail of a case and what the viewer may do with it.
struct Loaded {
    detail: CaseDetail,
    /// The viewer may see personal data (contacts, raters, complainants).
    personal: bool,
    /// The viewer may do the team's work on the case.
    writable: bool,
}

/// What the signed-in user may do with a case.
#[derive(SimpleObject)]
pub struct CaseAccess {
    /// May work on the case (on the team, in scope).
    pub can_write: bool,
    /// Sees contact, rater and complainant names and phones unmasked.
    pub personal_data_visible: bool,
}

impl Case {
    /// A case found by a query.
    pub fn new(summary: CaseSummary) -> Self {
        Self {
            summary,
            detail: OnceLock::new(),
        }
    }

    /// The case's id.
    pub fn case_id(&self) -> &str {
        &self.summary.id
    }

    fn loaded(&self, ctx: &Context<'_>) -> Result<&Loaded, ApiError> {
        if let Some(loaded) = self.detail.get() {
            return loaded
                .as_ref()
                .ok_or_else(|| authz::case_not_found().into());
        }
        let (actor, today) = (actor(ctx)?, today(ctx)?);
        // Without the notes and the timeline: they grow with every entry, and their own fields
        // read them (a page of notes, not all of them under the read lock).
        let detail = read(ctx)?
            .read(|m| m.case_detail_with(&self.summary.id, today, DetailParts::WITHOUT_LISTS));
        let loaded = detail.map(|detail| Loaded::new(detail, actor));
        self.detail
            .get_or_init(|| loaded)
            .as_ref()
            .ok_or_else(|| authz::case_not_found().into())
    }

    fn detail(&self, ctx: &Context<'_>) -> Result<(&CaseDetail, bool), ApiError> {
        self.loaded(ctx).map(|l| (&l.detail, l.personal))
    }
}

impl Loaded {
    fn new(detail: CaseDetail, actor: &Actor) -> Self {
        let team: Vec<&str> = detail
            .team
            .lead_steward
            .iter()
            .chain(&detail.team.members)
            .map(|spell| spell.user_id.as_str())
            .collect();
        let division = &detail.enterprise.division;
        let personal = authz::can_see_personal_data(actor, division, &team);
        let writable = authz::can_write_case(actor, division, &team);
        Self {
            detail,
            personal,
            writable,
        }
    }
}

#[Object]
impl Case {
    async fn id(&self) -> ID {
        ID::from(&self.summary.id)
    }

    /// The human case number, e.g. `2024-0007`.
    async fn case_number(&self) -> String {
        self.summary.case_number.to_string()
    }

    /// The enterprise's current name.
    async fn name(&self) -> &str {
        &self.summary.name
    }

    async fn uscc(&self) -> Option<&str> {
        self.summary.uscc.as_ref().map(|u| u.as_str())
    }

    /// The enterprise's division code: decides who may see the case.
    async fn division(&self) -> &str {
        self.summary.division.as_str()
    }

    async fn state(&self) -> CaseState {
        self.summary.state.into()
    }

    async fn stage(&self) -> Stage {
        self.summary.stage.into()
    }

    /// The current lead steward's username.
    async fn lead_steward(&self) -> Option<&str> {
        self.summary.lead_steward.as_deref()
    }

    async fn registered_on(&self) -> NaiveDate {
        self.summary.registered_on
    }

    /// A current project is a key project.
    async fn key_project(&self) -> bool {
        self.summary.key_project
    }

    /// Service items not yet concluded or rejected.
    async fn open_items(&self) -> u32 {
        self.summary.open_items
    }

    /// What the signed-in user may do with this case.
    async fn access(&self, ctx: &Context<'_>) -> Result<CaseAccess, ApiError> {
        let loaded = self.loaded(ctx)?;
        Ok(CaseAccess {
            can_write: loaded.writable,
            personal_data_visible: loaded.personal,
        })
    }

    /// The case's personal data (contact, raters, complainants) was erased on a lawful
    /// request: those fields are empty; show them as erased (已删除).
    async fn personal_data_erased(&self, ctx: &Context<'_>) -> Result<bool, ApiError> {
        Ok(self.detail(ctx)?.0.personal_data_erased)
    }

    /// The service term: 1, then one more per reopening.
    async fn term(&self, ctx: &Context<'_>) -> Result<u32, ApiError> {
        Ok(self.detail(ctx)?.0.term)
    }

    async fn lead_source(&self, ctx: &Context<'_>) -> Result<LeadSource, ApiError> {
        Ok(self.detail(ctx)?.0.lead_source.into())
    }

    /// The enterprise as it is now, with every correction of its details.
    async fn enterprise(&self, ctx: &Context<'_>) -> Result<Enterprise, ApiError> {
        let (detail, personal) = self.detail(ctx)?;
        if personal {
            let shown = fields::enterprise(&ctx.look_ahead(), detail);
            access::note(ctx, self.case_id(), &shown)?;
        }
        Ok(Enterprise::new(detail, personal))
    }

    /// The signed agreement (代办委托协议).
    async fn agreement(&self, ctx: &Context<'_>) -> Result<Option<Agreement>, ApiError> {
        Ok(self.detail(ctx)?.0.agreement.as_ref().map(Agreement::from))
    }

    /// The team now and everyone who was ever on it.
    async fn team(&self, ctx: &Context<'_>) -> Result<Team, ApiError> {
        Ok(Team::from(&self.detail(ctx)?.0.team))
    }

    /// The current version of the 一企一策 plan.
    async fn plan(&self, ctx: &Context<'_>) -> Result<Option<PlanVersion>, ApiError> {
        Ok(self.detail(ctx)?.0.plan.as_ref().map(PlanVersion::from))
    }

    /// Every plan version, oldest first.
    async fn plan_history(&self, ctx: &Context<'_>) -> Result<Vec<PlanVersion>, ApiError> {
        let plans = &self.detail(ctx)?.0.plan_history;
        Ok(plans.iter().map(PlanVersion::from).collect())
    }

    /// Moves to a later stage (设立 → 建设 → 运营).
    async fn stage_history(&self, ctx: &Context<'_>) -> Result<Vec<StageChange>, ApiError> {
        let stages = &self.detail(ctx)?.0.stage_history;
        Ok(stages.iter().map(Into::into).collect())
    }

    async fn projects(&self, ctx: &Context<'_>) -> Result<Vec<Project>, ApiError> {
        let projects = &self.detail(ctx)?.0.projects;
        Ok(projects.iter().map(Project::from).collect())
    }

    async fn visits(&self, ctx: &Context<'_>) -> Result<Vec<Visit>, ApiError> {
        let visits = &self.detail(ctx)?.0.visits;
        Ok(visits.iter().map(Visit::from).collect())
    }

    /// Service items (办件) with their deadline and status as of today.
    async fn items(&self, ctx: &Context<'_>) -> Result<Vec<ServiceItem>, ApiError> {
        let items = &self.detail(ctx)?.0.items;
        Ok(items.iter().map(ServiceItem::from).collect())
    }

    /// Ratings (好差评), each bad one with its loop.
    async fn ratings(&self, ctx: &Context<'_>) -> Result<Vec<Rating>, ApiError> {
        let (detail, personal) = self.detail(ctx)?;
        if personal {
            let raters = detail.ratings.iter().map(|r| &r.rater);
            let labels = (fields::RATER_NAME, fields::RATER_PHONE);
            let shown = fields::people(&ctx.look_ahead(), "rater", raters, labels);
            access::note(ctx, self.case_id(), &shown)?;
        }
        Ok(detail
            .ratings
            .iter()
            .map(|r| Rating::new(r, personal))
            .collect())
    }

    /// Complaints (办不成事反映).
    async fn complaints(&self, ctx: &Context<'_>) -> Result<Vec<Complaint>, ApiError> {
        let (detail, personal) = self.detail(ctx)?;
        if personal {
            let complainants = detail.complaints.iter().map(|c| &c.complainant);
            let labels = (fields::COMPLAINANT_NAME, fields::COMPLAINANT_PHONE);
            let shown = fields::people(&ctx.look_ahead(), "complainant", complainants, labels);
            access::note(ctx, self.case_id(), &shown)?;
        }
        Ok(detail
            .complaints
            .iter()
            .map(|c| Complaint::new(c, personal))
            .collect())
    }

    /// The case's notes, oldest first: every note, or with `last` the newest `last` of them
    /// (1–500).
    async fn notes(&self, ctx: &Context<'_>, last: Option<i32>) -> Result<Vec<Note>, ApiError> {
        let window = match last {
            None => NoteWindow::All,
            Some(last) => NoteWindow::Newest(window("last", last, MAX_NOTES_WINDOW)?),
        };
        self.loaded(ctx)?;
        let notes = read(ctx)?.read(|m| m.case_notes(self.case_id(), window));
        let (notes, _) = notes.ok_or_else(|| ApiError::from(authz::case_not_found()))?;
        Ok(notes.iter().map(Note::from).collect())
    }

    /// How many notes the case has.
    async fn note_count(&self, ctx: &Context<'_>) -> Result<u32, ApiError> {
        self.loaded(ctx)?;
        let notes = read(ctx)?.read(|m| m.case_notes(self.case_id(), NoteWindow::Newest(0)));
        let (_, count) = notes.ok_or_else(|| ApiError::from(authz::case_not_found()))?;
        Ok(u32::try_from(count).unwrap_or(u32::MAX))
    }

    /// Holds, resumptions, closing and reopenings.
    async fn lifecycle(&self, ctx: &Context<'_>) -> Result<Vec<LifecycleStep>, ApiError> {
        let steps = &self.detail(ctx)?.0.lifecycle;
        Ok(steps.iter().map(LifecycleStep::from).collect())
    }

    /// Every event of the case, in order, with who recorded it and a short summary.
    async fn timeline(&self, ctx: &Context<'_>) -> Result<Vec<TimelineEntry>, ApiError> {
        self.loaded(ctx)?;
        let timeline = read(ctx)?.read(|m| m.timeline(self.case_id()));
        let timeline = timeline.ok_or_else(|| ApiError::from(authz::case_not_found()))?;
        Ok(timeline.iter().map(TimelineEntry::from).collect())
    }
}
