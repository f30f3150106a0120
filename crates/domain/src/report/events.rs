//! What a report records. Versioned data: a new field gets `#[serde(default)]`.

use chrono::{DateTime, NaiveDate, Utc};
use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};

use crate::values::{DivisionCode, Phone};

/// The version of the report's events.
pub const REPORT_EVENT_VERSION: &str = "1";

/// What the report is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportSubject {
    Item { code: String, name: String },
    Department { name: String },
}

impl ReportSubject {
    /// `事项 名称（编码）` or `部门 名称`, as pages show it.
    pub fn label_zh(&self) -> String {
        match self {
            Self::Item { code, name } => format!("事项：{name}（{code}）"),
            Self::Department { name } => format!("部门：{name}"),
        }
    }
}

/// An event of a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReportEvent {
    /// Reported by a member of the public; `phone` is personal data (sealed in the log).
    ProblemReported {
        division: DivisionCode,
        subject: ReportSubject,
        account: String,
        phone: Phone,
        reported_at: DateTime<Utc>,
    },
    ProblemReportAssigned {
        assignee: String,
    },
    ProblemReportResolved {
        answer: String,
        resolved_on: NaiveDate,
        /// The leader of the division who signed the answer off; `None` where not required.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        signed_off_by: Option<String>,
    },
    ProblemReportReferred {
        to_department: String,
        reason: String,
    },
}

impl DomainEvent for ReportEvent {
    fn event_type(&self) -> String {
        match self {
            Self::ProblemReported { .. } => "ProblemReported",
            Self::ProblemReportAssigned { .. } => "ProblemReportAssigned",
            Self::ProblemReportResolved { .. } => "ProblemReportResolved",
            Self::ProblemReportReferred { .. } => "ProblemReportReferred",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        REPORT_EVENT_VERSION.to_owned()
    }
}
