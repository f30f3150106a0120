//! The rating link token: `r1.<claims>.<mac>`, base64url without padding.
//!
//! The claims are a small JSON object (audience, case id, target, channel, issue and expiry
//! times, a random nonce); the MAC is HMAC-SHA256 over `r1.<claims>`, truncated to 128 bits to
//! keep the URL (and so the QR code) small, and checked in constant time.
//!
//! A rating link and a bearer token can never stand in for each other, for three independent
//! reasons: the MAC key is derived from the server's signing key with a label of its own
//! (HMAC(signing key, [`KEY_LABEL`])), so neither MAC verifies under the other's key; the
//! shapes differ (`r1.` here, the fixed JWT header there, and each side accepts only its own);
//! and the claims name their audience, which is checked. The nonce makes every link distinct
//! (two links for one visit differ) and names the link in the rating's event metadata.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use guanjia_domain::case::model::RatingTarget;
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::LinkChannel;
use crate::config::Secret;
use crate::error::ApiError;
use crate::signed_token;

/// The format tag, first part of every token; a new format gets a new tag.
const VERSION: &str = "r1";
/// The audience claim: what the token is for.
const AUDIENCE: &str = "guanjia/rating-link";
/// The label that derives the link key from the signing key.
pub const KEY_LABEL: &[u8] = b"guanjia/rating-link/v1";
/// Random bytes of the nonce: 96 bits.
const NONCE_BYTES: usize = 12;

/// What a link grants: one rating of one target of one case, through one channel, until
/// `expires_at`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub case_id: String,
    pub target: RatingTarget,
    pub channel: LinkChannel,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Random, base64url: tells links apart in logs and event metadata.
    pub nonce: String,
}

/// Why a token was refused. Deliberately coarse: a forger learns nothing from the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkError {
    /// Not a link of this server: wrong shape, bad MAC, altered claims, another audience.
    Forged,
    /// A genuine link past its expiry.
    Expired,
}

/// The claims as written in the token.
#[derive(Serialize, Deserialize)]
struct Claims {
    aud: String,
    case: String,
    /// `visit:<n>` or `item:<n>`.
    target: String,
    ch: LinkChannel,
    iat: i64,
    exp: i64,
    nonce: String,
}

/// Issues and checks link tokens with the key derived from the server's signing key.
#[derive(Clone)]
pub struct LinkSigner {
    mac: Hmac<Sha256>,
}

impl std::fmt::Debug for LinkSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkSigner(<key hidden>)")
    }
}

impl LinkSigner {
    /// A signer whose key is derived from `signing_key` (the bearer tokens' key).
    pub fn new(signing_key: &Secret) -> Result<Self, ApiError> {
        Ok(Self {
            mac: derived_mac(signing_key, KEY_LABEL)?,
        })
    }

    /// A new link for `case_id` and `target`, valid from `now` to `expires_at`.
    pub fn issue(
        &self,
        case_id: &str,
        target: RatingTarget,
        channel: LinkChannel,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(String, Link), ApiError> {
        let mut nonce = [0u8; NONCE_BYTES];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let claims = Claims {
            aud: AUDIENCE.to_owned(),
            case: case_id.to_owned(),
            target: target_text(target),
            ch: channel,
            iat: now.timestamp(),
            exp: expires_at.timestamp(),
            nonce: URL_SAFE_NO_PAD.encode(nonce),
        };
        let token = signed_token::seal(&self.mac, VERSION, &claims)?;
        let link = link_of(claims).ok_or_else(|| ApiError::internal("unreadable link claims"))?;
        Ok((token, link))
    }

    /// The link a token stands for, if this server issued it and it has not expired at `now`.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<Link, LinkError> {
        let claims: Claims =
            signed_token::open(&self.mac, VERSION, token).ok_or(LinkError::Forged)?;
        if claims.aud != AUDIENCE {
            return Err(LinkError::Forged);
        }
        let link = link_of(claims).ok_or(LinkError::Forged)?;
        if now >= link.expires_at {
            return Err(LinkError::Expired);
        }
        Ok(link)
    }
}

/// The MAC of a kind of public link: keyed with HMAC(signing key, `label`), so links of one
/// kind (`label`) never verify as another kind's, nor as bearer tokens.
pub fn derived_mac(signing_key: &Secret, label: &[u8]) -> Result<Hmac<Sha256>, ApiError> {
    let key_error = |error| ApiError::internal(format!("link key: {error}"));
    let mut derive =
        Hmac::<Sha256>::new_from_slice(signing_key.expose().as_bytes()).map_err(key_error)?;
    derive.update(label);
    let key = derive.finalize().into_bytes();
    Hmac::<Sha256>::new_from_slice(&key).map_err(key_error)
}

fn link_of(claims: Claims) -> Option<Link> {
    Some(Link {
        target: parse_target(&claims.target)?,
        case_id: claims.case,
        channel: claims.ch,
        issued_at: DateTime::from_timestamp(claims.iat, 0)?,
        expires_at: DateTime::from_timestamp(claims.exp, 0)?,
        nonce: claims.nonce,
    })
}

fn target_text(target: RatingTarget) -> String {
    match target {
        RatingTarget::Visit(no) => format!("visit:{no}"),
        RatingTarget::Item(no) => format!("item:{no}"),
    }
}

fn parse_target(text: &str) -> Option<RatingTarget> {
    let (kind, no) = text.split_once(':')?;
    let no = no.parse().ok()?;
    match kind {
        "visit" => Some(RatingTarget::Visit(no)),
        "item" => Some(RatingTarget::Item(no)),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
