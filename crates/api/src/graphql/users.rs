//! Sign-in and user administration: `login`, `me`, `revokeMyTokens`, `changeMyPassword`, and
//! the admin's `users`, `createUser`, `disableUser`, `enableUser`, `resetPassword`,
//! `changeRole` — each allowed only inside the admin's division subtree (`auth::admin`).
//!
//! Every user mutation answers with the account read back from the user's own stream, so the
//! admin sees the new state at once, and the next request anywhere is checked against it (a
//! disabled user's token fails on the very next request on this node, and within
//! `auth::FRESH_FOR` on the others), whatever the log reader's horizon.

use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use guanjia_domain::user::{Account, User, UserCommand, UserServices, Username};
use guanjia_domain::values::DivisionCode;
use guanjia_domain::DomainError;

use super::context::{actor, admin, command_context, state, username};
use super::enums::Role;
use crate::auth::admin::{authorize_account, authorize_grant, can_administer};
use crate::auth::{check_new_password, Actor, Found};
use crate::config::Secret;
use crate::error::ApiError;

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

/// A new user.
#[derive(InputObject)]
pub struct CreateUserInput {
    /// 3–32 characters of a-z, 0-9, `_`, `.`, `-` (upper case is folded to lower case).
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub division: String,
    /// At least 10 characters.
    #[graphql(secret)]
    pub password: String,
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

    /// The users of the admin's division subtree, by username (admin only).
    async fn users(&self, ctx: &Context<'_>) -> Result<Vec<UserView>, ApiError> {
        let actor = admin(ctx)?;
        let users = state(ctx)?.auth.directory().all();
        Ok(users
            .into_iter()
            .filter(|user| can_administer(actor, &user.division))
            .map(UserView::from)
            .collect())
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
        crate::throttle::check_login(ctx, &username)?;
        let (_, token) = state(ctx)?
            .auth
            .login(&username, &Secret::new(password))
            .await?;
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

    /// Creates a user (admin only) with a role no wider than the admin's own, in a division
    /// inside the admin's.
    async fn create_user(
        &self,
        ctx: &Context<'_>,
        input: CreateUserInput,
    ) -> Result<UserView, ApiError> {
        let actor = admin(ctx)?;
        let name = username("username", &input.username)?;
        authorize_grant(actor, input.role.into(), &division(&input.division)?)?;
        let password = Secret::new(input.password);
        check_new_password("password", &password)?;
        let command = UserCommand::CreateUser {
            username: name.to_string(),
            display_name: input.display_name,
            role: input.role.into(),
            division: input.division,
            password_hash: state(ctx)?.auth.passwords().hash(&password).await?,
        };
        run(ctx, actor, &name, command).await.map(UserView::from)
    }

    /// Stops a user from signing in and revokes their tokens (admin only, for users inside the
    /// admin's division; not oneself). Answers the account as it is now: `active: false`.
    async fn disable_user(
        &self,
        ctx: &Context<'_>,
        username: String,
        reason: String,
    ) -> Result<UserView, ApiError> {
        let actor = admin(ctx)?;
        let name = self::username("username", &username)?;
        not_oneself(actor, &name, "disable their own account")?;
        authorize_account(actor, &account(ctx, &name).await?)?;
        let command = UserCommand::Disable { reason };
        run(ctx, actor, &name, command).await.map(UserView::from)
    }

    /// Lets a disabled user sign in again (admin only, for users inside the admin's division).
    async fn enable_user(&self, ctx: &Context<'_>, username: String) -> Result<UserView, ApiError> {
        let actor = admin(ctx)?;
        let name = self::username("username", &username)?;
        authorize_account(actor, &account(ctx, &name).await?)?;
        run(ctx, actor, &name, UserCommand::Enable)
            .await
            .map(UserView::from)
    }

    /// Sets a new password for a user and revokes their tokens (admin only, for users inside
    /// the admin's division).
    async fn reset_password(
        &self,
        ctx: &Context<'_>,
        username: String,
        #[graphql(secret)] new_password: String,
    ) -> Result<UserView, ApiError> {
        let actor = admin(ctx)?;
        let name = self::username("username", &username)?;
        authorize_account(actor, &account(ctx, &name).await?)?;
        let new_password = Secret::new(new_password);
        check_new_password("newPassword", &new_password)?;
        let password_hash = state(ctx)?.auth.passwords().hash(&new_password).await?;
        let command = UserCommand::ResetPassword { password_hash };
        run(ctx, actor, &name, command).await.map(UserView::from)
    }

    /// Gives a user another role or division and revokes their tokens (admin only, for users
    /// inside the admin's division, to a role no wider than the admin's and a division inside
    /// the admin's; not oneself, so that the last admin cannot lock everyone out by mistake).
    async fn change_role(
        &self,
        ctx: &Context<'_>,
        username: String,
        role: Role,
        division: String,
    ) -> Result<UserView, ApiError> {
        let actor = admin(ctx)?;
        let name = self::username("username", &username)?;
        not_oneself(actor, &name, "change their own role")?;
        authorize_account(actor, &account(ctx, &name).await?)?;
        authorize_grant(actor, role.into(), &self::division(&division)?)?;
        let command = UserCommand::ChangeRole {
            role: role.into(),
            division,
        };
        run(ctx, actor, &name, command).await.map(UserView::from)
    }
}

/// Sends a user command and returns the account as it is now, read from its stream.
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
    tracing::debug!(user = %name, position = %committed.position, "user changed");
    let current = state.auth.current();
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

/// A division argument, parsed (the aggregate parses it again; the scope check needs it first).
fn division(value: &str) -> Result<DivisionCode, ApiError> {
    DivisionCode::parse(value).map_err(|e| DomainError::invalid("division", e).into())
}

fn not_oneself(actor: &Actor, target: &Username, what: &str) -> Result<(), ApiError> {
    if &actor.username == target {
        return Err(DomainError::not_allowed(format!(
            "an admin may not {what}; ask another admin"
        ))
        .into());
    }
    Ok(())
}
