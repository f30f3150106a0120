//! User administration as use cases: an admin creates accounts and changes them — disable,
//! enable, reset the password, end every session, change role or division — only inside
//! their own subtree and never wider than themselves (`admin.rs` holds those rules). GraphQL's
//! `createUser`, `disableUser`, … and the administration pages are translations onto these.
//!
//! The scope check runs on the account exactly as the store loads it for the command (one
//! load, and an account moved to another division in between cannot slip through). Passwords
//! arrive hashed: hashing and checking their strength belong to sign-in, in the front door's
//! auth, and the log only ever holds the hash.

use std::sync::Arc;

use guanjia_domain::user::{Role, User, UserCommand, UserServices, Username};
use guanjia_domain::values::DivisionCode;
use guanjia_domain::DomainError;
use guanjia_store::{CommandContext, Committed, Source};

use crate::admin::{authorize_account, authorize_grant, may_administer};
use crate::{Actor, App, AppError};

/// An account to create.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub username: Username,
    pub display_name: String,
    pub role: Role,
    pub division: DivisionCode,
    /// The password's PHC hash.
    pub password_hash: String,
}

/// A change an admin makes to an existing account.
#[derive(Debug, Clone)]
pub enum AccountChange {
    /// No more sign-ins; every token refused. Not one's own account.
    Disable {
        reason: String,
    },
    Enable,
    /// A new password (its PHC hash); every token refused.
    ResetPassword {
        password_hash: String,
    },
    /// Every token issued so far refused; the account unchanged otherwise.
    RevokeTokens,
    /// Another role or division, granted no wider than the admin's own; every token refused.
    /// Not one's own, so that the last admin cannot lock everyone out by mistake.
    ChangeRole {
        role: Role,
        division: DivisionCode,
    },
}

impl AccountChange {
    fn command(self) -> UserCommand {
        match self {
            Self::Disable { reason } => UserCommand::Disable { reason },
            Self::Enable => UserCommand::Enable,
            Self::ResetPassword { password_hash } => UserCommand::ResetPassword { password_hash },
            Self::RevokeTokens => UserCommand::RevokeTokens,
            Self::ChangeRole { role, division } => UserCommand::ChangeRole {
                role,
                division: division.to_string(),
            },
        }
    }
}

impl App {
    /// Creates an account: `actor` is an admin granting a role no wider than their own in a
    /// division inside theirs.
    pub async fn create_account(
        &self,
        actor: &Actor,
        new: NewAccount,
        context: CommandContext,
    ) -> Result<Committed, AppError> {
        authorize_grant(actor, new.role, &new.division)?;
        let command = UserCommand::CreateUser {
            username: new.username.to_string(),
            display_name: new.display_name,
            role: new.role,
            division: new.division.to_string(),
            password_hash: new.password_hash,
        };
        let services = self.user_services();
        Ok(self
            .store()
            .execute::<User>(new.username.as_str(), command, &services, context)
            .await?)
    }

    /// Changes the account of `username`: `actor` is an admin whose division holds it.
    /// `NOT_FOUND` for no such user.
    pub async fn change_account(
        &self,
        actor: &Actor,
        username: &Username,
        change: AccountChange,
        context: CommandContext,
    ) -> Result<Committed, AppError> {
        may_administer(actor)?;
        match &change {
            AccountChange::Disable { .. } => {
                not_oneself(actor, username, "disable their own account")?
            }
            AccountChange::ChangeRole { role, division } => {
                not_oneself(actor, username, "change their own role")?;
                authorize_grant(actor, *role, division)?;
            }
            _ => {}
        }
        let guard = |user: &User| -> Result<(), Source> {
            let checked = match user.account() {
                Some(account) => authorize_account(actor, account),
                None => Err(AppError::NotFound {
                    what: format!("user {username}"),
                }),
            };
            checked.map_err(|refusal| Arc::new(refusal) as Source)
        };
        let services = self.user_services();
        Ok(self
            .store()
            .execute_guarded::<User>(
                username.as_str(),
                change.command(),
                &services,
                context,
                &guard,
            )
            .await?)
    }

    fn user_services(&self) -> UserServices {
        UserServices {
            clock: self.services().clock.clone(),
        }
    }
}

fn not_oneself(actor: &Actor, target: &Username, what: &str) -> Result<(), AppError> {
    if &actor.username == target {
        return Err(AppError::Rejected(DomainError::not_allowed(format!(
            "an admin may not {what}; ask another admin"
        ))));
    }
    Ok(())
}
