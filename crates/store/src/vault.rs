//! Personal data in case events, and the AEAD that seals it (crypto-shredding).
//!
//! The personal fields of events (a case's enterprise contact, a rater, a complainant) are
//! sealed before they reach the log: each string value is replaced by
//! `{"sealed": {"subject": …, "nonce": base64, "ciphertext": base64}}`, encrypted with
//! ChaCha20-Poly1305 under a random 256-bit key of its data subject, with the subject as
//! associated data (a ciphertext moved to another subject does not open). Keys live in the
//! `personal_keys` table, outside the log; erasing a subject's key leaves its ciphertexts
//! unreadable for good while the log, and the hash chain over it, stay as they were.
//!
//! Which fields are personal, and whose, is the domain's declaration
//! (`guanjia_domain::personal`): the store seals whatever is declared and knows no event by
//! name. Subjects of a case: `case:<id>:contact`, `case:<id>:rating:<n>`,
//! `case:<id>:complaint:<n>`. Data
//! recorded after a subject was erased goes to a new generation `…~2`, `…~3`, so an erasure
//! never unseals later data with a fresh key, nor shreds data it was not asked to.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};
use guanjia_domain::aggregates::personal_data as declared;
use guanjia_domain::personal::PersonalFields;
use serde_json::{json, Value};

use crate::StoreError;

/// How many erasures of one subject are allowed before sealing gives up (a guard, not a limit
/// anyone should meet).
pub(crate) const MAX_GENERATIONS: u32 = 1000;

/// Whether events of `aggregate_type` may carry personal data (the domain declares some).
pub(crate) fn has_personal_data(aggregate_type: &str) -> bool {
    declared(aggregate_type).is_some()
}

/// What the domain declares about a payload of `aggregate_type`, and the variant's body.
fn personal_of<'a>(
    aggregate_type: &str,
    payload: &'a Value,
) -> Option<(&'static PersonalFields, &'a Value)> {
    let (variant, body) = payload.as_object()?.iter().next()?;
    declared(aggregate_type)?
        .of_event(variant)
        .map(|fields| (fields, body))
}

/// The personal fields a payload of `aggregate_type` may hold, as the domain declares them:
/// JSON pointer and label (`rater.phone`).
pub(crate) fn field_pointers(aggregate_type: &str, payload: &Value) -> Vec<(String, String)> {
    personal_of(aggregate_type, payload)
        .map_or_else(Vec::new, |(fields, _)| fields.pointers().collect())
}

/// The first-generation subject of the personal data in a payload of aggregate
/// `aggregate_type`/`aggregate_id`.
pub(crate) fn base_subject(
    aggregate_type: &str,
    aggregate_id: &str,
    payload: &Value,
) -> Option<String> {
    let (fields, body) = personal_of(aggregate_type, payload)?;
    let root = declared(aggregate_type)?.subject_prefix(aggregate_id);
    Some(match fields.number {
        None => format!("{root}{}", fields.kind),
        Some(field) => format!("{root}{}:{}", fields.kind, body.get(field)?.as_u64()?),
    })
}

/// The start of every subject of aggregate `aggregate_type`/`aggregate_id`; `None` for types
/// without personal data.
pub(crate) fn subject_prefix(aggregate_type: &str, aggregate_id: &str) -> Option<String> {
    declared(aggregate_type).map(|d| d.subject_prefix(aggregate_id))
}

/// Generation `generation` of `base` (1 is `base` itself).
pub(crate) fn generation(base: &str, generation: u32) -> String {
    if generation <= 1 {
        base.to_owned()
    } else {
        format!("{base}~{generation}")
    }
}

/// A fresh random 256-bit key.
pub(crate) fn new_key() -> Vec<u8> {
    ChaCha20Poly1305::generate_key(&mut OsRng).to_vec()
}

pub(crate) fn cipher(key: &[u8]) -> Result<ChaCha20Poly1305, StoreError> {
    ChaCha20Poly1305::new_from_slice(key)
        .map_err(|_| StoreError::decode("a personal data key is not 32 bytes"))
}

/// Seals `plaintext` for `subject` under `key`, with a random nonce.
pub(crate) fn seal(key: &[u8], subject: &str, plaintext: &str) -> Result<Value, StoreError> {
    let nonce = ChaCha20Poly1305::generate_nonce(&mut OsRng);
    let payload = Payload {
        msg: plaintext.as_bytes(),
        aad: subject.as_bytes(),
    };
    let ciphertext = cipher(key)?
        .encrypt(&nonce, payload)
        .map_err(|_| StoreError::decode(format!("sealing personal data of {subject} failed")))?;
    Ok(json!({ "sealed": {
        "subject": subject,
        "nonce": B64.encode(nonce),
        "ciphertext": B64.encode(ciphertext),
    }}))
}

/// Whether a payload's JSON text may hold a sealed value: the key `"sealed"` appears nowhere
/// else in our payloads (inside a string its quotes would be escaped, and a false positive
/// only costs a parse). Lets the log reader leave every other payload as text.
pub(crate) fn may_hold_sealed(json: &str) -> bool {
    json.contains("\"sealed\"")
}

/// The subject of a sealed value; `None` for anything else (plain text, null).
pub(crate) fn sealed_subject(value: &Value) -> Option<&str> {
    value.get("sealed")?.get("subject")?.as_str()
}

/// Opens a sealed value. A value that does not open under its subject's key was altered: an
/// error, never silently taken for erased.
pub(crate) fn open(key: &[u8], value: &Value) -> Result<String, StoreError> {
    let sealed = value.get("sealed");
    let field = |name: &str| sealed.and_then(|s| s.get(name)).and_then(Value::as_str);
    let subject = field("subject").unwrap_or_default();
    let bad = || StoreError::decode(format!("sealed personal data of {subject} does not open"));
    let nonce = B64
        .decode(field("nonce").ok_or_else(bad)?)
        .map_err(|_| bad())?;
    let ciphertext = B64
        .decode(field("ciphertext").ok_or_else(bad)?)
        .map_err(|_| bad())?;
    if nonce.len() != 12 {
        return Err(bad());
    }
    let payload = Payload {
        msg: &ciphertext,
        aad: subject.as_bytes(),
    };
    let plain = cipher(key)?
        .decrypt(Nonce::from_slice(&nonce), payload)
        .map_err(|_| bad())?;
    String::from_utf8(plain).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_under_their_key_and_subject() {
        let key = new_key();
        let sealed = seal(&key, "case:a:contact", "13812345678").expect("sealed");
        assert!(!sealed.to_string().contains("13812345678"));
        assert_eq!(open(&key, &sealed).expect("opens"), "13812345678");
        assert!(open(&new_key(), &sealed).is_err());
        let mut moved = sealed.clone();
        moved["sealed"]["subject"] = json!("case:b:contact");
        assert!(open(&key, &moved).is_err());
    }

    #[test]
    fn subjects_follow_the_event() {
        let rating =
            json!({"RatingRecorded": {"rating_no": 3, "rater": {"name": "王", "phone": null}}});
        let case = "enterprise_case";
        assert_eq!(
            base_subject(case, "c1", &rating).as_deref(),
            Some("case:c1:rating:3")
        );
        assert_eq!(
            field_pointers(case, &rating)[1].0,
            "/RatingRecorded/rater/phone"
        );
        assert_eq!(field_pointers(case, &rating)[1].1, "rater.phone");
        assert!(field_pointers(case, &json!({"NoteAdded": {"note_no": 1}})).is_empty());
        // Another aggregate's payload of the same shape holds nothing personal.
        assert!(field_pointers("user", &rating).is_empty());
        assert_eq!(generation("case:c1:contact", 2), "case:c1:contact~2");
    }
}
