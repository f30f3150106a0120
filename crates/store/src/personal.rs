//! Personal data at the store boundary: sealed before events are appended, unsealed when they
//! are read, and erased on a lawful request by shredding the keys (see `vault.rs` for the
//! format and docs/security.md for what erasure does and does not do).
//!
//! Everything that hands payloads out — [`Store::read_after`], [`Store::audit`], loading an
//! aggregate, a command's [`crate::Committed`] — unseals; only the hash chain reads the raw,
//! sealed rows, so erasing a key never changes what the chain vouches for.

use std::collections::BTreeSet;

use cqrs_es::persist::SerializedEvent;
use serde_json::value::RawValue;
use serde_json::Value;

use crate::vault::{self, MAX_GENERATIONS};
use crate::{Payload, Store, StoreError, StoredEvent};

impl StoredEvent {
    /// The personal fields of this event that hold data as read — unsealed, neither erased nor
    /// blank — labelled like [`StoredEvent::erased_fields`] (`enterprise.contact_phone`,
    /// `contact_name` of a correction, `rater.name`, `complainant.phone`). Whoever hands such a
    /// payload out unmasked records the read (docs/security.md).
    pub fn personal_fields(&self) -> Vec<String> {
        vault::field_pointers(&self.aggregate_type, &self.payload)
            .into_iter()
            .filter(|(pointer, _)| {
                self.payload
                    .pointer(pointer)
                    .and_then(Value::as_str)
                    .is_some_and(|text| !text.trim().is_empty())
            })
            .map(|(_, label)| label)
            .collect()
    }
}

impl Store {
    /// Shreds the key of every data subject of the aggregate `A` with id `aggregate_id`
    /// (for a case: its contact, every rater and complainant) and drops its snapshots and the
    /// state kept in memory. The caller records why first (a case's `PersonalDataErased`, by
    /// the application layer), so that erasure is on the record. The events stay in the log and the hash chain stays intact; their
    /// personal fields read as null from then on, listed in [`StoredEvent::erased_fields`].
    /// Returns how many keys were shredded.
    pub async fn shred_personal_data<A: cqrs_es::Aggregate>(
        &self,
        aggregate_id: &str,
    ) -> Result<u64, StoreError> {
        let aggregate_type = A::TYPE;
        let Some(prefix) = vault::subject_prefix(aggregate_type, aggregate_id) else {
            // The domain declares no personal data for this type: nothing was sealed.
            return Ok(0);
        };
        // The state kept in memory holds the data in clear: read it again from the log.
        self.recent().forget(aggregate_type, aggregate_id);
        let shredded = self
            .db()
            .erase_personal(&prefix, aggregate_type, aggregate_id)
            .await?;
        tracing::info!(
            aggregate_type,
            aggregate_id,
            shredded,
            "personal data erased"
        );
        Ok(shredded)
    }

    /// Seals the personal fields of case events about to be appended.
    pub(crate) async fn seal_events(
        &self,
        events: &mut [SerializedEvent],
    ) -> Result<(), StoreError> {
        for event in events.iter_mut() {
            let (kind, id) = (&event.aggregate_type, &event.aggregate_id);
            let Some(base) = vault::base_subject(kind, id, &event.payload) else {
                continue;
            };
            let mut key: Option<(String, Vec<u8>)> = None;
            for (pointer, _) in vault::field_pointers(kind, &event.payload) {
                let text = event
                    .payload
                    .pointer(&pointer)
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                let Some(text) = text else { continue };
                if key.is_none() {
                    key = Some(self.current_key(&base).await?);
                }
                if let (Some((subject, key)), Some(slot)) =
                    (&key, event.payload.pointer_mut(&pointer))
                {
                    *slot = vault::seal(key, subject, &text)?;
                }
            }
        }
        Ok(())
    }

    /// The live key of the newest generation of `base`, created when there is none.
    async fn current_key(&self, base: &str) -> Result<(String, Vec<u8>), StoreError> {
        for generation in 1..=MAX_GENERATIONS {
            let subject = vault::generation(base, generation);
            if let Some(key) = self.db().key_for_seal(&subject, &vault::new_key()).await? {
                return Ok((subject, key));
            }
        }
        Err(StoreError::decode(format!(
            "{base} was erased {MAX_GENERATIONS} times; refusing to seal more"
        )))
    }

    /// Unseals log events in place and lists their erased fields.
    pub(crate) async fn unseal_events(&self, events: &mut [StoredEvent]) -> Result<(), StoreError> {
        let payloads = events
            .iter_mut()
            .map(|e| Some((e.aggregate_type.as_str(), &mut e.payload)))
            .collect();
        let erased = self.unseal(payloads).await?;
        for (event, fields) in events.iter_mut().zip(erased) {
            event.erased_fields = fields;
        }
        Ok(())
    }

    /// Unseals events read as text: only the payloads that hold a sealed field are parsed
    /// (into [`Payload::Tree`]) and opened; the rest stay text. One key query per call.
    pub(crate) async fn unseal_text_events(
        &self,
        events: Vec<StoredEvent<Box<RawValue>>>,
    ) -> Result<Vec<StoredEvent<Payload>>, StoreError> {
        let mut events = events
            .into_iter()
            .map(|event| {
                let sealed = vault::has_personal_data(&event.aggregate_type)
                    && vault::may_hold_sealed(event.payload.get());
                let payload = if sealed {
                    Payload::Tree(serde_json::from_str(event.payload.get())?)
                } else {
                    Payload::Text(event.payload)
                };
                Ok(StoredEvent {
                    position: event.position,
                    aggregate_type: event.aggregate_type,
                    aggregate_id: event.aggregate_id,
                    sequence: event.sequence,
                    event_type: event.event_type,
                    event_version: event.event_version,
                    payload,
                    metadata: event.metadata,
                    recorded_at: event.recorded_at,
                    erased_fields: event.erased_fields,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let trees = events
            .iter_mut()
            .map(|event| match &mut event.payload {
                Payload::Tree(tree) => Some((event.aggregate_type.as_str(), tree)),
                Payload::Text(_) => None,
            })
            .collect();
        let erased = self.unseal(trees).await?;
        for (event, fields) in events.iter_mut().zip(erased) {
            event.erased_fields = fields;
        }
        Ok(events)
    }

    /// Unseals payloads of the given aggregate types in place (`None`: left alone): a declared
    /// field whose key exists gets its text back, one whose key was erased becomes null.
    /// Returns the labels of the erased fields of each payload. One key query per call.
    pub(crate) async fn unseal(
        &self,
        mut payloads: Vec<Option<(&str, &mut Value)>>,
    ) -> Result<Vec<Vec<String>>, StoreError> {
        let mut sealed: Vec<Vec<(String, String)>> = Vec::with_capacity(payloads.len());
        let mut subjects = BTreeSet::new();
        for payload in &payloads {
            let fields: Vec<(String, String)> = payload.as_ref().map_or_else(Vec::new, |(t, p)| {
                vault::field_pointers(t, p)
                    .into_iter()
                    .filter(|(pointer, _)| {
                        p.pointer(pointer)
                            .and_then(vault::sealed_subject)
                            .map(|s| subjects.insert(s.to_owned()))
                            .is_some()
                    })
                    .collect()
            });
            sealed.push(fields);
        }
        let mut erased = vec![Vec::new(); payloads.len()];
        if subjects.is_empty() {
            return Ok(erased);
        }
        let keys = self
            .db()
            .keys(&subjects.into_iter().collect::<Vec<_>>())
            .await?;
        for ((payload, fields), erased) in payloads.iter_mut().zip(sealed).zip(erased.iter_mut()) {
            let Some((_, payload)) = payload.as_mut() else {
                continue;
            };
            for (pointer, label) in fields {
                let Some(slot) = payload.pointer_mut(&pointer) else {
                    continue;
                };
                let key = vault::sealed_subject(slot)
                    .and_then(|s| keys.get(s))
                    .cloned();
                *slot = match key.flatten() {
                    Some(key) => Value::String(vault::open(&key, slot)?),
                    None => {
                        erased.push(label);
                        Value::Null
                    }
                };
            }
        }
        Ok(erased)
    }
}

#[cfg(test)]
mod walk;

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::{EventMetadata, LogPosition};

    fn event(aggregate_type: &str, payload: Value) -> StoredEvent {
        StoredEvent {
            position: LogPosition::START,
            aggregate_type: aggregate_type.to_owned(),
            aggregate_id: "case-1".to_owned(),
            sequence: 1,
            event_type: "RatingRecorded".to_owned(),
            event_version: "1".to_owned(),
            payload,
            metadata: EventMetadata::default(),
            recorded_at: chrono::Utc::now(),
            erased_fields: Vec::new(),
        }
    }

    const CASE: &str = "enterprise_case";

    #[test]
    fn personal_fields_are_those_that_hold_text() {
        let rating = |name: Value, phone: Value| json!({"RatingRecorded": {"rating_no": 1, "rater": {"name": name, "phone": phone}}});
        let shown = event(CASE, rating(json!("张三"), json!("13900001111")));
        assert_eq!(shown.personal_fields(), ["rater.name", "rater.phone"]);
        // Erased (null), blank, or absent: nothing personal is shown.
        let erased = event(CASE, rating(Value::Null, json!(" ")));
        assert!(erased.personal_fields().is_empty());
        let anonymous = event(CASE, json!({"RatingRecorded": {"rating_no": 1}}));
        assert!(anonymous.personal_fields().is_empty());
        // Only case events carry personal data.
        let other = event("user", rating(json!("张三"), json!("13900001111")));
        assert!(other.personal_fields().is_empty());
    }
}
