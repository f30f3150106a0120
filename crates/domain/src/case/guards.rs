//! The guards every decision of the case shares — the moment of the decision, the case exists
//! and is open, a business date is not in the future — kept apart from the dispatch
//! (`aggregate.rs`) so that the decision modules depend on them and not on their caller.

use chrono::{DateTime, NaiveDate, Utc};

use super::model::CaseState;
use super::state::EnterpriseCase;
use crate::clock::{china_date, Clock};
use crate::error::{DomainError, ValueError};

/// The moment a command is decided, read once from the clock.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Now {
    pub at: DateTime<Utc>,
    pub today: NaiveDate,
}

impl Now {
    pub(crate) fn from_clock(clock: &dyn Clock) -> Self {
        let at = clock.now();
        Self {
            at,
            today: china_date(at),
        }
    }

    /// A business date given by the user, or today; never in the future.
    pub(crate) fn date(
        &self,
        field: &'static str,
        given: Option<NaiveDate>,
    ) -> Result<NaiveDate, DomainError> {
        let date = given.unwrap_or(self.today);
        self.not_future(field, date)?;
        Ok(date)
    }

    pub(crate) fn not_future(
        &self,
        field: &'static str,
        date: NaiveDate,
    ) -> Result<(), DomainError> {
        if date > self.today {
            return Err(DomainError::invalid(
                field,
                ValueError::Rule(format!("{date} is in the future (today is {})", self.today)),
            ));
        }
        Ok(())
    }
}

impl EnterpriseCase {
    /// Every command but `Register` needs a registered case.
    pub(crate) fn require_registered(&self) -> Result<(), DomainError> {
        if self.state == CaseState::Unregistered {
            return Err(DomainError::NotFound {
                what: "case".to_owned(),
            });
        }
        Ok(())
    }

    /// Work on a closed case is refused; ratings and complaints are not (the enterprise keeps its voice).
    pub(crate) fn require_not_closed(&self) -> Result<(), DomainError> {
        if self.state == CaseState::Closed {
            return Err(DomainError::not_allowed(format!(
                "case {} is closed",
                self.number_text()
            )));
        }
        Ok(())
    }

    pub(crate) fn number_text(&self) -> String {
        self.case_number
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default()
    }
}
