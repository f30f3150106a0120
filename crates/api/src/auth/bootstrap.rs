//! The first admin of an empty system, so that a newcomer can sign in after one command.
//!
//! On start, when the log holds no user at all, the user [`BOOTSTRAP_ADMIN`] is created with
//! the role admin, the configured district-level division, and the password from
//! `GUANJIA_ADMIN_PASSWORD` — or a generated one, which is handed back to the caller to print
//! once (never logged). When several nodes start together, one wins; the others see the
//! conflict or the existing user and do nothing.

use std::sync::Arc;

use guanjia_domain::clock::Clock;
use guanjia_domain::user::{Role, User, UserCommand, UserServices};
use guanjia_store::{CommandContext, EventMetadata, Store, StoreError};
use rand::Rng;

use super::{check_new_password, Auth};
use crate::config::{AuthConfig, Secret};
use crate::error::ApiError;

/// The username of the bootstrap admin.
pub const BOOTSTRAP_ADMIN: &str = "admin";

/// Characters of a generated password: no look-alikes (0/O, 1/l/I), easy to type from a screen.
const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
const GENERATED_LENGTH: usize = 20;

/// The admin created on this start.
#[derive(Debug, Clone)]
pub struct BootstrapAdmin {
    pub username: String,
    /// Set when the password was generated: print it once, it is stored nowhere else.
    pub generated_password: Option<Secret>,
}

/// Creates the bootstrap admin if no user exists yet; `None` when there was nothing to do.
pub async fn bootstrap_admin(
    store: &Store,
    auth: &Auth,
    config: &AuthConfig,
    clock: Arc<dyn Clock>,
) -> Result<Option<BootstrapAdmin>, ApiError> {
    auth.directory().refresh().await?;
    if !auth.directory().is_empty() {
        return Ok(None);
    }
    let (password, generated) = match &config.admin_password {
        Some(password) => {
            check_new_password("GUANJIA_ADMIN_PASSWORD", password)?;
            (password.clone(), false)
        }
        None => (generate_password(), true),
    };
    let command = UserCommand::CreateUser {
        username: BOOTSTRAP_ADMIN.to_owned(),
        display_name: "系统管理员".to_owned(),
        role: Role::Admin,
        division: config.admin_division.clone(),
        password_hash: auth.passwords().hash(&password).await?,
    };
    let id = uuid::Uuid::now_v7().to_string();
    let metadata = EventMetadata {
        actor_id: "system".to_owned(),
        actor_role: "system".to_owned(),
        correlation_id: id.clone(),
        causation_id: id.clone(),
        request_id: id,
        channel: "bootstrap".to_owned(),
    };
    let services = UserServices { clock };
    let outcome = store
        .execute::<User>(
            BOOTSTRAP_ADMIN,
            command,
            &services,
            CommandContext::new(metadata),
        )
        .await;
    let committed = match outcome {
        Ok(committed) => committed,
        // Another node bootstrapped at the same moment.
        Err(StoreError::Rejected(_) | StoreError::Conflict { .. }) => {
            auth.directory().refresh().await?;
            return Ok(None);
        }
        Err(error) => return Err(error.into()),
    };
    // Read back from its stream, which also puts it in the directory at once.
    auth.current().read(BOOTSTRAP_ADMIN).await?;
    tracing::info!(user = BOOTSTRAP_ADMIN, position = %committed.position, "created the bootstrap admin");
    Ok(Some(BootstrapAdmin {
        username: BOOTSTRAP_ADMIN.to_owned(),
        generated_password: generated.then_some(password),
    }))
}

fn generate_password() -> Secret {
    let mut rng = rand::rngs::OsRng;
    let password: String = (0..GENERATED_LENGTH)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect();
    Secret::new(password)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_passwords_are_long_and_differ() {
        let a = generate_password();
        let b = generate_password();
        assert_eq!(a.expose().len(), GENERATED_LENGTH);
        assert_ne!(a, b);
        assert!(a.expose().bytes().all(|c| ALPHABET.contains(&c)));
    }
}
