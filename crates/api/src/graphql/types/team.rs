//! "三个一": one team, one plan. The team of a case now and everyone who was ever on it, and
//! every version of its 一企一策 plan.

use async_graphql::SimpleObject;
use chrono::{DateTime, NaiveDate, Utc};
use guanjia_read::detail::{PlanView, TeamSpellView, TeamView};

use crate::graphql::enums::Tier;

/// The team now, and everyone who was ever on it.
#[derive(SimpleObject)]
pub struct Team {
    pub lead_steward: Option<TeamSpell>,
    pub members: Vec<TeamSpell>,
    /// Every lead and member spell in the order they started, past ones included.
    pub history: Vec<TeamSpell>,
}

impl From<&TeamView> for Team {
    fn from(team: &TeamView) -> Self {
        Self {
            lead_steward: team.lead_steward.as_ref().map(Into::into),
            members: team.members.iter().map(Into::into).collect(),
            history: team.history.iter().map(Into::into).collect(),
        }
    }
}

/// A time someone spent on the team.
#[derive(SimpleObject)]
pub struct TeamSpell {
    pub username: String,
    /// The lead steward (else a member with `role`).
    pub lead: bool,
    pub role: Option<String>,
    pub tier: Tier,
    pub from: DateTime<Utc>,
    /// Null while still on the team.
    pub to: Option<DateTime<Utc>>,
    pub end_reason: Option<String>,
}

impl From<&TeamSpellView> for TeamSpell {
    fn from(s: &TeamSpellView) -> Self {
        Self {
            username: s.user_id.clone(),
            lead: s.lead,
            role: s.role.clone(),
            tier: s.tier.into(),
            from: s.from,
            to: s.to,
            end_reason: s.end_reason.clone(),
        }
    }
}

/// One version of the 一企一策 plan.
#[derive(SimpleObject)]
pub struct PlanVersion {
    pub version: u32,
    pub text: String,
    /// Implementation codes of the catalog items planned.
    pub planned_items: Vec<String>,
    pub milestones: Vec<Milestone>,
    /// Why it was revised; null for the adopted version 1.
    pub reason: Option<String>,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: String,
}

/// A dated goal of a plan.
#[derive(SimpleObject)]
pub struct Milestone {
    pub name: String,
    pub due_on: NaiveDate,
}

impl From<&PlanView> for PlanVersion {
    fn from(p: &PlanView) -> Self {
        Self {
            version: p.version,
            text: p.plan.text.clone(),
            planned_items: p.plan.planned_items.clone(),
            milestones: p
                .plan
                .milestones
                .iter()
                .map(|m| Milestone {
                    name: m.name.clone(),
                    due_on: m.due_on,
                })
                .collect(),
            reason: p.reason.clone(),
            recorded_at: p.recorded_at,
            recorded_by: p.recorded_by.clone(),
        }
    }
}
