//! The access log of personal data: every read of unmasked personal data (an enterprise
//! contact's phone, a rater's or complainant's identity) is itself a fact in the event log —
//! who, when, which case, which fields — so that PIPL questions ("who looked at my number?")
//! have an answer that cannot be edited afterwards.
//!
//! One stream per request that showed personal data (`AccessLog`, id = `<username>/<uuid>`):
//! no two requests — of one reader or of several — contend for the same stream's optimistic
//! lock, so recording never conflicts. "What did user U read" is a filter on the events' actor;
//! "who looked at case X" a filter on the payload's `case_id` (the store's audit query does
//! both). One event per case read.

use chrono::{DateTime, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::{Aggregate, DomainEvent};
use serde::{Deserialize, Serialize};

use crate::case::CaseServices;
use crate::error::{DomainError, ValueError};
use crate::values::text::{self, LABEL_MAX, LIST_MAX};

/// The reads recorded for one request (stream id: `<username>/<uuid>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessLog {
    reads: u64,
}

/// Records that the user read unmasked personal data of a case, or of several.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccessCommand {
    RecordRead {
        case_id: String,
        /// The personal fields shown, e.g. "enterprise.contact_phone", "ratings.rater.name".
        fields: Vec<String>,
        /// Why the data was needed: the query or operation that showed it.
        purpose: String,
    },
    /// The reads of one request (a list of cases, an export): one event per case, appended
    /// together, so that either every read is recorded or none is. At most [`LIST_MAX`].
    RecordReads { reads: Vec<CaseRead> },
}

/// One case's personal data read, within [`AccessCommand::RecordReads`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRead {
    pub case_id: String,
    pub fields: Vec<String>,
    pub purpose: String,
}

/// A read of unmasked personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccessEvent {
    PersonalDataRead {
        case_id: String,
        fields: Vec<String>,
        purpose: String,
        read_at: DateTime<Utc>,
    },
}

impl DomainEvent for AccessEvent {
    fn event_type(&self) -> String {
        "PersonalDataRead".to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}

impl AccessLog {
    /// How many reads the stream holds.
    pub fn reads(&self) -> u64 {
        self.reads
    }
}

impl Aggregate for AccessLog {
    const TYPE: &'static str = "access_log";
    type Command = AccessCommand;
    type Event = AccessEvent;
    type Error = DomainError;
    type Services = CaseServices;

    async fn handle(
        &mut self,
        command: Self::Command,
        services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let reads = match command {
            AccessCommand::RecordRead {
                case_id,
                fields,
                purpose,
            } => vec![CaseRead {
                case_id,
                fields,
                purpose,
            }],
            AccessCommand::RecordReads { reads } => reads,
        };
        bounded("reads", reads.len())?;
        let read_at = services.clock.now();
        let events = reads
            .into_iter()
            .map(|read| checked(read, read_at))
            .collect::<Result<Vec<_>, _>>()?;
        for event in events {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, _event: Self::Event) {
        self.reads += 1;
    }
}

/// A list of 1..=[`LIST_MAX`] entries.
fn bounded(field: &'static str, len: usize) -> Result<(), DomainError> {
    if len == 0 {
        return Err(DomainError::invalid(field, ValueError::Empty));
    }
    if len > LIST_MAX {
        return Err(DomainError::invalid(
            field,
            ValueError::TooLong {
                max: LIST_MAX,
                actual: len,
            },
        ));
    }
    Ok(())
}

/// The event of one read, its text checked: a case, at least one field, and a purpose.
fn checked(read: CaseRead, read_at: DateTime<Utc>) -> Result<AccessEvent, DomainError> {
    bounded("fields", read.fields.len())?;
    Ok(AccessEvent::PersonalDataRead {
        case_id: text::required("case_id", &read.case_id, LABEL_MAX)?,
        fields: text::list("fields", &read.fields, LABEL_MAX)?,
        purpose: text::required("purpose", &read.purpose, LABEL_MAX)?,
        read_at,
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::TimeZone;
    use cqrs_es::test::TestFramework;

    use super::*;
    use crate::clock::FixedClock;
    use crate::testing::SnapshotChecked;

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 3, 15, 2, 0, 0)
            .single()
            .expect("valid instant")
    }

    fn log() -> TestFramework<SnapshotChecked<AccessLog>> {
        TestFramework::with(CaseServices::new(Arc::new(FixedClock::at(at()))))
    }

    fn read(fields: Vec<&str>, purpose: &str) -> AccessCommand {
        AccessCommand::RecordRead {
            case_id: "case-1".to_owned(),
            fields: fields.into_iter().map(str::to_owned).collect(),
            purpose: purpose.to_owned(),
        }
    }

    #[test]
    fn a_read_is_recorded_with_its_time() {
        log()
            .given_no_previous_events()
            .when(read(vec!["enterprise.contact_phone"], "caseDetail"))
            .then_expect_events(vec![AccessEvent::PersonalDataRead {
                case_id: "case-1".to_owned(),
                fields: vec!["enterprise.contact_phone".to_owned()],
                purpose: "caseDetail".to_owned(),
                read_at: at(),
            }]);
    }

    #[test]
    fn a_read_of_nothing_or_without_purpose_is_refused() {
        log()
            .given_no_previous_events()
            .when(read(vec![], "caseDetail"))
            .then_expect_error(DomainError::invalid("fields", ValueError::Empty));
        log()
            .given_no_previous_events()
            .when(read(vec!["enterprise.contact_phone"], " "))
            .then_expect_error(DomainError::invalid("purpose", ValueError::Empty));
    }

    #[test]
    fn the_reads_of_one_request_are_one_event_per_case() {
        let batch = |reads: Vec<CaseRead>| AccessCommand::RecordReads { reads };
        let of = |case_id: &str| CaseRead {
            case_id: case_id.to_owned(),
            fields: vec!["ratings.rater.name".to_owned()],
            purpose: "cases".to_owned(),
        };
        let event = |case_id: &str| AccessEvent::PersonalDataRead {
            case_id: case_id.to_owned(),
            fields: vec!["ratings.rater.name".to_owned()],
            purpose: "cases".to_owned(),
            read_at: at(),
        };
        log()
            .given_no_previous_events()
            .when(batch(vec![of("case-1"), of("case-2")]))
            .then_expect_events(vec![event("case-1"), event("case-2")]);
        log()
            .given_no_previous_events()
            .when(batch(vec![]))
            .then_expect_error(DomainError::invalid("reads", ValueError::Empty));
        // One bad read refuses the whole batch: nothing is half recorded.
        log()
            .given_no_previous_events()
            .when(batch(vec![of("case-1"), of(" ")]))
            .then_expect_error(DomainError::invalid("case_id", ValueError::Empty));
        log()
            .given_no_previous_events()
            .when(batch(vec![of("case-1"); LIST_MAX + 1]))
            .then_expect_error(DomainError::invalid(
                "reads",
                ValueError::TooLong {
                    max: LIST_MAX,
                    actual: LIST_MAX + 1,
                },
            ));
    }
}
