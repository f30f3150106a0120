//! What a resolver knows about its request, and the helpers every resolver uses to get the
//! actor, check the admin role, read the read model and build the event metadata of a command.

use async_graphql::Context;
use chrono::NaiveDate;
use guanjia_domain::clock::china_date;
use guanjia_domain::user::Username;
use guanjia_domain::values::text::{self, Shape};
use guanjia_domain::DomainError;
use guanjia_read::LiveReadModel;
use guanjia_store::{CommandContext, EventMetadata};

use crate::auth::{admin, Actor, Authentication};
use crate::error::{rule_name, ApiError};
use crate::state::AppState;

/// Longest idempotency key accepted, in characters.
pub const CLIENT_KEY_MAX: usize = 128;

/// The per-request data of a GraphQL execution (HTTP request or WebSocket connection).
#[derive(Debug, Clone)]
pub struct RequestContext {
    /// From the `x-request-id` header, or generated; on every event and log line.
    pub request_id: String,
    /// From the `x-correlation-id` header, or the request id: ties together the requests of
    /// one user action that spans several requests.
    pub correlation_id: String,
    pub auth: Authentication,
}

/// Where a command came from, for `EventMetadata::channel`.
pub const CHANNEL: &str = "graphql";

pub(crate) fn state<'a>(ctx: &Context<'a>) -> Result<&'a AppState, ApiError> {
    ctx.data::<AppState>()
        .map_err(|_| ApiError::internal("the schema was built without AppState"))
}

pub(crate) fn request<'a>(ctx: &Context<'a>) -> Result<&'a RequestContext, ApiError> {
    ctx.data::<RequestContext>()
        .map_err(|_| ApiError::internal("the request was executed without a RequestContext"))
}

/// This node's read model.
pub(crate) fn read<'a>(ctx: &Context<'a>) -> Result<&'a LiveReadModel, ApiError> {
    Ok(&state(ctx)?.read)
}

/// Today in Beijing, from the state's clock: the day live statuses and due dates are for.
pub(crate) fn today(ctx: &Context<'_>) -> Result<NaiveDate, ApiError> {
    Ok(china_date(state(ctx)?.clock.now()))
}

/// The signed-in actor, or `UNAUTHENTICATED`.
pub(crate) fn actor<'a>(ctx: &Context<'a>) -> Result<&'a Actor, ApiError> {
    request(ctx)?.auth.actor()
}

/// The actor if they are an admin, else `FORBIDDEN`. What the admin may administer is checked
/// next, by division (`auth::admin`).
pub(crate) fn admin<'a>(ctx: &Context<'a>) -> Result<&'a Actor, ApiError> {
    let actor = actor(ctx)?;
    admin::may_administer(actor)?;
    Ok(actor)
}

/// The metadata and idempotency key of a command sent by `actor` in this request. With a key,
/// the request's fingerprint goes along, so that the key reused for another request is refused
/// rather than answered with the first outcome.
pub(crate) fn command_context(
    ctx: &Context<'_>,
    actor: &Actor,
    client_key: Option<String>,
) -> Result<CommandContext, ApiError> {
    let context = CommandContext::new(event_metadata(request(ctx)?, actor));
    Ok(match checked_client_key(client_key)? {
        Some(key) => context
            .with_command_key(key)
            .with_fingerprint(fingerprint(ctx)?),
        None => context,
    })
}

/// What this mutation field was asked to do: SHA-256 over its name and its arguments (with
/// variables resolved, keys sorted, the `clientKey` itself left out), so that the same input
/// gives the same fingerprint however the query was written.
fn fingerprint(ctx: &Context<'_>) -> Result<String, ApiError> {
    use sha2::{Digest, Sha256};
    let field = ctx.field();
    let arguments = field
        .arguments()
        .map_err(|error| ApiError::internal(format!("arguments of {}: {error:?}", field.name())))?;
    let mut input = serde_json::Map::new();
    for (name, value) in arguments {
        if name.as_str() == "clientKey" {
            continue;
        }
        let mut value = value
            .into_json()
            .map_err(|error| ApiError::internal(format!("argument {name}: {error}")))?;
        if let Some(object) = value.as_object_mut() {
            object.remove("clientKey");
        }
        input.insert(name.to_string(), value);
    }
    let text = serde_json::to_string(&(field.name(), input))
        .map_err(|error| ApiError::internal(format!("fingerprint: {error}")))?;
    Ok(hex::encode(Sha256::digest(text.as_bytes())))
}

/// The metadata of an event appended on behalf of `actor` in `request`: commands, and the
/// access log's reads of personal data.
pub(crate) fn event_metadata(request: &RequestContext, actor: &Actor) -> EventMetadata {
    EventMetadata {
        actor_id: actor.username.to_string(),
        actor_role: actor.role.as_str().to_owned(),
        correlation_id: request.correlation_id.clone(),
        causation_id: request.request_id.clone(),
        request_id: request.request_id.clone(),
        channel: CHANNEL.to_owned(),
    }
}

/// A client's idempotency key: trimmed, 1–[`CLIENT_KEY_MAX`] characters of one line of visible
/// text; blank means none.
pub(crate) fn checked_client_key(key: Option<String>) -> Result<Option<String>, ApiError> {
    let Some(key) = key.map(|k| k.trim().to_owned()).filter(|k| !k.is_empty()) else {
        return Ok(None);
    };
    if key.chars().count() > CLIENT_KEY_MAX {
        return Err(ApiError::bad_input(
            "clientKey",
            "too_long",
            format!("must be at most {CLIENT_KEY_MAX} characters"),
        ));
    }
    identifier("clientKey", &key)?;
    Ok(Some(key))
}

/// Refuses an identifier the api checks itself (an idempotency key, a case id) that holds a
/// character no identifier may hold (`values::text`, one line of visible text).
pub(crate) fn identifier(field: &'static str, value: &str) -> Result<(), ApiError> {
    text::check_shape(value, Shape::Line)
        .map_err(|error| ApiError::bad_input(field, rule_name(&error), error.to_string()))
}

/// A username argument, parsed (`field` names it in the error).
pub(crate) fn username(field: &'static str, value: &str) -> Result<Username, ApiError> {
    Username::parse(value).map_err(|e| DomainError::invalid(field, e).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_keys_are_trimmed_bounded_and_optional() {
        assert_eq!(checked_client_key(None), Ok(None));
        assert_eq!(checked_client_key(Some("  ".to_owned())), Ok(None));
        assert_eq!(
            checked_client_key(Some(" k-1 ".to_owned())),
            Ok(Some("k-1".to_owned()))
        );
        assert!(matches!(
            checked_client_key(Some("x".repeat(129))),
            Err(ApiError::BadInput {
                rule: "too_long",
                ..
            })
        ));
        for bad in ["k\u{0}1", "k\u{202E}1", "k\u{200B}1", "k\n1"] {
            assert!(
                matches!(
                    checked_client_key(Some(bad.to_owned())),
                    Err(ApiError::BadInput {
                        rule: "bad_character",
                        ..
                    })
                ),
                "{bad:?}"
            );
        }
    }
}
