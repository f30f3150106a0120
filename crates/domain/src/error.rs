//! The one error type of the domain layer.
//!
//! [`ValueError`] says which rule a value broke (it is the `source` of
//! [`DomainError::Invalid`], which adds the field). [`DomainError`] is what every aggregate
//! command returns: the API maps `Invalid` to `BAD_USER_INPUT`, `NotFound` to `NOT_FOUND`
//! and every other variant (a rule of the case's state) to `BAD_USER_INPUT` with its message.

use thiserror::Error;

/// A value that broke one of its rules. Each variant names the rule.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ValueError {
    #[error("must not be empty")]
    Empty,
    #[error("must be at most {max} characters, got {actual}")]
    TooLong { max: usize, actual: usize },
    #[error("must be {expected} characters long, got {actual}")]
    WrongLength { expected: usize, actual: usize },
    #[error("character {found:?} at position {position} is not allowed ({allowed})")]
    BadCharacter {
        position: usize,
        found: char,
        allowed: &'static str,
    },
    #[error("check character is {found:?} but the GB 32100-2015 checksum gives {expected:?}")]
    BadCheckCharacter { expected: char, found: char },
    #[error("{0}")]
    Rule(String),
    #[error("must be between {min} and {max}, got {actual}")]
    OutOfRange { min: i64, max: i64, actual: i64 },
    /// A business date before the step it follows (the order of dates is a rule of the case).
    #[error("{date} is before {step} ({earliest})")]
    BeforeStep {
        date: chrono::NaiveDate,
        step: String,
        earliest: chrono::NaiveDate,
    },
    /// A step dated too long before it is recorded, given without a reason.
    #[error(
        "the step is dated {date}, {working_days} working days ago (more than {limit}): \
         a late entry (补录) needs a reason"
    )]
    LateEntry {
        date: chrono::NaiveDate,
        working_days: u32,
        limit: u32,
    },
    /// A rating entered by staff that claims a channel only a one-time rating link produces
    /// (二维码, 短信): staff cannot label their own entries as the enterprise's.
    #[error(
        "{channel} ratings arrive only through a one-time rating link; a rating recorded by \
         staff names the channel it was given on (evaluator device, paper card, 12345 \
         hotline, in person, …)"
    )]
    LinkOnlyChannel { channel: &'static str },
}

/// Why a command was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    /// A field of the command is malformed.
    #[error("{field}: {source}")]
    Invalid {
        field: &'static str,
        #[source]
        source: ValueError,
    },
    /// The command refers to something the aggregate does not have (visit 7, item 3, …).
    #[error("{what} not found")]
    NotFound { what: String },
    /// The command is not allowed in the current state of the aggregate.
    #[error("{0}")]
    NotAllowed(String),
    /// The command would create something that already exists.
    #[error("{0}")]
    AlreadyExists(String),
}

impl DomainError {
    /// Shorthand for a malformed field.
    pub fn invalid(field: &'static str, source: ValueError) -> Self {
        Self::Invalid { field, source }
    }

    /// Shorthand for a state rule.
    pub fn not_allowed(message: impl Into<String>) -> Self {
        Self::NotAllowed(message.into())
    }
}
