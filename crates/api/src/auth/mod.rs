//! Authentication and authorization: who is asking, and may they.
//!
//! - `password.rs`: argon2id hashing off the async threads.
//! - `token.rs`: signed, expiring bearer tokens (HS256 JWT); `key.rs`: where the key comes from.
//! - `current.rs`: a user's current state, read from the user's own stream (briefly cached):
//!   what sign-in and every token check decide on, so they never wait on the log reader.
//! - `directory.rs`: the in-memory list of accounts, folded from the user events of the log.
//! - [`authz`] and [`admin`] (re-exported from the application layer, `guanjia-app`): the one
//!   place where roles and division scopes are checked.
//! - `bootstrap.rs`: the first admin on an empty system.
//!
//! [`Auth`] ties them together: [`Auth::login`] issues a token, [`Auth::authenticate`] turns a
//! token into the [`Actor`] of a request — each time against the user's state at that moment,
//! for HTTP requests and for every operation on a WebSocket alike.

mod bootstrap;
mod current;
mod directory;
mod key;
mod password;
mod token;

use std::sync::Arc;

use guanjia_domain::clock::Clock;
use guanjia_domain::user::{Account, Username};
use guanjia_store::Store;

// The checks live in the application layer; these paths keep the api's own call sites short.
pub use guanjia_app::{admin, authz, Actor};

pub use bootstrap::{bootstrap_admin, BootstrapAdmin, BOOTSTRAP_ADMIN};
pub use current::{CurrentUsers, Found, FRESH_FOR};
pub use directory::UserDirectory;
pub use key::{key_file_for, signing_key, KeyError};
pub use password::{check_new_password, Passwords, PASSWORD_MAX, PASSWORD_MIN};
pub use token::{Claims, IssuedToken, TokenError, TokenSigner, KEY_MIN_BYTES};

use crate::config::{AuthConfig, Secret};
use crate::error::ApiError;

/// The one message of every failed login: it must not tell whether the user exists.
pub const LOGIN_FAILED: &str = "invalid username or password";

/// What the credentials of a request came to. Resolvers that need an actor ask
/// [`Authentication::actor`]; `login` works without one.
#[derive(Debug, Clone)]
pub enum Authentication {
    /// No credentials were sent.
    Anonymous,
    /// A valid token of an active user.
    Actor(Actor),
    /// Credentials were sent and refused (expired, revoked, disabled, forged).
    Refused(ApiError),
}

impl Authentication {
    /// The actor, or `UNAUTHENTICATED` with the reason.
    pub fn actor(&self) -> Result<&Actor, ApiError> {
        match self {
            Self::Actor(actor) => Ok(actor),
            Self::Refused(error) => Err(error.clone()),
            Self::Anonymous => Err(ApiError::Unauthenticated(
                "sign in first: send `Authorization: Bearer <token>` from the login mutation"
                    .to_owned(),
            )),
        }
    }
}

/// Logins and token checks against the user directory.
#[derive(Debug)]
pub struct Auth {
    directory: Arc<UserDirectory>,
    current: CurrentUsers,
    tokens: TokenSigner,
    passwords: Passwords,
    clock: Arc<dyn Clock>,
    /// Verified against when the username is unknown, so that an unknown user and a wrong
    /// password take equally long and cannot be told apart by timing.
    decoy_hash: String,
}

impl Auth {
    /// Ready to sign in the users of `store` with tokens signed by `key`; `directory` lists them.
    pub async fn new(
        store: Store,
        directory: Arc<UserDirectory>,
        config: &AuthConfig,
        key: &Secret,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, ApiError> {
        let passwords = Passwords::new(config.password_cost)?;
        let decoy_hash = passwords
            .hash(&Secret::new(uuid::Uuid::new_v4().to_string()))
            .await?;
        Ok(Self {
            current: CurrentUsers::new(store, directory.clone()),
            directory,
            tokens: TokenSigner::new(key, config.token_ttl)?,
            passwords,
            clock,
            decoy_hash,
        })
    }

    /// The accounts.
    pub fn directory(&self) -> &Arc<UserDirectory> {
        &self.directory
    }

    /// The users' current states, read from their streams.
    pub fn current(&self) -> &CurrentUsers {
        &self.current
    }

    /// The current account of `username` (normalised), `None` when it does not exist or cannot
    /// be read whole.
    pub async fn account(&self, username: &str) -> Result<Option<Account>, ApiError> {
        Ok(match self.current.get(username).await? {
            Found::Account(account) => Some(account),
            Found::Unknown | Found::Broken => None,
        })
    }

    /// The password hasher, for new passwords.
    pub fn passwords(&self) -> &Passwords {
        &self.passwords
    }

    /// Checks a username and password and issues a token. Every failure — unknown user, wrong
    /// password, disabled account — is the same [`LOGIN_FAILED`]; the log says which.
    pub async fn login(
        &self,
        username: &str,
        password: &Secret,
    ) -> Result<(Account, IssuedToken), ApiError> {
        let failed = || ApiError::Unauthenticated(LOGIN_FAILED.to_owned());
        // Read from the user's stream, never from the directory: a user committed a moment ago
        // (or on another node) can sign in at once.
        let account = match Username::parse(username) {
            Ok(name) => match self.current.read(name.as_str()).await? {
                Found::Account(account) => Some(account),
                Found::Unknown | Found::Broken => None,
            },
            Err(_) => None,
        };
        let Some(account) = account else {
            self.passwords.verify(password, &self.decoy_hash).await?;
            tracing::info!("login refused: unknown user");
            return Err(failed());
        };
        if !self
            .passwords
            .verify(password, account.password_hash.as_str())
            .await?
        {
            tracing::info!(user = %account.username, "login refused: wrong password");
            return Err(failed());
        }
        if !account.is_active() {
            tracing::info!(user = %account.username, "login refused: account disabled");
            return Err(failed());
        }
        let token = self.issue(&account)?;
        tracing::info!(user = %account.username, "signed in");
        Ok((account, token))
    }

    /// A fresh token for an account (after login or a password change).
    pub fn issue(&self, account: &Account) -> Result<IssuedToken, ApiError> {
        self.tokens.issue(account, self.clock.now())
    }

    /// The actor a bearer token stands for, checked against the user's current state (at most
    /// [`FRESH_FOR`] old): the token must be ours and unexpired, and the user must exist, be
    /// active and still be at the token's generation. The actor carries the role and division
    /// the user has now.
    pub async fn authenticate(&self, token: &str) -> Result<Actor, ApiError> {
        let refused = |why: &str| ApiError::Unauthenticated(why.to_owned());
        let claims = self
            .tokens
            .verify(token, self.clock.now())
            .map_err(|error| match error {
                TokenError::Expired => refused("the token has expired; sign in again"),
                TokenError::Invalid => refused("the token is not valid; sign in again"),
            })?;
        let account = match self.current.get(&claims.sub).await? {
            Found::Account(account) => account,
            Found::Unknown | Found::Broken => {
                return Err(refused("the token is not valid; sign in again"))
            }
        };
        if !account.is_active() {
            return Err(refused("the account is disabled"));
        }
        // Any other generation is refused, also a newer one (a token from a restored backup).
        if claims.generation != account.token_generation {
            return Err(refused("the token was revoked; sign in again"));
        }
        Ok(Actor::from(&account))
    }

    /// The authentication of a request from its `Authorization` header (or the token of a
    /// WebSocket's connection_init), as `Bearer <token>` or the bare token.
    pub async fn authenticate_header(&self, header: Option<&str>) -> Authentication {
        let Some(value) = header.map(str::trim).filter(|v| !v.is_empty()) else {
            return Authentication::Anonymous;
        };
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .unwrap_or(value);
        match self.authenticate(token).await {
            Ok(actor) => Authentication::Actor(actor),
            Err(error) => Authentication::Refused(error),
        }
    }
}

/// The application layer looks people up (who may join a team) in sign-in's current accounts.
impl guanjia_app::People for Auth {
    fn account<'a>(&'a self, username: &'a Username) -> guanjia_app::AccountLookup<'a> {
        Box::pin(async move {
            Ok(match self.current.get(username.as_str()).await? {
                Found::Account(account) => Some(account),
                Found::Unknown | Found::Broken => None,
            })
        })
    }
}
