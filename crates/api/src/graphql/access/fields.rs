//! Which personal fields a resolver actually shows: selected in the query (async-graphql's
//! look-ahead, fragments included) and holding a value (neither absent nor erased). The names
//! are those of `PersonalDataRead.fields` (docs/domain-events.md).
//!
//! The look-ahead does not evaluate `@skip`/`@include`: a field skipped by a directive still
//! counts as shown. The log may then claim a read that did not happen, never the reverse.

use async_graphql::Lookahead;
use guanjia_domain::case::model::Person;
use guanjia_read::CaseDetail;
use guanjia_store::StoredEvent;

/// The enterprise contact's name, as it is now.
pub const CONTACT_NAME: &str = "enterprise.contact_name";
/// The enterprise contact's phone, as it is now.
pub const CONTACT_PHONE: &str = "enterprise.contact_phone";
/// Contact names in the correction history.
pub const CORRECTED_CONTACT_NAME: &str = "enterprise.corrections.contact_name";
/// Contact phones in the correction history.
pub const CORRECTED_CONTACT_PHONE: &str = "enterprise.corrections.contact_phone";
pub const RATER_NAME: &str = "ratings.rater.name";
pub const RATER_PHONE: &str = "ratings.rater.phone";
pub const COMPLAINANT_NAME: &str = "complaints.complainant.name";
pub const COMPLAINANT_PHONE: &str = "complaints.complainant.phone";

fn has_text(value: Option<&str>) -> bool {
    value.is_some_and(|text| !text.trim().is_empty())
}

/// The contact fields shown by `name`/`phone` selections over a contact.
fn contact(look: &Lookahead<'_>, name: Option<&str>, phone: bool) -> Vec<String> {
    let mut shown = Vec::new();
    if look.field("contactName").exists() && has_text(name) {
        shown.push(CONTACT_NAME.to_owned());
    }
    if look.field("contactPhone").exists() && phone {
        shown.push(CONTACT_PHONE.to_owned());
    }
    shown
}

/// What `Case.enterprise { … }` shows of a case's detail.
pub fn enterprise(look: &Lookahead<'_>, detail: &CaseDetail) -> Vec<String> {
    let e = &detail.enterprise;
    let mut shown = contact(look, e.contact_name.as_deref(), e.contact_phone.is_some());
    let changes = look.field("corrections").field("changes");
    let (from, to) = (changes.field("from").exists(), changes.field("to").exists());
    for (field, label) in [
        ("contact_name", CORRECTED_CONTACT_NAME),
        ("contact_phone", CORRECTED_CONTACT_PHONE),
    ] {
        let appears = detail
            .corrections
            .iter()
            .flat_map(|c| &c.changes)
            .filter(|change| change.field == field)
            .any(|c| (from && has_text(c.from.as_deref())) || (to && has_text(Some(&c.to))));
        if appears {
            shown.push(label.to_owned());
        }
    }
    shown
}

/// What a list of people (`ratings { rater { … } }`, `complaints { complainant { … } }`)
/// shows: `person` is the field holding each person, `labels` the name and phone labels.
pub fn people<'a>(
    look: &Lookahead<'_>,
    person: &str,
    mut all: impl Iterator<Item = &'a Person> + Clone,
    labels: (&str, &str),
) -> Vec<String> {
    let look = look.field(person);
    let mut shown = Vec::new();
    if look.field("name").exists() && all.clone().any(|p| has_text(p.name.as_deref())) {
        shown.push(labels.0.to_owned());
    }
    if look.field("phone").exists() && all.any(|p| p.phone.is_some()) {
        shown.push(labels.1.to_owned());
    }
    shown
}

/// What `caseAsOf { contactName contactPhone }` shows of the case as it stood.
pub fn as_of(look: &Lookahead<'_>, name: Option<&str>, phone: bool) -> Vec<String> {
    contact(look, name, phone)
}

/// What the payload of an audited case event shows, named like the case detail's fields.
pub fn payload(event: &StoredEvent) -> Vec<String> {
    event
        .personal_fields()
        .into_iter()
        .map(|label| {
            if label.starts_with("enterprise.") {
                label
            } else if label.starts_with("contact_") {
                format!("enterprise.corrections.{label}")
            } else if label.starts_with("rater.") {
                format!("ratings.{label}")
            } else if label.starts_with("complainant.") {
                format!("complaints.{label}")
            } else {
                format!("payload.{label}")
            }
        })
        .collect()
}
