//! The access log of personal data: every read of unmasked personal data (an enterprise
//! contact's phone, a rater's or complainant's identity) is itself a fact in the event log —
//! who, when, which case, which fields — so that PIPL questions ("who looked at my number?")
//! have an answer that cannot be edited afterwards.
//!
//! One stream per reader (`AccessLog`, id = the username): reads by different users never
//! contend for the same stream's optimistic lock.

use chrono::{DateTime, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::{Aggregate, DomainEvent};
use serde::{Deserialize, Serialize};

use crate::case::CaseServices;
use crate::error::{DomainError, ValueError};
use crate::values::text::{self, LABEL_MAX, LIST_MAX};

/// The reads of one user (stream id: the username).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessLog {
    reads: u64,
}

/// Records that the user read unmasked personal data of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccessCommand {
    RecordRead {
        case_id: String,
        /// The personal fields shown, e.g. "enterprise.contact_phone", "ratings.rater".
        fields: Vec<String>,
        /// Why the data was needed: the query or operation that showed it.
        purpose: String,
    },
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
        let AccessCommand::RecordRead {
            case_id,
            fields,
            purpose,
        } = command;
        let case_id = text::required("case_id", &case_id, LABEL_MAX)?;
        if fields.is_empty() {
            return Err(DomainError::invalid("fields", ValueError::Empty));
        }
        if fields.len() > LIST_MAX {
            return Err(DomainError::invalid(
                "fields",
                ValueError::TooLong {
                    max: LIST_MAX,
                    actual: fields.len(),
                },
            ));
        }
        let fields = text::list("fields", &fields, LABEL_MAX)?;
        let purpose = text::required("purpose", &purpose, LABEL_MAX)?;
        let read_at = services.clock.now();
        sink.write(
            AccessEvent::PersonalDataRead {
                case_id,
                fields,
                purpose,
                read_at,
            },
            self,
        )
        .await;
        Ok(())
    }

    fn apply(&mut self, _event: Self::Event) {
        self.reads += 1;
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::TimeZone;
    use cqrs_es::test::TestFramework;

    use super::*;
    use crate::clock::FixedClock;

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 3, 15, 2, 0, 0)
            .single()
            .expect("valid instant")
    }

    fn log() -> TestFramework<AccessLog> {
        TestFramework::with(CaseServices {
            clock: Arc::new(FixedClock::at(at())),
        })
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
}
