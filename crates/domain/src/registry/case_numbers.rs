//! The case-number book of one year.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::{Aggregate, DomainEvent};
use serde::{Deserialize, Serialize};

use crate::case::CaseServices;
use crate::error::{DomainError, ValueError};
use crate::values::CaseNumber;

/// Hands out the case numbers of one year (stream id: the year, e.g. `"2024"`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseNumberBook {
    year: Option<i32>,
    last_serial: u32,
    /// Which case got which serial: asking again for the same case returns its number, so a
    /// registration that is retried after a crash does not burn a second number.
    issued: BTreeMap<String, u32>,
}

/// Asks the book for the next number of `year`, for the case `case_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CaseNumberCommand {
    Issue { year: i32, case_id: String },
}

/// A number was given to a case; it is never given again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CaseNumberEvent {
    CaseNumberIssued {
        number: CaseNumber,
        case_id: String,
        issued_at: DateTime<Utc>,
    },
}

impl DomainEvent for CaseNumberEvent {
    fn event_type(&self) -> String {
        "CaseNumberIssued".to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}

impl CaseNumberBook {
    /// The last number issued, if any.
    pub fn last_serial(&self) -> u32 {
        self.last_serial
    }

    /// The number issued to `case_id`, if any.
    pub fn number_of(&self, case_id: &str) -> Option<CaseNumber> {
        let year = self.year?;
        let serial = *self.issued.get(case_id)?;
        CaseNumber::new(year, serial).ok()
    }

    /// The case that was given `number`, if this book gave it. A scan of the year's book:
    /// it serves the public progress lookup, which is rate-limited, not a hot path.
    pub fn case_of(&self, number: CaseNumber) -> Option<&str> {
        if self.year != Some(number.year()) {
            return None;
        }
        self.issued
            .iter()
            .find(|(_, serial)| **serial == number.serial())
            .map(|(case_id, _)| case_id.as_str())
    }
}

impl Aggregate for CaseNumberBook {
    const TYPE: &'static str = "case_number_book";
    type Command = CaseNumberCommand;
    type Event = CaseNumberEvent;
    type Error = DomainError;
    type Services = CaseServices;

    async fn handle(
        &mut self,
        command: Self::Command,
        services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let CaseNumberCommand::Issue { year, case_id } = command;
        if self.issued.contains_key(&case_id) {
            return Ok(());
        }
        if self.year.is_some_and(|y| y != year) {
            return Err(DomainError::invalid(
                "year",
                ValueError::Rule(format!("this book is for {:?}, not {year}", self.year)),
            ));
        }
        let number = CaseNumber::new(year, self.last_serial + 1)
            .map_err(|e| DomainError::invalid("case_number", e))?;
        let issued_at = services.clock.now();
        sink.write(
            CaseNumberEvent::CaseNumberIssued {
                number,
                case_id,
                issued_at,
            },
            self,
        )
        .await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        let CaseNumberEvent::CaseNumberIssued {
            number, case_id, ..
        } = event;
        self.year = Some(number.year());
        self.last_serial = number.serial();
        self.issued.insert(case_id, number.serial());
    }
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

    fn book() -> TestFramework<SnapshotChecked<CaseNumberBook>> {
        TestFramework::with(CaseServices::new(Arc::new(FixedClock::at(at()))))
    }

    fn issued(serial: u32, case_id: &str) -> CaseNumberEvent {
        CaseNumberEvent::CaseNumberIssued {
            number: CaseNumber::new(2024, serial).expect("valid"),
            case_id: case_id.to_owned(),
            issued_at: at(),
        }
    }

    #[test]
    fn a_number_leads_back_to_its_case_in_its_own_year_only() {
        let mut book = CaseNumberBook::default();
        for event in [issued(1, "c1"), issued(2, "c2")] {
            Aggregate::apply(&mut book, event);
        }
        let number = |year, serial| CaseNumber::new(year, serial).expect("valid");
        assert_eq!(book.case_of(number(2024, 2)), Some("c2"));
        assert_eq!(book.case_of(number(2024, 3)), None);
        assert_eq!(book.case_of(number(2023, 1)), None);
    }

    #[test]
    fn the_first_number_of_a_year_is_0001() {
        book()
            .given_no_previous_events()
            .when(CaseNumberCommand::Issue {
                year: 2024,
                case_id: "c1".to_owned(),
            })
            .then_expect_events(vec![issued(1, "c1")]);
    }

    #[test]
    fn numbers_follow_the_last_one_issued() {
        book()
            .given(vec![issued(1, "c1"), issued(2, "c2")])
            .when(CaseNumberCommand::Issue {
                year: 2024,
                case_id: "c3".to_owned(),
            })
            .then_expect_events(vec![issued(3, "c3")]);
    }

    #[test]
    fn asking_again_for_the_same_case_issues_nothing() {
        book()
            .given(vec![issued(1, "c1")])
            .when(CaseNumberCommand::Issue {
                year: 2024,
                case_id: "c1".to_owned(),
            })
            .then_expect_events(vec![]);
        let mut state = CaseNumberBook::default();
        state.apply(issued(1, "c1"));
        assert_eq!(state.number_of("c1"), CaseNumber::new(2024, 1).ok());
        assert_eq!(state.number_of("c2"), None);
    }

    #[test]
    fn a_book_refuses_another_year() {
        let error = book()
            .given(vec![issued(1, "c1")])
            .when(CaseNumberCommand::Issue {
                year: 2025,
                case_id: "c2".to_owned(),
            })
            .inspect_result()
            .expect_err("refused");
        assert!(
            matches!(error, DomainError::Invalid { field: "year", .. }),
            "{error:?}"
        );
    }

    #[test]
    fn a_full_year_is_refused_with_the_case_number_rule() {
        let error = book()
            .given(vec![issued(9999, "c1")])
            .when(CaseNumberCommand::Issue {
                year: 2024,
                case_id: "c2".to_owned(),
            })
            .inspect_result()
            .expect_err("refused");
        assert!(
            matches!(
                error,
                DomainError::Invalid {
                    field: "case_number",
                    ..
                }
            ),
            "{error:?}"
        );
    }
}
