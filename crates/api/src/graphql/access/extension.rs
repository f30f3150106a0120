//! The async-graphql extension that records a request's reads of personal data after the
//! operation ran and before its response is released (see the parent module).
//!
//! It hooks `execute`, which wraps every query and mutation on both transports (HTTP and
//! queries sent over the WebSocket), and `resolve`, for top-level fields only: to know the real
//! name behind an alias, so that `purpose` says `case`, not whatever a client called it.
//! Subscriptions show no personal data and are left alone.

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextResolve, ResolveInfo,
};
use async_graphql::{Data, QueryPathSegment, Response, ServerResult, Value};
use guanjia_domain::access::{AccessCommand, AccessLog, CaseRead};
use guanjia_domain::case::CaseServices;
use guanjia_domain::values::text::LIST_MAX;
use guanjia_store::{CommandContext, StoreError};

use super::AccessReads;
use crate::error::ApiError;
use crate::graphql::context::{event_metadata, RequestContext};
use crate::state::AppState;

/// Records unmasked reads of personal data in the access log, failing closed.
#[derive(Debug, Default, Clone, Copy)]
pub struct AccessLogging;

impl ExtensionFactory for AccessLogging {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(PerRequest::default())
    }
}

/// One per request: async-graphql creates the extensions anew for every request.
#[derive(Default)]
struct PerRequest {
    reads: Arc<AccessReads>,
}

#[async_graphql::async_trait::async_trait]
impl Extension for PerRequest {
    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let mut data = Data::default();
        data.insert(self.reads.clone());
        let response = next.run_with_data(ctx, operation_name, data).await;
        let reads = self.reads.take();
        // Nothing unmasked, or nothing shown at all (an error nulled the whole answer).
        if reads.is_empty() || response.data == Value::Null {
            return response;
        }
        match record(ctx, reads).await {
            Ok(()) => response,
            Err(error) => {
                tracing::error!(%error, "unmasked personal data withheld: its reading could not be recorded");
                Response::from_errors(vec![ApiError::AccessNotRecorded.into_server_error()])
            }
        }
    }

    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        if info.path_node.parent.is_none() {
            if let QueryPathSegment::Name(key) = info.path_node.segment {
                self.reads.root(key, info.name);
            }
        }
        next.run(ctx, info).await
    }
}

/// Appends the reads to a new access-log stream of this request (`<username>/<uuid>`), up to
/// [`LIST_MAX`] cases per append. A stream per request, not per reader: concurrent requests of
/// one reader never contend for one stream's optimistic lock, so recording a read never
/// conflicts, never waits for another, and never withholds an answer for its bookkeeping.
async fn record(ctx: &ExtensionContext<'_>, reads: Vec<CaseRead>) -> Result<(), String> {
    let state = ctx.data::<AppState>().map_err(|e| e.message)?;
    let request = ctx.data::<RequestContext>().map_err(|e| e.message)?;
    // Only a signed-in actor is ever shown unmasked data.
    let actor = request.auth.actor().map_err(|e| e.to_string())?;
    let context = CommandContext::new(event_metadata(request, actor));
    let services = CaseServices {
        clock: state.clock.clone(),
        late_entries: state.late_entries.clone(),
    };
    let stream = format!("{}/{}", actor.username, uuid::Uuid::now_v7());
    for chunk in reads.chunks(LIST_MAX) {
        let command = AccessCommand::RecordReads {
            reads: chunk.to_vec(),
        };
        state
            .store
            .execute::<AccessLog>(&stream, command, &services, context.clone())
            .await
            .map_err(|error: StoreError| match error.detail() {
                Some(detail) => format!("{error}: {detail}"),
                None => error.to_string(),
            })?;
    }
    Ok(())
}
