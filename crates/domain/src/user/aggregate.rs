//! The cqrs-es wiring of the user aggregate and its decisions. The state is small enough that
//! the whole decision fits here; the api crate folds the same events with [`User`]'s `apply`
//! to keep its in-memory directory of accounts, so the two can never disagree.

use std::sync::Arc;

use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};

use super::commands::UserCommand;
use super::events::UserEvent;
use super::model::{PasswordHash, Role, Username};
use crate::clock::Clock;
use crate::error::DomainError;
use crate::values::text::{self, BODY_MAX, LABEL_MAX};
use crate::values::DivisionCode;

/// What the user aggregate may use from outside. Nothing reads the clock yet (event times come
/// from the store's metadata); it is here so that every aggregate is wired the same way.
#[derive(Debug, Clone)]
pub struct UserServices {
    pub clock: Arc<dyn Clock>,
}

/// One user account, as the events left it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub username: Username,
    pub display_name: String,
    pub role: Role,
    /// The scope: what the user may see and do lies within this division code.
    pub division: DivisionCode,
    pub password_hash: PasswordHash,
    /// `Some(reason)` while the account is disabled.
    pub disabled: Option<String>,
    /// Tokens carry the generation they were issued at; one older than this is refused.
    pub token_generation: u32,
}

impl Account {
    /// Whether the user may sign in.
    pub fn is_active(&self) -> bool {
        self.disabled.is_none()
    }
}

/// The user aggregate; `None` until `UserCreated`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    account: Option<Account>,
}

impl User {
    /// The account, once created.
    pub fn account(&self) -> Option<&Account> {
        self.account.as_ref()
    }

    fn decide(&self, command: UserCommand) -> Result<Vec<UserEvent>, DomainError> {
        use UserCommand as C;
        let C::CreateUser {
            username,
            display_name,
            role,
            division,
            password_hash,
        } = command
        else {
            return self.decide_for_existing(command);
        };
        if let Some(existing) = &self.account {
            return Err(DomainError::AlreadyExists(format!(
                "user {} already exists",
                existing.username
            )));
        }
        Ok(vec![UserEvent::UserCreated {
            username: Username::parse(&username)
                .map_err(|e| DomainError::invalid("username", e))?,
            display_name: text::required("display_name", &display_name, LABEL_MAX)?,
            role,
            division: parse_division(&division)?,
            password_hash: parse_hash(&password_hash)?,
        }])
    }

    fn decide_for_existing(&self, command: UserCommand) -> Result<Vec<UserEvent>, DomainError> {
        let account = self.account.as_ref().ok_or_else(|| DomainError::NotFound {
            what: "user".to_owned(),
        })?;
        let revoked = UserEvent::TokensRevoked {
            generation: account.token_generation.saturating_add(1),
        };
        let name = &account.username;
        match command {
            UserCommand::CreateUser { .. } => Err(DomainError::AlreadyExists(format!(
                "user {name} already exists"
            ))),
            UserCommand::ChangePassword { password_hash } => {
                let password_hash = parse_hash(&password_hash)?;
                if !account.is_active() {
                    return Err(DomainError::not_allowed(format!("user {name} is disabled")));
                }
                Ok(vec![UserEvent::PasswordChanged { password_hash }, revoked])
            }
            UserCommand::ResetPassword { password_hash } => {
                let password_hash = parse_hash(&password_hash)?;
                Ok(vec![UserEvent::PasswordReset { password_hash }, revoked])
            }
            UserCommand::ChangeRole { role, division } => {
                let division = parse_division(&division)?;
                if role == account.role && division == account.division {
                    return Err(DomainError::not_allowed(format!(
                        "user {name} already has role {role} in division {division}"
                    )));
                }
                let changed = UserEvent::RoleChanged {
                    previous_role: account.role,
                    previous_division: account.division.clone(),
                    role,
                    division,
                };
                Ok(vec![changed, revoked])
            }
            UserCommand::Disable { reason } => {
                let reason = text::required("reason", &reason, BODY_MAX)?;
                if !account.is_active() {
                    return Err(DomainError::not_allowed(format!(
                        "user {name} is already disabled"
                    )));
                }
                Ok(vec![UserEvent::UserDisabled { reason }, revoked])
            }
            UserCommand::Enable => {
                if account.is_active() {
                    return Err(DomainError::not_allowed(format!(
                        "user {name} is not disabled"
                    )));
                }
                Ok(vec![UserEvent::UserEnabled])
            }
            UserCommand::RevokeTokens => Ok(vec![revoked]),
        }
    }
}

fn parse_division(division: &str) -> Result<DivisionCode, DomainError> {
    DivisionCode::parse(division).map_err(|e| DomainError::invalid("division", e))
}

fn parse_hash(hash: &str) -> Result<PasswordHash, DomainError> {
    PasswordHash::parse(hash).map_err(|e| DomainError::invalid("password_hash", e))
}

impl Aggregate for User {
    const TYPE: &'static str = "user";
    type Command = UserCommand;
    type Event = UserEvent;
    type Error = DomainError;
    type Services = UserServices;

    async fn handle(
        &mut self,
        command: Self::Command,
        _services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        for event in self.decide(command)? {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        if let UserEvent::UserCreated {
            username,
            display_name,
            role,
            division,
            password_hash,
        } = event
        {
            self.account = Some(Account {
                username,
                display_name,
                role,
                division,
                password_hash,
                disabled: None,
                token_generation: 0,
            });
            return;
        }
        // Events other than the first only ever follow it; on an edited log they change nothing.
        let Some(account) = self.account.as_mut() else {
            return;
        };
        match event {
            UserEvent::UserCreated { .. } => {}
            UserEvent::PasswordChanged { password_hash }
            | UserEvent::PasswordReset { password_hash } => account.password_hash = password_hash,
            UserEvent::RoleChanged { role, division, .. } => {
                account.role = role;
                account.division = division;
            }
            UserEvent::UserDisabled { reason } => account.disabled = Some(reason),
            UserEvent::UserEnabled => account.disabled = None,
            UserEvent::TokensRevoked { generation } => account.token_generation = generation,
        }
    }
}
