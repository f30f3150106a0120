//! Where the token signing key comes from.
//!
//! 1. `GUANJIA_TOKEN_SECRET` (or [`AuthConfig::token_secret`](crate::config::AuthConfig)) when
//!    set: required on PostgreSQL, where several nodes must accept each other's tokens.
//! 2. On SQLite, a file next to the database, `<database file>.token-key`, made with a random
//!    256-bit key on first start (mode 0600 on Unix). It lives beside the data it protects, so a
//!    backup of the directory restores both, and `guanjia serve` needs no setting on first run.
//!    Deleting the file signs everyone out at the next start.

use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use rand::RngCore;
use thiserror::Error;

use super::token::KEY_MIN_BYTES;
use crate::config::Secret;

/// Why no signing key could be had.
#[derive(Debug, Error)]
pub enum KeyError {
    #[error("GUANJIA_TOKEN_SECRET must be at least {KEY_MIN_BYTES} characters")]
    TooShort,
    #[error(
        "GUANJIA_TOKEN_SECRET is required with PostgreSQL: every node must sign tokens with the \
         same key (generate one with `openssl rand -hex 32`)"
    )]
    NeededForPostgres,
    #[error("the token key file {path} could not be read or created: {source}")]
    File {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The signing key for a deployment (see the module documentation).
pub fn signing_key(configured: Option<&Secret>, database_url: &str) -> Result<Secret, KeyError> {
    if let Some(secret) = configured {
        if secret.expose().len() < KEY_MIN_BYTES {
            return Err(KeyError::TooShort);
        }
        return Ok(secret.clone());
    }
    let path = key_file_for(database_url).ok_or(KeyError::NeededForPostgres)?;
    read_or_create(&path).map_err(|source| KeyError::File { path, source })
}

/// `<database file>.token-key` for a SQLite URL; `None` for any other database.
pub fn key_file_for(database_url: &str) -> Option<PathBuf> {
    let (scheme, rest) = database_url.split_once(':')?;
    if !scheme.eq_ignore_ascii_case("sqlite") {
        return None;
    }
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let file = rest.split('?').next().unwrap_or(rest);
    if file.is_empty() {
        return None;
    }
    let mut name = Path::new(file).as_os_str().to_owned();
    name.push(".token-key");
    Some(PathBuf::from(name))
}

fn read_or_create(path: &Path) -> std::io::Result<Secret> {
    match std::fs::read_to_string(path) {
        Ok(text) => return checked(text),
        Err(error) if error.kind() != ErrorKind::NotFound => return Err(error),
        Err(_) => {}
    }
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let key = hex::encode(bytes);
    match create_private(path) {
        Ok(mut file) => {
            file.write_all(key.as_bytes())?;
            file.sync_all()?;
            tracing::info!(path = %path.display(), "created a new token signing key");
            Ok(Secret::new(key))
        }
        // Another process made it between our read and our create: use theirs.
        Err(error) if error.kind() == ErrorKind::AlreadyExists => {
            checked(std::fs::read_to_string(path)?)
        }
        Err(error) => Err(error),
    }
}

fn checked(text: String) -> std::io::Result<Secret> {
    let key = text.trim();
    if key.len() < KEY_MIN_BYTES {
        return Err(std::io::Error::new(
            ErrorKind::InvalidData,
            format!("the key in the file is shorter than {KEY_MIN_BYTES} characters"),
        ));
    }
    Ok(Secret::new(key))
}

fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_file_sits_next_to_the_sqlite_file() {
        let file = |url: &str| key_file_for(url).map(|p| p.display().to_string());
        assert_eq!(
            file("sqlite://./guanjia.db"),
            Some("./guanjia.db.token-key".to_owned())
        );
        assert_eq!(
            file("sqlite:///var/lib/guanjia/g.db?mode=rwc"),
            Some("/var/lib/guanjia/g.db.token-key".to_owned())
        );
        assert_eq!(file("sqlite:g.db"), Some("g.db.token-key".to_owned()));
        assert_eq!(file("postgres://u@h/db"), None);
    }

    #[test]
    fn a_new_key_is_made_once_and_read_back() -> Result<(), KeyError> {
        let dir = tempfile::tempdir().map_err(|source| KeyError::File {
            path: PathBuf::new(),
            source,
        })?;
        let url = format!("sqlite://{}", dir.path().join("g.db").display());
        let first = signing_key(None, &url)?;
        let second = signing_key(None, &url)?;
        assert_eq!(first, second);
        assert_eq!(first.expose().len(), 64);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let path = key_file_for(&url).unwrap_or_default();
            let mode = std::fs::metadata(path).map(|m| m.permissions().mode() & 0o777);
            assert_eq!(mode.ok(), Some(0o600));
        }
        Ok(())
    }

    #[test]
    fn postgres_needs_a_configured_key_of_enough_length() {
        assert!(matches!(
            signing_key(None, "postgres://u@h/db"),
            Err(KeyError::NeededForPostgres)
        ));
        assert!(matches!(
            signing_key(Some(&Secret::new("short")), "postgres://u@h/db"),
            Err(KeyError::TooShort)
        ));
        let key = Secret::new("k".repeat(32));
        assert_eq!(signing_key(Some(&key), "postgres://u@h/db").ok(), Some(key));
    }
}
