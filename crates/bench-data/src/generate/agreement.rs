//! The agreement and what follows from it: the service agreement and the first plan (一企一策),
//! the project most enterprises past 设立 bring, and the later changes to the plan, the lead
//! steward and the stage. Notes go here too: they are the steward's running record of the
//! agreement's work.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use guanjia_domain::case::model::{AgreementScope, Milestone, PlanContent, ProjectDetails, Stage};
use guanjia_domain::case::CaseEvent;
use guanjia_domain::values::{Money, ProjectCode, Tier};
use rand::Rng;

use super::catalog::Item;
use super::names::INDUSTRIES;
use super::sim::Sim;

impl Sim<'_> {
    /// Signs the agreement, adopts the first plan, adds a project and plans the case's work.
    pub fn sign(&mut self, at: DateTime<Utc>, on: NaiveDate) -> anyhow::Result<()> {
        let lead = self.lead;
        let scope = if self.rng.gen_bool(0.7) {
            AgreementScope::FullLifecycle
        } else {
            AgreementScope::Stage(self.stage)
        };
        self.record(
            at,
            lead,
            CaseEvent::AgreementSigned {
                scope,
                signed_on: on,
                signatories: vec![self.contact.clone(), self.name(lead)],
            },
        );
        self.plans = 1;
        let plan = self.plan_content(on);
        self.record(at, lead, CaseEvent::PlanAdopted { version: 1, plan });
        if self.stage != Stage::Establishment && self.rng.gen_bool(0.7) {
            self.add_project(at, on)?;
        }
        self.plan_agenda(on);
        Ok(())
    }

    fn add_project(&mut self, at: DateTime<Utc>, on: NaiveDate) -> anyhow::Result<()> {
        let lead = self.lead;
        let year = on.year();
        let industry = &INDUSTRIES[self.rng.gen_range(0..INDUSTRIES.len())];
        let code = ProjectCode::parse(&format!(
            "{year}-610902-{}-0{}-{:06}",
            industry.code,
            self.rng.gen_range(1..4),
            self.index % 1_000_000
        ))?;
        let key = self.rng.gen_bool(0.15);
        let details = ProjectDetails {
            name: format!(
                "年产{}万件{}项目",
                self.rng.gen_range(1..100),
                industry.name
            ),
            investment: Money::from_yuan(self.rng.gen_range(2_000..80_000) * 10_000)?,
            key_project: key,
            list_year: key.then_some(year),
        };
        self.record(at, lead, CaseEvent::ProjectAdded { code, details });
        Ok(())
    }

    /// The plan for the current stage, as version `self.plans`.
    fn plan_content(&mut self, on: NaiveDate) -> PlanContent {
        let items: &[Item] = match self.stage {
            Stage::Establishment => &[Item::Setup, Item::SocialInsurance],
            Stage::Construction => &[
                Item::LandPreview,
                Item::LandPlanning,
                Item::WorksPlanning,
                Item::Building,
            ],
            Stage::Operation => &[Item::Food, Item::Discharge],
        };
        PlanContent {
            text: format!(
                "一企一策（v{}）：明确专属管家和部门联络员，全程代办{}阶段审批手续，每月至少走访一次。",
                self.plans,
                match self.stage {
                    Stage::Establishment => "设立",
                    Stage::Construction => "建设",
                    Stage::Operation => "运营",
                }
            ),
            planned_items: items.iter().map(|item| item.code().to_owned()).collect(),
            milestones: vec![
                Milestone {
                    name: "完成主要审批手续".to_owned(),
                    due_on: on + Duration::days(self.rng.gen_range(60..120)),
                },
                Milestone {
                    name: "项目开工或投产".to_owned(),
                    due_on: on + Duration::days(self.rng.gen_range(150..300)),
                },
            ],
        }
    }

    pub fn revise_plan(&mut self, at: DateTime<Utc>, on: NaiveDate) {
        let lead = self.lead;
        self.plans += 1;
        let plan = self.plan_content(on);
        self.record(
            at,
            lead,
            CaseEvent::PlanRevised {
                version: self.plans,
                plan,
                reason: "项目规模调整，补充办理事项".to_owned(),
            },
        );
    }

    /// Another of the town's lead stewards takes over; drawing the same one changes nothing.
    pub fn replace_lead(&mut self, at: DateTime<Utc>) {
        let lead = self.lead;
        let leads = &self.g.towns[self.town].leads;
        let new = leads[self.rng.gen_range(0..leads.len())];
        if new != lead {
            self.record(
                at,
                lead,
                CaseEvent::LeadStewardReplaced {
                    previous: self.user_id(lead),
                    steward: self.user_id(new),
                    tier: Tier::Town,
                    reason: "管家岗位调整".to_owned(),
                },
            );
            self.lead = new;
        }
    }

    /// Moves to a later stage; a step for an earlier one (already passed) does nothing.
    pub fn advance_stage(&mut self, at: DateTime<Utc>, to: Stage) {
        if to > self.stage {
            let from = self.stage;
            self.stage = to;
            let lead = self.lead;
            self.record(at, lead, CaseEvent::StageAdvanced { from, to });
        }
    }

    pub fn note(&mut self, at: DateTime<Utc>) {
        let lead = self.lead;
        self.notes += 1;
        self.record(
            at,
            lead,
            CaseEvent::NoteAdded {
                note_no: self.notes,
                text: "电话联系企业负责人，确认下周提交施工许可材料，\
                       并提醒提前办理临时用电报装。"
                    .to_owned(),
            },
        );
    }
}
