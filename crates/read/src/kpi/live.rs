//! The live state of items and bad ratings as of a given day: an item's deadline and status
//! (on time, warning, overdue) and a bad rating's due dates and stage. The dashboard's "now"
//! figures, the case detail, the workload and the search filter all read them from here, so a
//! figure and the list behind it always agree.
//!
//! Computing them for every item of a district on every dashboard would cost tens of
//! milliseconds, so the parts that only change with the item's own events, the calendar or the
//! configuration are cached in the rows (`Timing`, `RatingRow::due`) and refreshed (by
//! `refresh.rs`) whenever one of those changes; a test checks that refreshing everything
//! changes nothing.

use chrono::NaiveDate;
use guanjia_domain::calendar::{Deadline, TimeStatus, WorkingDay};
use guanjia_domain::clock::china_date;
use serde::Serialize;

use guanjia_domain::case::state::ItemStatus;

use crate::cases::{CaseRecord, ItemRow, RatingRow, Timing};
use crate::days::DayIndex;
use crate::kpi::KpiConfig;
use crate::ReadModel;

/// The 差评 loop of 国办发〔2019〕51号: call-back, then rectification, or an appeal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BadRatingLoop {
    pub stage: LoopStage,
    pub call_back_due: WorkingDay,
    pub called_back_on: Option<NaiveDate>,
    pub call_back_confirmed: Option<bool>,
    pub rectification_due: WorkingDay,
    pub rectified_on: Option<NaiveDate>,
    pub appeal_reason: Option<String>,
    /// The step now required is past its due date (as of today).
    pub overdue: bool,
}

/// Where a bad rating's loop stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LoopStage {
    AwaitingCallBack,
    /// An appeal awaits review; rectification waits for it.
    AppealPending,
    AwaitingRectification,
    Rectified,
    Voided,
}

/// What to cache of an item's clock (see [`Timing`]).
pub(super) fn item_timing(days: &DayIndex, warning_percent: u32, item: &ItemRow) -> Timing {
    let Some(clock) = item.clock() else {
        return Timing::OnDemand;
    };
    match (item.status, item.conclusion.as_deref()) {
        (ItemStatus::Concluded, Some(done)) => {
            let on = done.concluded_on;
            let deadline = days.deadline(clock, on);
            Timing::Concluded {
                deadline,
                on_time: on <= deadline.date,
                net_days: days.used_days(clock, on),
            }
        }
        (ItemStatus::Accepted | ItemStatus::Suspended, _) => days
            .schedule(clock, warning_percent)
            .map_or(Timing::OnDemand, Timing::Running),
        _ => Timing::OnDemand,
    }
}

/// When a bad rating's call-back is due (`call_back_days` working days after the rating) and
/// its rectification (`rectification_days` after the call-back; before the call-back, after
/// the day it is due, so that a late call-back does not buy time). `None` unless bad.
pub(super) fn rating_due(
    days: &DayIndex,
    config: &KpiConfig,
    rating: &RatingRow,
) -> Option<(WorkingDay, WorkingDay)> {
    if !rating.level.is_bad() {
        return None;
    }
    let call_back = days.add_working_days(china_date(rating.rated_at), config.call_back_days);
    let start = rating
        .call_back
        .as_ref()
        .map_or(call_back.date, |c| c.called_on);
    Some((
        call_back,
        days.add_working_days(start, config.rectification_days),
    ))
}

/// An item's deadline and status as of `today`, while its clock runs (accepted or suspended).
pub(crate) fn live_status(
    model: &ReadModel,
    item: &ItemRow,
    today: NaiveDate,
) -> Option<(Deadline, TimeStatus)> {
    if !item.is_running() {
        return None;
    }
    if let Timing::Running(schedule) = item.timing {
        if let Some(status) = schedule.status(today) {
            return Some((schedule.deadline, status));
        }
    }
    let clock = item.clock()?;
    let warning = model.config.warning_percent;
    Some((
        model.days.deadline(clock, today),
        model.days.status(clock, today, warning),
    ))
}

/// For a concluded item: the deadline as of the conclusion, whether it was met, and the net
/// working days from acceptance to conclusion.
pub(crate) fn concluded_timeliness(
    model: &ReadModel,
    item: &ItemRow,
) -> Option<(Deadline, bool, u32)> {
    let timing = match item.timing {
        Timing::Concluded { .. } => item.timing,
        _ => item_timing(&model.days, model.config.warning_percent, item),
    };
    match timing {
        Timing::Concluded {
            deadline,
            on_time,
            net_days,
        } => Some((deadline, on_time, net_days)),
        _ => None,
    }
}

/// Items of the case overdue as of `today`.
pub(crate) fn overdue_items(model: &ReadModel, record: &CaseRecord, today: NaiveDate) -> usize {
    model
        .cases
        .items_of(record)
        .filter_map(|item| live_status(model, item, today))
        .filter(|(_, status)| *status == TimeStatus::Overdue)
        .count()
}

/// A bad rating's (call-back due, rectification due); `None` unless bad.
pub(crate) fn rating_dues(
    model: &ReadModel,
    rating: &RatingRow,
) -> Option<(WorkingDay, WorkingDay)> {
    rating
        .due
        .or_else(|| rating_due(&model.days, &model.config, rating))
}

/// Where a bad rating's loop stands as of `today`; `None` for a rating that is not bad.
pub(crate) fn bad_rating_loop(
    model: &ReadModel,
    rating: &RatingRow,
    today: NaiveDate,
) -> Option<BadRatingLoop> {
    let (call_back_due, rectification_due) = rating_dues(model, rating)?;
    let rectified_on = rating.rectification.as_ref().map(|r| r.0);
    let stage = if rating.is_voided() {
        LoopStage::Voided
    } else if rectified_on.is_some() {
        LoopStage::Rectified
    } else if rating.appeal_pending() {
        LoopStage::AppealPending
    } else if rating.call_back.is_none() {
        LoopStage::AwaitingCallBack
    } else {
        LoopStage::AwaitingRectification
    };
    let open = !matches!(stage, LoopStage::Voided | LoopStage::Rectified);
    let next_due = match rating.call_back {
        None => call_back_due.date,
        Some(_) => rectification_due.date,
    };
    Some(BadRatingLoop {
        stage,
        call_back_due,
        called_back_on: rating.call_back.as_ref().map(|c| c.called_on),
        call_back_confirmed: rating.call_back.as_ref().map(|c| c.confirmed),
        rectification_due,
        rectified_on,
        appeal_reason: rating.appeal.as_ref().map(|a| a.reason.to_string()),
        overdue: open && today > next_due,
    })
}
