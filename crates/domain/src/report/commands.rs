//! What people ask of a report: the public submits it; staff of the receiving division assign,
//! answer (signed off by a leader) or refer it.

use serde::{Deserialize, Serialize};

/// What the report is about, as entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReportSubjectInput {
    /// A catalog item, by its implementation code (实施编码), and its name as shown to the reporter.
    Item { code: String, name: String },
    /// A department or window, by name.
    Department { name: String },
}

/// A command to a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReportCommand {
    /// A member of the public reports what could not get done, to `division`.
    Submit {
        division: String,
        subject: ReportSubjectInput,
        account: String,
        phone: String,
    },
    Assign {
        assignee: String,
    },
    /// The answer, signed off by a leader of the division where sign-off is required.
    Resolve {
        answer: String,
        signed_off_by: Option<String>,
    },
    Refer {
        to_department: String,
        reason: String,
    },
}
