//! Personal data in case events, and the AEAD that seals it (crypto-shredding).
//!
//! The personal fields of case events (the enterprise contact, a rater, a complainant) are
//! sealed before they reach the log: each string value is replaced by
//! `{"sealed": {"subject": …, "nonce": base64, "ciphertext": base64}}`, encrypted with
//! ChaCha20-Poly1305 under a random 256-bit key of its data subject, with the subject as
//! associated data (a ciphertext moved to another subject does not open). Keys live in the
//! `personal_keys` table, outside the log; erasing a subject's key leaves its ciphertexts
//! unreadable for good while the log, and the hash chain over it, stay as they were.
//!
//! Subjects: `case:<id>:contact`, `case:<id>:rating:<n>`, `case:<id>:complaint:<n>`. Data
//! recorded after a subject was erased goes to a new generation `…~2`, `…~3`, so an erasure
//! never unseals later data with a fresh key, nor shreds data it was not asked to.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};
use serde_json::{json, Value};

use crate::StoreError;

/// `Aggregate::TYPE` of the enterprise case, the one aggregate with personal data.
pub(crate) const CASE_TYPE: &str = "enterprise_case";

/// How many erasures of one subject are allowed before sealing gives up (a guard, not a limit
/// anyone should meet).
pub(crate) const MAX_GENERATIONS: u32 = 1000;

/// Where one event type keeps personal data.
struct Personal {
    /// The event's variant name (the payload's one key).
    variant: &'static str,
    /// The field with the number of the rating or complaint, for per-person subjects.
    number: Option<&'static str>,
    /// The subject kind: `contact`, `rating` or `complaint`.
    kind: &'static str,
    /// Paths of the personal string fields inside the variant.
    fields: &'static [&'static str],
}

const PERSONAL: &[Personal] = &[
    Personal {
        variant: "CaseRegistered",
        number: None,
        kind: "contact",
        fields: &["enterprise/contact_name", "enterprise/contact_phone"],
    },
    Personal {
        variant: "EnterpriseDetailsCorrected",
        number: None,
        kind: "contact",
        fields: &["contact_name", "contact_phone"],
    },
    Personal {
        variant: "RatingRecorded",
        number: Some("rating_no"),
        kind: "rating",
        fields: &["rater/name", "rater/phone"],
    },
    Personal {
        variant: "ComplaintLodged",
        number: Some("complaint_no"),
        kind: "complaint",
        fields: &["complainant/name", "complainant/phone"],
    },
];

fn personal_of(payload: &Value) -> Option<(&'static Personal, &Value)> {
    let object = payload.as_object()?;
    let (variant, body) = object.iter().next()?;
    PERSONAL
        .iter()
        .find(|p| p.variant == variant)
        .map(|p| (p, body))
}

/// The personal fields an event payload may hold: JSON pointer and label (`rater.phone`).
pub(crate) fn field_pointers(payload: &Value) -> Vec<(String, String)> {
    personal_of(payload).map_or_else(Vec::new, |(personal, _)| {
        personal
            .fields
            .iter()
            .map(|f| (format!("/{}/{f}", personal.variant), f.replace('/', ".")))
            .collect()
    })
}

/// The first-generation subject of the personal data in a payload of case `case_id`.
pub(crate) fn base_subject(case_id: &str, payload: &Value) -> Option<String> {
    let (personal, body) = personal_of(payload)?;
    Some(match personal.number {
        None => format!("case:{case_id}:{}", personal.kind),
        Some(field) => format!(
            "case:{case_id}:{}:{}",
            personal.kind,
            body.get(field)?.as_u64()?
        ),
    })
}

/// The start of every subject of case `case_id` (case ids are UUIDs, so no prefix of one
/// case names subjects of another).
pub(crate) fn subject_prefix(case_id: &str) -> String {
    format!("case:{case_id}:")
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
        assert_eq!(
            base_subject("c1", &rating).as_deref(),
            Some("case:c1:rating:3")
        );
        assert_eq!(field_pointers(&rating)[1].0, "/RatingRecorded/rater/phone");
        assert_eq!(field_pointers(&rating)[1].1, "rater.phone");
        assert!(field_pointers(&json!({"NoteAdded": {"note_no": 1}})).is_empty());
        assert_eq!(generation("case:c1:contact", 2), "case:c1:contact~2");
    }
}
