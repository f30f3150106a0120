//! The case projection: every case with its team, plan, projects, visits, service items,
//! ratings, complaints, notes and timeline, kept in memory as compact rows ([`rows`]).
//!
//! This is the one projection that folds case events; the lookup, search and team indexes are
//! secondary indexes over it, kept current by the read model after each event, and the case
//! detail, workload and dashboard are queries over its tables. One fold means one place that
//! decides what an event does to the read side, mirroring the aggregate's own `apply_event`.
//!
//! Events that do not fit the state (an item number the case never had) cannot come from the
//! aggregate; like the aggregate, the projection then changes nothing but the timeline, and logs
//! a warning with the position, rather than stopping the node.

mod apply;
mod erasure;
mod feedback;
mod late;
mod rows;
mod team;
mod timeline;
mod work;
mod work_rows;

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use guanjia_domain::case::events::BundleRef;
use guanjia_domain::case::CaseEvent;
use guanjia_domain::catalog::CatalogItemFacts;
use guanjia_store::LogPosition;

pub(crate) use late::{LateFact, LateFigure, PendingContext};
pub(crate) use rows::*;
pub(crate) use timeline::{index, EventKind, Mark, TimelineEntry};
pub(crate) use work_rows::*;

use crate::symbols::{Sym, Symbols};

/// The case table, the row tables and the catalog facts they share.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct CaseStore {
    pub cases: Vec<CaseRecord>,
    pub by_id: HashMap<Box<str>, CaseIx>,
    pub visits: Vec<VisitRow>,
    pub items: Vec<ItemRow>,
    pub ratings: Vec<RatingRow>,
    pub complaints: Vec<ComplaintRow>,
    /// Every case's timeline entries, chained per case (cases/timeline.rs).
    pub timeline: Vec<TimelineEntry>,
    /// Catalog facts copied into item requests, stored once per distinct version.
    pub facts: Shared<CatalogItemFacts>,
    pub bundles: Shared<BundleRef>,
    /// The figures counted from late entries (cases/late.rs).
    pub late_facts: Vec<LateFact>,
    /// Late-entry records of registrations not applied yet (cases/late.rs).
    pub pending: Vec<(Box<str>, PendingContext, LateEntryRow)>,
}

/// What the envelope of the event being applied says.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EventContext {
    pub position: LogPosition,
    pub sequence: u64,
    pub recorded_at: DateTime<Utc>,
    pub actor: Sym,
    pub role: Sym,
}

impl CaseStore {
    /// The case with this id.
    pub fn find(&self, id: &str) -> Option<CaseIx> {
        self.by_id.get(id).copied()
    }

    /// The case at this index.
    pub fn case(&self, ix: CaseIx) -> Option<&CaseRecord> {
        self.cases.get(ix as usize)
    }

    /// The case's service items, in order.
    pub fn items_of<'a>(&'a self, case: &'a CaseRecord) -> impl Iterator<Item = &'a ItemRow> {
        case.items
            .iter()
            .filter_map(|ix| self.items.get(*ix as usize))
    }

    /// The case's visits, in order.
    pub fn visits_of<'a>(&'a self, case: &'a CaseRecord) -> impl Iterator<Item = &'a VisitRow> {
        case.visits
            .iter()
            .filter_map(|ix| self.visits.get(*ix as usize))
    }

    /// The case's ratings, in order.
    pub fn ratings_of<'a>(&'a self, case: &'a CaseRecord) -> impl Iterator<Item = &'a RatingRow> {
        case.ratings
            .iter()
            .filter_map(|ix| self.ratings.get(*ix as usize))
    }

    /// The case's complaints, in order.
    pub fn complaints_of<'a>(
        &'a self,
        case: &'a CaseRecord,
    ) -> impl Iterator<Item = &'a ComplaintRow> {
        case.complaints
            .iter()
            .filter_map(|ix| self.complaints.get(*ix as usize))
    }

    /// The catalog facts an item was requested with.
    pub fn facts_of(&self, item: &ItemRow) -> Option<&CatalogItemFacts> {
        self.facts.get(item.facts)
    }

    /// The item a rating is about, if it rates an item.
    pub fn rated_item(&self, rating: &RatingRow) -> Option<&ItemRow> {
        let guanjia_domain::case::model::RatingTarget::Item(no) = rating.target else {
            return None;
        };
        let case = self.case(rating.case)?;
        self.items_of(case).find(|item| item.item_no == no)
    }

    /// Applies an event of an existing case and records it on the case's timeline.
    pub fn apply(
        &mut self,
        case: CaseIx,
        ctx: &EventContext,
        event: CaseEvent,
        symbols: &mut Symbols,
    ) {
        let kind = EventKind::of(&event);
        let mark = self
            .apply_event(case, ctx, event, symbols)
            .unwrap_or_else(|| {
                tracing::warn!(
                    position = %ctx.position,
                    event_type = kind.name(),
                    "event does not fit the case as projected; only its timeline entry is kept"
                );
                Mark::default()
            });
        self.note_late(case, ctx, kind, mark);
        self.record_event(case, ctx, kind, mark);
    }

    /// Appends a timeline entry to the case.
    pub(super) fn record_event(
        &mut self,
        case: CaseIx,
        ctx: &EventContext,
        kind: EventKind,
        mark: Mark,
    ) {
        let at = index(self.timeline.len());
        let Some(record) = self.cases.get_mut(case as usize) else {
            return;
        };
        self.timeline.push(TimelineEntry {
            position: ctx.position,
            recorded_at: ctx.recorded_at,
            sequence: u32::try_from(ctx.sequence).unwrap_or(u32::MAX),
            previous: record.last_event,
            actor: ctx.actor,
            role: ctx.role,
            date: mark.date,
            subject: mark.subject,
            detail: mark.detail,
            kind,
        });
        record.last_event = at;
    }

    /// The case's timeline entries, oldest first.
    pub fn timeline_of(&self, record: &CaseRecord) -> Vec<&TimelineEntry> {
        let mut entries = Vec::new();
        let mut next = record.last_event;
        while let Some(entry) = self.timeline.get(next as usize) {
            entries.push(entry);
            next = entry.previous;
        }
        entries.reverse();
        entries
    }
}

/// Growing per-case lists one slot at a time. A `Vec` reserves four slots on its first push;
/// for the short lists of a case (one or two plan versions of 112 bytes, one project…) that
/// slack was about 700 bytes a case, 70 MB at 100,000 cases.
pub(crate) trait PushExact<T> {
    fn push_exact(&mut self, value: T);
}

impl<T> PushExact<T> for Vec<T> {
    fn push_exact(&mut self, value: T) {
        self.reserve_exact(1);
        self.push(value);
    }
}

/// Values shared by many rows (catalog facts, bundle references), stored once each.
///
/// Keyed by code and version; a second, different value under the same key (which the catalog
/// never produces) is stored as its own entry rather than conflated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Shared<T> {
    values: Vec<T>,
    by_key: HashMap<(String, u32), Vec<u32>>,
}

impl<T> Default for Shared<T> {
    fn default() -> Self {
        Self {
            values: Vec::new(),
            by_key: HashMap::new(),
        }
    }
}

impl<T: PartialEq> Shared<T> {
    /// The index of `value`, stored if new.
    pub fn add(&mut self, code: &str, version: u32, value: T) -> u32 {
        let key = (code.to_owned(), version);
        let candidates = self.by_key.entry(key).or_default();
        if let Some(found) = candidates
            .iter()
            .find(|ix| self.values.get(**ix as usize) == Some(&value))
        {
            return *found;
        }
        let ix = index(self.values.len());
        self.values.push(value);
        candidates.push(ix);
        ix
    }

    /// The value at this index.
    pub fn get(&self, ix: u32) -> Option<&T> {
        self.values.get(ix as usize)
    }

    /// Every value, in index order.
    pub fn all(&self) -> impl Iterator<Item = &T> {
        self.values.iter()
    }
}
