//! What the WebSocket pump (`connection.rs`) reads and writes itself rather than passing on:
//! the engine's completions, the refusal of an operation over the cap, close reasons that fit
//! a frame, and the receive error of an oversized message.

use serde_json::{json, Value};

use crate::error::ErrorCode;

/// Longest close reason a close frame can carry, in bytes (RFC 6455: 125 minus the code).
const REASON_MAX: usize = 123;

/// The id of a `complete` message of the engine (serde writes the tag first).
pub(super) fn completed(text: &str) -> Option<String> {
    if !text.starts_with(r#"{"type":"complete""#) {
        return None;
    }
    let message: Value = serde_json::from_str(text).ok()?;
    message.get("id")?.as_str().map(str::to_owned)
}

/// The `error` message refusing operation `id` over the cap of `max` running operations.
pub(super) fn too_many(id: &str, max: usize) -> String {
    json!({
        "id": id,
        "type": "error",
        "payload": [{
            "message": format!(
                "at most {max} operations may run at once on one connection; complete one \
                 first or open another connection"
            ),
            "extensions": { "code": ErrorCode::BadUserInput.as_str(), "rule": "too_many_operations" },
        }],
    })
    .to_string()
}

/// Whether a receive error is a message over the size limit.
pub(super) fn too_big(error: axum::Error) -> bool {
    matches!(
        error.into_inner().downcast_ref::<tungstenite::Error>(),
        Some(tungstenite::Error::Capacity(_))
    )
}

/// `reason` cut to what a close frame holds, at a character boundary.
pub(super) fn truncated(reason: &str) -> String {
    let mut end = reason.len().min(REASON_MAX);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    reason[..end].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completions_are_recognised_by_their_id() {
        assert_eq!(
            completed(r#"{"type":"complete","id":"s1"}"#).as_deref(),
            Some("s1")
        );
        assert_eq!(completed(r#"{"type":"next","id":"s1","payload":{}}"#), None);
    }

    #[test]
    fn close_reasons_fit_a_frame() {
        let long = "撤".repeat(100);
        let cut = truncated(&long);
        assert!(cut.len() <= REASON_MAX && long.starts_with(&cut));
        assert_eq!(truncated("short"), "short");
    }

    #[test]
    fn the_refusal_over_the_cap_is_a_graphql_ws_error_message() {
        let message: Value = serde_json::from_str(&too_many("s9", 50)).expect("JSON");
        assert_eq!(
            (&message["type"], &message["id"]),
            (&json!("error"), &json!("s9"))
        );
        assert_eq!(
            message["payload"][0]["extensions"]["code"],
            "BAD_USER_INPUT"
        );
    }
}
