//! The personal data of report events: the reporter's phone. Declared next to the events; the
//! store seals exactly this (`crate::aggregates::personal_data`).

use super::ReportEvent;
use crate::personal::PersonalFields;

const REPORTED: PersonalFields = PersonalFields {
    event_type: "ProblemReported",
    kind: "reporter",
    number: None,
    fields: &["phone"],
};

/// Every report event type with personal data.
pub(crate) const REPORT_PERSONAL_FIELDS: &[PersonalFields] = &[REPORTED];

impl ReportEvent {
    /// Where this event keeps personal data, if it has any. Every variant is listed.
    pub fn personal_fields(&self) -> Option<&'static PersonalFields> {
        match self {
            Self::ProblemReported { .. } => Some(&REPORT_PERSONAL_FIELDS[0]),
            Self::ProblemReportAssigned { .. }
            | Self::ProblemReportResolved { .. }
            | Self::ProblemReportReferred { .. } => None,
        }
    }
}
