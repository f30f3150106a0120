//! The envelope of the public links' tokens (rating links, progress links):
//! `<format tag>.<claims>.<mac>`, base64url without padding. The claims are a small JSON
//! object; the MAC is HMAC-SHA256 over `<format tag>.<claims>` under the link kind's own key
//! (`rating_link::derived_mac`), truncated to 128 bits to keep URLs and QR codes small, and
//! checked in constant time. One copy of the sealing and opening, so that every kind of link
//! is checked the same way; what the claims must say (audience, expiry) is each kind's.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::Sha256;

use crate::error::ApiError;

/// Bytes of the truncated MAC.
const MAC_BYTES: usize = 16;
/// Longest token looked at; anything longer is not ours.
pub const TOKEN_MAX: usize = 512;

/// `claims` sealed under `mac` with the format tag `version`.
pub fn seal<C: Serialize>(
    mac: &Hmac<Sha256>,
    version: &str,
    claims: &C,
) -> Result<String, ApiError> {
    let payload = serde_json::to_vec(claims).map_err(ApiError::internal)?;
    let signed = format!("{version}.{}", URL_SAFE_NO_PAD.encode(payload));
    let mut mac = mac.clone();
    mac.update(signed.as_bytes());
    let mut bytes = mac.finalize().into_bytes().to_vec();
    bytes.truncate(MAC_BYTES);
    Ok(format!("{signed}.{}", URL_SAFE_NO_PAD.encode(bytes)))
}

/// The claims of `token` if it has the format tag `version` and its MAC verifies under
/// `mac`; `None` for anything else (never says why: a forger learns nothing). Only claims
/// whose MAC verified are parsed.
pub fn open<C: DeserializeOwned>(mac: &Hmac<Sha256>, version: &str, token: &str) -> Option<C> {
    if token.len() > TOKEN_MAX {
        return None;
    }
    let mut parts = token.split('.');
    let (Some(tag), Some(payload), Some(sent), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    if tag != version {
        return None;
    }
    let sent = URL_SAFE_NO_PAD.decode(sent).ok()?;
    if sent.len() != MAC_BYTES {
        return None;
    }
    let mut check = mac.clone();
    check.update(tag.as_bytes());
    check.update(b".");
    check.update(payload.as_bytes());
    check.verify_truncated_left(&sent).ok()?;
    let payload = URL_SAFE_NO_PAD.decode(payload).ok()?;
    serde_json::from_slice(&payload).ok()
}
