//! Personal data at the store boundary: sealed before events are appended, unsealed when they
//! are read, and erased on a lawful request by shredding the keys (see `vault.rs` for the
//! format and docs/security.md for what erasure does and does not do).
//!
//! Everything that hands payloads out — [`Store::read_after`], [`Store::audit`], loading an
//! aggregate, a command's [`crate::Committed`] — unseals; only the hash chain reads the raw,
//! sealed rows, so erasing a key never changes what the chain vouches for.

use std::collections::BTreeSet;

use cqrs_es::persist::SerializedEvent;
use guanjia_domain::case::{CaseCommand, CaseServices, EnterpriseCase};
use serde_json::Value;

use crate::vault::{self, CASE_TYPE, MAX_GENERATIONS};
use crate::{CommandContext, Committed, Store, StoreError, StoredEvent};

impl Store {
    /// Erases the personal data of a case: records `PersonalDataErased { reason }` (refused
    /// without a reason or for an unknown case, changing nothing), then shreds the key of every
    /// data subject of the case (its contact, every rater and complainant) and drops the case's
    /// snapshots. The events stay in the log and the hash chain stays intact; their personal
    /// fields read as null from then on, listed in [`StoredEvent::erased_fields`].
    ///
    /// Erasing again is harmless: it records another event and shreds what was recorded since.
    pub async fn erase_personal_data(
        &self,
        case_id: &str,
        reason: String,
        services: &CaseServices,
        context: CommandContext,
    ) -> Result<Committed, StoreError> {
        let command = CaseCommand::ErasePersonalData { reason };
        let committed = self
            .execute::<EnterpriseCase>(case_id, command, services, context)
            .await?;
        let shredded = self
            .db()
            .erase_personal(&vault::subject_prefix(case_id), CASE_TYPE, case_id)
            .await?;
        tracing::info!(case_id, shredded, "personal data erased");
        Ok(committed)
    }

    /// Seals the personal fields of case events about to be appended.
    pub(crate) async fn seal_events(
        &self,
        events: &mut [SerializedEvent],
    ) -> Result<(), StoreError> {
        for event in events.iter_mut().filter(|e| e.aggregate_type == CASE_TYPE) {
            let Some(base) = vault::base_subject(&event.aggregate_id, &event.payload) else {
                continue;
            };
            let mut key: Option<(String, Vec<u8>)> = None;
            for (pointer, _) in vault::field_pointers(&event.payload) {
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
            .map(|e| (e.aggregate_type == CASE_TYPE).then_some(&mut e.payload))
            .collect();
        let erased = self.unseal(payloads).await?;
        for (event, fields) in events.iter_mut().zip(erased) {
            event.erased_fields = fields;
        }
        Ok(())
    }

    /// Unseals payloads in place (`None`: not a case event, left alone): a field whose key
    /// exists gets its text back, a field whose key was erased becomes null. Returns the labels
    /// of the erased fields of each payload. One key query per call.
    pub(crate) async fn unseal(
        &self,
        mut payloads: Vec<Option<&mut Value>>,
    ) -> Result<Vec<Vec<String>>, StoreError> {
        let mut sealed: Vec<Vec<(String, String)>> = Vec::with_capacity(payloads.len());
        let mut subjects = BTreeSet::new();
        for payload in &payloads {
            let fields: Vec<(String, String)> = payload.as_deref().map_or_else(Vec::new, |p| {
                vault::field_pointers(p)
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
            let Some(payload) = payload.as_deref_mut() else {
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
