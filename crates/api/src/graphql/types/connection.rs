//! The case search as a Relay connection, built with `async_graphql::connection`: every edge
//! carries the cursor the read model made for its case (`Page::cursors`), so a client may page
//! on from any edge, and the cursor format lives in the read model only
//! (`guanjia_read::search::cursor`). `pageInfo` is async-graphql's own, shared with the audit
//! history.

use async_graphql::connection::{
    Connection, DefaultConnectionName, DefaultEdgeName, DisableNodesField, Edge, EmptyFields,
};
use async_graphql::SimpleObject;
use guanjia_read::{CaseSummary, Page};

use super::case::Case;

/// What a page of cases tells besides its edges.
#[derive(SimpleObject)]
pub struct CaseTotal {
    /// Cases matching in all pages together.
    pub total_count: u64,
}

/// A page of cases (`CaseConnection`, `CaseEdge`).
pub type CaseConnection = Connection<
    String,
    Case,
    CaseTotal,
    EmptyFields,
    DefaultConnectionName,
    DefaultEdgeName,
    DisableNodesField,
>;

/// The connection of one page of the read model's search; `after` says whether the page was
/// asked for after a cursor (`hasPreviousPage`).
pub fn case_connection(page: Page<CaseSummary>, after: bool) -> CaseConnection {
    let mut connection = Connection::with_additional_fields(
        after,
        page.next_cursor.is_some(),
        CaseTotal {
            total_count: u64::try_from(page.total).unwrap_or(u64::MAX),
        },
    );
    connection.edges = page
        .cursors
        .into_iter()
        .zip(page.items)
        .map(|(cursor, summary)| Edge::new(cursor, Case::new(summary)))
        .collect();
    connection
}

/// No cases (a filter outside the caller's scope).
pub fn empty_case_connection(after: bool) -> CaseConnection {
    Connection::with_additional_fields(after, false, CaseTotal { total_count: 0 })
}
