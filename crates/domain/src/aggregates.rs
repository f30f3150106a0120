//! Every aggregate type of the domain, whether a stored payload reads as one of its events, and
//! which carry personal data.
//!
//! One list, so that tools that look at the whole log — `guanjia verify` finding unreadable
//! rows, `guanjia quarantine` refusing to put aside a row that reads fine, metrics registered
//! per type — agree with the aggregates themselves. A new aggregate is added here.

use cqrs_es::Aggregate;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::access::AccessLog;
use crate::case::EnterpriseCase;
use crate::catalog::ServiceCatalog;
use crate::periods::ReportingPeriods;
use crate::personal::PersonalData;
use crate::progress::ProgressLinks;
use crate::quarantine::Quarantine;
use crate::rating_links::RatingLinks;
use crate::registry::{CaseNumberBook, EnterpriseRegistry};
use crate::report::ProblemReport;
use crate::user::User;

/// The `Aggregate::TYPE` of every aggregate, as stored in the log's `aggregate_type` column.
pub const TYPES: [&str; 11] = [
    EnterpriseCase::TYPE,
    ServiceCatalog::TYPE,
    User::TYPE,
    EnterpriseRegistry::TYPE,
    CaseNumberBook::TYPE,
    AccessLog::TYPE,
    Quarantine::TYPE,
    ReportingPeriods::TYPE,
    ProblemReport::TYPE,
    ProgressLinks::TYPE,
    RatingLinks::TYPE,
];

/// Every aggregate type whose events carry personal data, and what the domain declares about
/// it (`crate::personal`). A new one is added here.
const PERSONAL: &[PersonalData] = &[
    PersonalData {
        aggregate_type: EnterpriseCase::TYPE,
        subject_root: "case",
        events: crate::case::CASE_PERSONAL_FIELDS,
    },
    PersonalData {
        aggregate_type: ProblemReport::TYPE,
        subject_root: "report",
        events: crate::report::REPORT_PERSONAL_FIELDS,
    },
];

/// What the domain declares about the personal data of `aggregate_type`'s events; `None` for
/// the types that carry none. The store seals exactly this.
pub fn personal_data(aggregate_type: &str) -> Option<&'static PersonalData> {
    PERSONAL.iter().find(|d| d.aggregate_type == aggregate_type)
}

/// Why a payload does not read as an event of its aggregate type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayloadError {
    #[error("no aggregate of type {0:?} exists")]
    UnknownType(String),
    #[error("the payload is not a {aggregate_type} event: {reason}")]
    Malformed {
        aggregate_type: String,
        reason: String,
    },
}

/// Checks that `payload`, as readers get it (personal data unsealed), decodes as an event of
/// `aggregate_type`.
pub fn check_payload(
    aggregate_type: &str,
    payload: &serde_json::Value,
) -> Result<(), PayloadError> {
    match aggregate_type {
        t if t == EnterpriseCase::TYPE => decodes::<EnterpriseCase>(payload),
        t if t == ServiceCatalog::TYPE => decodes::<ServiceCatalog>(payload),
        t if t == User::TYPE => decodes::<User>(payload),
        t if t == EnterpriseRegistry::TYPE => decodes::<EnterpriseRegistry>(payload),
        t if t == CaseNumberBook::TYPE => decodes::<CaseNumberBook>(payload),
        t if t == AccessLog::TYPE => decodes::<AccessLog>(payload),
        t if t == Quarantine::TYPE => decodes::<Quarantine>(payload),
        t if t == ReportingPeriods::TYPE => decodes::<ReportingPeriods>(payload),
        t if t == ProblemReport::TYPE => decodes::<ProblemReport>(payload),
        t if t == ProgressLinks::TYPE => decodes::<ProgressLinks>(payload),
        t if t == RatingLinks::TYPE => decodes::<RatingLinks>(payload),
        other => Err(PayloadError::UnknownType(other.to_owned())),
    }
}

fn decodes<A: Aggregate>(payload: &serde_json::Value) -> Result<(), PayloadError>
where
    A::Event: DeserializeOwned,
{
    A::Event::deserialize(payload)
        .map(|_| ())
        .map_err(|error| PayloadError::Malformed {
            aggregate_type: A::TYPE.to_owned(),
            reason: error.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn every_type_is_checked_and_no_other() {
        for kind in TYPES {
            assert!(
                !matches!(
                    check_payload(kind, &json!({})),
                    Err(PayloadError::UnknownType(_))
                ),
                "{kind}"
            );
        }
        assert_eq!(
            check_payload("ghost", &json!({})),
            Err(PayloadError::UnknownType("ghost".to_owned()))
        );
    }

    #[test]
    fn a_payload_of_another_shape_is_malformed() {
        assert!(matches!(
            check_payload(User::TYPE, &json!({"NoSuchEvent": {}})),
            Err(PayloadError::Malformed { .. })
        ));
        assert!(matches!(
            check_payload(Quarantine::TYPE, &json!("not an event")),
            Err(PayloadError::Malformed { .. })
        ));
    }
}
