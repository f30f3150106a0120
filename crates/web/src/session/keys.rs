//! The MACs of the pages: session cookies and CSRF tokens are signed with a key derived from
//! the deployment's token signing key, so every node that accepts a bearer token also accepts
//! a session, and nothing about a session needs to be stored anywhere.
//!
//! The derived key is never the signing key itself, and every MAC names its purpose, so a tag
//! made for one use (a CSRF token) can never pass for another (a session cookie) or for a JWT.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use guanjia_api::Secret;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// What a tag is for; part of every MAC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// The session cookie.
    Session,
    /// The CSRF token of a signed-in person's forms.
    Csrf,
    /// The CSRF token of the sign-in form, bound to the pre-session cookie.
    SignIn,
    /// The CSRF token of the public forms (办不成事), bound to the pre-session cookie.
    PublicForm,
}

impl Purpose {
    fn label(self) -> &'static [u8] {
        match self {
            Self::Session => b"session",
            Self::Csrf => b"csrf",
            Self::SignIn => b"sign-in",
            Self::PublicForm => b"public-form",
        }
    }
}

/// The pages' MAC key.
#[derive(Clone)]
pub(crate) struct Keys {
    mac: Hmac<Sha256>,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(..)")
    }
}

impl Keys {
    /// The pages' key, derived from the token signing key.
    pub(crate) fn derive(signing_key: &Secret) -> Self {
        let derived = hmac(signing_key.expose().as_bytes(), b"guanjia-web-v1");
        Self {
            mac: Hmac::<Sha256>::new_from_slice(&derived).expect("HMAC takes keys of any length"),
        }
    }

    /// The tag of `parts` for `purpose`, in URL-safe base64.
    pub(crate) fn tag(&self, purpose: Purpose, parts: &[&str]) -> String {
        URL_SAFE_NO_PAD.encode(self.mac_of(purpose, parts).finalize().into_bytes())
    }

    /// Whether `tag` is the tag of `parts` for `purpose` (compared in constant time).
    pub(crate) fn verify(&self, purpose: Purpose, parts: &[&str], tag: &str) -> bool {
        let Ok(tag) = URL_SAFE_NO_PAD.decode(tag.trim()) else {
            return false;
        };
        self.mac_of(purpose, parts).verify_slice(&tag).is_ok()
    }

    fn mac_of(&self, purpose: Purpose, parts: &[&str]) -> Hmac<Sha256> {
        let mut mac = self.mac.clone();
        mac.update(purpose.label());
        for part in parts {
            // Lengths first, so that ("ab", "c") and ("a", "bc") differ.
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part.as_bytes());
        }
        mac
    }
}

fn hmac(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(secret: &str) -> Keys {
        Keys::derive(&Secret::new(secret))
    }

    #[test]
    fn a_tag_verifies_only_for_its_parts_purpose_and_key() {
        let k = keys("0123456789abcdef0123456789abcdef");
        let tag = k.tag(Purpose::Csrf, &["token"]);
        assert!(k.verify(Purpose::Csrf, &["token"], &tag));
        assert!(!k.verify(Purpose::Session, &["token"], &tag));
        assert!(!k.verify(Purpose::Csrf, &["token2"], &tag));
        assert!(!k.verify(Purpose::Csrf, &["tok", "en"], &tag));
        let other = keys("another key of at least 32 bytes!!");
        assert!(!other.verify(Purpose::Csrf, &["token"], &tag));
        assert!(!k.verify(Purpose::Csrf, &["token"], "not base64 at all!"));
        assert!(!k.verify(Purpose::Csrf, &["token"], ""));
    }
}
