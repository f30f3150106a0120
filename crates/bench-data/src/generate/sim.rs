//! One case's life as a discrete-event simulation: its state, its queue of steps by time, and
//! the dispatch of each step to the part of the life it belongs to (`register`, `agreement`,
//! `visits`, `items`, `ratings`, `closure`).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use guanjia_domain::case::model::{RatingTarget, Stage};
use guanjia_domain::case::CaseEvent;
use guanjia_domain::values::{CaseNumber, Uscc};
use rand::rngs::StdRng;
use rand::Rng;

use super::catalog::{Bundle, Item};
use super::derive::{day_of, instant, weekday};
use super::names::{SURNAMES, TITLES};
use super::{Generator, Timed};

/// What a step of the simulation does.
#[derive(Debug, Clone)]
pub enum Step {
    Sign,
    /// Booking the visit that takes place `on`.
    ScheduleVisit {
        on: NaiveDate,
    },
    ConductVisit {
        visit_no: u32,
    },
    CancelVisit {
        visit_no: u32,
    },
    Request {
        items: Vec<Item>,
        bundle: Option<Bundle>,
    },
    Accept {
        item_no: u32,
        item: Item,
    },
    Reject {
        item_no: u32,
    },
    /// `left`: the working days still to run when the clock restarts.
    Suspend {
        item_no: u32,
        item: Item,
        left: u32,
    },
    Resume {
        item_no: u32,
        item: Item,
        left: u32,
    },
    Extend {
        item_no: u32,
    },
    Conclude {
        item_no: u32,
        item: Item,
    },
    /// `level` is set for a follow-up rating, drawn otherwise.
    Rate {
        target: RatingTarget,
        follow_up_of: Option<u32>,
        level: Option<u8>,
    },
    CallBack {
        rating_no: u32,
    },
    Rectify {
        rating_no: u32,
        target: RatingTarget,
    },
    Appeal {
        rating_no: u32,
    },
    Review {
        rating_no: u32,
    },
    Lodge,
    AssignComplaint {
        complaint_no: u32,
    },
    Resolve {
        complaint_no: u32,
    },
    Note,
    RevisePlan,
    ReplaceLead,
    AdvanceStage {
        to: Stage,
    },
}

/// One case's life being simulated.
pub struct Sim<'g> {
    pub g: &'g Generator,
    /// The case's own stream: every draw is part of the data.
    pub rng: StdRng,
    pub index: usize,
    pub town: usize,
    registered: NaiveDate,
    pub number: CaseNumber,
    pub stage: Stage,
    pub uscc: Option<Uscc>,
    /// The enterprise's contact, who signs, meets the visits and rates.
    pub contact: String,
    pub lead: u32,
    /// The village agent on the team, if any.
    pub agent: Option<u32>,
    /// (when, order of scheduling, slot in `steps`): equal times run in scheduling order.
    queue: BinaryHeap<Reverse<(DateTime<Utc>, u32, usize)>>,
    steps: Vec<Step>,
    events: Vec<Timed>,
    /// When the last event was recorded.
    pub last: DateTime<Utc>,
    pub visits: u32,
    pub items: u32,
    pub ratings: u32,
    pub complaints: u32,
    pub notes: u32,
    pub plans: u32,
    /// Bad ratings and what they rate, for the rectification's follow-up rating.
    pub rated: Vec<(u32, RatingTarget)>,
}

impl<'g> Sim<'g> {
    pub fn new(
        g: &'g Generator,
        mut rng: StdRng,
        index: usize,
        town: usize,
        registered: NaiveDate,
        number: CaseNumber,
    ) -> Self {
        let stage = match rng.gen_range(0..100) {
            0..=34 => Stage::Establishment,
            35..=74 => Stage::Construction,
            _ => Stage::Operation,
        };
        let lead = if rng.gen_bool(0.15) {
            g.district_leads[rng.gen_range(0..g.district_leads.len())]
        } else {
            let leads = &g.towns[town].leads;
            leads[rng.gen_range(0..leads.len())]
        };
        let contact = format!(
            "{}{}",
            SURNAMES[rng.gen_range(0..SURNAMES.len())],
            TITLES[rng.gen_range(0..TITLES.len())]
        );
        Self {
            g,
            rng,
            index,
            town,
            registered,
            number,
            stage,
            uscc: None,
            contact,
            lead,
            agent: None,
            queue: BinaryHeap::new(),
            steps: Vec::new(),
            events: Vec::new(),
            last: DateTime::<Utc>::MIN_UTC,
            visits: 0,
            items: 0,
            ratings: 0,
            complaints: 0,
            notes: 0,
            plans: 0,
            rated: Vec::new(),
        }
    }

    /// The case's events up to now, and its USCC as of now.
    pub fn run(mut self) -> anyhow::Result<(Vec<Timed>, Option<Uscc>)> {
        let registered = self.registered;
        if instant(registered, 9, 0) > self.g.now {
            return Ok((Vec::new(), None));
        }
        self.register(registered)?;
        let sign_on = weekday(registered + Duration::days(self.rng.gen_range(2..10)));
        self.schedule(sign_on, Step::Sign);
        while let Some(Reverse((at, _, slot))) = self.queue.pop() {
            if at > self.g.now {
                // Not yet happened; nothing after it has either.
                return Ok((self.events, self.uscc));
            }
            let step = std::mem::replace(&mut self.steps[slot], Step::Note);
            self.step(at, step)?;
        }
        self.finish();
        Ok((self.events, self.uscc))
    }

    /// Records an event at `at` (or just after the previous one).
    pub fn record(&mut self, at: DateTime<Utc>, actor: u32, event: CaseEvent) {
        let at = at.max(self.last + Duration::minutes(1));
        if at > self.g.now {
            return;
        }
        self.last = at;
        self.events.push(Timed { at, actor, event });
    }

    /// Schedules `step` at a random working hour of `on`.
    pub fn schedule(&mut self, on: NaiveDate, step: Step) {
        let at = instant(on, self.rng.gen_range(9..17), self.rng.gen_range(0..60));
        self.schedule_at(at, step);
    }

    pub fn schedule_at(&mut self, at: DateTime<Utc>, step: Step) {
        let slot = self.steps.len();
        self.steps.push(step);
        let order = u32::try_from(slot).unwrap_or(u32::MAX);
        self.queue.push(Reverse((at, order, slot)));
    }

    /// The display name of an actor.
    pub fn name(&self, actor: u32) -> String {
        self.g.names[actor as usize].clone()
    }

    /// The user id of an actor.
    pub fn user_id(&self, actor: u32) -> String {
        self.g.actors[actor as usize].id.clone()
    }

    /// The date `n` working days after `start`.
    pub fn calendar_after(&self, start: NaiveDate, n: u32) -> NaiveDate {
        self.g.calendar.add_working_days(start, n).date
    }

    fn step(&mut self, at: DateTime<Utc>, step: Step) -> anyhow::Result<()> {
        let on = day_of(at);
        match step {
            Step::Sign => self.sign(at, on)?,
            Step::ScheduleVisit { on: visit_on } => self.schedule_visit(at, visit_on),
            Step::ConductVisit { visit_no } => self.conduct_visit(at, visit_no),
            Step::CancelVisit { visit_no } => self.cancel_visit(at, visit_no),
            Step::Request { items, bundle } => self.request(at, on, items, bundle),
            Step::Reject { item_no } => self.reject(at, on, item_no),
            Step::Accept { item_no, item } => self.accept(at, on, item_no, item),
            Step::Suspend {
                item_no,
                item,
                left,
            } => self.suspend(at, on, item_no, item, left),
            Step::Resume {
                item_no,
                item,
                left,
            } => self.resume(at, on, item_no, item, left),
            Step::Extend { item_no } => self.extend(at, item_no),
            Step::Conclude { item_no, item } => self.conclude(at, on, item_no, item)?,
            Step::Rate {
                target,
                follow_up_of,
                level,
            } => self.rate(at, target, follow_up_of, level),
            Step::CallBack { rating_no } => self.call_back(at, on, rating_no),
            Step::Rectify { rating_no, target } => self.rectify(at, on, rating_no, target),
            Step::Appeal { rating_no } => self.appeal(at, on, rating_no),
            Step::Review { rating_no } => self.review(at, rating_no),
            Step::Lodge => self.lodge(at, on),
            Step::AssignComplaint { complaint_no } => self.assign_complaint(at, on, complaint_no),
            Step::Resolve { complaint_no } => self.resolve(at, on, complaint_no),
            Step::Note => self.note(at),
            Step::RevisePlan => self.revise_plan(at, on),
            Step::ReplaceLead => self.replace_lead(at),
            Step::AdvanceStage { to } => self.advance_stage(at, to),
        }
        Ok(())
    }
}
