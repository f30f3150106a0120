//! Keeping the derived state current: the timing and due dates cached in the rows (kpi/live.rs)
//! and the dashboard's facts (kpi/facts.rs) are functions of the rows, the calendar and the
//! configuration. After each event the read model refreshes the case and the one row the
//! event touched; a calendar or configuration change refreshes everything.

use guanjia_domain::case::CaseEvent;

use super::divisions::Table;
use super::facts::{
    case_facts, complaint_facts, item_facts, put, rating_facts, visit_facts, CaseFacts,
    ComplaintFacts, VisitFacts,
};
use super::live::{item_timing, rating_due};
use crate::cases::{index, CaseIx};
use crate::ReadModel;

/// The row (by its number in the case) whose caches and dashboard facts an event changes.
pub(crate) enum Touched {
    Item(u32),
    Visit(u32),
    Rating(u32),
    Complaint(u32),
}

impl Touched {
    /// The row `event` touches, if any.
    pub(crate) fn by(event: &CaseEvent) -> Option<Self> {
        use CaseEvent as E;
        match event {
            E::ServiceItemRequested { item_no, .. }
            | E::ServiceItemAccepted { item_no, .. }
            | E::ServiceItemSuspended { item_no, .. }
            | E::ServiceItemResumed { item_no, .. }
            | E::ServiceItemExtended { item_no, .. }
            | E::ServiceItemConcluded { item_no, .. }
            | E::ServiceItemRejected { item_no, .. } => Some(Touched::Item(*item_no)),
            E::VisitScheduled { visit_no, .. }
            | E::VisitConducted { visit_no, .. }
            | E::VisitCancelled { visit_no, .. } => Some(Touched::Visit(*visit_no)),
            E::RatingRecorded { rating_no, .. }
            | E::RatingCallBackRecorded { rating_no, .. }
            | E::RatingAppealed { rating_no, .. }
            | E::RatingVoided { rating_no, .. }
            | E::RatingAppealRejected { rating_no, .. }
            | E::RatingRectified { rating_no, .. } => Some(Touched::Rating(*rating_no)),
            E::ComplaintLodged { complaint_no, .. }
            | E::ComplaintAssigned { complaint_no, .. }
            | E::ComplaintResolved { complaint_no, .. }
            | E::ComplaintReferred { complaint_no, .. } => Some(Touched::Complaint(*complaint_no)),
            _ => None,
        }
    }
}

impl ReadModel {
    /// Refreshes what an event of `case` changed.
    pub(crate) fn refresh_after(&mut self, case: CaseIx, touched: Option<Touched>) {
        self.refresh_case(case);
        let cases = &self.cases;
        match touched {
            Some(Touched::Item(no)) => {
                if let Some(ix) = cases.item_index(case, no) {
                    self.refresh_item(ix);
                }
            }
            Some(Touched::Visit(no)) => {
                if let Some(ix) = cases.visit_index(case, no) {
                    self.refresh_visit(ix);
                }
            }
            Some(Touched::Rating(no)) => {
                if let Some(ix) = cases.rating_index(case, no) {
                    self.refresh_rating(ix);
                }
            }
            Some(Touched::Complaint(no)) => {
                if let Some(ix) = cases.complaint_index(case, no) {
                    self.refresh_complaint(ix);
                }
            }
            None => {}
        }
    }

    /// Re-derives the dashboard facts of a case (after any of its events).
    pub(crate) fn refresh_case(&mut self, case: CaseIx) {
        if let Some(record) = self.cases.case(case) {
            self.divisions.place_case(case, record);
            let facts = case_facts(record);
            put(
                &mut self.kpi.cases,
                case as usize,
                facts,
                CaseFacts::default(),
            );
        }
    }

    /// Recomputes the cached timing and the facts of the item at `ix` (after its events).
    pub(crate) fn refresh_item(&mut self, ix: usize) {
        let (days, warning) = (&self.days, self.config.warning_percent);
        if let Some(item) = self.cases.items.get_mut(ix) {
            item.timing = item_timing(days, warning, item);
            let facts = item_facts(item);
            put(&mut self.kpi.items, ix, facts, facts);
            let row = index(ix);
            self.divisions.add_row(Table::Items, facts.case, row);
            self.divisions.set_running(facts.case, row, facts.running);
        }
    }

    /// Recomputes the cached due dates and the facts of the rating at `ix`.
    pub(crate) fn refresh_rating(&mut self, ix: usize) {
        if let Some(rating) = self.cases.ratings.get_mut(ix) {
            rating.due = rating_due(&self.days, &self.config, rating);
        }
        if let Some(rating) = self.cases.ratings.get(ix) {
            let facts = rating_facts(&self.cases, rating);
            put(&mut self.kpi.ratings, ix, facts, facts);
            self.divisions
                .add_row(Table::Ratings, facts.case, index(ix));
        }
    }

    pub(crate) fn refresh_visit(&mut self, ix: usize) {
        if let Some(visit) = self.cases.visits.get(ix) {
            put(
                &mut self.kpi.visits,
                ix,
                visit_facts(visit),
                VisitFacts::default(),
            );
            self.divisions.add_row(Table::Visits, visit.case, index(ix));
        }
    }

    pub(crate) fn refresh_complaint(&mut self, ix: usize) {
        if let Some(complaint) = self.cases.complaints.get(ix) {
            let facts = complaint_facts(complaint);
            put(
                &mut self.kpi.complaints,
                ix,
                facts,
                ComplaintFacts::default(),
            );
            self.divisions
                .add_row(Table::Complaints, facts.case, index(ix));
        }
    }

    /// Recomputes every cache and every fact (the calendar or the configuration changed).
    pub(crate) fn refresh_all(&mut self) {
        (0..self.cases.cases.len()).for_each(|ix| self.refresh_case(index(ix)));
        (0..self.cases.items.len()).for_each(|ix| self.refresh_item(ix));
        (0..self.cases.visits.len()).for_each(|ix| self.refresh_visit(ix));
        (0..self.cases.ratings.len()).for_each(|ix| self.refresh_rating(ix));
        (0..self.cases.complaints.len()).for_each(|ix| self.refresh_complaint(ix));
    }
}
