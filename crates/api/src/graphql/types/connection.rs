//! Relay-style connections: edges with opaque cursors, `pageInfo`, and a default and maximum
//! page size (the read model's for cases, ours for the audit history).
//!
//! The read model pages cases by (sort key, id) and hands out the cursor after the last case
//! of a page only. Relay gives every edge a cursor, so [`case_cursor`] builds the same cursor
//! for any case of the page; the last edge takes the read model's own, and a test pages on from
//! a middle edge to prove the two agree (see the report on the read model: a cursor per item
//! in `Page` would remove this copy of its format).

use async_graphql::SimpleObject;
use guanjia_read::{CaseSummary, Page, SortBy};
use serde::Serialize;

use super::case::Case;

/// Where a page stands in the whole list.
#[derive(SimpleObject, Debug, Clone, Default, PartialEq, Eq)]
pub struct PageInfo {
    pub has_next_page: bool,
    /// True when the page was asked for `after` a cursor.
    pub has_previous_page: bool,
    pub start_cursor: Option<String>,
    /// Pass as `after` for the next page.
    pub end_cursor: Option<String>,
}

/// A page of cases.
#[derive(SimpleObject)]
pub struct CaseConnection {
    pub edges: Vec<CaseEdge>,
    pub page_info: PageInfo,
    /// Cases matching in all pages together.
    pub total_count: u64,
}

/// A case and its cursor.
#[derive(SimpleObject)]
pub struct CaseEdge {
    pub cursor: String,
    pub node: Case,
}

/// The cursor format of the read model (search/cursor.rs): hex of this JSON.
#[derive(Serialize)]
struct CursorData<'a> {
    sort: SortBy,
    descending: bool,
    key: String,
    id: &'a str,
}

/// The cursor that continues a list after `case` in the order `(sort, descending)`.
pub fn case_cursor(sort: SortBy, descending: bool, case: &CaseSummary) -> String {
    let key = match sort {
        SortBy::CaseNumber => case.case_number.to_string(),
        SortBy::RegisteredOn => case.registered_on.format("%Y-%m-%d").to_string(),
        SortBy::Name => case.name.clone(),
    };
    let data = CursorData {
        sort,
        descending,
        key,
        id: &case.id,
    };
    let json = serde_json::to_vec(&data).unwrap_or_default();
    json.iter().map(|b| format!("{b:02x}")).collect()
}

impl CaseConnection {
    /// The connection of one page of the read model's search.
    pub fn new(page: Page<CaseSummary>, sort: SortBy, descending: bool, after: bool) -> Self {
        let count = page.items.len();
        let edges: Vec<CaseEdge> = page
            .items
            .into_iter()
            .enumerate()
            .map(|(index, summary)| {
                let cursor = match (&page.next_cursor, index + 1 == count) {
                    (Some(next), true) => next.clone(),
                    _ => case_cursor(sort, descending, &summary),
                };
                CaseEdge {
                    cursor,
                    node: Case::new(summary),
                }
            })
            .collect();
        let page_info = PageInfo {
            has_next_page: page.next_cursor.is_some(),
            has_previous_page: after,
            start_cursor: edges.first().map(|e| e.cursor.clone()),
            end_cursor: edges.last().map(|e| e.cursor.clone()),
        };
        Self {
            edges,
            page_info,
            total_count: u64::try_from(page.total).unwrap_or(u64::MAX),
        }
    }

    /// No cases (a filter outside the caller's scope).
    pub fn empty(after: bool) -> Self {
        Self {
            edges: Vec::new(),
            page_info: PageInfo {
                has_previous_page: after,
                ..PageInfo::default()
            },
            total_count: 0,
        }
    }
}
