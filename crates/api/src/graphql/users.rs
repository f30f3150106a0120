//! Sign-in and one's own account: `login`, `me`, `revokeMyTokens`, `changeMyPassword`; the
//! admin's side is `user_admin.rs`.
//!
//! Every user mutation answers with the account read back from the user's own stream ([`run`]),
//! so the new state shows at once, and the next request anywhere is checked against it (a
//! revoked token fails on the very next request on this node, and within `auth::FRESH_FOR` on
//! the others), whatever the log reader's horizon.

use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};
use guanjia_domain::user::{Account, User, UserCommand, UserServices, Username};
use guanjia_store::Committed;

use super::context::{actor, command_context, state};
use super::enums::Role;
use crate::auth::{check_new_password, Actor, Found};
use crate::config::Secret;
use crate::error::ApiError;
use crate::throttle::ClientIp;

/// A user account, without its password hash.
#[derive(SimpleObject)]
#[graphql(name = "User")]
pub struct UserView {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The 12-digit division code that scopes what the user may see and do.
    pub division: String,
    pub active: bool,
    pub disabled_reason: Option<String>,
}

impl From<Account> for UserView {
    fn from(account: Account) -> Self {
        Self {
            username: account.username.to_string(),
            display_name: account.display_name,
            role: account.role.into(),
            division: account.division.to_string(),
            active: account.disabled.is_none(),
            disabled_reason: account.disabled,
        }
    }
}

/// A bearer token: send it as `Authorization: Bearer <token>`.
#[derive(SimpleObject)]
pub struct Token {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// Queries about users.
#[derive(Default)]
pub struct UserQuery;

#[Object]
impl UserQuery {
    /// The signed-in user.
    async fn me(&self, ctx: &Context<'_>) -> Result<UserView, ApiError> {
        let actor = actor(ctx)?;
        account(ctx, &actor.username).await.map(UserView::from)
    }
}

/// Mutations about users.
#[derive(Default)]
pub struct UserMutation;

#[Object]
impl UserMutation {
    /// Signs in. Any failure is `UNAUTHENTICATED` with the same message, whether the user
    /// exists or not.
    async fn login(
        &self,
        ctx: &Context<'_>,
        username: String,
        #[graphql(secret)] password: String,
    ) -> Result<Token, ApiError> {
        // The sign-in limits, with the client address the HTTP handler passed in (none over a
        // schema executed directly, as in tests: then only per username).
        let state = state(ctx)?;
        let client = ctx.data_opt::<ClientIp>().and_then(|client| client.0);
        state.throttle.login(&username, client)?;
        let (_, token) = state.auth.login(&username, &Secret::new(password)).await?;
        Ok(Token {
            token: token.token,
            expires_at: token.expires_at,
        })
    }

    /// Refuses every token of the signed-in user issued so far, this one included.
    async fn revoke_my_tokens(&self, ctx: &Context<'_>) -> Result<bool, ApiError> {
        let actor = actor(ctx)?;
        run(ctx, actor, &actor.username, UserCommand::RevokeTokens).await?;
        Ok(true)
    }

    /// Changes the signed-in user's password. Every earlier token is revoked; the new token
    /// returned here replaces the one used for this request.
    async fn change_my_password(
        &self,
        ctx: &Context<'_>,
        #[graphql(secret)] current_password: String,
        #[graphql(secret)] new_password: String,
    ) -> Result<Token, ApiError> {
        let actor = actor(ctx)?;
        let auth = &state(ctx)?.auth;
        let new_password = Secret::new(new_password);
        check_new_password("newPassword", &new_password)?;
        let current = account(ctx, &actor.username).await?;
        let correct = auth
            .passwords()
            .verify(
                &Secret::new(current_password),
                current.password_hash.as_str(),
            )
            .await?;
        if !correct {
            return Err(ApiError::bad_input(
                "currentPassword",
                "wrong",
                "is not correct",
            ));
        }
        let password_hash = auth.passwords().hash(&new_password).await?;
        let command = UserCommand::ChangePassword { password_hash };
        let account = run(ctx, actor, &actor.username, command).await?;
        let token = auth.issue(&account)?;
        Ok(Token {
            token: token.token,
            expires_at: token.expires_at,
        })
    }
}

/// Sends a command about the signed-in user's own account and returns the account as it is
/// now (`changed`).
async fn run(
    ctx: &Context<'_>,
    actor: &Actor,
    name: &Username,
    command: UserCommand,
) -> Result<Account, ApiError> {
    let state = state(ctx)?;
    let services = UserServices {
        clock: state.clock.clone(),
    };
    let context = command_context(ctx, actor, None)?;
    let committed = state
        .store
        .execute::<User>(name.as_str(), command, &services, context)
        .await?;
    changed(ctx, name, &committed).await
}

/// The account of `name` read back from its stream after `committed` changed it: this node's
/// sign-in forgets what it cached, so the next request here is checked against the change.
pub(super) async fn changed(
    ctx: &Context<'_>,
    name: &Username,
    committed: &Committed,
) -> Result<Account, ApiError> {
    tracing::debug!(user = %name, position = %committed.position, "user changed");
    let current = state(ctx)?.auth.current();
    current.forget(name.as_str());
    match current.read(name.as_str()).await? {
        Found::Account(account) => Ok(account),
        Found::Unknown | Found::Broken => Err(not_found(name)),
    }
}

/// The account of `name` as it is now (a change made on another node shows within
/// `auth::FRESH_FOR`).
async fn account(ctx: &Context<'_>, name: &Username) -> Result<Account, ApiError> {
    state(ctx)?
        .auth
        .account(name.as_str())
        .await?
        .ok_or_else(|| not_found(name))
}

fn not_found(name: &Username) -> ApiError {
    ApiError::NotFound {
        what: format!("user {name}"),
    }
}
