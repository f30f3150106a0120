//! 好差评公开's list of bad ratings: every 差评 of a period (level 1 or 2, not voided on appeal,
//! rated inside the period — the dashboard's own definitions, docs/kpis.md) with how its
//! call-back and rectification went, for anyone to see, as the 2019 好差评 rules ask.
//!
//! Public, so nothing personal and nothing that points at one enterprise: no rater, no
//! enterprise (its name is not a natural person's, but a small zone's enterprise names lead
//! to their people; the item and its department are what the public needs), no staff member,
//! no comment (free text may name anyone). What remains: the date, the catalog item and its
//! department (or that a visit was rated), the level, and the dates of the loop.

use chrono::NaiveDate;
use guanjia_domain::case::model::RatingTarget;
use guanjia_domain::values::RatingLevel;
use serde::Serialize;

use crate::kpi::live::{bad_rating_loop, LoopStage};
use crate::ReadModel;

/// One bad rating, as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PublicBadRating {
    /// The day it was given (Beijing).
    pub rated_on: NaiveDate,
    /// The rated catalog item's implementation code and name; `None` for a visit.
    pub item_code: Option<String>,
    pub item_name: Option<String>,
    /// The item's handling department; `None` for a visit.
    pub department: Option<String>,
    /// Whether a visit (上门服务) was rated rather than an item.
    pub visit: bool,
    pub level: RatingLevel,
    /// The call-back (回访核实): when it was due and when it happened.
    pub call_back_due: NaiveDate,
    pub called_back_on: Option<NaiveDate>,
    /// Where the loop stands today.
    pub stage: LoopStage,
    /// The rectification (整改): when it is due and when it was done.
    pub rectification_due: NaiveDate,
    pub rectified_on: Option<NaiveDate>,
    /// The step now required is past its due date.
    pub overdue: bool,
}

impl ReadModel {
    /// The bad ratings given in `from ..= to`, oldest first, as of `today`, zone-wide.
    pub fn public_bad_ratings(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        today: NaiveDate,
    ) -> Vec<PublicBadRating> {
        let mut rows: Vec<PublicBadRating> = self
            .cases
            .ratings
            .iter()
            .filter(|r| r.level.is_bad() && !r.is_voided())
            .filter_map(|rating| {
                let rated_on = guanjia_domain::clock::china_date(rating.rated_at);
                if rated_on < from || rated_on > to {
                    return None;
                }
                let status = bad_rating_loop(self, rating, today)?;
                let facts = self
                    .cases
                    .rated_item(rating)
                    .and_then(|item| self.cases.facts_of(item));
                Some(PublicBadRating {
                    rated_on,
                    item_code: facts.map(|f| f.implementation_code.clone()),
                    item_name: facts.map(|f| f.name.clone()),
                    department: facts.map(|f| f.department.clone()),
                    visit: matches!(rating.target, RatingTarget::Visit(_)),
                    level: rating.level,
                    call_back_due: status.call_back_due.date,
                    called_back_on: status.called_back_on,
                    stage: status.stage,
                    rectification_due: status.rectification_due.date,
                    rectified_on: status.rectified_on,
                    overdue: status.overdue,
                })
            })
            .collect();
        rows.sort_by_key(|r| r.rated_on);
        rows
    }
}
