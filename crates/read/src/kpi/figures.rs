//! The definition of every figure: which event counts, on which date, credited to whom, and
//! what is left out and why. docs/kpis.md is the prose of this module; keep them together.
//!
//! A `Walk` reads the dashboard's facts (kpi/facts.rs) row by row — which rows, kpi/scan.rs
//! decides — and reports each counted fact, with its date and attribution, to a `Tally`: the
//! dashboard decides where it lands (period, division, group, month).
//! Period figures are cohorts: a fact belongs to the period of its own date (a rating's
//! call-back and rectification belong to the rating's period, however late they came).
//! "Now" figures describe the state as of `today` and ignore the period.
//!
//! The live statuses behind the "now" figures and the bad-rating loop are in [`super::live`].

use chrono::NaiveDate;
use guanjia_domain::calendar::TimeStatus;
use guanjia_domain::case::model::ItemOutcome;
use serde::Serialize;

use super::live::{concluded_timeliness, live_status, rating_dues};
use super::Ratio;
use crate::cases::Timing;
use crate::symbols::Sym;
use crate::ReadModel;

/// What happened in a period. Each field's doc says what it counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct PeriodFigures {
    /// Agreements signed (`AgreementSigned.signed_on` in the period).
    pub cases_signed: u64,
    /// Visits conducted (`VisitConducted.conducted_at`, Beijing date, in the period).
    pub visits_conducted: u64,
    /// Service items requested (`requested_on`), bundled ones included.
    pub items_requested: u64,
    /// Service items concluded (`concluded_on`), whatever the outcome.
    pub items_concluded: u64,
    /// Service items rejected at intake, 不予受理 (`rejected_on`).
    pub items_rejected: u64,
    /// Bundle requests (一件事一次办): one per request, however many items it made.
    pub bundles_used: u64,
    /// Decided items (granted or refused; withdrawn ones are left out) concluded on or before
    /// their deadline ÷ decided items concluded in the period.
    pub on_time_rate: Ratio,
    /// Σ net working days from acceptance to conclusion (suspensions excluded) ÷ decided items.
    pub average_net_days: Ratio,
    /// Σ statutory limits ÷ decided items (the same items).
    pub average_statutory_days: Ratio,
    /// Σ promised limits ÷ decided items (the same items).
    pub average_promised_days: Ratio,
    /// 1 − Σ net ÷ Σ statutory, as (Σ statutory − Σ net) ÷ Σ statutory over decided items.
    pub time_compression: Ratio,
    /// Σ materials submitted ÷ Σ materials the guide requires, over items concluded.
    pub materials_rate: Ratio,
    /// Σ on-site trips ÷ items concluded.
    pub trips_per_item: Ratio,
    /// Items concluded with no on-site trip (零跑腿) ÷ items concluded.
    pub zero_trip_rate: Ratio,
    /// Ratings given (`rated_at`, Beijing date), follow-ups included, voided ones left out.
    pub ratings: u64,
    /// Ratings at a good level (configurable, default 4–5) ÷ `ratings`.
    pub good_rating_rate: Ratio,
    /// Ratings at level 1 or 2 (差评), voided ones left out.
    pub bad_ratings: u64,
    /// Bad ratings with a call-back (回访核实) recorded ÷ bad ratings.
    pub call_back_rate: Ratio,
    /// Bad ratings rectified by their due date ÷ bad ratings settled (rectified, or past due
    /// as of today); ones not yet due and not rectified are left out until they settle.
    pub on_time_rectification_rate: Ratio,
    /// Complaints lodged (`lodged_on`).
    pub complaints_lodged: u64,
    /// Complaints resolved ÷ complaints lodged, referred ones left out of both.
    pub complaint_resolution_rate: Ratio,
}

/// The state as of `today`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NowFigures {
    /// Cases not closed.
    pub open_cases: u64,
    /// Open cases with a current key project ÷ open cases.
    pub key_project_coverage: Ratio,
    /// Items requested, accepted or suspended (not concluded, not rejected).
    pub items_in_progress: u64,
    /// Running items in warning (the warning share of their working days used).
    pub items_warning: u64,
    /// Running items past their deadline.
    pub items_overdue: u64,
}

/// Whom and what a counted fact is about, for scoping and grouping.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Attribution {
    /// The lead steward credited (at the time of the event for period figures, the current
    /// one for "now" figures); `None` when the case had none.
    pub steward: Option<Sym>,
    /// The catalog facts (their index in the shared table) of the item a fact is about, for
    /// facts about an item or a rating of one.
    pub item: Option<u32>,
    /// The case the fact belongs to (its index in the facts' case table), for sinks that
    /// split figures by where the case lies (the board's child divisions).
    pub case: u32,
}

/// Where counted facts land.
pub(crate) trait Tally {
    /// Whether a fact dated `on` lies in the period.
    fn in_period(&self, on: NaiveDate) -> bool;
    /// A fact of the period, dated `on`; `add` updates each figure set it lands in.
    fn period(&mut self, on: NaiveDate, who: Attribution, add: impl Fn(&mut PeriodFigures));
    /// A fact of the state now.
    fn now(&mut self, who: Attribution, add: impl Fn(&mut NowFigures));
}

/// One walk: each method counts one row of its table, of a case in scope.
pub(crate) struct Walk<'m, 's, S> {
    pub model: &'m ReadModel,
    pub today: NaiveDate,
    pub sink: &'s mut S,
}

fn who(case: u32, steward: Option<Sym>, item: Option<u32>) -> Attribution {
    Attribution {
        steward,
        item,
        case,
    }
}

impl<S: Tally> Walk<'_, '_, S> {
    pub(crate) fn case(&mut self, ix: usize) {
        let Some(case) = self.model.kpi.cases.get(ix) else {
            return;
        };
        let ix = u32::try_from(ix).unwrap_or(u32::MAX);
        if let Some((on, lead)) = case.signed.filter(|(on, _)| self.sink.in_period(*on)) {
            self.sink
                .period(on, who(ix, lead, None), |f| f.cases_signed += 1);
        }
        if case.open {
            let key = case.key_project;
            self.sink.now(who(ix, case.lead, None), |f| {
                f.open_cases += 1;
                f.key_project_coverage.count(key);
            });
        }
    }

    pub(crate) fn visit(&mut self, ix: usize) {
        let Some(visit) = self.model.kpi.visits.get(ix) else {
            return;
        };
        if let Some((on, lead)) = visit.conducted.filter(|(on, _)| self.sink.in_period(*on)) {
            self.sink
                .period(on, who(visit.case, lead, None), |f| f.visits_conducted += 1);
        }
    }

    pub(crate) fn rating(&mut self, ix: usize) {
        let model = self.model;
        let Some(rating) = model.kpi.ratings.get(ix) else {
            return;
        };
        if rating.voided || !self.sink.in_period(rating.rated_on) {
            return;
        }
        let good = model.config.is_good(rating.level);
        let bad = rating.level.is_bad();
        let called_back = rating.called_back;
        // Settled: rectified (on time or not), or not rectified and past due as of today.
        let due = rating.rectification_due.or_else(|| {
            let row = model.cases.ratings.get(ix)?;
            rating_dues(model, row).map(|(_, due)| due.date)
        });
        let today = self.today;
        let rectified = due.map(|due| match rating.rectified_on {
            Some(on) => Some(on <= due),
            None => (today > due).then_some(false),
        });
        let by = who(rating.case, rating.lead, rating.catalog);
        self.sink.period(rating.rated_on, by, |f| {
            f.ratings += 1;
            f.good_rating_rate.count(good);
            if bad {
                f.bad_ratings += 1;
                f.call_back_rate.count(called_back);
                if let Some(Some(on_time)) = rectified {
                    f.on_time_rectification_rate.count(on_time);
                }
            }
        });
    }

    pub(crate) fn complaint(&mut self, ix: usize) {
        let Some(complaint) = self.model.kpi.complaints.get(ix) else {
            return;
        };
        if !self.sink.in_period(complaint.lodged_on) {
            return;
        }
        let (referred, resolved) = (complaint.referred, complaint.resolved);
        let by = who(complaint.case, complaint.lead, None);
        self.sink.period(complaint.lodged_on, by, |f| {
            f.complaints_lodged += 1;
            if !referred {
                f.complaint_resolution_rate.count(resolved);
            }
        });
    }

    pub(crate) fn item(&mut self, ix: usize) {
        let (model, today, sink) = (self.model, self.today, &mut *self.sink);
        let Some(item) = model.kpi.items.get(ix) else {
            return;
        };
        let lead_now = model.kpi.cases.get(item.case as usize).and_then(|c| c.lead);
        let about = Some(item.catalog);
        if sink.in_period(item.requested_on) {
            let starts_bundle = item.starts_bundle;
            let by = Attribution {
                steward: item.requested_lead,
                item: about,
                case: item.case,
            };
            sink.period(item.requested_on, by, |f| {
                f.items_requested += 1;
                f.bundles_used += u64::from(starts_bundle);
            });
        }
        if let Some(on) = item.rejected_on.filter(|on| sink.in_period(*on)) {
            let by = Attribution {
                steward: item.requested_lead,
                item: about,
                case: item.case,
            };
            sink.period(on, by, |f| f.items_rejected += 1);
        }
        if let Some(done) = item.concluded.filter(|c| sink.in_period(c.on)) {
            let catalog = model.cases.facts.get(item.catalog);
            let required = catalog.map_or(0, |f| i64::from(f.required_materials_count));
            let statutory = catalog.map_or(0, |f| i64::from(f.statutory_limit_days));
            let promised = catalog.map_or(0, |f| i64::from(f.promised_limit_days));
            // Withdrawn by the applicant: no decision was made, so its time says nothing.
            let timeliness = match (done.outcome, item.timing) {
                (ItemOutcome::Withdrawn, _) => None,
                (
                    _,
                    Timing::Concluded {
                        on_time, net_days, ..
                    },
                ) => Some((on_time, net_days)),
                _ => model
                    .cases
                    .items
                    .get(ix)
                    .and_then(|row| concluded_timeliness(model, row))
                    .map(|(_, on_time, net)| (on_time, net)),
            };
            let by = Attribution {
                steward: done.lead,
                item: about,
                case: item.case,
            };
            sink.period(done.on, by, |f| {
                f.items_concluded += 1;
                f.materials_rate.numerator += i64::from(done.materials_submitted);
                f.materials_rate.denominator += required;
                f.trips_per_item.add_value(i64::from(done.onsite_trips));
                f.zero_trip_rate.count(done.onsite_trips == 0);
                if let Some((on_time, net)) = timeliness {
                    f.on_time_rate.count(on_time);
                    f.average_net_days.add_value(i64::from(net));
                    f.average_statutory_days.add_value(statutory);
                    f.average_promised_days.add_value(promised);
                    f.time_compression.numerator += statutory - i64::from(net);
                    f.time_compression.denominator += statutory;
                }
            });
        }
        if !item.is_final {
            let status = match item.timing {
                Timing::Running(schedule) if item.running => schedule.status(today),
                _ => None,
            }
            .or_else(|| {
                let row = model.cases.items.get(ix)?;
                live_status(model, row, today).map(|(_, status)| status)
            });
            let by = Attribution {
                steward: lead_now,
                item: about,
                case: item.case,
            };
            sink.now(by, |f| {
                f.items_in_progress += 1;
                f.items_warning += u64::from(status == Some(TimeStatus::Warning));
                f.items_overdue += u64::from(status == Some(TimeStatus::Overdue));
            });
        }
    }
}
