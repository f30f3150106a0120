//! Every read of unmasked personal data is recorded in the access log (`PersonalDataRead`,
//! `guanjia_domain::access`) before the response that shows it leaves the server.
//!
//! How (docs/security.md, "Who read personal data"):
//! - A resolver that hands out personal data unmasked — `Case.enterprise`, `Case.ratings`,
//!   `Case.complaints`, `caseAsOf`, the payloads of `auditHistory` — calls [`note`] with the
//!   fields it actually shows: selected in the query (look-ahead) and present (not absent, not
//!   erased). Masked data is never noted.
//! - The notes of one request are collected in [`AccessReads`], per case, whatever the number of
//!   resolvers, aliases or list entries that showed them.
//! - When the operation has run, the [`extension::AccessLogging`] extension appends them —
//!   one event per case, in one append for up to 100 cases — to the reader's stream, with the
//!   request's metadata. Only then is the response released. If that append fails, the
//!   response is replaced by an error: fail closed, nothing unmasked leaves unrecorded.

pub mod extension;
pub mod fields;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use async_graphql::{Context, QueryPathSegment};
use guanjia_domain::access::CaseRead;
use guanjia_domain::values::text::LABEL_MAX;

use crate::error::ApiError;

pub use extension::AccessLogging;

/// The personal data one request showed unmasked, by case; shared by the resolvers and the
/// extension that records it.
#[derive(Debug, Default)]
pub struct AccessReads {
    pending: Mutex<Pending>,
}

#[derive(Debug, Default)]
struct Pending {
    /// The response key (alias or name) of each top-level field → the field's name.
    roots: HashMap<String, String>,
    /// Case id → what of it was shown.
    cases: BTreeMap<String, Shown>,
}

/// What of one case was shown, and by which top-level fields.
#[derive(Debug, Default)]
struct Shown {
    fields: BTreeSet<String>,
    purposes: BTreeSet<String>,
}

impl AccessReads {
    fn lock(&self) -> MutexGuard<'_, Pending> {
        // Nothing panics while holding the lock; a poisoned one still holds consistent data.
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Remembers that the top-level field answered under `key` is `name`.
    fn root(&self, key: &str, name: &str) {
        self.lock().roots.insert(key.to_owned(), name.to_owned());
    }

    fn note(&self, case_id: &str, fields: &[String], root_key: Option<&str>) {
        let mut pending = self.lock();
        let purpose = root_key
            .map(|key| pending.roots.get(key).map_or(key, String::as_str))
            .unwrap_or("graphql")
            .to_owned();
        let shown = pending.cases.entry(case_id.to_owned()).or_default();
        shown.fields.extend(fields.iter().cloned());
        shown.purposes.insert(purpose);
    }

    /// The reads noted so far, one per case in case-id order, leaving none behind.
    fn take(&self) -> Vec<CaseRead> {
        std::mem::take(&mut self.lock().cases)
            .into_iter()
            .map(|(case_id, shown)| CaseRead {
                case_id,
                fields: shown.fields.into_iter().collect(),
                purpose: purpose(shown.purposes),
            })
            .collect()
    }
}

/// The top-level fields that showed a case, comma-separated, within the domain's label bound
/// (a request naming many fields keeps the first ones; the request id leads to the rest).
fn purpose(names: BTreeSet<String>) -> String {
    let mut purpose = String::new();
    for name in names {
        let separator = if purpose.is_empty() { "" } else { ", " };
        if purpose.chars().count() + separator.len() + name.chars().count() > LABEL_MAX {
            break;
        }
        purpose.push_str(separator);
        purpose.push_str(&name);
    }
    purpose
}

/// Notes that the current resolver shows `fields` of case `case_id` unmasked; does nothing
/// when `fields` is empty. Fails (and the field with it) when the request runs without the
/// access-log extension: personal data is not shown where its reading would go unrecorded.
pub(crate) fn note(ctx: &Context<'_>, case_id: &str, fields: &[String]) -> Result<(), ApiError> {
    if fields.is_empty() {
        return Ok(());
    }
    let reads = ctx.data::<Arc<AccessReads>>().map_err(|_| {
        ApiError::internal("personal data was about to be shown without the access log")
    })?;
    reads.note(case_id, fields, root_key(ctx).as_deref());
    Ok(())
}

/// The response key of the top-level field the current resolver runs under.
fn root_key(ctx: &Context<'_>) -> Option<String> {
    let mut node = ctx.path_node.as_ref()?;
    while let Some(parent) = node.parent {
        node = parent;
    }
    match node.segment {
        QueryPathSegment::Name(name) => Some(name.to_owned()),
        QueryPathSegment::Index(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn one_read_per_case_with_every_field_and_the_real_field_names() {
        let reads = AccessReads::default();
        reads.root("mine", "case");
        reads.root("cases", "cases");
        reads.note("case-2", &strings(&["ratings.rater.name"]), Some("mine"));
        reads.note(
            "case-1",
            &strings(&["enterprise.contact_phone"]),
            Some("cases"),
        );
        reads.note(
            "case-2",
            &strings(&["enterprise.contact_name"]),
            Some("cases"),
        );
        let taken = reads.take();
        assert_eq!(
            taken,
            [
                CaseRead {
                    case_id: "case-1".to_owned(),
                    fields: strings(&["enterprise.contact_phone"]),
                    purpose: "cases".to_owned(),
                },
                CaseRead {
                    case_id: "case-2".to_owned(),
                    fields: strings(&["enterprise.contact_name", "ratings.rater.name"]),
                    purpose: "case, cases".to_owned(),
                },
            ]
        );
        assert!(reads.take().is_empty(), "taken once");
    }

    #[test]
    fn a_purpose_stays_within_the_label_bound() {
        let names: BTreeSet<String> = (0..40).map(|i| format!("field{i:02}")).collect();
        let joined = purpose(names);
        assert!(joined.chars().count() <= LABEL_MAX, "{joined}");
        assert!(joined.starts_with("field00, field01"));
    }
}
