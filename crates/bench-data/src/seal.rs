//! Personal fields sealed as the store seals them (crypto-shredding, crates/store/src/vault.rs),
//! so that the replay pays what a real start-up pays: one key query per page and one
//! ChaCha20-Poly1305 opening per personal field.
//!
//! The layout is the store's: a string field is replaced by
//! `{"sealed": {"subject", "nonce", "ciphertext"}}` (nonce and ciphertext base64), sealed under
//! the subject's 256-bit key with the subject as associated data; the keys go into
//! `personal_keys`. If the store's format changed and this copy did not, the replay fails
//! loudly (a sealed value that does not open is an error, an object where a name belongs does
//! not decode), it does not silently measure something else. If the store seals more fields,
//! add them to `PERSONAL` here.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};
use serde_json::{json, Value};

/// Where case events keep personal data: variant, number field of the subject, subject kind,
/// and the string fields (as in the store's `PERSONAL` table).
const PERSONAL: &[(&str, Option<&str>, &str, &[&str])] = &[
    (
        "CaseRegistered",
        None,
        "contact",
        &["enterprise/contact_name", "enterprise/contact_phone"],
    ),
    (
        "EnterpriseDetailsCorrected",
        None,
        "contact",
        &["contact_name", "contact_phone"],
    ),
    (
        "RatingRecorded",
        Some("rating_no"),
        "rating",
        &["rater/name", "rater/phone"],
    ),
    (
        "ComplaintLodged",
        Some("complaint_no"),
        "complaint",
        &["complainant/name", "complainant/phone"],
    ),
];

/// The keys of one case's data subjects, made as the case's events are sealed.
pub struct Sealer<'a> {
    case_id: &'a str,
    case: u32,
    /// Key material: the case's own stream, so keys differ from case to case.
    seed: u64,
    fields: u32,
    /// (subject, key) made so far.
    pub keys: Vec<(String, [u8; 32])>,
}

impl<'a> Sealer<'a> {
    pub fn new(case_id: &'a str, case: u32, seed: u64) -> Self {
        Self {
            case_id,
            case,
            seed,
            fields: 0,
            keys: Vec::new(),
        }
    }

    /// Seals the personal string fields of a case event's payload in place.
    pub fn seal(&mut self, payload: &mut Value) -> anyhow::Result<()> {
        let Some((variant, body)) = payload.as_object().and_then(|o| o.iter().next()) else {
            return Ok(());
        };
        let Some(&(variant, number, kind, fields)) =
            PERSONAL.iter().find(|(name, ..)| *name == variant)
        else {
            return Ok(());
        };
        let subject = match number {
            None => format!("case:{}:{kind}", self.case_id),
            Some(field) => {
                let n = body
                    .get(field)
                    .and_then(Value::as_u64)
                    .ok_or_else(|| anyhow::anyhow!("{variant} without {field}"))?;
                format!("case:{}:{kind}:{n}", self.case_id)
            }
        };
        for field in fields {
            let pointer = format!("/{variant}/{field}");
            let Some(slot) = payload.pointer_mut(&pointer) else {
                continue;
            };
            let Some(text) = slot.as_str().map(str::to_owned) else {
                continue;
            };
            let key = self.key(&subject);
            self.fields += 1;
            let mut nonce = [0u8; 12];
            nonce[..4].copy_from_slice(&self.case.to_le_bytes());
            nonce[4..8].copy_from_slice(&self.fields.to_le_bytes());
            let ciphertext = ChaCha20Poly1305::new_from_slice(&key)
                .map_err(|_| anyhow::anyhow!("bad key length"))?
                .encrypt(
                    Nonce::from_slice(&nonce),
                    Payload {
                        msg: text.as_bytes(),
                        aad: subject.as_bytes(),
                    },
                )
                .map_err(|_| anyhow::anyhow!("sealing failed"))?;
            *slot = json!({ "sealed": {
                "subject": subject,
                "nonce": B64.encode(nonce),
                "ciphertext": B64.encode(ciphertext),
            }});
        }
        Ok(())
    }

    /// The key of `subject`, made on first use.
    fn key(&mut self, subject: &str) -> [u8; 32] {
        if let Some((_, key)) = self.keys.iter().find(|(s, _)| s == subject) {
            return *key;
        }
        let mut key = [0u8; 32];
        let base = crate::generate::mix(self.seed, self.keys.len() as u64);
        for (k, chunk) in key.chunks_mut(8).enumerate() {
            chunk.copy_from_slice(&crate::generate::mix(base, k as u64).to_le_bytes());
        }
        self.keys.push((subject.to_owned(), key));
        key
    }
}
