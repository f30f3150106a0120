//! The GraphQL schema: one module per group of types, merged into one query, mutation and
//! subscription root here.
//!
//! - [`context`]: the per-request data and the helpers every resolver uses.
//! - [`access`]: every unmasked read of personal data, recorded in the access log before the
//!   response is released.
//! - [`users`]: sign-in and `me`; [`user_admin`]: user administration, scoped by division.
//! - [`catalog`]: the catalog query (everyone) and its mutations (admin).
//! - [`cases`]: one mutation per case command, grouped like the domain's decision modules;
//!   each returns the changed case read after its own events (read-your-writes).
//! - [`queries`]: the read side — case lookups and search, workload, dashboard, audit
//!   history, past states, the hash chain.
//! - [`types`]: the object types of the read side, one file per group.
//! - [`enums`]: the GraphQL mirrors of the domain's and the read model's enums.
//! - [`input_text`]: every string argument checked for what no text field may hold.
//! - [`subscriptions`]: events of one case, and dashboard changes, live.
//!
//! The schema is built in the library ([`build_schema`]) so that tests run it with
//! `schema.execute()` and no network, and `guanjia schema` prints [`sdl`].

pub mod access;
pub mod cases;
pub mod catalog;
pub mod context;
pub mod enums;
pub mod input_text;
pub mod periods;
pub mod problem_reports;
pub mod progress_links;
pub mod queries;
pub mod rating_link_record;
pub mod rating_links;
pub mod subscriptions;
pub mod types;
pub mod user_admin;
pub mod users;

use std::time::Duration;

use async_graphql::{MergedObject, Request, Response, Schema, SchemaBuilder};

pub use context::RequestContext;

use crate::error::extension::ErrorCodes;
use crate::error::ApiError;
use crate::state::AppState;

/// All queries.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(
    users::UserQuery,
    user_admin::UserAdminQuery,
    queries::cases::CaseQueries,
    queries::reports::ReportQueries,
    queries::audit::AuditQueries,
    catalog::CatalogQuery,
    periods::PeriodQuery,
    problem_reports::ProblemReportQuery,
    progress_links::ProgressLinkQuery,
    rating_link_record::RatingLinkRecordQuery,
);

/// All mutations.
#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct MutationRoot(
    users::UserMutation,
    user_admin::UserAdminMutation,
    catalog::CatalogMutation,
    cases::CaseMutation,
    rating_links::RatingLinkMutation,
    periods::PeriodMutation,
    problem_reports::ProblemReportMutation,
    progress_links::ProgressLinkMutation,
    rating_link_record::RatingLinkRecordMutation,
);

/// The schema type.
pub type GuanjiaSchema = Schema<QueryRoot, MutationRoot, subscriptions::SubscriptionRoot>;

fn builder() -> SchemaBuilder<QueryRoot, MutationRoot, subscriptions::SubscriptionRoot> {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        subscriptions::SubscriptionRoot,
    )
    // First, so that its refusals wrap the parse and keep their own code.
    .extension(input_text::InputText)
    .extension(ErrorCodes)
    .extension(access::AccessLogging)
}

/// The schema with the state every resolver reads and the limits of `state.limits`.
pub fn build_schema(state: AppState) -> GuanjiaSchema {
    let limits = state.limits.clone();
    builder()
        .limit_depth(limits.max_depth)
        .limit_complexity(limits.max_complexity)
        .data(state)
        .finish()
}

/// The schema in SDL, fields and enum values sorted so that the committed `schema.graphql`
/// changes only when the API does.
pub fn sdl() -> String {
    let options = async_graphql::SDLExportOptions::new()
        .sorted_fields()
        .sorted_arguments()
        .sorted_enum_items();
    builder().finish().sdl_with_options(options)
}

/// Runs one request with its context, answering `REQUEST_TIMEOUT` past `timeout`.
///
/// The timeout stops waiting, not the work already handed to the database: a mutation that
/// times out may still commit, which is why the error tells the client to retry with the same
/// `clientKey`.
pub async fn execute(
    schema: &GuanjiaSchema,
    request: Request,
    context: RequestContext,
    timeout: Duration,
) -> Response {
    let request = request.data(context);
    match tokio::time::timeout(timeout, schema.execute(request)).await {
        Ok(response) => response,
        Err(_) => {
            let millis = u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX);
            tracing::warn!(timeout_ms = millis, "request timed out");
            Response::from_errors(vec![ApiError::Timeout { millis }.into_server_error()])
        }
    }
}
