//! Every fact the user aggregate can record, in the past tense, each versioned "1".
//!
//! Commands that must end existing sessions (password change or reset, role change, disable)
//! record [`UserEvent::TokensRevoked`] as a separate event after their own, rather than bumping
//! the generation silently in `apply`: the audit trail then says in so many words that every
//! token was revoked, and the rule "a token older than the generation is refused" reads one event.

use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};

use super::model::{PasswordHash, Role, Username};
use crate::values::DivisionCode;

/// An event of the user aggregate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum UserEvent {
    /// The account was created, active, at token generation 0.
    UserCreated {
        username: Username,
        display_name: String,
        role: Role,
        division: DivisionCode,
        password_hash: PasswordHash,
    },
    /// The user changed their own password.
    PasswordChanged { password_hash: PasswordHash },
    /// An admin set a new password.
    PasswordReset { password_hash: PasswordHash },
    /// The role or division changed; the previous ones are kept for the audit trail.
    RoleChanged {
        previous_role: Role,
        previous_division: DivisionCode,
        role: Role,
        division: DivisionCode,
    },
    /// The user may no longer sign in.
    UserDisabled { reason: String },
    /// A disabled user may sign in again.
    UserEnabled,
    /// Every token issued before now is refused; `generation` is the new current generation.
    TokensRevoked { generation: u32 },
}

/// The version of every user event type today (see docs/domain-events.md for upcasting).
pub const USER_EVENT_VERSION: &str = "1";

impl DomainEvent for UserEvent {
    fn event_type(&self) -> String {
        match self {
            Self::UserCreated { .. } => "UserCreated",
            Self::PasswordChanged { .. } => "PasswordChanged",
            Self::PasswordReset { .. } => "PasswordReset",
            Self::RoleChanged { .. } => "RoleChanged",
            Self::UserDisabled { .. } => "UserDisabled",
            Self::UserEnabled => "UserEnabled",
            Self::TokensRevoked { .. } => "TokensRevoked",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        USER_EVENT_VERSION.to_owned()
    }
}
