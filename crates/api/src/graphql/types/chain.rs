//! The tamper-evident hash chain as an auditor sees it: the head to export (print, sign, file
//! elsewhere) and the outcome of a verification, naming the first event that does not match.

use async_graphql::SimpleObject;
use guanjia_store::{ChainHead as StoreHead, ChainProblem, ChainReport};

use crate::graphql::enums::ChainProblemKind;

/// The last link of the chain.
#[derive(SimpleObject)]
pub struct ChainHead {
    /// The position of the last chained event.
    pub position: String,
    /// SHA-256 over the whole chain up to it (hex).
    pub hash: String,
    /// How many events the chain covers.
    pub events: u64,
    /// The head in its export form, `guanjia-chain-head/1 POSITION EVENTS HASH`: keep it, and
    /// pass it later to `verifyChain(head:)` to prove the log still extends it.
    pub exported: String,
}

impl From<StoreHead> for ChainHead {
    fn from(head: StoreHead) -> Self {
        Self {
            exported: head.to_string(),
            position: head.position.to_string(),
            hash: head.hash,
            events: head.events,
        }
    }
}

/// The outcome of a verification.
#[derive(SimpleObject)]
pub struct ChainVerification {
    /// Nothing is wrong.
    pub intact: bool,
    /// Events whose links were recomputed and matched (before the first problem, or all).
    pub verified: u64,
    /// The last link verified.
    pub head: Option<ChainHead>,
    pub problem: Option<ChainProblemReport>,
}

/// The first place the chain goes wrong.
#[derive(SimpleObject)]
pub struct ChainProblemReport {
    pub kind: ChainProblemKind,
    /// The event's position (null for `HEAD_NOT_FOUND`; the anchor's for `ANCHOR_MISMATCH`).
    pub position: Option<String>,
    /// What went wrong, in words.
    pub message: String,
}

impl From<ChainReport> for ChainVerification {
    fn from(report: ChainReport) -> Self {
        Self {
            intact: report.is_intact(),
            verified: report.verified,
            head: report.head.map(ChainHead::from),
            problem: report.problem.map(|problem| {
                let message = problem.to_string();
                let (kind, position) = match problem {
                    ChainProblem::Altered { position } => {
                        (ChainProblemKind::Altered, Some(position))
                    }
                    ChainProblem::Missing { position } => {
                        (ChainProblemKind::Missing, Some(position))
                    }
                    ChainProblem::Unchained { position } => {
                        (ChainProblemKind::Unchained, Some(position))
                    }
                    ChainProblem::HeadNotFound { .. } => (ChainProblemKind::HeadNotFound, None),
                    ChainProblem::AnchorMismatch { anchor, .. } => {
                        (ChainProblemKind::AnchorMismatch, Some(anchor.head.position))
                    }
                };
                ChainProblemReport {
                    kind,
                    position: position.map(|p| p.to_string()),
                    message,
                }
            }),
        }
    }
}
