//! The data generator: realistic case histories from a fixed seed, written as events directly
//! (commands would take hours for 100,000 cases; `crates/demo` is the slow, checked way).
//!
//! Every case has its own random stream, seeded from the run's seed and the case's index, so
//! case `i` is the same whatever else is generated and the measuring process can rebuild any
//! case (its id, USCC, lead steward) without the whole log.
//!
//! A case is a small discrete-event simulation: each step (sign, visit, request, accept,
//! conclude, rate, call back, …) runs at its own time and schedules the steps that follow it.
//! Steps run in time order, so the numbers the domain hands out in order (visit, item, rating,
//! complaint and note numbers) come out in order too, and the events of a case are recorded at
//! strictly increasing instants. The simulation stops at "now": what lies later has not
//! happened yet, which leaves recent cases with running items, upcoming visits and bad ratings
//! awaiting their call-back.
//!
//! Case numbers are `YYYY-NNNN` with at most 9,999 a year and are unique, so cases are
//! registered over as many years as that takes, ending in the year of "today": 2023–2025 for
//! 10,000 cases, 2015–2025 for 100,000.
//!
//! The district: `names` (towns, villages, the words of enterprise and people's names),
//! `people` (who acts), `catalog` (the demo's catalog). A case: `sim` (its clock and queue of
//! steps), then a module per part of its life: `register` (the enterprise and its team),
//! `agreement` (signing, the plan, later changes), `agenda` (what it will ask for and
//! when), `visits`, `items` (service items and their
//! deadlines), `ratings` (ratings, call-backs, rectifications, appeals) and `closure`
//! (complaints and the end of a case). `derive` makes ids and instants.
//!
//! Every random draw is part of the data: adding, dropping or reordering one changes the cases,
//! and the figures in docs/benchmarks.md were measured on this data.

mod agenda;
mod agreement;
mod catalog;
mod closure;
mod derive;
mod items;
mod names;
mod people;
mod ratings;
mod register;
mod sim;
mod visits;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use guanjia_domain::calendar::WorkCalendar;
use guanjia_domain::case::CaseEvent;
use guanjia_domain::catalog::CatalogEvent;
use guanjia_domain::values::{CaseNumber, Uscc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use catalog::Catalog;
use derive::{instant, uuid_text, weekday};
use people::{Actor, People, Town};
use sim::Sim;

pub use derive::{date, mix};

/// The most case numbers one year's book can issue.
const PER_YEAR_MAX: usize = 9_999;

/// One event of a case, with when and by whom it was recorded.
#[derive(Debug, Clone)]
pub struct Timed {
    pub at: DateTime<Utc>,
    /// Index into [`Generator::actors`].
    pub actor: u32,
    pub event: CaseEvent,
}

/// A generated case: its keys and its events up to "now", in order.
#[derive(Debug, Clone)]
pub struct GeneratedCase {
    pub id: String,
    /// The USCC as of now (an enterprise in 设立 gets one when its licence is granted).
    pub uscc: Option<Uscc>,
    pub events: Vec<Timed>,
}

/// The generator of one data set: the places, the people and the rules of a case's life.
pub struct Generator {
    pub seed: u64,
    pub cases: usize,
    pub first_year: i32,
    per_year: usize,
    pub today: NaiveDate,
    now: DateTime<Utc>,
    towns: Vec<Town>,
    total_weight: u32,
    district_leads: Vec<u32>,
    liaisons: Vec<u32>,
    public: u32,
    leader: u32,
    /// Everyone who acts; events refer to them by index.
    pub actors: Vec<Actor>,
    /// Display names of the actors (signatories, participants).
    names: Vec<String>,
    catalog: Catalog,
    calendar: WorkCalendar,
}

impl Generator {
    pub fn new(cases: usize, seed: u64, today: NaiveDate) -> anyhow::Result<Self> {
        anyhow::ensure!(cases > 0, "no cases to generate");
        let years = cases.div_ceil(PER_YEAR_MAX).max(3);
        let first_year = today.year() - i32::try_from(years)? + 1;
        anyhow::ensure!(first_year >= 2005, "{cases} cases need too many years");
        let per_year = cases.div_ceil(years);
        let People {
            actors,
            names,
            towns,
            district_leads,
            liaisons,
            public,
            leader,
        } = People::new(cases);
        let total_weight = towns.iter().map(|town| town.weight).sum();
        Ok(Self {
            seed,
            cases,
            first_year,
            per_year,
            today,
            now: instant(today, 18, 0),
            towns,
            total_weight,
            district_leads,
            liaisons,
            public,
            leader,
            actors,
            names,
            catalog: Catalog::demo()?,
            calendar: WorkCalendar::china(),
        })
    }

    /// The last year of registrations.
    pub fn last_year(&self) -> i32 {
        self.today.year()
    }

    /// The user ids of a town's lead stewards (town 0 is 恒口).
    pub fn town_leads(&self, town: usize) -> Vec<String> {
        self.towns[town]
            .leads
            .iter()
            .map(|a| self.actors[*a as usize].id.clone())
            .collect()
    }

    /// The division code of a town.
    pub fn town_code(&self, town: usize) -> &str {
        &self.towns[town].code
    }

    /// The catalog as published at the start of the log.
    pub fn catalog_events(&self) -> Vec<CatalogEvent> {
        self.catalog.events()
    }

    /// When the catalog was published: before the first registration.
    pub fn catalog_at(&self) -> DateTime<Utc> {
        instant(date(self.first_year, 1, 2), 9, 0)
    }

    /// The one actor catalog events are recorded by.
    pub fn catalog_actor(&self) -> u32 {
        self.leader
    }

    /// Case `i` (0-based) with its events up to now.
    pub fn case(&self, i: usize) -> anyhow::Result<GeneratedCase> {
        let mut rng = StdRng::seed_from_u64(mix(self.seed, i as u64));
        let year = self.first_year + i32::try_from(i / self.per_year)?;
        let in_year = i % self.per_year;
        let number = CaseNumber::new(year, u32::try_from(in_year + 1)?)?;
        let offset = (in_year * 340 / self.per_year) as i64 + rng.gen_range(0..3);
        let registered = weekday(date(year, 1, 4) + Duration::days(offset));
        let town = self.pick_town(&mut rng);
        let id = uuid_text(&mut rng);
        let sim = Sim::new(self, rng, i, town, registered, number);
        let (events, uscc) = sim.run()?;
        Ok(GeneratedCase { id, uscc, events })
    }

    fn pick_town(&self, rng: &mut StdRng) -> usize {
        let mut roll = rng.gen_range(0..self.total_weight);
        for (index, town) in self.towns.iter().enumerate() {
            if roll < town.weight {
                return index;
            }
            roll -= town.weight;
        }
        0
    }
}
