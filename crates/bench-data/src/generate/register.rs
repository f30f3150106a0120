//! The first part of a case's life: the enterprise is registered — its name, division,
//! address and contact — and its team is formed: a lead steward, often a village agent and
//! sometimes a department liaison.

use chrono::NaiveDate;
use guanjia_domain::case::model::{Enterprise, Stage, TeamMember};
use guanjia_domain::case::CaseEvent;
use guanjia_domain::values::{DivisionCode, Phone, Tier};
use rand::Rng;

use super::derive::{instant, uscc_of};
use super::names::{INDUSTRIES, SOURCES, SUFFIXES, TRADES, VILLAGE_NAMES};
use super::sim::Sim;

impl Sim<'_> {
    /// Registers the case on `on` and forms its team.
    pub fn register(&mut self, on: NaiveDate) -> anyhow::Result<()> {
        let g = self.g;
        let town = &g.towns[self.town];
        let village = self
            .rng
            .gen_bool(0.55)
            .then(|| self.rng.gen_range(0..town.villages.len()));
        let division = village.map_or(town.code.as_str(), |v| town.villages[v].as_str());
        let trade = TRADES[self.rng.gen_range(0..TRADES.len())];
        let industry = INDUSTRIES[self.rng.gen_range(0..INDUSTRIES.len())].name;
        let suffix = SUFFIXES[self.rng.gen_range(0..SUFFIXES.len())];
        let name = format!("安康{}{trade}{industry}{suffix}", town.name);
        let uscc = uscc_of(self.index)?;
        // An enterprise still being set up has no USCC until its licence is granted (`items`).
        self.uscc = (self.stage != Stage::Establishment).then_some(uscc);
        let phone = format!(
            "1{}{:09}",
            self.rng.gen_range(3..10),
            self.rng.gen_range(0..1_000_000_000u32)
        );
        let address = format!(
            "{}镇{}{}号",
            town.name,
            village.map_or("工业园区", |v| VILLAGE_NAMES[v % VILLAGE_NAMES.len()]),
            self.rng.gen_range(1..300)
        );
        let at = instant(on, self.rng.gen_range(9..12), self.rng.gen_range(0..60));
        let lead = self.lead;
        let lead_source = SOURCES[self.rng.gen_range(0..SOURCES.len())];
        self.record(
            at,
            lead,
            CaseEvent::CaseRegistered {
                case_number: self.number,
                enterprise: Enterprise {
                    name,
                    uscc: self.uscc.clone(),
                    division: DivisionCode::parse(division)?,
                    address: Some(address),
                    contact_name: Some(self.contact.clone()),
                    contact_phone: Some(Phone::parse(&phone)?),
                },
                lead_source,
                stage: self.stage,
                registered_on: on,
            },
        );
        let tier = if g.district_leads.contains(&lead) {
            Tier::District
        } else {
            Tier::Town
        };
        self.record(
            at,
            lead,
            CaseEvent::LeadStewardAssigned {
                steward: self.user_id(lead),
                tier,
            },
        );
        if let Some(v) = village {
            if self.rng.gen_bool(0.8) {
                let agent = town.agents[v];
                self.agent = Some(agent);
                self.record(
                    at,
                    lead,
                    CaseEvent::TeamMemberAdded {
                        member: TeamMember {
                            user_id: self.user_id(agent),
                            role: "村级代办员".to_owned(),
                            tier: Tier::Village,
                        },
                    },
                );
            }
        }
        if self.rng.gen_bool(0.3) {
            let liaison = g.liaisons[self.rng.gen_range(0..g.liaisons.len())];
            self.record(
                at,
                lead,
                CaseEvent::TeamMemberAdded {
                    member: TeamMember {
                        user_id: self.user_id(liaison),
                        role: "部门联络员".to_owned(),
                        tier: Tier::District,
                    },
                },
            );
        }
        Ok(())
    }
}
