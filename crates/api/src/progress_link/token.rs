//! The progress link token: `p1.<claims>.<mac>`, base64url without padding, shaped like the
//! rating links' (`crate::rating_link::token`) and keyed apart from them and from bearer
//! tokens by a key label of its own ([`KEY_LABEL`], [`derived_mac`]).
//!
//! The claims name the audience, the case, the link id and the expiry. Unlike a rating link
//! the token has no nonce: the link id is already random, and signing the same link again
//! gives the same token, so the team's list can show a live link's address and QR code again
//! without the log ever holding a usable token. Whether the link is still live (not revoked)
//! is the log's answer (`guanjia_app::progress`), not the token's.

use chrono::{DateTime, Utc};
use hmac::Hmac;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::config::Secret;
use crate::error::ApiError;
use crate::rating_link::derived_mac;
use crate::signed_token;

/// The format tag, first part of every token.
const VERSION: &str = "p1";
/// The audience claim.
const AUDIENCE: &str = "guanjia/progress-link";
/// The label that derives the progress link key from the signing key.
pub const KEY_LABEL: &[u8] = b"guanjia/progress-link/v1";

/// What a verified token names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressToken {
    pub case_id: String,
    pub link_id: String,
    pub expires_at: DateTime<Utc>,
}

/// Why a token was refused without looking at the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    /// Not a progress link of this server.
    Forged,
    /// A genuine link past its expiry.
    Expired,
}

#[derive(Serialize, Deserialize)]
struct Claims {
    aud: String,
    case: String,
    link: String,
    exp: i64,
}

/// Signs and checks progress link tokens.
#[derive(Clone)]
pub struct ProgressSigner {
    mac: Hmac<Sha256>,
}

impl std::fmt::Debug for ProgressSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProgressSigner(<key hidden>)")
    }
}

impl ProgressSigner {
    /// A signer keyed from `signing_key` (the bearer tokens' key) with [`KEY_LABEL`].
    pub fn new(signing_key: &Secret) -> Result<Self, ApiError> {
        Ok(Self {
            mac: derived_mac(signing_key, KEY_LABEL)?,
        })
    }

    /// The token of link `link_id` of the case `case_id`, expiring at `expires_at`.
    pub fn sign(
        &self,
        case_id: &str,
        link_id: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<String, ApiError> {
        let claims = Claims {
            aud: AUDIENCE.to_owned(),
            case: case_id.to_owned(),
            link: link_id.to_owned(),
            exp: expires_at.timestamp(),
        };
        signed_token::seal(&self.mac, VERSION, &claims)
    }

    /// What `token` names, if this server signed it and it has not expired at `now`.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<ProgressToken, TokenError> {
        let claims: Claims =
            signed_token::open(&self.mac, VERSION, token).ok_or(TokenError::Forged)?;
        if claims.aud != AUDIENCE {
            return Err(TokenError::Forged);
        }
        let expires_at = DateTime::from_timestamp(claims.exp, 0).ok_or(TokenError::Forged)?;
        if now >= expires_at {
            return Err(TokenError::Expired);
        }
        Ok(ProgressToken {
            case_id: claims.case,
            link_id: claims.link,
            expires_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;
    use crate::rating_link::LinkSigner;
    use crate::signed_token::TOKEN_MAX;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 3, 15, 2, 0, 0)
            .single()
            .expect("valid instant")
    }

    fn key() -> Secret {
        Secret::new("0123456789abcdef0123456789abcdef")
    }

    #[test]
    fn a_token_names_its_link_until_it_expires() -> Result<(), ApiError> {
        let signer = ProgressSigner::new(&key())?;
        let expires_at = now() + Duration::hours(2);
        let token = signer.sign("case-1", "abc", expires_at)?;
        assert!(token.starts_with("p1."));
        assert_eq!(
            token,
            signer.sign("case-1", "abc", expires_at)?,
            "deterministic"
        );
        let named = signer
            .verify(&token, now())
            .map_err(|e| ApiError::internal(format!("{e:?}")))?;
        assert_eq!(named.case_id, "case-1");
        assert_eq!(named.link_id, "abc");
        assert_eq!(signer.verify(&token, expires_at), Err(TokenError::Expired));
        Ok(())
    }

    #[test]
    fn an_altered_or_foreign_token_is_forged() -> Result<(), ApiError> {
        let signer = ProgressSigner::new(&key())?;
        let token = signer.sign("case-1", "abc", now() + Duration::hours(2))?;
        let other = ProgressSigner::new(&Secret::new("another key of thirty-two bytes!!"))?;
        assert_eq!(other.verify(&token, now()), Err(TokenError::Forged));
        let mut altered = token.clone();
        altered.insert(5, 'x');
        assert_eq!(signer.verify(&altered, now()), Err(TokenError::Forged));
        for bad in ["", "p1", "p1.a.b.c", &"p".repeat(TOKEN_MAX + 1)] {
            assert_eq!(signer.verify(bad, now()), Err(TokenError::Forged), "{bad}");
        }
        // A rating link, signed with the same server key, is no progress link.
        let rating = LinkSigner::new(&key())?;
        let (rating_token, _) = rating.issue(
            "case-1",
            guanjia_domain::case::model::RatingTarget::Visit(1),
            crate::rating_link::LinkChannel::QrCode,
            now(),
            now() + Duration::hours(2),
        )?;
        assert_eq!(signer.verify(&rating_token, now()), Err(TokenError::Forged));
        Ok(())
    }
}
