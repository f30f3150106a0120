//! 好差评 rating links on the record: every public rating link a case's team issues, and which
//! of them were revoked (issue 18). One stream per case (id: the case id).
//!
//! A rating link stays a signed, self-contained token (`r1.…`, made by the front door) and is
//! still one-time because the rating is its use (one rating per visit or item, the case's
//! rule). What this stream adds is the record: who issued which link for what, through which
//! channel and until when, and the means to end a link early — a revocation is an event, and
//! the rating is checked against this stream (not a read model) so it holds at once on every
//! node. The token is never stored; its nonce is the link id.
//!
//! [`aggregate`] holds the rules; who may issue and revoke (the case's team, an admin of the
//! case's division) is the application layer's decision. Who did it is in the metadata.

pub mod aggregate;

#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};
use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};

use crate::case::model::RatingTarget;

pub use aggregate::{RatingLinkRefusal, RatingLinkState, RatingLinks};

/// Longest validity a rating link may have: 30 days (a contact rates within days).
pub const MAX_TTL_HOURS: u32 = 30 * 24;
/// Longest revocation reason, in characters.
pub const REASON_MAX: usize = 200;

/// How the link reaches the enterprise contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RatingLinkChannel {
    /// Shown or printed as a QR code.
    QrCode,
    /// Sent as a text message.
    Sms,
}

/// What is asked of a case's rating links.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RatingLinkCommand {
    /// Records the link `link_id` (the token's nonce) to rate `target`, valid until
    /// `expires_at` (as signed in the token).
    Issue {
        case_id: String,
        link_id: String,
        target: RatingTarget,
        channel: RatingLinkChannel,
        expires_at: DateTime<Utc>,
    },
    /// Revokes a live link, for `reason`: no rating is taken through it from now on.
    Revoke { link_id: String, reason: String },
}

/// What happened to a case's rating links.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RatingLinkEvent {
    RatingLinkIssued {
        case_id: String,
        link_id: String,
        target: RatingTarget,
        channel: RatingLinkChannel,
        issued_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    },
    RatingLinkRevoked {
        link_id: String,
        reason: String,
        revoked_at: DateTime<Utc>,
    },
}

/// The version of every rating-link event today.
pub const RATING_LINK_EVENT_VERSION: &str = "1";

impl DomainEvent for RatingLinkEvent {
    fn event_type(&self) -> String {
        match self {
            Self::RatingLinkIssued { .. } => "RatingLinkIssued",
            Self::RatingLinkRevoked { .. } => "RatingLinkRevoked",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        RATING_LINK_EVENT_VERSION.to_owned()
    }
}
