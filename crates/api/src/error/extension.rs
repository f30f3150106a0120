//! The async-graphql extension that gives every error of every response its `extensions.code`.
//!
//! Errors come from three stages and each stage is tagged where it happens: the query text did
//! not parse (`GRAPHQL_PARSE_FAILED`), the query does not fit the schema or breaks the depth
//! and complexity limits (`GRAPHQL_VALIDATION_FAILED`), or a resolver failed. A resolver error
//! carries its [`ApiError`] as source and gets that error's mapping; one without (an argument
//! of the wrong type or out of range, coerced by async-graphql before the resolver runs) is a
//! client mistake: `BAD_USER_INPUT`.

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextRequest, NextSubscribe,
    NextValidation,
};
use async_graphql::futures_util::stream::{BoxStream, StreamExt};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{Response, ServerError, ServerResult, ValidationResult, Variables};

use super::{ApiError, ErrorCode};

/// Adds `extensions.code` to every error (see the module documentation).
#[derive(Debug, Default, Clone, Copy)]
pub struct ErrorCodes;

impl ExtensionFactory for ErrorCodes {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorCodes)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for ErrorCodes {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut response = next.run(ctx).await;
        response.errors.iter_mut().for_each(classify);
        response
    }

    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, Response>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, Response> {
        next.run(ctx, stream)
            .map(|mut response| {
                response.errors.iter_mut().for_each(classify);
                response
            })
            .boxed()
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        next.run(ctx, query, variables).await.map_err(|mut error| {
            tag(&mut error, ErrorCode::GraphqlParseFailed);
            error
        })
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        next.run(ctx).await.map_err(|mut errors| {
            for error in &mut errors {
                tag(error, ErrorCode::GraphqlValidationFailed);
            }
            errors
        })
    }
}

/// Gives one error its code: from its `ApiError` source, else `BAD_USER_INPUT` unless an
/// earlier stage already tagged it.
fn classify(error: &mut ServerError) {
    if let Some(api) = error.source::<ApiError>() {
        error.extensions = Some(api.extensions());
        return;
    }
    let tagged = error
        .extensions
        .as_ref()
        .is_some_and(|extensions| extensions.get("code").is_some());
    if !tagged {
        tag(error, ErrorCode::BadUserInput);
    }
}

fn tag(error: &mut ServerError, code: ErrorCode) {
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("code", code.as_str());
}
