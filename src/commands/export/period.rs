//! The period an export is limited to (`--year`, or `--from`/`--to`), and which rows belong
//! to it. Without a period every case, item and rating is exported; the dashboard then covers
//! this year up to today.
//!
//! A row belongs to the period when it was alive in it, so that the tables tell the story of
//! the period's figures and of the work carried through it:
//! - a service item: requested on or before the period's end and not concluded or rejected
//!   before its start;
//! - a rating: rated (Beijing date) inside the period;
//! - a case: in service during the period (registered on or before its end and not closed
//!   throughout it — a reopening starts a new spell), or with an item or rating of the period
//!   (a closed case still takes ratings).

use chrono::NaiveDate;
use guanjia_domain::clock::china_date;
use guanjia_read::detail::{ItemView, LifecycleStepKind, RatingView};
use guanjia_read::CaseDetail;

/// An inclusive range of business dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// Whether `date` lies in the period.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }

    /// Whether something that ran from `start` to `end` (still running: `None`) was alive
    /// during the period.
    fn overlaps(&self, start: NaiveDate, end: Option<NaiveDate>) -> bool {
        start <= self.to && end.is_none_or(|end| end >= self.from)
    }

    /// Whether the item was alive during the period.
    pub fn has_item(&self, item: &ItemView) -> bool {
        self.overlaps(item.requested_on, item.concluded_on.or(item.rejected_on))
    }

    /// Whether the rating was given during the period.
    pub fn has_rating(&self, rating: &RatingView) -> bool {
        self.contains(china_date(rating.rated_at))
    }

    /// Whether the case was in service during the period, or has an item or rating of it.
    pub fn has_case(&self, case: &CaseDetail) -> bool {
        let mut start = Some(case.registered_on);
        let mut in_service = false;
        for step in &case.lifecycle {
            match (step.step, start) {
                (LifecycleStepKind::Closed { .. }, Some(from)) => {
                    in_service |= self.overlaps(from, Some(step.on));
                    start = None;
                }
                (LifecycleStepKind::Reopened { .. }, None) => start = Some(step.on),
                _ => {}
            }
        }
        in_service |= start.is_some_and(|from| self.overlaps(from, None));
        in_service
            || case.items.iter().any(|item| self.has_item(item))
            || case.ratings.iter().any(|rating| self.has_rating(rating))
    }
}

/// Whether a row passes the export's period: always when there is none.
pub fn keeps(period: Option<Period>, belongs: impl FnOnce(&Period) -> bool) -> bool {
    period.as_ref().is_none_or(belongs)
}
