//! The personal data of case events: the enterprise contact (registered, corrected), each
//! rater and each complainant. Declared here, next to the events; the store seals exactly these
//! fields (`crate::personal`, listed for the store in `crate::aggregates::personal_data`).

use super::CaseEvent;
use crate::personal::PersonalFields;

const REGISTERED: PersonalFields = PersonalFields {
    event_type: "CaseRegistered",
    kind: "contact",
    number: None,
    fields: &["enterprise/contact_name", "enterprise/contact_phone"],
};

const CORRECTED: PersonalFields = PersonalFields {
    event_type: "EnterpriseDetailsCorrected",
    kind: "contact",
    number: None,
    fields: &["contact_name", "contact_phone"],
};

const RATED: PersonalFields = PersonalFields {
    event_type: "RatingRecorded",
    kind: "rating",
    number: Some("rating_no"),
    fields: &["rater/name", "rater/phone"],
};

const COMPLAINED: PersonalFields = PersonalFields {
    event_type: "ComplaintLodged",
    kind: "complaint",
    number: Some("complaint_no"),
    fields: &["complainant/name", "complainant/phone"],
};

/// Every case event type with personal data.
pub(crate) const CASE_PERSONAL_FIELDS: &[PersonalFields] =
    &[REGISTERED, CORRECTED, RATED, COMPLAINED];

impl CaseEvent {
    /// Where this event keeps personal data, if it has any. Every variant is listed: a new one
    /// does not compile until someone decides whether it carries personal data.
    pub fn personal_fields(&self) -> Option<&'static PersonalFields> {
        match self {
            Self::CaseRegistered { .. } => Some(&CASE_PERSONAL_FIELDS[0]),
            Self::EnterpriseDetailsCorrected { .. } => Some(&CASE_PERSONAL_FIELDS[1]),
            Self::RatingRecorded { .. } => Some(&CASE_PERSONAL_FIELDS[2]),
            Self::ComplaintLodged { .. } => Some(&CASE_PERSONAL_FIELDS[3]),
            Self::AgreementSigned { .. }
            | Self::LeadStewardAssigned { .. }
            | Self::LeadStewardReplaced { .. }
            | Self::TeamMemberAdded { .. }
            | Self::TeamMemberRemoved { .. }
            | Self::PlanAdopted { .. }
            | Self::PlanRevised { .. }
            | Self::StageAdvanced { .. }
            | Self::ProjectAdded { .. }
            | Self::ProjectChanged { .. }
            | Self::VisitScheduled { .. }
            | Self::VisitConducted { .. }
            | Self::VisitCancelled { .. }
            | Self::ServiceItemRequested { .. }
            | Self::ServiceItemAccepted { .. }
            | Self::ServiceItemSuspended { .. }
            | Self::ServiceItemResumed { .. }
            | Self::ServiceItemExtended { .. }
            | Self::ServiceItemConcluded { .. }
            | Self::ServiceItemRejected { .. }
            | Self::RatingCallBackRecorded { .. }
            | Self::RatingAppealed { .. }
            | Self::RatingVoided { .. }
            | Self::RatingAppealRejected { .. }
            | Self::RatingRectified { .. }
            | Self::ComplaintAssigned { .. }
            | Self::ComplaintResolved { .. }
            | Self::ComplaintReferred { .. }
            | Self::NoteAdded { .. }
            | Self::CaseHeld { .. }
            | Self::CaseResumed { .. }
            | Self::CaseClosed { .. }
            | Self::CaseReopened { .. }
            | Self::PersonalDataErased { .. }
            | Self::LateEntryRecorded { .. }
            | Self::ClosedPeriodEntryApproved { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use cqrs_es::DomainEvent;

    use super::CASE_PERSONAL_FIELDS;

    use crate::testing::case_events::{every_case_event, variant_names, PERSONAL_MARKERS};

    #[test]
    fn the_samples_walk_every_variant() {
        let mut sampled: Vec<String> = every_case_event().iter().map(|e| e.event_type()).collect();
        sampled.sort();
        let mut all = variant_names();
        all.sort();
        assert_eq!(sampled, all);
    }

    #[test]
    fn each_event_declares_what_the_store_looks_up_by_its_type() {
        for event in every_case_event() {
            let by_type = CASE_PERSONAL_FIELDS
                .iter()
                .find(|p| p.event_type == event.event_type());
            assert_eq!(event.personal_fields(), by_type, "{}", event.event_type());
        }
    }

    #[test]
    fn every_declared_field_exists_and_nothing_undeclared_holds_personal_data() {
        for event in every_case_event() {
            let mut payload = serde_json::to_value(&event).expect("serialises");
            let name = event.event_type();
            // A subject per person needs the person's number in the event.
            if let Some(number) = event.personal_fields().and_then(|p| p.number) {
                assert!(payload[&name][number].is_u64(), "{name} has no {number}");
            }
            for (pointer, label) in event
                .personal_fields()
                .into_iter()
                .flat_map(|p| p.pointers())
            {
                let slot = payload.pointer_mut(&pointer);
                let value = slot.map(std::mem::take);
                let text = value.as_ref().and_then(|v| v.as_str().map(str::to_owned));
                assert!(
                    text.is_some_and(|t| PERSONAL_MARKERS.contains(&t.as_str())),
                    "{name}: the declared field {label} does not hold the sample's personal data"
                );
            }
            let rest = payload.to_string();
            for marker in PERSONAL_MARKERS {
                assert!(
                    !rest.contains(marker),
                    "{name} holds {marker} outside its declared fields"
                );
            }
        }
    }
}
