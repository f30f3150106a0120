//! What a case will ask for and when, decided when the agreement is signed: its requests (one
//! item, or a bundle) by stage, its visits, and the notes, complaints, plan revisions and
//! changes of steward that may come while the work runs.

use chrono::{Duration, NaiveDate};
use guanjia_domain::case::model::Stage;
use rand::Rng;

use super::catalog::{Bundle, Item};
use super::derive::weekday;
use super::sim::{Sim, Step};

impl Sim<'_> {
    /// Schedules the case's work from the signing on `on`: a first visit, then the requests and
    /// the other visits in a random order, a few days to a month apart.
    pub fn plan_agenda(&mut self, on: NaiveDate) {
        let mut agenda = self.wanted_items();
        let visits = match self.rng.gen_range(0..100) {
            0..=34 => 1,
            35..=74 => 2,
            _ => 3,
        };
        for _ in 1..visits {
            agenda.push(Step::ScheduleVisit { on });
        }
        for k in (1..agenda.len()).rev() {
            agenda.swap(k, self.rng.gen_range(0..=k));
        }
        agenda.insert(0, Step::ScheduleVisit { on });
        let mut day = on;
        let mut last = on;
        for step in agenda {
            day = weekday(day + Duration::days(self.rng.gen_range(4..28)));
            match step {
                Step::ScheduleVisit { .. } => {
                    // Booked two or three days ahead.
                    let booked = (day - Duration::days(self.rng.gen_range(2..4))).max(on);
                    self.schedule(booked, Step::ScheduleVisit { on: day });
                }
                other => self.schedule(day, other),
            }
            last = day;
        }
        let span = (last - on).num_days().max(10);
        let within = |sim: &mut Self| on + Duration::days(sim.rng.gen_range(1..span + 30));
        for _ in 0..self.rng.gen_range(0..=1) {
            let when = weekday(within(self));
            self.schedule(when, Step::Note);
        }
        if self.rng.gen_bool(0.12) {
            let when = weekday(within(self));
            self.schedule(when, Step::Lodge);
        }
        if self.rng.gen_bool(0.08) {
            let when = weekday(within(self));
            self.schedule(when, Step::RevisePlan);
        }
        if self.rng.gen_bool(0.04) {
            let when = weekday(within(self));
            self.schedule(when, Step::ReplaceLead);
        }
    }

    /// The requests this case will make, by its stage: single items, or a bundle's items
    /// together.
    fn wanted_items(&mut self) -> Vec<Step> {
        let catalog = &self.g.catalog;
        let one = |item: Item| Step::Request {
            items: vec![item],
            bundle: None,
        };
        let bundled = |bundle: Bundle| Step::Request {
            items: catalog.bundle_items(bundle),
            bundle: Some(bundle),
        };
        let rng = &mut self.rng;
        let mut requests = Vec::new();
        match self.stage {
            Stage::Establishment => {
                if rng.gen_bool(0.6) {
                    requests.push(bundled(Bundle::OpenBusiness));
                } else {
                    requests.push(one(Item::Setup));
                }
                if rng.gen_bool(0.3) {
                    requests.push(one(Item::Filing));
                }
            }
            Stage::Construction => {
                let pool = [
                    Item::Filing,
                    Item::LandPreview,
                    Item::LandPlanning,
                    Item::Environment,
                    Item::Water,
                ];
                for _ in 0..rng.gen_range(1..=2) {
                    requests.push(one(pool[rng.gen_range(0..pool.len())]));
                }
                if rng.gen_bool(0.3) {
                    requests.push(bundled(Bundle::StartWorks));
                } else if rng.gen_bool(0.4) {
                    requests.push(one(Item::Building));
                }
            }
            Stage::Operation => {
                let pool = [
                    Item::Food,
                    Item::Discharge,
                    Item::Water,
                    Item::SocialInsurance,
                    Item::Filing,
                ];
                for _ in 0..rng.gen_range(1..=2) {
                    requests.push(one(pool[rng.gen_range(0..pool.len())]));
                }
            }
        }
        requests
    }
}
