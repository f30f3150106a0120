//! The dashboard's projection: for every case, item, visit, rating and complaint, the few
//! facts the figures count, in small `Copy` rows parallel to the row tables (same index).
//!
//! Why a projection of its own: the rows serve the case detail and are laid out for it (texts,
//! boxed details, lists), and a tally that reads them chases a pointer per fact — a rating to
//! its item, an item to its boxed conclusion, a case to its division string. At 100,000 cases
//! that was about a million cache misses, 80 ms per dashboard. These rows hold no pointers and
//! sit next to each other, so the tally streams through ~25 MB instead.
//!
//! Each row is derived from its source row after every event that touches it, and all of them
//! when the calendar or configuration changes (the deadlines and due dates in them depend on
//! both); the cache-equality test in tests/read_model/replay.rs covers them. Where a case lies
//! is not in these rows: the division index (kpi/divisions.rs) files each row under its case's
//! division, and [`Scope`] compares divisions as numbers.

use chrono::NaiveDate;
use guanjia_domain::case::model::{ItemOutcome, RatingTarget};
use guanjia_domain::case::state::ComplaintStatus;
use guanjia_domain::values::{DivisionCode, RatingLevel};
use serde::{Deserialize, Serialize};

use crate::cases::{CaseRecord, CaseStore, ComplaintRow, ItemRow, RatingRow, Timing, VisitRow};
use crate::symbols::Sym;

/// The facts of every row, by table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct KpiFacts {
    pub cases: Vec<CaseFacts>,
    pub items: Vec<ItemFacts>,
    pub visits: Vec<VisitFacts>,
    pub ratings: Vec<RatingFacts>,
    pub complaints: Vec<ComplaintFacts>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct CaseFacts {
    pub lead: Option<Sym>,
    pub signed: Option<(NaiveDate, Option<Sym>)>,
    pub open: bool,
    pub key_project: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub(crate) struct ItemFacts {
    pub case: u32,
    /// Index into the shared catalog facts.
    pub catalog: u32,
    #[serde(with = "crate::snapshot_serde::date")]
    pub requested_on: NaiveDate,
    pub requested_lead: Option<Sym>,
    pub starts_bundle: bool,
    pub is_final: bool,
    pub running: bool,
    #[serde(with = "crate::snapshot_serde::date_opt")]
    pub rejected_on: Option<NaiveDate>,
    pub concluded: Option<ConcludedFacts>,
    pub timing: Timing,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub(crate) struct ConcludedFacts {
    #[serde(with = "crate::snapshot_serde::date")]
    pub on: NaiveDate,
    pub lead: Option<Sym>,
    pub outcome: ItemOutcome,
    pub materials_submitted: u32,
    pub onsite_trips: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct VisitFacts {
    pub case: u32,
    /// The Beijing date the visit was conducted, and the lead credited.
    pub conducted: Option<(NaiveDate, Option<Sym>)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub(crate) struct RatingFacts {
    pub case: u32,
    #[serde(with = "crate::snapshot_serde::date")]
    pub rated_on: NaiveDate,
    pub lead: Option<Sym>,
    pub level: RatingLevel,
    /// The catalog facts of the rated item, for a rating of an item.
    pub catalog: Option<u32>,
    pub voided: bool,
    pub called_back: bool,
    #[serde(with = "crate::snapshot_serde::date_opt")]
    pub rectified_on: Option<NaiveDate>,
    /// When the rectification is due (bad ratings only).
    #[serde(with = "crate::snapshot_serde::date_opt")]
    pub rectification_due: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct ComplaintFacts {
    pub case: u32,
    #[serde(with = "crate::snapshot_serde::date")]
    pub lodged_on: NaiveDate,
    pub lead: Option<Sym>,
    pub referred: bool,
    pub resolved: bool,
}

/// The 12 digits of a division code as a number.
pub(crate) fn division_number(code: &DivisionCode) -> u64 {
    code.as_str()
        .bytes()
        .fold(0, |n, digit| n * 10 + u64::from(digit.wrapping_sub(b'0')))
}

/// A division's scope as numbers: a division (12 digits as a number) lies in it when its
/// leading digits are the scope's significant prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Scope {
    prefix: u64,
    width: u64,
}

impl Scope {
    pub(crate) fn of(code: &DivisionCode) -> Self {
        let digits = code.scope_prefix().len().min(12);
        let width = 10u64.pow(u32::try_from(12 - digits).unwrap_or(0));
        Self {
            prefix: division_number(code) / width,
            width,
        }
    }

    /// Whether the division (as [`division_number`]) lies in this scope.
    pub(crate) fn holds(self, division: u64) -> bool {
        division / self.width == self.prefix
    }
}

pub(crate) fn case_facts(record: &CaseRecord) -> CaseFacts {
    CaseFacts {
        lead: record.lead,
        signed: record.agreement.as_ref().map(|a| (a.signed_on, a.lead)),
        open: record.is_open(),
        key_project: record.has_key_project(),
    }
}

pub(crate) fn item_facts(item: &ItemRow) -> ItemFacts {
    ItemFacts {
        case: item.case,
        catalog: item.facts,
        requested_on: item.requested_on,
        requested_lead: item.requested_lead,
        starts_bundle: item.bundle.is_some_and(|(_, starts)| starts),
        is_final: item.status.is_final(),
        running: item.is_running(),
        rejected_on: item.rejection.as_ref().map(|r| r.0),
        concluded: item.conclusion.as_deref().map(|c| ConcludedFacts {
            on: c.concluded_on,
            lead: c.lead,
            outcome: c.outcome,
            materials_submitted: c.materials_submitted,
            onsite_trips: c.onsite_trips,
        }),
        timing: item.timing,
    }
}

pub(crate) fn visit_facts(visit: &VisitRow) -> VisitFacts {
    VisitFacts {
        case: visit.case,
        conducted: visit
            .conducted
            .as_deref()
            .map(|c| (guanjia_domain::clock::china_date(c.at), c.lead)),
    }
}

pub(crate) fn rating_facts(store: &CaseStore, rating: &RatingRow) -> RatingFacts {
    let catalog = match rating.target {
        RatingTarget::Item(_) => store.rated_item(rating).map(|item| item.facts),
        RatingTarget::Visit(_) => None,
    };
    RatingFacts {
        case: rating.case,
        rated_on: guanjia_domain::clock::china_date(rating.rated_at),
        lead: rating.lead,
        level: rating.level,
        catalog,
        voided: rating.is_voided(),
        called_back: rating.call_back.is_some(),
        rectified_on: rating.rectification.as_ref().map(|r| r.0),
        rectification_due: rating.due.map(|(_, rectification)| rectification.date),
    }
}

pub(crate) fn complaint_facts(complaint: &ComplaintRow) -> ComplaintFacts {
    ComplaintFacts {
        case: complaint.case,
        lodged_on: complaint.lodged_on,
        lead: complaint.lead,
        referred: complaint.referral.is_some(),
        resolved: complaint.status == ComplaintStatus::Resolved,
    }
}

/// Sets `table[ix]` to `value`, growing the table to reach it (rows are only ever appended).
pub(crate) fn put<T: Copy>(table: &mut Vec<T>, ix: usize, value: T, filler: T) {
    if table.len() <= ix {
        table.resize(ix + 1, filler);
    }
    if let Some(slot) = table.get_mut(ix) {
        *slot = value;
    }
}
