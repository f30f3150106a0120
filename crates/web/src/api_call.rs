//! The pages that act (the audit desk, administration) run the API's own GraphQL operations,
//! in process, as the signed-in person: the same resolvers, so the same authorisation, scope
//! cuts, input checks, access logging of unmasked personal data and events with the request's
//! id — no rule is written twice. What comes back is JSON for the page, or the API's refusal
//! (its `extensions.code`, and the field it names), which the page words in Chinese.

use async_graphql::{Request, Variables};
use guanjia_api::auth::Authentication;
use guanjia_api::graphql::{build_schema, execute, GuanjiaSchema, RequestContext};
use guanjia_api::AppState;
use serde_json::Value;

use crate::session::Session;

/// The schema the pages run operations on (built once, like the server's).
pub(crate) struct Api {
    schema: GuanjiaSchema,
    state: AppState,
}

impl Api {
    pub(crate) fn new(state: AppState) -> Self {
        Self {
            schema: build_schema(state.clone()),
            state,
        }
    }
}

/// What the API refused, as it said it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refused {
    /// `FORBIDDEN`, `NOT_FOUND`, `BAD_USER_INPUT`, `CONFLICT`, …
    pub code: String,
    /// The input field a `BAD_USER_INPUT` names.
    pub field: Option<String>,
    /// The API's own (English) message, for the log.
    pub message: String,
}

impl Api {
    /// Runs `query` with `variables` as `session`'s person, under `request_id`.
    pub(crate) async fn run(
        &self,
        session: &Session,
        request_id: &str,
        query: &str,
        variables: Value,
    ) -> Result<Value, Refused> {
        let context = RequestContext {
            request_id: request_id.to_owned(),
            correlation_id: request_id.to_owned(),
            auth: Authentication::Actor(session.actor.clone()),
        };
        let request = Request::new(query).variables(Variables::from_json(variables));
        let timeout = self.state.limits.request_timeout;
        let response = execute(&self.schema, request, context, timeout).await;
        if let Some(error) = response.errors.first() {
            let text = |key: &str| {
                error
                    .extensions
                    .as_ref()
                    .and_then(|e| e.get(key))
                    .and_then(|v| v.clone().into_json().ok())
                    .and_then(|v| v.as_str().map(str::to_owned))
            };
            return Err(Refused {
                code: text("code").unwrap_or_else(|| "INTERNAL_SERVER_ERROR".to_owned()),
                field: text("field"),
                message: error.message.clone(),
            });
        }
        response.data.into_json().map_err(|error| Refused {
            code: "INTERNAL_SERVER_ERROR".to_owned(),
            field: None,
            message: error.to_string(),
        })
    }
}
