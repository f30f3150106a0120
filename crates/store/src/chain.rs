//! A tamper-evident history: a hash chain over the global log in log order.
//!
//! Each link is SHA-256(previous link ‖ canonical encoding of the event), where the encoding
//! covers position, aggregate type and id, sequence, event type and version, recording time,
//! payload and metadata (JSON with sorted keys, so PostgreSQL's jsonb reordering does not
//! matter). The chain is extended as events arrive ([`Store::extend_chain`]) and kept in its
//! own append-only table. [`Store::verify_chain`] recomputes it from the events and names the
//! first event that does not match — altered, deleted, or slipped in — even when someone with
//! direct database access disabled the append-only triggers. A [`ChainHead`] exported today
//! proves later, with [`Store::verify_extends`], that the log still extends it.

use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256};

use crate::backend::chain::Link;
use crate::{LogPosition, Store, StoreError, StoredEvent};

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

/// The link after `previous` for `event`.
pub(crate) fn link(previous: &str, event: &StoredEvent) -> Result<String, StoreError> {
    let mut hasher = Sha256::new();
    let mut field = |bytes: &[u8]| {
        hasher.update((bytes.len() as u64).to_be_bytes());
        hasher.update(bytes);
    };
    field(previous.as_bytes());
    field(event.position.to_string().as_bytes());
    field(event.aggregate_type.as_bytes());
    field(event.aggregate_id.as_bytes());
    field(&event.sequence.to_be_bytes());
    field(event.event_type.as_bytes());
    field(event.event_version.as_bytes());
    field(
        event
            .recorded_at
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
            .as_bytes(),
    );
    // serde_json's default map is ordered by key: the same JSON gives the same bytes.
    field(serde_json::to_string(&event.payload)?.as_bytes());
    field(serde_json::to_string(&event.metadata)?.as_bytes());
    Ok(hex(&hasher.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Store {
    /// Links every event the log reader can see that is not chained yet; returns the head.
    pub async fn extend_chain(&self) -> Result<Option<ChainHead>, StoreError> {
        let (mut head, mut events) = match self.last_link().await? {
            Some((position, hash, events)) => (Some((position, hash)), events),
            None => (None, 0),
        };
        loop {
            let after = head.as_ref().map_or(LogPosition::START, |(p, _)| *p);
            // The raw rows: the chain covers personal data as sealed, so erasing a key (which
            // changes what `read_after` shows) never changes a link.
            let page = self.db().read_after(after, PAGE).await?;
            if page.is_empty() {
                break;
            }
            let mut links: Vec<Link> = Vec::with_capacity(page.len());
            let mut previous = head.as_ref().map_or(GENESIS.to_owned(), |(_, h)| h.clone());
            for event in &page {
                previous = link(&previous, event)?;
                links.push((event.position, previous.clone()));
            }
            self.db().append_chain(&links).await?;
            events += links.len() as u64;
            head = links.pop();
        }
        Ok(head.map(|(position, hash)| ChainHead {
            position,
            hash,
            events,
        }))
    }

    /// The last link and the number of links.
    async fn last_link(&self) -> Result<Option<(LogPosition, String, u64)>, StoreError> {
        Ok(self
            .db()
            .last_link()
            .await?
            .map(|((position, hash), links)| (position, hash, links)))
    }

    /// The head of the chain as it stands (without extending it first).
    pub async fn chain_head(&self) -> Result<Option<ChainHead>, StoreError> {
        Ok(self
            .last_link()
            .await?
            .map(|(position, hash, events)| ChainHead {
                position,
                hash,
                events,
            }))
    }

    /// Recomputes the chain from the events and compares it link by link.
    pub async fn verify_chain(&self) -> Result<ChainReport, StoreError> {
        crate::chain_verify::verify(self).await
    }

    /// Proves that the log still extends an exported head: the chain is intact and passes
    /// through `head` with the same hash.
    pub async fn verify_extends(&self, head: &ChainHead) -> Result<ChainReport, StoreError> {
        let mut report = self.verify_chain().await?;
        if report.problem.is_none() && !crate::chain_verify::passes_through(self, head).await? {
            report.problem = Some(ChainProblem::HeadNotFound {
                head: head.to_string(),
            });
        }
        Ok(report)
    }
}
