//! What an admin (or a user about themselves) can ask of a user account. Texts arrive as typed;
//! the aggregate parses them, so every rule and the field it names live in one place.

use serde::{Deserialize, Serialize};

use super::model::Role;

/// A request to the user aggregate (stream id: the normalised username).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum UserCommand {
    /// Creates the account. Refused with `AlreadyExists` when the stream already holds a user:
    /// a username names one person for good, so the audit trail never mixes two people.
    CreateUser {
        username: String,
        display_name: String,
        role: Role,
        /// The 12-digit division code that scopes what the user may see and do.
        division: String,
        /// A PHC string made by the api layer; the domain never sees the password.
        password_hash: String,
    },
    /// The user changed their own password. Refused for a disabled user. Also revokes every
    /// token issued so far: a password change is how a user ends a session they lost.
    ChangePassword { password_hash: String },
    /// An admin set a new password (the user forgot theirs). Allowed while disabled, so an
    /// account can be repaired before it is enabled again. Revokes every token.
    ResetPassword { password_hash: String },
    /// Gives the user another role or division. Refused when both are unchanged. Revokes every
    /// token, because tokens carry the role and division they were issued for.
    ChangeRole { role: Role, division: String },
    /// Stops the user from signing in and revokes every token. Refused when already disabled.
    Disable { reason: String },
    /// Lets a disabled user sign in again (old tokens stay revoked). Refused when active.
    Enable,
    /// Refuses every token issued so far (lost phone, shared screen).
    RevokeTokens,
}
