//! 办不成事 reports from the public: anyone reports what could not get done (which item or
//! department, what happened, a contact phone), without an account. One stream per report; its
//! id is the tracking code the reporter follows it with. The report is handled like a case's
//! complaint — assigned, then answered with a leader's sign-off or referred — by the division
//! that receives it.
//!
//! [`commands`] and [`events`] are the report's vocabulary, [`aggregate`] the rules; the
//! reporter's phone is personal data ([`personal`]).

pub mod aggregate;
pub mod commands;
pub mod events;
pub(crate) mod personal;

#[cfg(test)]
mod tests;

pub use aggregate::{ProblemReport, ReportServices, ReportStatus};
pub use commands::{ReportCommand, ReportSubjectInput};
pub use events::{ReportEvent, ReportSubject};
pub(crate) use personal::REPORT_PERSONAL_FIELDS;

/// The longest account of what happened, in characters: enough for a page of text, short
/// enough that an anonymous form cannot fill the log.
pub const ACCOUNT_MAX: usize = 1000;
