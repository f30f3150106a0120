//! Signed, expiring bearer tokens: a JWT (HS256) made with the `hmac` and `sha2` crates.
//!
//! Why not a JWT library: we need exactly one algorithm, and accepting only the one header we
//! write ourselves closes the classic JWT holes (`alg: none`, algorithm confusion) by
//! construction. The MAC is checked in constant time by `hmac`. The token stays a standard JWT,
//! so an operator can read its claims with any JWT tool.
//!
//! Expiry is checked against the injected clock, not the system time, so tests can pin time.
//! Revocation is not decided here: the claims carry the token generation, and
//! [`Auth::authenticate`](super::Auth::authenticate) compares it with the user's current one.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use guanjia_domain::user::{Account, Role};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::config::Secret;
use crate::error::ApiError;

/// Shortest signing key accepted, in bytes: 256 bits, the HMAC-SHA256 block of security.
pub const KEY_MIN_BYTES: usize = 32;

/// `{"alg":"HS256","typ":"JWT"}`: the only header issued and the only one accepted.
const HEADER: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

/// What a token says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The username.
    pub sub: String,
    /// The role at issue time (informational: the current role is read from the directory).
    pub role: Role,
    /// The division code at issue time (informational, as `role`).
    pub div: String,
    /// The user's token generation at issue time.
    pub generation: u32,
    /// Issued at, seconds since the epoch.
    pub iat: i64,
    /// Expires at, seconds since the epoch.
    pub exp: i64,
}

/// A token handed to a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedToken {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    /// Not a token of ours: wrong shape, another header, a bad signature.
    Invalid,
    /// Ours, but past its expiry.
    Expired,
}

/// Issues and checks tokens with one key.
#[derive(Clone)]
pub struct TokenSigner {
    mac: Hmac<Sha256>,
    ttl: chrono::Duration,
}

impl std::fmt::Debug for TokenSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSigner")
            .field("ttl", &self.ttl)
            .finish_non_exhaustive()
    }
}

impl TokenSigner {
    /// A signer with `key` (at least [`KEY_MIN_BYTES`]) issuing tokens valid for `ttl`.
    pub fn new(key: &Secret, ttl: std::time::Duration) -> Result<Self, ApiError> {
        let bytes = key.expose().as_bytes();
        if bytes.len() < KEY_MIN_BYTES {
            return Err(ApiError::internal(format!(
                "the token signing key must be at least {KEY_MIN_BYTES} bytes"
            )));
        }
        let mac = Hmac::<Sha256>::new_from_slice(bytes)
            .map_err(|error| ApiError::internal(format!("token key: {error}")))?;
        let ttl = chrono::Duration::from_std(ttl)
            .map_err(|error| ApiError::internal(format!("token lifetime: {error}")))?;
        Ok(Self { mac, ttl })
    }

    /// A token for `account`, issued at `now`.
    pub fn issue(&self, account: &Account, now: DateTime<Utc>) -> Result<IssuedToken, ApiError> {
        let expires_at = now + self.ttl;
        let claims = Claims {
            sub: account.username.to_string(),
            role: account.role,
            div: account.division.to_string(),
            generation: account.token_generation,
            iat: now.timestamp(),
            exp: expires_at.timestamp(),
        };
        let payload = serde_json::to_vec(&claims).map_err(ApiError::internal)?;
        let signed = format!("{HEADER}.{}", URL_SAFE_NO_PAD.encode(payload));
        let signature = URL_SAFE_NO_PAD.encode(self.sign(&signed));
        Ok(IssuedToken {
            token: format!("{signed}.{signature}"),
            expires_at,
        })
    }

    /// The claims of a token signed with this key and not expired at `now`.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<Claims, TokenError> {
        let mut parts = token.trim().split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(TokenError::Invalid);
        };
        if header != HEADER {
            return Err(TokenError::Invalid);
        }
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| TokenError::Invalid)?;
        let mut mac = self.mac.clone();
        mac.update(header.as_bytes());
        mac.update(b".");
        mac.update(payload.as_bytes());
        mac.verify_slice(&signature)
            .map_err(|_| TokenError::Invalid)?;
        // Only a payload we signed is parsed.
        let payload = URL_SAFE_NO_PAD
            .decode(payload)
            .map_err(|_| TokenError::Invalid)?;
        let claims: Claims = serde_json::from_slice(&payload).map_err(|_| TokenError::Invalid)?;
        if now.timestamp() >= claims.exp {
            return Err(TokenError::Expired);
        }
        Ok(claims)
    }

    fn sign(&self, message: &str) -> Vec<u8> {
        let mut mac = self.mac.clone();
        mac.update(message.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }
}

#[cfg(test)]
mod tests;
