//! Who acts in the generated log: each town's lead stewards and village agents, the district's
//! stewards and department liaisons, the leader who approves extensions and reviews appeals,
//! and the public rating link. Enough stewards for the data set's size, so that workloads look
//! like a real district's.

use super::names::{person, TOWNS};

/// One lead steward per this many cases of a town (over all the years).
const CASES_PER_STEWARD: usize = 400;

/// Who acted, as written in the event's metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: String,
    pub role: &'static str,
    pub channel: &'static str,
}

/// A town, its villages and its stewards.
pub struct Town {
    pub name: &'static str,
    pub code: String,
    pub weight: u32,
    pub villages: Vec<String>,
    /// Its lead stewards, as actor indexes.
    pub leads: Vec<u32>,
    /// Its village agents (村级代办员), one per village, as actor indexes.
    pub agents: Vec<u32>,
}

/// Everyone, in the order they were made: events refer to them by index.
pub struct People {
    pub actors: Vec<Actor>,
    /// Display names of the actors (signatories, participants).
    pub names: Vec<String>,
    pub towns: Vec<Town>,
    pub district_leads: Vec<u32>,
    pub liaisons: Vec<u32>,
    pub public: u32,
    pub leader: u32,
}

impl People {
    /// The people for `cases` cases: the same `cases` gives the same people in the same order.
    pub fn new(cases: usize) -> Self {
        let mut actors = Vec::new();
        let mut names = Vec::new();
        let mut add = |id: String, role: &'static str, channel: &'static str| -> u32 {
            let index = actors.len();
            actors.push(Actor { id, role, channel });
            names.push(person(index));
            u32::try_from(index).unwrap_or(u32::MAX)
        };
        let total_weight: u32 = TOWNS.iter().map(|town| town.weight).sum();
        let mut towns = Vec::new();
        for (t, town) in TOWNS.iter().enumerate() {
            let code = format!("610902{:03}000", 100 + t);
            let villages: Vec<String> = (0..6)
                .map(|v| format!("{}{:03}", &code[..9], 201 + v))
                .collect();
            let share = cases * town.weight as usize / total_weight as usize;
            let pinyin = town.pinyin;
            let leads = (0..(share / CASES_PER_STEWARD).max(2))
                .map(|k| add(format!("{pinyin}.{:02}", k + 1), "steward", "graphql"))
                .collect();
            let agents = (0..villages.len())
                .map(|v| add(format!("{pinyin}.v{:02}", v + 1), "steward", "graphql"))
                .collect();
            towns.push(Town {
                name: town.name,
                code,
                weight: town.weight,
                villages,
                leads,
                agents,
            });
        }
        let district_leads = (0..(cases / 5_000).max(2))
            .map(|k| add(format!("district.{:02}", k + 1), "steward", "graphql"))
            .collect();
        let liaisons = (0..12)
            .map(|k| add(format!("liaison.{:02}", k + 1), "steward", "graphql"))
            .collect();
        let public = add("rating-link".to_owned(), "public", "rating_link");
        let leader = add("leader.zhang".to_owned(), "leader", "graphql");
        Self {
            actors,
            names,
            towns,
            district_leads,
            liaisons,
            public,
            leader,
        }
    }
}
