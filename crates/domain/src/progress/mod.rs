//! 办件进度 links: the expiring, revocable links through which an enterprise follows its own
//! case without an account (issue 19). One stream per case (id: the case id) holding every
//! link its team issued and which of them were revoked.
//!
//! Unlike the one-time rating links, which need no state (the rating is the use), a progress
//! link must be revocable at once: so it is a fact in the log, and opening one loads this
//! stream — every node sees a revocation as soon as it is committed, without waiting for a
//! read model. The link's token (signed by the front door) names the case and the link id;
//! the token itself is never stored, so reading the log does not hand out links.
//!
//! [`aggregate`] holds the rules; who may issue and revoke (the case's team) is the
//! application layer's decision. Who issued or revoked is in the events' metadata.

pub mod aggregate;

#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};
use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};

pub use aggregate::{LinkState, OpenRefusal, ProgressLinks};

/// Validity of a link when none is asked for: 30 days (a service item takes weeks).
pub const DEFAULT_TTL_HOURS: u32 = 30 * 24;
/// Longest validity a link may have: 180 days; a new one can be issued after that.
pub const MAX_TTL_HOURS: u32 = 180 * 24;
/// Most links of one case alive at once: enough for every contact and channel, and a bound
/// on what one stream holds live.
pub const MAX_LIVE_LINKS: usize = 20;
/// Longest link id accepted.
pub const LINK_ID_MAX: usize = 64;

/// How the link reaches the enterprise.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgressChannel {
    /// Shown or printed as a QR code (at signing, on the agreement).
    #[default]
    QrCode,
    /// Sent as a text message.
    Sms,
}

/// What the case's team asks of its progress links.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProgressLinkCommand {
    /// Issues a new link `link_id` (random, chosen by the caller) valid for `ttl_hours`.
    Issue {
        case_id: String,
        link_id: String,
        ttl_hours: u32,
        channel: ProgressChannel,
    },
    /// Revokes a live link: it opens nothing from now on.
    Revoke { link_id: String },
}

/// What happened to a case's progress links.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProgressLinkEvent {
    ProgressLinkIssued {
        case_id: String,
        link_id: String,
        channel: ProgressChannel,
        issued_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    },
    ProgressLinkRevoked {
        link_id: String,
        revoked_at: DateTime<Utc>,
    },
}

impl DomainEvent for ProgressLinkEvent {
    fn event_type(&self) -> String {
        match self {
            Self::ProgressLinkIssued { .. } => "ProgressLinkIssued",
            Self::ProgressLinkRevoked { .. } => "ProgressLinkRevoked",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}
