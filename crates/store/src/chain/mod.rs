//! A tamper-evident history: a hash chain over the global log in log order.
//!
//! Each link is SHA-256(previous link ‖ the event as stored) (`link.rs` says exactly what is
//! covered). The chain is extended as events arrive ([`Store::extend_chain`]) and kept in its
//! own append-only, numbered table. [`Store::verify_chain`] recomputes it from the events and
//! names the first event that does not match — altered, deleted, or slipped in — even when
//! someone with direct database access disabled the append-only triggers (`verify.rs`).
//!
//! Someone with that access could also cut the chain's tail, alter an event behind it and let
//! the chain be extended again over the altered event: the recomputed links then match. A head
//! kept elsewhere catches that: a [`ChainHead`] exported by hand, or the anchors the server
//! writes to a file or a second database as the chain grows (`anchor.rs`), which
//! [`Store::verify_anchor`] checks.

mod anchor;
mod link;
mod verify;

use std::fmt;
use std::str::FromStr;

use crate::backend::chain::Link;
use crate::{LogPosition, Store, StoreError};

pub use anchor::{Anchor, AnchorBook, AnchorSink};

/// The link before the first event.
pub(crate) const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// Events read per page while extending or verifying.
pub(crate) const PAGE: usize = 2000;
/// The prefix of an exported head, with the format version.
const HEAD_PREFIX: &str = "guanjia-chain-head/1";

/// The last link of the chain: what an auditor prints, signs or files elsewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainHead {
    pub position: LogPosition,
    pub hash: String,
    /// How many events the chain covers up to `position`.
    pub events: u64,
}

impl fmt::Display for ChainHead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{HEAD_PREFIX} {} {} {}",
            self.position, self.events, self.hash
        )
    }
}

impl FromStr for ChainHead {
    type Err = StoreError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || {
            StoreError::decode(format!(
                "not a chain head (expected \"{HEAD_PREFIX} POSITION EVENTS HASH\"): {text:?}"
            ))
        };
        let mut parts = text.split_whitespace();
        if parts.next() != Some(HEAD_PREFIX) {
            return Err(bad());
        }
        let position = parts.next().ok_or_else(bad)?.parse()?;
        let events = parts.next().and_then(|n| n.parse().ok()).ok_or_else(bad)?;
        let hash = parts
            .next()
            .filter(|h| h.len() == 64 && h.chars().all(|c| c.is_ascii_hexdigit()))
            .ok_or_else(bad)?;
        if parts.next().is_some() {
            return Err(bad());
        }
        Ok(Self {
            position,
            hash: hash.to_ascii_lowercase(),
            events,
        })
    }
}

/// What is wrong with the chain, at the first place it goes wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainProblem {
    /// The event at `position` no longer hashes to its link: it was changed.
    Altered { position: LogPosition },
    /// A link exists for `position` but the event is gone: it was deleted.
    Missing { position: LogPosition },
    /// The event at `position` lies between chained events but has no link: it was inserted.
    Unchained { position: LogPosition },
    /// The exported head is not part of this chain.
    HeadNotFound { head: String },
    /// The chain no longer passes through an anchor written earlier: history up to the
    /// anchor's position was altered, cut or added to after the chain was extended again.
    /// `since` is the position of the newest anchor that still matches, if any: the change
    /// lies after it.
    AnchorMismatch {
        anchor: Box<Anchor>,
        since: Option<LogPosition>,
    },
}

impl fmt::Display for ChainProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Altered { position } => write!(
                f,
                "event {position} was altered: it does not match its chain link"
            ),
            Self::Missing { position } => write!(
                f,
                "event {position} is missing: it was chained but is no longer in the log"
            ),
            Self::Unchained { position } => write!(
                f,
                "event {position} was inserted into already chained history"
            ),
            Self::HeadNotFound { head } => {
                write!(f, "the log does not extend the exported head {head}")
            }
            Self::AnchorMismatch { anchor, since } => {
                write!(
                    f,
                    "the log does not pass through the anchor written at {} for position {} \
                     ({} events): history up to that position was altered, cut or added to",
                    anchor
                        .anchored_at
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    anchor.head.position,
                    anchor.head.events
                )?;
                match since {
                    Some(position) => write!(
                        f,
                        ", after position {position} (the newest anchor that still matches)"
                    ),
                    None => write!(f, "; no earlier anchor matches"),
                }
            }
        }
    }
}

/// The outcome of a verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    /// Events whose links were recomputed and matched before the first problem (or in all).
    pub verified: u64,
    pub head: Option<ChainHead>,
    pub problem: Option<ChainProblem>,
}

impl ChainReport {
    /// True when nothing is wrong.
    pub fn is_intact(&self) -> bool {
        self.problem.is_none()
    }
}

impl ChainHead {
    fn of(link: &Link) -> Self {
        Self {
            position: link.position,
            hash: link.hash.clone(),
            events: link.number,
        }
    }
}

impl Store {
    /// Links every event the log reader can see that is not chained yet; returns the head.
    /// Reads only what came after the last link and appends each page in one statement.
    pub async fn extend_chain(&self) -> Result<Option<ChainHead>, StoreError> {
        let mut last = self.db().last_link().await?;
        loop {
            let after = last.as_ref().map_or(LogPosition::START, |l| l.position);
            // The raw rows: the chain covers personal data as sealed, so erasing a key (which
            // changes what `read_after` shows) never changes a link.
            let page = self.db().raw_rows_after(after, PAGE).await?;
            if page.is_empty() {
                break;
            }
            let mut links = Vec::with_capacity(page.len());
            let (mut number, mut previous) = last
                .as_ref()
                .map_or((0, GENESIS.to_owned()), |l| (l.number, l.hash.clone()));
            for row in &page {
                previous = link::link(&previous, row, link::CURRENT_FORMAT)?;
                number += 1;
                links.push(Link {
                    number,
                    position: row.position,
                    format: link::CURRENT_FORMAT,
                    hash: previous.clone(),
                });
            }
            self.db().append_chain(&links).await?;
            last = links.pop();
        }
        Ok(last.as_ref().map(ChainHead::of))
    }

    /// The head of the chain as it stands (without extending it first).
    pub async fn chain_head(&self) -> Result<Option<ChainHead>, StoreError> {
        Ok(self.db().last_link().await?.as_ref().map(ChainHead::of))
    }

    /// Recomputes the chain from the events and compares it link by link.
    pub async fn verify_chain(&self) -> Result<ChainReport, StoreError> {
        verify::verify(self).await
    }

    /// Proves that the log still extends an exported head: the chain is intact and passes
    /// through `head` with the same hash and number.
    pub async fn verify_extends(&self, head: &ChainHead) -> Result<ChainReport, StoreError> {
        let mut report = self.verify_chain().await?;
        if report.problem.is_none() && !self.passes_through(head).await? {
            report.problem = Some(ChainProblem::HeadNotFound {
                head: head.to_string(),
            });
        }
        Ok(report)
    }

    /// True when the chain has a link at the head's position with the head's number and hash.
    pub(crate) async fn passes_through(&self, head: &ChainHead) -> Result<bool, StoreError> {
        Ok(self
            .db()
            .link_at(head.position)
            .await?
            .is_some_and(|link| link.hash == head.hash && link.number == head.events))
    }
}
