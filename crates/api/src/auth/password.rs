//! Password hashing with argon2id, off the async threads.
//!
//! argon2id is memory-hard on purpose; one hash takes tens of milliseconds of a core, which
//! would stall every other request on that tokio worker. Both hashing and verification run
//! under `spawn_blocking`. Verification reads the cost from the stored PHC string, so raising
//! [`PasswordCost`] applies to new passwords without locking anyone out.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::config::{PasswordCost, Secret};
use crate::error::ApiError;

/// Shortest password accepted for a new password, in characters.
pub const PASSWORD_MIN: usize = 10;
/// Longest password accepted, in characters: bounds the work one login can cause.
pub const PASSWORD_MAX: usize = 128;

/// Hashes and verifies passwords at one configured cost.
#[derive(Debug, Clone)]
pub struct Passwords {
    params: Params,
}

impl Passwords {
    /// Checks the cost once, at start-up, so hashing later cannot fail on it.
    pub fn new(cost: PasswordCost) -> Result<Self, ApiError> {
        let params = Params::new(cost.memory_kib, cost.iterations, cost.parallelism, None)
            .map_err(|error| ApiError::internal(format!("argon2 cost: {error}")))?;
        Ok(Self { params })
    }

    /// The PHC string (`$argon2id$v=19$…`) of a password, with a fresh random salt.
    pub async fn hash(&self, password: &Secret) -> Result<String, ApiError> {
        let params = self.params.clone();
        let password = password.clone();
        blocking(move || {
            let salt = SaltString::generate(&mut rand::rngs::OsRng);
            Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
                .hash_password(password.expose().as_bytes(), &salt)
                .map(|hash| hash.to_string())
                .map_err(|error| ApiError::internal(format!("argon2 hash: {error}")))
        })
        .await
    }

    /// Whether `password` matches the stored PHC string. A malformed stored hash is an
    /// internal error, not a wrong password: it means the log holds something it should not.
    pub async fn verify(&self, password: &Secret, phc: &str) -> Result<bool, ApiError> {
        let password = password.clone();
        let phc = phc.to_owned();
        blocking(move || {
            let parsed = PasswordHash::new(&phc)
                .map_err(|error| ApiError::internal(format!("stored password hash: {error}")))?;
            match Argon2::default().verify_password(password.expose().as_bytes(), &parsed) {
                Ok(()) => Ok(true),
                Err(argon2::password_hash::Error::Password) => Ok(false),
                Err(error) => Err(ApiError::internal(format!("argon2 verify: {error}"))),
            }
        })
        .await
    }
}

/// Checks a new password's length (`field` names the argument in the error).
pub fn check_new_password(field: &str, password: &Secret) -> Result<(), ApiError> {
    let length = password.expose().chars().count();
    if length < PASSWORD_MIN {
        return Err(ApiError::bad_input(
            field,
            "too_short",
            format!("must be at least {PASSWORD_MIN} characters"),
        ));
    }
    if length > PASSWORD_MAX {
        return Err(ApiError::bad_input(
            field,
            "too_long",
            format!("must be at most {PASSWORD_MAX} characters"),
        ));
    }
    Ok(())
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| ApiError::internal(format!("password task: {error}")))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_no_other() -> Result<(), ApiError> {
        let passwords = Passwords::new(PasswordCost::cheapest())?;
        let hash = passwords.hash(&Secret::new("correct horse")).await?;
        assert!(hash.starts_with("$argon2id$v=19$m=8,t=1,p=1$"));
        assert!(
            passwords
                .verify(&Secret::new("correct horse"), &hash)
                .await?
        );
        assert!(!passwords.verify(&Secret::new("wrong horse"), &hash).await?);
        // A hash made at another cost still verifies.
        let stronger = Passwords::new(PasswordCost {
            memory_kib: 64,
            iterations: 2,
            parallelism: 1,
        })?;
        assert!(
            stronger
                .verify(&Secret::new("correct horse"), &hash)
                .await?
        );
        Ok(())
    }

    #[tokio::test]
    async fn two_hashes_of_one_password_differ_by_salt() -> Result<(), ApiError> {
        let passwords = Passwords::new(PasswordCost::cheapest())?;
        let a = passwords.hash(&Secret::new("same password")).await?;
        let b = passwords.hash(&Secret::new("same password")).await?;
        assert_ne!(a, b);
        Ok(())
    }

    #[test]
    fn new_passwords_have_bounded_length() {
        assert!(check_new_password("password", &Secret::new("0123456789")).is_ok());
        let short = check_new_password("password", &Secret::new("short"));
        assert!(matches!(
            short,
            Err(ApiError::BadInput {
                rule: "too_short",
                ..
            })
        ));
        let long = check_new_password("password", &Secret::new("x".repeat(129)));
        assert!(matches!(
            long,
            Err(ApiError::BadInput {
                rule: "too_long",
                ..
            })
        ));
    }
}
