//! The timeline of a case as stored: one compact entry per event (56 bytes), with what the
//! metadata says (who, in which role, when) and a pointer to the row the event touched.
//! The short summary shown to users is rendered when the timeline is read (detail/timeline.rs)
//! from those rows, which hold every fact the events carried; storing two million rendered
//! summaries would cost more than the rest of a timeline.
//!
//! All entries of all cases live in one table, each pointing back to the previous entry of
//! its case, and the case keeps its last one. A `Vec` per case would grow to 32 slots for 20
//! events and leave its outgrown buffers behind as heap fragments: about 1 KB per case, or
//! 100 MB at 100,000 cases, for a list that is only read whole, when a case is opened.

use chrono::{DateTime, NaiveDate, Utc};
use guanjia_domain::case::CaseEvent;
use guanjia_store::LogPosition;
use serde::{Deserialize, Serialize};

use crate::symbols::Sym;

/// Declares [`EventKind`] with one variant per [`CaseEvent`] variant. The match in `of` is
/// exhaustive, so a new case event does not compile until the timeline knows it.
macro_rules! event_kinds {
    ($($name:ident),* $(,)?) => {
        /// The type of a case event, in one byte.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub(crate) enum EventKind {
            $($name),*
        }

        impl EventKind {
            /// The kind of an event.
            pub(crate) fn of(event: &CaseEvent) -> Self {
                match event {
                    $(CaseEvent::$name { .. } => Self::$name),*
                }
            }

            /// The stored event type, as `CaseEvent::name`.
            pub(crate) fn name(self) -> &'static str {
                match self {
                    $(Self::$name => stringify!($name)),*
                }
            }
        }
    };
}

event_kinds!(
    CaseRegistered,
    EnterpriseDetailsCorrected,
    AgreementSigned,
    LeadStewardAssigned,
    LeadStewardReplaced,
    TeamMemberAdded,
    TeamMemberRemoved,
    PlanAdopted,
    PlanRevised,
    StageAdvanced,
    ProjectAdded,
    ProjectChanged,
    VisitScheduled,
    VisitConducted,
    VisitCancelled,
    ServiceItemRequested,
    ServiceItemAccepted,
    ServiceItemSuspended,
    ServiceItemResumed,
    ServiceItemExtended,
    ServiceItemConcluded,
    ServiceItemRejected,
    RatingRecorded,
    RatingCallBackRecorded,
    RatingAppealed,
    RatingVoided,
    RatingAppealRejected,
    RatingRectified,
    ComplaintLodged,
    ComplaintAssigned,
    ComplaintResolved,
    ComplaintReferred,
    NoteAdded,
    CaseHeld,
    CaseResumed,
    CaseClosed,
    CaseReopened,
    PersonalDataErased,
    LateEntryRecorded,
    ClosedPeriodEntryApproved,
);

/// What an event touched, for rendering its summary later.
///
/// `subject` is the number of the visit, item, rating, complaint, note or plan version the event
/// is about, or the index of the correction, team spell, stage change, project or lifecycle step
/// it recorded; `detail` is the index of the suspension or extension within its item, or of the
/// project version or complaint assignment. Both are 0 where they mean nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Mark {
    #[serde(with = "crate::snapshot_serde::date_opt")]
    pub date: Option<NaiveDate>,
    pub subject: u32,
    /// u16 keeps an entry at 56 bytes; no item is suspended 65,535 times.
    pub detail: u16,
}

impl Mark {
    /// About `subject`, with a business date.
    pub fn on(date: NaiveDate, subject: u32) -> Self {
        Self {
            date: Some(date),
            subject,
            detail: 0,
        }
    }

    /// About `subject`, without a business date.
    pub fn about(subject: u32) -> Self {
        Self {
            subject,
            ..Self::default()
        }
    }

    /// With the index of a sub-row (suspension, extension, version, assignment).
    pub fn with_detail(self, detail: usize) -> Self {
        Self {
            detail: u16::try_from(detail).unwrap_or(u16::MAX),
            ..self
        }
    }
}

/// One event of a case, as the timeline keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct TimelineEntry {
    #[serde(with = "crate::snapshot_serde::position")]
    pub position: LogPosition,
    #[serde(with = "crate::snapshot_serde::instant")]
    pub recorded_at: DateTime<Utc>,
    /// The event's sequence in its case (a case never reaches 2^32 events).
    pub sequence: u32,
    /// The previous entry of the same case in the timeline table; [`NO_ENTRY`] for the first.
    pub previous: u32,
    pub actor: Sym,
    pub role: Sym,
    /// The [`Mark`]'s fields, flattened: as a struct its padding would push an entry to 64.
    #[serde(with = "crate::snapshot_serde::date_opt")]
    pub date: Option<NaiveDate>,
    pub subject: u32,
    pub detail: u16,
    pub kind: EventKind,
}

/// Marks the absence of a previous timeline entry.
pub(crate) const NO_ENTRY: u32 = u32::MAX;

/// A table index as the u32 the rows use (tables never reach 2^32 rows in memory).
pub(crate) fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}
