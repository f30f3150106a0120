//! On-site visits (走访): booked a few days ahead, then conducted — with the issues the
//! enterprise raised and a rating most of the time — or, rarely, cancelled.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use guanjia_domain::case::model::RatingTarget;
use guanjia_domain::case::CaseEvent;
use rand::Rng;

use super::derive::instant;
use super::sim::{Sim, Step};

impl Sim<'_> {
    /// Books the next visit for `visit_on`, and the visit itself (or its cancellation).
    pub fn schedule_visit(&mut self, at: DateTime<Utc>, visit_on: NaiveDate) {
        let lead = self.lead;
        self.visits += 1;
        let visit_no = self.visits;
        let mut planned = vec![self.user_id(lead)];
        if let Some(agent) = self.agent {
            planned.push(self.user_id(agent));
        }
        let purpose = [
            "走访问需，了解项目进展",
            "协调用地和规划手续",
            "现场查看施工准备情况",
            "政策宣讲与诉求收集",
        ][self.rng.gen_range(0..4)];
        self.record(
            at,
            lead,
            CaseEvent::VisitScheduled {
                visit_no,
                scheduled_at: instant(visit_on, 9, 30),
                place: "企业现场".to_owned(),
                purpose: purpose.to_owned(),
                planned_participants: planned,
            },
        );
        let next = if self.rng.gen_bool(0.04) {
            Step::CancelVisit { visit_no }
        } else {
            Step::ConductVisit { visit_no }
        };
        let when = instant(visit_on, 10, self.rng.gen_range(0..50));
        self.schedule_at(when, next);
    }

    pub fn conduct_visit(&mut self, at: DateTime<Utc>, visit_no: u32) {
        let lead = self.lead;
        let mut participants = vec![self.name(lead), self.contact.clone()];
        if let Some(agent) = self.agent {
            participants.push(self.name(agent));
        }
        let issues = match self.rng.gen_range(0..4) {
            0 => vec![],
            1 => vec!["用地指标紧张".to_owned()],
            2 => vec!["施工许可材料不全".to_owned(), "临时用电未落实".to_owned()],
            _ => vec!["融资需求".to_owned()],
        };
        let follow_ups = issues
            .iter()
            .map(|issue| format!("协调相关部门解决：{issue}"))
            .collect();
        self.record(
            at,
            lead,
            CaseEvent::VisitConducted {
                visit_no,
                conducted_at: at,
                participants,
                notes: "走访记录：企业反映手续进展总体顺利，管家现场答疑并记录诉求，\
                        下一步协调部门加快办理。"
                    .to_owned(),
                issues_raised: issues,
                follow_ups,
            },
        );
        if self.rng.gen_bool(0.8) {
            let when = at + Duration::hours(self.rng.gen_range(1..30));
            self.schedule_at(
                when,
                Step::Rate {
                    target: RatingTarget::Visit(visit_no),
                    follow_up_of: None,
                    level: None,
                },
            );
        }
    }

    pub fn cancel_visit(&mut self, at: DateTime<Utc>, visit_no: u32) {
        let lead = self.lead;
        self.record(
            at,
            lead,
            CaseEvent::VisitCancelled {
                visit_no,
                reason: "企业负责人临时外出，改期走访".to_owned(),
            },
        );
    }
}
