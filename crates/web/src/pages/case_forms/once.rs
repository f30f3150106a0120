//! A form sent twice records once. Each drawing of a form carries a random key; the use case
//! runs with it as its idempotency key (scoped to the case by the store), so a second press of
//! the button on a slow connection, or the browser sending the POST again, answers with the
//! first outcome and appends nothing. The fingerprint (the action and what was typed) makes
//! the store refuse the same key with other input rather than answer with the first outcome.
//! Refusals are not remembered by the store, so a corrected form may be sent with the same key.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use guanjia_store::CommandContext;
use rand::RngCore;
use sha2::{Digest, Sha256};

use super::Input;

/// Longest key accepted: ours are 22 characters.
const KEY_MAX: usize = 64;

/// A fresh key for one drawing of a form.
pub(super) fn new_key() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// `context` with the form's key and fingerprint, when the form carries a well-formed key.
pub(super) fn keyed(context: CommandContext, action: &str, input: &Input) -> CommandContext {
    let key = input.raw("key");
    let well_formed = !key.is_empty()
        && key.len() <= KEY_MAX
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !well_formed {
        return context;
    }
    context
        .with_command_key(format!("web/{key}"))
        .with_fingerprint(fingerprint(action, input))
}

/// SHA-256 over the action and the fields as typed, the token and the key left out.
fn fingerprint(action: &str, input: &Input) -> String {
    let mut hash = Sha256::new();
    hash.update(action.as_bytes());
    let mut pairs: Vec<&(String, String)> = input
        .pairs()
        .iter()
        .filter(|(k, _)| k != "csrf" && k != "key")
        .collect();
    pairs.sort();
    for (name, value) in pairs {
        hash.update([0]);
        hash.update(name.as_bytes());
        hash.update([1]);
        hash.update(value.trim().as_bytes());
    }
    URL_SAFE_NO_PAD.encode(hash.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(pairs: &[(&str, &str)]) -> Input {
        Input::new(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn the_same_form_gives_the_same_fingerprint_whatever_its_token() {
        let a = input(&[("csrf", "a"), ("key", "k1"), ("text", "备注")]);
        let b = input(&[("text", "备注 "), ("key", "k2"), ("csrf", "b")]);
        assert_eq!(fingerprint("note", &a), fingerprint("note", &b));
        assert_ne!(fingerprint("note", &a), fingerprint("sign", &a));
        let other = input(&[("text", "另一条")]);
        assert_ne!(fingerprint("note", &a), fingerprint("note", &other));
    }

    #[test]
    fn only_a_well_formed_key_is_used() {
        let plain = CommandContext::default();
        let keyed_ok = keyed(plain.clone(), "note", &input(&[("key", "abc_DEF-1")]));
        assert_eq!(keyed_ok.command_key.as_deref(), Some("web/abc_DEF-1"));
        for bad in ["", "a b", "键", &"x".repeat(65)] {
            let context = keyed(plain.clone(), "note", &input(&[("key", bad)]));
            assert_eq!(context.command_key, None, "{bad}");
        }
        assert_eq!(new_key().len(), 22);
    }
}
