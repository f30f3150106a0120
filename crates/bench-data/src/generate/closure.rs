//! How a case's trouble and its life end: complaints (lodged by the public, referred to a
//! department or assigned to the lead steward and resolved), and, once the work has gone
//! quiet, the move to 运营 and the closing of the case — rarely reopened for a second term.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use guanjia_domain::case::model::{Channel, CloseReason, Person, Stage};
use guanjia_domain::case::CaseEvent;
use rand::Rng;

use super::derive::{day_of, instant, weekday};
use super::sim::{Sim, Step};

impl Sim<'_> {
    pub fn lodge(&mut self, at: DateTime<Utc>, on: NaiveDate) {
        let lead = self.lead;
        self.complaints += 1;
        let complaint_no = self.complaints;
        let public = self.g.public;
        let channel =
            [Channel::Hotline12345, Channel::Online, Channel::InPerson][self.rng.gen_range(0..3)];
        self.record(
            at,
            public,
            CaseEvent::ComplaintLodged {
                complaint_no,
                channel,
                content: "审批进度慢，多次补充材料仍未办结".to_owned(),
                complainant: Person {
                    name: Some(self.contact.clone()),
                    phone: None,
                },
                lodged_on: on,
            },
        );
        if self.rng.gen_bool(0.2) {
            self.record(
                at,
                lead,
                CaseEvent::ComplaintReferred {
                    complaint_no,
                    to_department: "自然资源局".to_owned(),
                    reason: "属部门职权范围".to_owned(),
                },
            );
        } else {
            let when = weekday(on + Duration::days(self.rng.gen_range(0..2)));
            self.schedule(when, Step::AssignComplaint { complaint_no });
        }
    }

    pub fn assign_complaint(&mut self, at: DateTime<Utc>, on: NaiveDate, complaint_no: u32) {
        let lead = self.lead;
        let assignee = self.user_id(lead);
        self.record(
            at,
            lead,
            CaseEvent::ComplaintAssigned {
                complaint_no,
                assignee,
            },
        );
        let when = weekday(on + Duration::days(self.rng.gen_range(1..10)));
        self.schedule(when, Step::Resolve { complaint_no });
    }

    pub fn resolve(&mut self, at: DateTime<Utc>, on: NaiveDate, complaint_no: u32) {
        let lead = self.lead;
        self.record(
            at,
            lead,
            CaseEvent::ComplaintResolved {
                complaint_no,
                answer: "已协调部门加快办理，企业表示认可".to_owned(),
                resolved_on: on,
                signed_off_by: None,
            },
        );
    }

    /// After the last step: maybe move to 运营, then close most cases that went quiet long ago.
    /// What would fall after "now" is dropped by `record`, so recent cases stay open.
    pub fn finish(&mut self) {
        let lead = self.lead;
        if self.stage == Stage::Construction && self.rng.gen_bool(0.3) {
            let on = weekday(day_of(self.last) + Duration::days(self.rng.gen_range(20..90)));
            self.record(
                instant(on, 10, 0),
                lead,
                CaseEvent::StageAdvanced {
                    from: Stage::Construction,
                    to: Stage::Operation,
                },
            );
            self.stage = Stage::Operation;
        }
        if self.rng.gen_bool(0.75) {
            let on = weekday(day_of(self.last) + Duration::days(self.rng.gen_range(30..120)));
            let (reason, summary) = if self.rng.gen_bool(0.9) {
                (
                    CloseReason::AllItemsConcluded,
                    "手续全部办结，转入常态化服务",
                )
            } else {
                (
                    CloseReason::EnterpriseWithdrew,
                    "企业调整投资计划，申请终止代办",
                )
            };
            self.record(
                instant(on, 15, 0),
                lead,
                CaseEvent::CaseClosed {
                    reason,
                    summary: summary.to_owned(),
                    closed_on: on,
                },
            );
            if self.rng.gen_bool(0.01) {
                let again = weekday(on + Duration::days(self.rng.gen_range(60..400)));
                self.record(
                    instant(again, 10, 0),
                    lead,
                    CaseEvent::CaseReopened {
                        term: 2,
                        reason: "企业扩建二期，重新签约服务".to_owned(),
                        reopened_on: again,
                    },
                );
            }
        }
    }
}
