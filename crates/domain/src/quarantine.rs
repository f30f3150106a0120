//! Quarantine of an unreadable event: the record that a person put one row of the log aside.
//!
//! The log never changes, so an event that cannot be read (its payload or metadata does not
//! decode — a bug in an old writer, a hand-made row) stays where it is. Readers stop before it
//! rather than skip a fact silently. An administrator who has looked at it quarantines it:
//! this aggregate records who, when, why, and which row, and from then on readers pass the row.
//! One stream per quarantined position (its id is the position), so a row is quarantined once.

use cqrs_es::event_sink::EventSink;
use cqrs_es::{Aggregate, DomainEvent};
use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::values::text::{self, BODY_MAX, LABEL_MAX};

/// Whether the row at this stream's position is quarantined.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quarantine {
    quarantined: bool,
}

/// Which row, as the log holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuarantinedRow {
    /// The row's log position, as printed (`"743-1021"`).
    pub position: String,
    pub aggregate_type: String,
    pub aggregate_id: String,
    pub sequence: u64,
    pub event_type: String,
    /// Why it cannot be read, as the reader that found it said.
    pub fault: String,
}

/// Put a row aside.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuarantineCommand {
    Quarantine { row: QuarantinedRow, reason: String },
}

/// A row was put aside.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuarantineEvent {
    EventQuarantined { row: QuarantinedRow, reason: String },
}

impl DomainEvent for QuarantineEvent {
    fn event_type(&self) -> String {
        "EventQuarantined".to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}

impl Aggregate for Quarantine {
    const TYPE: &'static str = "log_quarantine";
    type Command = QuarantineCommand;
    type Event = QuarantineEvent;
    type Error = DomainError;
    type Services = ();

    async fn handle(
        &mut self,
        command: Self::Command,
        _services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let QuarantineCommand::Quarantine { row, reason } = command;
        if self.quarantined {
            return Err(DomainError::not_allowed(format!(
                "the event at {} is already quarantined",
                row.position
            )));
        }
        let reason = text::required("reason", &reason, BODY_MAX)?;
        let row = QuarantinedRow {
            position: text::required("position", &row.position, LABEL_MAX)?,
            aggregate_type: text::required("aggregate_type", &row.aggregate_type, LABEL_MAX)?,
            aggregate_id: text::required("aggregate_id", &row.aggregate_id, LABEL_MAX)?,
            fault: text::required("fault", &row.fault, BODY_MAX)?,
            ..row
        };
        sink.write(QuarantineEvent::EventQuarantined { row, reason }, self)
            .await;
        Ok(())
    }

    fn apply(&mut self, _event: Self::Event) {
        self.quarantined = true;
    }
}

#[cfg(test)]
mod tests {
    use cqrs_es::test::TestFramework;

    use super::*;
    use crate::ValueError;

    fn row() -> QuarantinedRow {
        QuarantinedRow {
            position: "743-1021".to_owned(),
            aggregate_type: "enterprise_case".to_owned(),
            aggregate_id: "c-1".to_owned(),
            sequence: 4,
            event_type: "NoteAdded".to_owned(),
            fault: "metadata: invalid type: integer `5`, expected a string".to_owned(),
        }
    }

    fn quarantine(reason: &str) -> QuarantineCommand {
        QuarantineCommand::Quarantine {
            row: row(),
            reason: reason.to_owned(),
        }
    }

    #[test]
    fn a_row_is_quarantined_with_its_reason() {
        TestFramework::<Quarantine>::with(())
            .given_no_previous_events()
            .when(quarantine(
                "hand-made row of the 2024-03 migration; content kept in ticket 17",
            ))
            .then_expect_events(vec![QuarantineEvent::EventQuarantined {
                row: row(),
                reason: "hand-made row of the 2024-03 migration; content kept in ticket 17"
                    .to_owned(),
            }]);
    }

    #[test]
    fn a_quarantine_needs_a_reason() {
        TestFramework::<Quarantine>::with(())
            .given_no_previous_events()
            .when(quarantine("  "))
            .then_expect_error(DomainError::invalid("reason", ValueError::Empty));
    }

    #[test]
    fn a_row_is_quarantined_once() {
        TestFramework::<Quarantine>::with(())
            .given(vec![QuarantineEvent::EventQuarantined {
                row: row(),
                reason: "first".to_owned(),
            }])
            .when(quarantine("again"))
            .then_expect_error(DomainError::not_allowed(
                "the event at 743-1021 is already quarantined",
            ));
    }
}
