//! Service items (代办事项) and their deadlines: requested (alone or under a bundle), accepted
//! or rejected, run against the promised limit in working days — mostly within it, one in
//! eight late, some suspended for corrections or extended — and concluded, usually rated.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use guanjia_domain::case::model::{
    HandlingMode, ItemOutcome, RatingTarget, Stage, SuspensionReason,
};
use guanjia_domain::case::CaseEvent;
use rand::Rng;

use super::catalog::{Bundle, Item};
use super::derive::{uscc_of, weekday};
use super::sim::{Sim, Step};

impl Sim<'_> {
    pub fn request(
        &mut self,
        at: DateTime<Utc>,
        on: NaiveDate,
        items: Vec<Item>,
        bundle: Option<Bundle>,
    ) {
        let lead = self.lead;
        let bundle = bundle.map(|b| self.g.catalog.bundle(b).clone());
        let mode = if self.rng.gen_bool(0.7) {
            HandlingMode::Proxy
        } else {
            HandlingMode::Assisted
        };
        for item in items {
            self.items += 1;
            let item_no = self.items;
            self.record(
                at,
                lead,
                CaseEvent::ServiceItemRequested {
                    item_no,
                    catalog: self.g.catalog.facts(item).clone(),
                    bundle: bundle.clone(),
                    mode,
                    requested_on: on,
                },
            );
            let decide = weekday(on + Duration::days(self.rng.gen_range(0..3)));
            let next = if self.rng.gen_bool(0.04) {
                Step::Reject { item_no }
            } else {
                Step::Accept { item_no, item }
            };
            self.schedule(decide, next);
        }
    }

    pub fn reject(&mut self, at: DateTime<Utc>, on: NaiveDate, item_no: u32) {
        let lead = self.lead;
        self.record(
            at,
            lead,
            CaseEvent::ServiceItemRejected {
                item_no,
                reason: "申请材料不符合法定形式，不予受理".to_owned(),
                rejected_on: on,
            },
        );
    }

    /// Accepts the item under its promised limit and schedules how it runs to its conclusion.
    pub fn accept(&mut self, at: DateTime<Utc>, on: NaiveDate, item_no: u32, item: Item) {
        let lead = self.lead;
        let limit = self.g.catalog.facts(item).promised_limit_days;
        self.record(
            at,
            lead,
            CaseEvent::ServiceItemAccepted {
                item_no,
                accepted_on: on,
                limit_days: limit,
                receipt_no: Some(format!(
                    "SL{}{:06}",
                    on.format("%Y%m%d"),
                    self.index % 1_000_000
                )),
            },
        );
        // Working days until it is concluded: mostly within the promise, one in eight late.
        let days = if self.rng.gen_bool(0.12) {
            limit + self.rng.gen_range(1..=(limit / 2 + 6))
        } else {
            self.rng.gen_range(1..=limit.max(1))
        };
        if self.rng.gen_bool(0.08) {
            let when = self.calendar_after(on, 1);
            self.schedule(when, Step::Extend { item_no });
        }
        if days > 2 && self.rng.gen_bool(0.12) {
            let used = self.rng.gen_range(1..days);
            let when = self.calendar_after(on, used);
            let left = days - used;
            self.schedule(
                when,
                Step::Suspend {
                    item_no,
                    item,
                    left,
                },
            );
        } else {
            let when = self.calendar_after(on, days);
            self.schedule(when, Step::Conclude { item_no, item });
        }
    }

    /// Stops the clock with `left` working days to go, until the enterprise has corrected.
    pub fn suspend(
        &mut self,
        at: DateTime<Utc>,
        on: NaiveDate,
        item_no: u32,
        item: Item,
        left: u32,
    ) {
        let lead = self.lead;
        let reason = [
            SuspensionReason::Correction,
            SuspensionReason::Correction,
            SuspensionReason::ExpertReview,
            SuspensionReason::Inspection,
        ][self.rng.gen_range(0..4)];
        self.record(
            at,
            lead,
            CaseEvent::ServiceItemSuspended {
                item_no,
                reason,
                suspended_on: on,
                note: Some("一次性告知补正材料".to_owned()),
            },
        );
        let when = weekday(on + Duration::days(self.rng.gen_range(3..12)));
        self.schedule(
            when,
            Step::Resume {
                item_no,
                item,
                left,
            },
        );
    }

    pub fn resume(
        &mut self,
        at: DateTime<Utc>,
        on: NaiveDate,
        item_no: u32,
        item: Item,
        left: u32,
    ) {
        let lead = self.lead;
        self.record(
            at,
            lead,
            CaseEvent::ServiceItemResumed {
                item_no,
                resumed_on: on,
            },
        );
        let when = self.calendar_after(on, left);
        self.schedule(when, Step::Conclude { item_no, item });
    }

    /// The leader approves five more days.
    pub fn extend(&mut self, at: DateTime<Utc>, item_no: u32) {
        let approver = self.g.leader;
        self.record(
            at,
            approver,
            CaseEvent::ServiceItemExtended {
                item_no,
                days: 5,
                approver: self.user_id(approver),
                reason: "需组织专家论证".to_owned(),
            },
        );
    }

    pub fn conclude(
        &mut self,
        at: DateTime<Utc>,
        on: NaiveDate,
        item_no: u32,
        item: Item,
    ) -> anyhow::Result<()> {
        let lead = self.lead;
        let outcome = match self.rng.gen_range(0..100) {
            0..=3 => ItemOutcome::Refused,
            4..=5 => ItemOutcome::Withdrawn,
            _ => ItemOutcome::Granted,
        };
        let materials = self.g.catalog.facts(item).required_materials_count;
        let materials_submitted = self
            .rng
            .gen_range(materials.saturating_sub(1).max(1)..=materials + 1);
        let onsite_trips = u32::from(self.rng.gen_bool(0.2));
        self.record(
            at,
            lead,
            CaseEvent::ServiceItemConcluded {
                item_no,
                outcome,
                concluded_on: on,
                result_reference: (outcome == ItemOutcome::Granted)
                    .then(|| format!("ZZ{}{:06}", on.format("%Y"), self.index % 1_000_000)),
                materials_submitted,
                onsite_trips,
            },
        );
        // The licence is granted: the enterprise now has its USCC, and moves on to 建设.
        if item == Item::Setup && outcome == ItemOutcome::Granted && self.uscc.is_none() {
            let uscc = uscc_of(self.index)?;
            self.uscc = Some(uscc.clone());
            self.record(
                at,
                lead,
                CaseEvent::EnterpriseDetailsCorrected {
                    name: None,
                    uscc: Some(uscc),
                    division: None,
                    address: None,
                    contact_name: None,
                    contact_phone: None,
                    reason: "企业取得营业执照，补录统一社会信用代码".to_owned(),
                },
            );
            let when = weekday(on + Duration::days(self.rng.gen_range(5..40)));
            self.schedule(
                when,
                Step::AdvanceStage {
                    to: Stage::Construction,
                },
            );
        }
        if self.rng.gen_bool(0.9) {
            let when = at + Duration::hours(self.rng.gen_range(2..72));
            self.schedule_at(
                when,
                Step::Rate {
                    target: RatingTarget::Item(item_no),
                    follow_up_of: None,
                    level: None,
                },
            );
        }
        Ok(())
    }
}
