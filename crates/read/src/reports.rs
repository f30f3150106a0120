//! The 办不成事 reports from the public, as the receiving division's queue shows them: one row
//! per report, newest last, with its history (who did what, when). The phone is kept (every
//! front door masks it: the queue never shows it whole; a deliberate reveal reads the log).

use chrono::{DateTime, NaiveDate, Utc};
use guanjia_domain::report::{ReportEvent, ReportStatus, ReportSubject};
use guanjia_domain::values::{DivisionCode, Phone};
use serde::{Deserialize, Serialize};

/// Every report, in the order reported.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct ReportBook {
    rows: Vec<ReportView>,
}

/// One report in the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportView {
    pub tracking_code: String,
    pub division: DivisionCode,
    pub subject: ReportSubject,
    pub account: String,
    /// Personal data: masked by every front door.
    pub phone: Option<Phone>,
    pub reported_at: DateTime<Utc>,
    pub status: ReportStatus,
    pub assignee: Option<String>,
    pub answer: Option<String>,
    pub resolved_on: Option<NaiveDate>,
    pub signed_off_by: Option<String>,
    pub referred_to: Option<String>,
    /// Every step, oldest first: reported, assigned, answered, referred.
    #[serde(default)]
    pub history: Vec<ReportStep>,
}

/// One step of a report: when, by whom (a username; `public` for the report itself), what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportStep {
    pub at: DateTime<Utc>,
    pub by: String,
    pub what: StepKind,
}

/// What a step did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepKind {
    Reported,
    Assigned {
        assignee: String,
    },
    Resolved {
        signed_off_by: Option<String>,
    },
    Referred {
        to_department: String,
        reason: String,
    },
}

impl ReportBook {
    /// Applies `event` of report `code`, recorded `at` by `by`.
    pub(crate) fn apply(&mut self, code: &str, event: ReportEvent, at: DateTime<Utc>, by: &str) {
        use ReportEvent as E;
        if let E::ProblemReported {
            division,
            subject,
            account,
            phone,
            reported_at,
        } = event
        {
            self.rows.push(ReportView {
                tracking_code: code.to_owned(),
                division,
                subject,
                account,
                phone: Some(phone),
                reported_at,
                status: ReportStatus::Lodged,
                assignee: None,
                answer: None,
                resolved_on: None,
                signed_off_by: None,
                referred_to: None,
                history: vec![ReportStep {
                    at,
                    by: by.to_owned(),
                    what: StepKind::Reported,
                }],
            });
            return;
        }
        let Some(row) = self.rows.iter_mut().rev().find(|r| r.tracking_code == code) else {
            return;
        };
        let what = match event {
            E::ProblemReported { .. } => return,
            E::ProblemReportAssigned { assignee } => {
                row.status = ReportStatus::Assigned;
                row.assignee = Some(assignee.clone());
                StepKind::Assigned { assignee }
            }
            E::ProblemReportResolved {
                answer,
                resolved_on,
                signed_off_by,
            } => {
                row.status = ReportStatus::Resolved;
                row.answer = Some(answer);
                row.resolved_on = Some(resolved_on);
                row.signed_off_by = signed_off_by.clone();
                StepKind::Resolved { signed_off_by }
            }
            E::ProblemReportReferred {
                to_department,
                reason,
            } => {
                row.status = ReportStatus::Referred;
                row.referred_to = Some(to_department.clone());
                StepKind::Referred {
                    to_department,
                    reason,
                }
            }
        };
        row.history.push(ReportStep {
            at,
            by: by.to_owned(),
            what,
        });
    }

    /// The report `code`, whatever its division (the caller checks who may read it).
    pub(crate) fn get(&self, code: &str) -> Option<ReportView> {
        self.rows
            .iter()
            .rev()
            .find(|r| r.tracking_code == code)
            .cloned()
    }

    /// The reports of the divisions inside `scope`, newest first.
    pub(crate) fn within(&self, scope: &DivisionCode) -> Vec<ReportView> {
        self.rows
            .iter()
            .rev()
            .filter(|r| scope.contains(&r.division))
            .cloned()
            .collect()
    }
}
