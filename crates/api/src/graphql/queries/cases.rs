//! Finding cases: by id, by case number, by USCC, and the search (filters, sort, cursor
//! paging). Stewards, leaders and auditors read the cases in their division scope; a case
//! outside it answers `NOT_FOUND` (it is not said to exist), and a search only ever looks
//! inside the caller's scope. Admins do not read cases (`FORBIDDEN`).

use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use guanjia_domain::values::CaseNumber;
use guanjia_domain::DomainError;
use guanjia_read::{CaseQuery, CaseSummary, SortBy, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};

use super::{division, page_size, position, uscc, wait_for_client};
use crate::auth::authz;
use crate::error::ApiError;
use crate::graphql::context::{actor, read, state, today};
use crate::graphql::enums::{CaseSortField, CaseState, Stage};
use crate::graphql::types::connection::{case_connection, empty_case_connection, CaseConnection};
use crate::graphql::types::Case;

/// What to search for; every field left out does not restrict.
#[derive(InputObject, Default)]
pub struct CaseFilter {
    /// A substring of the enterprise's current name (Chinese included: "恒口").
    pub name: Option<String>,
    pub case_number: Option<String>,
    pub uscc: Option<String>,
    /// A username: cases where they are the lead steward or a current member.
    pub steward: Option<String>,
    /// With `steward`: only the cases they lead.
    #[graphql(default)]
    pub lead_only: bool,
    /// Cases in this division's scope, cut to the caller's scope.
    pub division: Option<String>,
    pub stage: Option<Stage>,
    pub state: Option<CaseState>,
    /// True: cases not closed; false: closed ones.
    pub open: Option<bool>,
    pub key_project: Option<bool>,
    /// Whether an item is overdue today.
    pub has_overdue_items: Option<bool>,
}

/// The order of the search.
#[derive(InputObject)]
pub struct CaseSort {
    #[graphql(default_with = "CaseSortField::CaseNumber")]
    pub by: CaseSortField,
    #[graphql(default)]
    pub descending: bool,
}

/// The cases of one enterprise that the caller may read.
#[derive(SimpleObject)]
pub struct UsccCases {
    /// The open case, if any (at most one per USCC).
    pub open: Option<Case>,
    /// Every case, in order of registration.
    pub all: Vec<Case>,
}

/// Case lookups and search.
#[derive(Default)]
pub struct CaseQueries;

#[Object]
impl CaseQueries {
    /// One case by id. With `atLeast` (a position from a mutation result), the answer includes
    /// everything up to that position, or is `REQUEST_TIMEOUT` (retryable) if this server has
    /// not read that far yet; a position beyond the end of the log is `BAD_USER_INPUT`.
    async fn case(
        &self,
        ctx: &Context<'_>,
        id: ID,
        at_least: Option<String>,
    ) -> Result<Case, ApiError> {
        let actor = actor(ctx)?;
        authz::may_read_cases(actor)?;
        if let Some(wanted) = at_least.as_deref() {
            let wanted = position("atLeast", wanted)?;
            wait_for_client(state(ctx)?, "atLeast", wanted).await?;
        }
        let summary = read(ctx)?.read(|m| m.case_by_id(id.trim()));
        readable(actor, summary)
    }

    /// One case by its case number, e.g. `2024-0007`.
    async fn case_by_number(&self, ctx: &Context<'_>, number: String) -> Result<Case, ApiError> {
        let actor = actor(ctx)?;
        authz::may_read_cases(actor)?;
        let number = CaseNumber::parse(&number)
            .map_err(|e| ApiError::from(DomainError::invalid("number", e)))?;
        let summary = read(ctx)?.read(|m| m.case_by_number(&number));
        readable(actor, summary)
    }

    /// The cases of an enterprise by its 统一社会信用代码.
    async fn cases_by_uscc(&self, ctx: &Context<'_>, uscc: String) -> Result<UsccCases, ApiError> {
        let actor = actor(ctx)?;
        authz::may_read_cases(actor)?;
        let uscc = super::uscc("uscc", &uscc)?;
        let found = read(ctx)?.read(|m| m.cases_by_uscc(&uscc));
        let visible = |c: &CaseSummary| authz::can_read_case(actor, &c.division);
        Ok(UsccCases {
            open: found.open.filter(visible).map(Case::new),
            all: found
                .all
                .into_iter()
                .filter(visible)
                .map(Case::new)
                .collect(),
        })
    }

    /// The search: cases in the caller's scope matching `filter`, in `sort` order, one page at
    /// a time (`first` defaults to 20, at most 100; `after` is the `endCursor` of the page
    /// before).
    async fn cases(
        &self,
        ctx: &Context<'_>,
        filter: Option<CaseFilter>,
        sort: Option<CaseSort>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<CaseConnection, ApiError> {
        let actor = actor(ctx)?;
        let filter = filter.unwrap_or_default();
        let requested = filter
            .division
            .as_deref()
            .map(|d| division("division", d))
            .transpose()?;
        let continues = after.is_some();
        let Some(scope) = authz::read_scope(actor, requested.as_ref())? else {
            return Ok(empty_case_connection(continues));
        };
        let (sort, descending) =
            sort.map_or((SortBy::CaseNumber, false), |s| (s.by.into(), s.descending));
        let query = CaseQuery {
            name: filter.name.filter(|n| !n.trim().is_empty()),
            case_number: filter
                .case_number
                .as_deref()
                .map(|n| CaseNumber::parse(n).map_err(|e| DomainError::invalid("case_number", e)))
                .transpose()?,
            uscc: filter
                .uscc
                .as_deref()
                .map(|u| uscc("uscc", u))
                .transpose()?,
            steward: filter.steward,
            lead_only: filter.lead_only,
            division: Some(scope),
            stage: filter.stage.map(Into::into),
            state: filter.state.map(Into::into),
            open: filter.open,
            key_project: filter.key_project,
            has_overdue_items: filter.has_overdue_items,
            sort,
            descending,
            first: Some(page_size(first, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)?),
            after,
        };
        let today = today(ctx)?;
        let page = read(ctx)?.read(|m| m.search(&query, today))?;
        Ok(case_connection(page, continues))
    }
}

/// The case if `actor` may read it, else `NOT_FOUND` (also for a case that does not exist).
fn readable(actor: &crate::auth::Actor, summary: Option<CaseSummary>) -> Result<Case, ApiError> {
    let summary = summary.ok_or_else(authz::case_not_found)?;
    authz::authorize_case_read(actor, &summary.division)?;
    Ok(Case::new(summary))
}
