//! The one check of every dated step against closed periods (封账): a step of a case dated
//! inside a period closed for the case's division, or for a division above it, is refused
//! unless an unused approval lets it in. It crosses aggregates (the case, and the reporting
//! periods of each division from the county down to the case's own), so it lives here, and
//! every path that records a dated step passes through it: `cases::cross_case::run` for steps
//! on a case (late entries included), `cases::register` for registrations.
//!
//! Which approval: when several divisions closed a period holding the date, the outermost one
//! decides (its leaders' scope holds the others), so a town's leader cannot let an entry into
//! a year the county closed. One step is checked at its earliest date inside a closed period
//! and carries one approval.

use std::sync::Arc;

use chrono::NaiveDate;
use guanjia_domain::case::{CaseCommand, CaseServices, EnterpriseCase};
use guanjia_domain::periods::{EntryApproval, ReportingPeriods};
use guanjia_domain::values::DivisionCode;
use guanjia_store::{Source, Store, StoreError};

use crate::AppError;

/// The reporting periods of a division and of every division above it, outermost first.
#[derive(Debug, Clone)]
pub(crate) struct ClosedPeriods {
    pub division: DivisionCode,
    books: Vec<ReportingPeriods>,
}

impl ClosedPeriods {
    /// Reads the periods of `division` and its ancestors from the log.
    pub async fn load(store: &Store, division: &DivisionCode) -> Result<Self, StoreError> {
        let mut books = Vec::new();
        for code in division.ancestors() {
            let book = store.load::<ReportingPeriods>(code.as_str()).await?.state;
            books.push(book);
        }
        Ok(Self {
            division: division.clone(),
            books,
        })
    }

    /// No period is closed for the division or above it.
    pub fn is_empty(&self) -> bool {
        self.books.iter().all(|book| book.closed.is_empty())
    }

    /// The outermost division that closed a period holding `date`, and that period.
    fn closure_of(
        &self,
        date: NaiveDate,
    ) -> Option<(&ReportingPeriods, guanjia_domain::values::Period)> {
        self.books
            .iter()
            .find_map(|book| book.closed_period_of(date).map(|period| (book, period)))
    }

    /// Refuses `dates` when one lies in a closed period: for a registration, which no
    /// approval can let in (an approval names a case, and the case does not exist yet).
    pub fn refuse_any(&self, dates: &[NaiveDate]) -> Result<(), AppError> {
        match self.earliest_closed(dates) {
            Some((book, period, date)) => Err(refusal(book, period, date, &self.division)),
            None => Ok(()),
        }
    }

    fn earliest_closed(
        &self,
        dates: &[NaiveDate],
    ) -> Option<(&ReportingPeriods, guanjia_domain::values::Period, NaiveDate)> {
        let mut sorted = dates.to_vec();
        sorted.sort_unstable();
        sorted.into_iter().find_map(|date| {
            self.closure_of(date)
                .map(|(book, period)| (book, period, date))
        })
    }

    /// Whether `command` may run on `case` (`case_id`, as loaded): `Ok(None)` when its step
    /// is dated outside every closed period, `Ok(Some(approval))` when it is dated inside one
    /// and an unused approval for this case lets it in (the step is then sent with it),
    /// [`AppError::PeriodClosed`] otherwise.
    pub fn decide(
        &self,
        case: &EnterpriseCase,
        case_id: &str,
        command: &CaseCommand,
        services: &CaseServices,
    ) -> Result<Option<EntryApproval>, AppError> {
        if self.is_empty() {
            return Ok(None);
        }
        let dates = case.business_dates_of(command, services);
        let Some((book, period, date)) = self.earliest_closed(&dates) else {
            return Ok(None);
        };
        let approval = book
            .approvals_for(case_id)
            .find(|a| a.period.contains(date) && !case.used_approvals.contains(&a.key()));
        match approval {
            Some(approval) => Ok(Some(approval.clone())),
            None => Err(refusal(book, period, date, &self.division)),
        }
    }
}

fn refusal(
    book: &ReportingPeriods,
    period: guanjia_domain::values::Period,
    date: NaiveDate,
    fallback: &DivisionCode,
) -> AppError {
    AppError::PeriodClosed {
        date,
        period,
        division: book.division.clone().unwrap_or_else(|| fallback.clone()),
    }
}

/// `command` sent with `approval` when one lets it in.
pub(crate) fn with_approval(command: CaseCommand, approval: Option<EntryApproval>) -> CaseCommand {
    match approval {
        Some(approval) => CaseCommand::ApprovedEntry {
            approval,
            command: Box::new(command),
        },
        None => command,
    }
}

/// A step prepared for the closed-period check: sent with the approval that lets it in (if
/// any), and confirmed on the case exactly as the store loads it for the command.
#[derive(Debug)]
pub(crate) struct Prepared {
    periods: Option<ClosedPeriods>,
    original: CaseCommand,
    approval: Option<EntryApproval>,
    /// Whether the step had a business date on the state it was prepared on.
    dated: bool,
    /// The case's division on that state.
    division: Option<DivisionCode>,
}

/// Which state of the case `prepare` decides on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Basis {
    /// The state this node last saw, from memory when it is kept (no read of the log): the
    /// common case, since a command's case was usually loaded or changed here lately. Should
    /// it be behind, the guard finds out ([`Stale`]) and the caller prepares again.
    Remembered,
    /// The state read from the log.
    Log,
}

/// The state the check was prepared on was behind the one the command ran on, in a way that
/// matters to it (the step's dating, the case's division, the approval it needs): the caller
/// prepares again on the state read from the log ([`Basis::Log`]).
#[derive(Debug, thiserror::Error)]
#[error("the case changed since its closed-period check was prepared")]
pub(crate) struct Stale;

/// Whether the store refused a command because its preparation was [`Stale`].
pub(crate) fn is_stale(error: &StoreError) -> bool {
    matches!(error, StoreError::Refused { source } if source.downcast_ref::<Stale>().is_some())
}

/// Reads the closed periods of the case's division and decides which approval, if any,
/// `command` needs; returns the command to send (wrapped when an approval lets it in) and
/// what the guard confirms on the case as loaded for it. A step the check refuses is sent as
/// it is and refused by the guard, so that a repeat of a request that already went through
/// still answers its first outcome (the store looks the key up on a refusal).
pub(crate) async fn prepare(
    store: &Store,
    case_id: &str,
    command: CaseCommand,
    services: &CaseServices,
    basis: Basis,
) -> Result<(CaseCommand, Prepared), StoreError> {
    let remembered = match basis {
        Basis::Remembered => store.remembered::<EnterpriseCase>(case_id),
        Basis::Log => None,
    };
    let case = match remembered {
        Some(case) => case,
        None => store.load::<EnterpriseCase>(case_id).await?.state,
    };
    // A step without a business date (a note, a team change, a plan) falls in no period: the
    // periods of its divisions are not read, sparing every such command one to three loads.
    let dated = !case.business_dates_of(&command, services).is_empty();
    let division = case.enterprise.as_ref().map(|e| e.division.clone());
    let periods = match &division {
        Some(division) if dated => {
            let periods = ClosedPeriods::load(store, division).await?;
            (!periods.is_empty()).then_some(periods)
        }
        _ => None,
    };
    let approval = periods
        .as_ref()
        .and_then(|p| p.decide(&case, case_id, &command, services).ok().flatten());
    let sent = with_approval(command.clone(), approval.clone());
    Ok((
        sent,
        Prepared {
            periods,
            original: command,
            approval,
            dated,
            division,
        },
    ))
}

impl Prepared {
    /// The check on the case as loaded for the command: the same decision as prepared, or the
    /// refusal ([`AppError`]). A case that differs from the one prepared on where it matters
    /// — another division, a step now dated that was not, other approvals — is [`Stale`].
    pub fn confirm(
        &self,
        case: &EnterpriseCase,
        case_id: &str,
        services: &CaseServices,
    ) -> Result<(), Source> {
        let stale = || Err(Arc::new(Stale) as Source);
        if case.enterprise.as_ref().map(|e| &e.division) != self.division.as_ref() {
            return stale();
        }
        if !self.dated {
            // Undated on the state prepared on; dated on this one means periods unread.
            return match case.business_dates_of(&self.original, services).is_empty() {
                true => Ok(()),
                false => stale(),
            };
        }
        let Some(periods) = &self.periods else {
            // Dated, and nothing is closed for the division (read from the log just now).
            return Ok(());
        };
        let decided = periods
            .decide(case, case_id, &self.original, services)
            .map_err(|refusal| Arc::new(refusal) as Source)?;
        if decided != self.approval {
            return stale();
        }
        Ok(())
    }
}
