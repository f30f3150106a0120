//! The user aggregate: the people who sign in, their role and division scope, and the token
//! generation that lets an admin (or the user) revoke every token issued so far.
//!
//! Users are stored as events like everything else, so who was given which role, and when, is
//! part of the audit trail. The stream id is the username ([`Username`]). The domain does no
//! cryptography: passwords arrive already hashed by the api layer ([`PasswordHash`]), and the
//! api layer signs and checks tokens against [`Account::token_generation`].
//!
//! [`commands`] are what an admin or the user asks, [`events`] are what is recorded,
//! `aggregate.rs` decides, [`model`] holds the self-validating values.

mod aggregate;
pub mod commands;
pub mod events;
pub mod model;

#[cfg(test)]
mod tests;

pub use aggregate::{Account, User, UserServices};
pub use commands::UserCommand;
pub use events::{UserEvent, USER_EVENT_VERSION};
pub use model::{PasswordHash, Role, Username};
