//! The read model (the "memory image"): every projection, and the position in the global log
//! up to which they have been applied.
//!
//! It is a plain value with no I/O and no locking: the follower that feeds it from the log (at
//! start-up, then live) owns it behind a lock and publishes [`ReadModel::position`] after each
//! batch, so a request can wait until the model has reached the position its mutation returned
//! (read-your-writes). Delivery is at-least-once: an event at or before the current position is
//! ignored, so a follower may re-read an overlap after a reconnect.
//!
//! Nothing here reads the system clock. Queries that depend on the date take `today` (Beijing
//! local date) from the caller, so the same log and the same date always give the same answer.

use crate::rating_links::RatingLinkBook;
use crate::reports::ReportBook;
use cqrs_es::Aggregate;
use guanjia_domain::calendar::WorkCalendar;
use guanjia_domain::case::{CaseEvent, EnterpriseCase, CASE_EVENT_VERSION};
use guanjia_domain::catalog::{CatalogEvent, ServiceCatalog};
use guanjia_domain::periods::{PeriodEvent, ReportingPeriods, PERIOD_EVENT_VERSION};
use guanjia_domain::rating_links::{RatingLinkEvent, RatingLinks, RATING_LINK_EVENT_VERSION};
use guanjia_domain::report::events::REPORT_EVENT_VERSION;
use guanjia_domain::report::{ProblemReport, ReportEvent};
use guanjia_domain::values::DivisionCode;
use guanjia_domain::values::Uscc;
use guanjia_store::{DecodePayload, LogPosition, StoredEvent};
use serde::de::DeserializeOwned;

use crate::cases::{CaseIx, CaseStore, EventContext, EventKind};
use crate::catalog::CatalogView;
use crate::days::DayIndex;
use crate::kpi::divisions::DivisionIndex;
use crate::kpi::facts::KpiFacts;
use crate::kpi::refresh::Touched;
use crate::kpi::KpiConfig;
use crate::lookup::{Lookup, TeamIndex};
use crate::reported::Closure;
use crate::search::text::TextIndex;
use crate::symbols::{Sym, Symbols};
use crate::ReadError;

/// The catalog's event version today (its events carry no constant of their own).
const CATALOG_EVENT_VERSION: &str = "1";

/// All projections of the log, as of [`ReadModel::position`].
#[derive(Debug, Clone, PartialEq)]
pub struct ReadModel {
    pub(crate) position: LogPosition,
    pub(crate) config: KpiConfig,
    pub(crate) days: DayIndex,
    pub(crate) symbols: Symbols,
    pub(crate) cases: CaseStore,
    pub(crate) lookup: Lookup,
    pub(crate) text: TextIndex,
    pub(crate) team: TeamIndex,
    pub(crate) catalog: CatalogView,
    /// The dashboard's projection (kpi/facts.rs).
    pub(crate) kpi: KpiFacts,
    /// The dashboard's rows by division, and the running items (kpi/divisions.rs).
    pub(crate) divisions: DivisionIndex,
    /// The closed periods (封账), as reported, and what changed in them since (reported.rs).
    pub(crate) closures: Vec<Closure>,
    /// The 办不成事 reports from the public.
    pub(crate) reports: ReportBook,
    /// The rating links on the record (rating_links.rs).
    pub(crate) rating_links: RatingLinkBook,
}

/// What the secondary indexes know of a case, compared before and after an event.
#[derive(PartialEq)]
struct IndexKeys {
    name: String,
    uscc: Option<Uscc>,
    team: Vec<Sym>,
}

impl ReadModel {
    /// An empty read model, before the first event of the log.
    pub fn new(calendar: WorkCalendar, config: KpiConfig) -> Self {
        Self {
            position: LogPosition::START,
            config,
            days: DayIndex::new(calendar),
            symbols: Symbols::default(),
            cases: CaseStore::default(),
            lookup: Lookup::default(),
            text: TextIndex::default(),
            team: TeamIndex::default(),
            catalog: CatalogView::default(),
            kpi: KpiFacts::default(),
            divisions: DivisionIndex::default(),
            closures: Vec::new(),
            reports: ReportBook::default(),
            rating_links: RatingLinkBook::default(),
        }
    }

    /// The position of the last event applied ([`LogPosition::START`] before any).
    pub fn position(&self) -> LogPosition {
        self.position
    }

    /// The number of cases registered.
    pub fn case_count(&self) -> usize {
        self.cases.cases.len()
    }

    /// The configurable parts of the figures and due dates.
    pub fn config(&self) -> &KpiConfig {
        &self.config
    }

    /// Changes the configuration; the statuses and due dates cached from it are recomputed.
    pub fn set_config(&mut self, config: KpiConfig) {
        self.config = config;
        self.refresh_all();
    }

    /// The working-day calendar in use.
    pub fn calendar(&self) -> &WorkCalendar {
        self.days.calendar()
    }

    /// The working-day index, for callers computing due dates the same way.
    pub fn days(&self) -> &DayIndex {
        &self.days
    }

    /// Replaces the calendar (a holiday arrangement was published): every cached deadline and
    /// due date is recomputed, so provisional ones become firm.
    pub fn set_calendar(&mut self, calendar: WorkCalendar) {
        self.days = DayIndex::new(calendar);
        self.refresh_all();
    }

    /// The 办不成事 reports of the divisions inside `scope`, newest first.
    pub fn problem_reports(&self, scope: &DivisionCode) -> Vec<crate::reports::ReportView> {
        self.reports.within(scope)
    }

    /// The 办不成事 report `code`, whatever its division: the caller asks who may read it.
    pub fn problem_report(&self, code: &str) -> Option<crate::reports::ReportView> {
        self.reports.get(code)
    }

    /// The catalog, every version of every item and bundle.
    pub fn catalog(&self) -> &CatalogView {
        &self.catalog
    }

    /// Applies one event of the global log.
    ///
    /// Events at or before [`Self::position`] are ignored (re-delivery). Events of aggregate
    /// types no projection reads are skipped but still advance the position. A payload that
    /// does not decode, or a version this build does not read, is an error naming the
    /// position; the model is then unchanged, and the follower must stop rather than skip it.
    pub fn apply<P: DecodePayload>(&mut self, event: &StoredEvent<P>) -> Result<(), ReadError> {
        if event.position <= self.position {
            return Ok(());
        }
        let kind = event.aggregate_type.as_str();
        if kind == EnterpriseCase::TYPE {
            let decoded: CaseEvent = decode(event, CASE_EVENT_VERSION)?;
            self.apply_case(event, decoded);
        } else if kind == ServiceCatalog::TYPE {
            let decoded: CatalogEvent = decode(event, CATALOG_EVENT_VERSION)?;
            self.catalog
                .apply(decoded, event.recorded_at, &event.metadata.actor_id);
        } else if kind == ReportingPeriods::TYPE {
            let decoded: PeriodEvent = decode(event, PERIOD_EVENT_VERSION)?;
            if let PeriodEvent::PeriodClosed {
                division,
                period,
                closed_on,
                closed_by,
            } = decoded
            {
                self.close_period(division, period, closed_on, &closed_by, event.position);
            }
        } else if kind == ProblemReport::TYPE {
            let decoded: ReportEvent = decode(event, REPORT_EVENT_VERSION)?;
            self.reports.apply(
                &event.aggregate_id,
                decoded,
                event.recorded_at,
                &event.metadata.actor_id,
            );
        } else if kind == RatingLinks::TYPE {
            let decoded: RatingLinkEvent = decode(event, RATING_LINK_EVENT_VERSION)?;
            self.rating_links
                .apply(&event.aggregate_id, decoded, &event.metadata.actor_id);
        }
        self.position = event.position;
        Ok(())
    }

    /// Applies a batch in order; stops at the first error, with the events before it applied.
    pub fn apply_all<'a, P: DecodePayload + 'a>(
        &mut self,
        events: impl IntoIterator<Item = &'a StoredEvent<P>>,
    ) -> Result<(), ReadError> {
        events.into_iter().try_for_each(|event| self.apply(event))
    }

    fn apply_case<P>(&mut self, stored: &StoredEvent<P>, event: CaseEvent) {
        let ctx = EventContext {
            position: stored.position,
            sequence: stored.sequence,
            recorded_at: stored.recorded_at,
            actor: self.symbols.intern(&stored.metadata.actor_id),
            role: self.symbols.intern(&stored.metadata.actor_role),
        };
        let id = stored.aggregate_id.as_str();
        let Some(case) = self.cases.find(id) else {
            if self.cases.hold_pending(id, &ctx, &event) {
                return;
            }
            match self.cases.register(id, &ctx, event) {
                Some(case) => {
                    self.index_new(case);
                    self.refresh_case(case);
                    self.note_change(case);
                }
                None => tracing::warn!(
                    position = %stored.position,
                    case = id,
                    event_type = stored.event_type,
                    "event of a case that was never registered is ignored"
                ),
            }
            return;
        };
        let touches_indexes = matches!(
            EventKind::of(&event),
            EventKind::EnterpriseDetailsCorrected
                | EventKind::LeadStewardAssigned
                | EventKind::LeadStewardReplaced
                | EventKind::TeamMemberAdded
                | EventKind::TeamMemberRemoved
        );
        let before = touches_indexes.then(|| self.index_keys(case)).flatten();
        let touched = Touched::by(&event);
        self.cases.apply(case, &ctx, event, &mut self.symbols);
        if let (Some(before), Some(after)) = (before, self.index_keys(case)) {
            self.reindex(case, before, after);
        }
        self.refresh_after(case, touched);
        self.note_change(case);
    }

    fn index_keys(&self, case: CaseIx) -> Option<IndexKeys> {
        let record = self.cases.case(case)?;
        let mut team: Vec<Sym> = record
            .team
            .iter()
            .filter(|spell| spell.to.is_none())
            .map(|spell| spell.user)
            .collect();
        team.sort_unstable();
        team.dedup();
        Some(IndexKeys {
            name: record.enterprise.name.clone(),
            uscc: record.enterprise.uscc.clone(),
            team,
        })
    }

    fn index_new(&mut self, case: CaseIx) {
        if let Some(record) = self.cases.case(case) {
            self.lookup.add(case, record);
            self.text.insert(case, &record.enterprise.name);
        }
    }

    fn reindex(&mut self, case: CaseIx, before: IndexKeys, after: IndexKeys) {
        if before == after {
            return;
        }
        if before.name != after.name {
            self.text.remove(case, &before.name);
            self.text.insert(case, &after.name);
        }
        self.lookup
            .set_uscc(case, before.uscc.as_ref(), after.uscc.as_ref());
        for user in &before.team {
            if after.team.binary_search(user).is_err() {
                self.team.set(*user, case, false);
            }
        }
        for user in &after.team {
            self.team.set(*user, case, true);
        }
    }
}

fn decode<T: DeserializeOwned, P: DecodePayload>(
    event: &StoredEvent<P>,
    supported: &'static str,
) -> Result<T, ReadError> {
    if event.event_version != supported {
        return Err(ReadError::UnsupportedVersion {
            position: event.position,
            aggregate_type: event.aggregate_type.clone(),
            event_type: event.event_type.clone(),
            version: event.event_version.clone(),
            supported,
        });
    }
    event
        .payload
        .decode_into()
        .map_err(|source| ReadError::Decode {
            position: event.position,
            aggregate_type: event.aggregate_type.clone(),
            event_type: event.event_type.clone(),
            source,
        })
}
