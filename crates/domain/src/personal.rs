//! Which fields of which events are personal data: a fact of the domain, declared next to the
//! events, so that the store seals whatever is declared and never learns an event's shape.
//!
//! The store seals every declared field of an event before it is appended, under the key of
//! the event's data subject (`<root>:<aggregate id>:<kind>` or, per person,
//! `<root>:<aggregate id>:<kind>:<number>`), and erasing an aggregate's personal data shreds the
//! keys of every subject under `<root>:<aggregate id>:` (docs/security.md). Which aggregate
//! declares what is listed with the aggregates ([`crate::aggregates::personal_data`]). Renaming a declared
//! field without its declaration fails the walk over every event variant
//! (`case/personal.rs`), instead of writing the field in clear.

/// Where one event type keeps personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonalFields {
    /// The event type (`DomainEvent::event_type`), which is also the payload's one key.
    pub event_type: &'static str,
    /// The kind of data subject: `contact`, `rating`, `complaint`.
    pub kind: &'static str,
    /// The field holding the number of the rating or complaint, for a subject per person;
    /// `None` for one subject per aggregate and kind.
    pub number: Option<&'static str>,
    /// Paths of the personal text fields inside the event, `/`-separated (`rater/phone`).
    pub fields: &'static [&'static str],
}

impl PersonalFields {
    /// The JSON pointer of each field in a stored payload (`/RatingRecorded/rater/phone`) and
    /// its label (`rater.phone`).
    pub fn pointers(&self) -> impl Iterator<Item = (String, String)> + '_ {
        self.fields
            .iter()
            .map(|f| (format!("/{}/{f}", self.event_type), f.replace('/', ".")))
    }
}

/// The personal data of one aggregate type's events.
#[derive(Debug, Clone, Copy)]
pub struct PersonalData {
    /// `Aggregate::TYPE`.
    pub aggregate_type: &'static str,
    /// The first part of every data subject's name (`case` → `case:<id>:contact`). Stored in
    /// the key table: never change it for an aggregate that has data.
    pub subject_root: &'static str,
    /// The declaration of each event type that has personal data; the others have none.
    pub events: &'static [PersonalFields],
}

impl PersonalData {
    /// The declaration of `event_type`, if it has personal data.
    pub fn of_event(&self, event_type: &str) -> Option<&'static PersonalFields> {
        self.events.iter().find(|p| p.event_type == event_type)
    }

    /// The start of the name of every data subject of aggregate `aggregate_id`. Ids hold no
    /// `:`-free prefix of another (case ids are UUIDs), so no aggregate's prefix names another's
    /// subjects.
    pub fn subject_prefix(&self, aggregate_id: &str) -> String {
        format!("{}:{aggregate_id}:", self.subject_root)
    }
}
