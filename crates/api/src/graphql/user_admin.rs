//! User administration, for admins and only inside their division subtree (`auth::admin`):
//! the `users` list and `createUser`, `disableUser`, `enableUser`, `resetPassword`,
//! `changeRole`, `revokeUserTokens`. Each checks the account as it is now and the grant it makes before the
//! command, and answers the account read back from its stream (`users.rs`), so `disableUser`
//! says `active: false` at once.

use async_graphql::{Context, InputObject, Object};
use guanjia_domain::user::{UserCommand, Username};
use guanjia_domain::values::DivisionCode;
use guanjia_domain::DomainError;

use super::context::{admin, state, username};
use super::enums::Role;
use super::users::{account, run, UserView};
use crate::auth::admin::{authorize_account, authorize_grant, can_administer};
use crate::auth::{check_new_password, Actor};
use crate::config::Secret;
use crate::error::ApiError;

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

/// The admin's queries about users.
#[derive(Default)]
pub struct UserAdminQuery;

#[Object]
impl UserAdminQuery {
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

/// The admin's mutations of users.
#[derive(Default)]
pub struct UserAdminMutation;

#[Object]
impl UserAdminMutation {
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

    /// Ends every session of a user — a lost phone, a shared password — without changing the
    /// account (admin only, for users inside the admin's division): every token issued so far
    /// is refused from the next request on, and the user signs in again as before.
    async fn revoke_user_tokens(
        &self,
        ctx: &Context<'_>,
        username: String,
    ) -> Result<UserView, ApiError> {
        let actor = admin(ctx)?;
        let name = self::username("username", &username)?;
        authorize_account(actor, &account(ctx, &name).await?)?;
        run(ctx, actor, &name, UserCommand::RevokeTokens)
            .await
            .map(UserView::from)
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
