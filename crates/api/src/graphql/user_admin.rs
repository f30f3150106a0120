//! User administration, for admins and only inside their division subtree (`auth::admin`):
//! the `users` list and `createUser`, `disableUser`, `enableUser`, `resetPassword`,
//! `changeRole`, `revokeUserTokens`. Each checks the account as it is now and the grant it makes before the
//! command, and answers the account read back from its stream (`users.rs`), so `disableUser`
//! says `active: false` at once.

use async_graphql::{Context, InputObject, Object};
use guanjia_domain::values::DivisionCode;
use guanjia_domain::DomainError;

use guanjia_app::{AccountChange, NewAccount};

use super::context::{admin, command_context, state, username};
use super::enums::Role;
use super::users::{changed, UserView};
use crate::auth::admin::{authorize_account, authorize_grant, can_administer};
use crate::auth::check_new_password;
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

/// The admin's mutations of users: each a translation onto `guanjia_app::users` (who may, and
/// on what, is decided there, on the account as loaded for the command); the answer is the
/// account read back from its stream (`users::changed`).
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
        let division = division(&input.division)?;
        // The grant is checked before the password is hashed (argon2 costs a while).
        authorize_grant(actor, input.role.into(), &division)?;
        let password = Secret::new(input.password);
        check_new_password("password", &password)?;
        let new = NewAccount {
            username: name.clone(),
            display_name: input.display_name,
            role: input.role.into(),
            division,
            password_hash: state(ctx)?.auth.passwords().hash(&password).await?,
        };
        let context = command_context(ctx, actor, None)?;
        let committed = state(ctx)?.app.create_account(actor, new, context).await?;
        changed(ctx, &name, &committed).await.map(UserView::from)
    }

    /// Stops a user from signing in and revokes their tokens (admin only, for users inside the
    /// admin's division; not oneself). Answers the account as it is now: `active: false`.
    async fn disable_user(
        &self,
        ctx: &Context<'_>,
        username: String,
        reason: String,
    ) -> Result<UserView, ApiError> {
        change(ctx, &username, AccountChange::Disable { reason }).await
    }

    /// Lets a disabled user sign in again (admin only, for users inside the admin's division).
    async fn enable_user(&self, ctx: &Context<'_>, username: String) -> Result<UserView, ApiError> {
        change(ctx, &username, AccountChange::Enable).await
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
        // Only an admin whose division holds the account gets as far as hashing.
        if let Some(account) = state(ctx)?.auth.account(name.as_str()).await? {
            authorize_account(actor, &account)?;
        }
        let new_password = Secret::new(new_password);
        check_new_password("newPassword", &new_password)?;
        let password_hash = state(ctx)?.auth.passwords().hash(&new_password).await?;
        change(
            ctx,
            &username,
            AccountChange::ResetPassword { password_hash },
        )
        .await
    }

    /// Ends every session of a user — a lost phone, a shared password — without changing the
    /// account (admin only, for users inside the admin's division): every token issued so far
    /// is refused from the next request on, and the user signs in again as before.
    async fn revoke_user_tokens(
        &self,
        ctx: &Context<'_>,
        username: String,
    ) -> Result<UserView, ApiError> {
        change(ctx, &username, AccountChange::RevokeTokens).await
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
        let division = self::division(&division)?;
        let role = role.into();
        change(ctx, &username, AccountChange::ChangeRole { role, division }).await
    }
}

/// Runs `change` on the account `username` for the signed-in admin.
async fn change(
    ctx: &Context<'_>,
    username: &str,
    change: AccountChange,
) -> Result<UserView, ApiError> {
    let actor = admin(ctx)?;
    let name = self::username("username", username)?;
    let context = command_context(ctx, actor, None)?;
    let committed = state(ctx)?
        .app
        .change_account(actor, &name, change, context)
        .await?;
    changed(ctx, &name, &committed).await.map(UserView::from)
}

/// A division argument, parsed (the aggregate parses it again; the scope check needs it first).
fn division(value: &str) -> Result<DivisionCode, ApiError> {
    DivisionCode::parse(value).map_err(|e| DomainError::invalid("division", e).into())
}
