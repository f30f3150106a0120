//! The async-graphql extension that gives every error of every response its `extensions.code`.
//!
//! Errors come from three stages and each stage is tagged where it happens: the query text did
//! not parse (`GRAPHQL_PARSE_FAILED`), the query does not fit the schema or breaks the depth
//! and complexity limits (`GRAPHQL_VALIDATION_FAILED`), or a resolver failed. A resolver error
//! carries its [`ApiError`] as source and gets that error's mapping; one without (an argument
//! of the wrong type or out of range, coerced by async-graphql before the resolver runs) is a
//! client mistake: `BAD_USER_INPUT`, with the field and rule `input.rs` finds for it in the
//! request. Validation errors about an argument's value get its `field` and `rule` too.

use std::sync::{Arc, Mutex};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextRequest, NextSubscribe,
    NextValidation,
};
use async_graphql::futures_util::stream::{BoxStream, StreamExt};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::registry::Registry;
use async_graphql::{Response, ServerError, ServerResult, ValidationResult, Variables};

use super::input::{self, Parsed};
use super::{ApiError, ErrorCode};

/// Adds `extensions.code` to every error (see the module documentation).
#[derive(Debug, Default, Clone, Copy)]
pub struct ErrorCodes;

impl ExtensionFactory for ErrorCodes {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(PerRequest::default())
    }
}

/// The extension of one request: it keeps the parsed request, in which an argument-coercion
/// error's position is looked up (`input.rs`).
#[derive(Default)]
struct PerRequest {
    parsed: Mutex<Option<Arc<Parsed>>>,
}

impl PerRequest {
    fn classify_all(&self, ctx: &ExtensionContext<'_>, response: &mut Response) {
        let parsed = self.parsed.lock().ok().and_then(|parsed| parsed.clone());
        let registry = &ctx.schema_env.registry;
        for error in &mut response.errors {
            classify(error, parsed.as_deref().map(|parsed| (parsed, registry)));
        }
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for PerRequest {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut response = next.run(ctx).await;
        self.classify_all(ctx, &mut response);
        response
    }

    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, Response>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, Response> {
        // A subscription's stream outlives this context (and its registry): its errors get
        // their codes, without the input field of a coercion error.
        next.run(ctx, stream)
            .map(|mut response| {
                for error in &mut response.errors {
                    classify(error, None);
                }
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
        match next.run(ctx, query, variables).await {
            Ok(document) => {
                if let Ok(mut parsed) = self.parsed.lock() {
                    *parsed = Some(Arc::new(Parsed {
                        document: document.clone(),
                        variables: variables.clone(),
                    }));
                }
                Ok(document)
            }
            Err(mut error) => {
                tag(&mut error, ErrorCode::GraphqlParseFailed);
                Err(error)
            }
        }
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        next.run(ctx).await.map_err(|mut errors| {
            for error in &mut errors {
                tag(error, ErrorCode::GraphqlValidationFailed);
                // A value that does not fit its argument's type: name the field as well.
                if let Some((field, rule)) = input::validation_field(&error.message) {
                    let extensions = error.extensions.get_or_insert_with(Default::default);
                    extensions.set("field", field);
                    extensions.set("rule", rule);
                }
            }
            errors
        })
    }
}

/// Gives one error its code: from its `ApiError` source; else, for an argument async-graphql
/// could not coerce, from the input error it stands for (`input.rs`: field and rule); else
/// `BAD_USER_INPUT` unless an earlier stage already tagged it.
fn classify(error: &mut ServerError, request: Option<(&Parsed, &Registry)>) {
    if let Some(api) = error.source::<ApiError>() {
        error.extensions = Some(api.extensions());
        return;
    }
    let tagged = error
        .extensions
        .as_ref()
        .is_some_and(|extensions| extensions.get("code").is_some());
    if tagged {
        return;
    }
    match request.and_then(|(parsed, registry)| input::locate(error, parsed, registry)) {
        Some(located) => {
            error.message = located.to_string();
            error.extensions = Some(located.extensions());
        }
        None => tag(error, ErrorCode::BadUserInput),
    }
}

fn tag(error: &mut ServerError, code: ErrorCode) {
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("code", code.as_str());
}
