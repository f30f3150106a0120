//! Verification of the hash chain: the raw rows and the links are walked side by side in log
//! order, each link recomputed in the format it was made in, and the first place where they
//! disagree is named.

use std::collections::VecDeque;

use super::link::link;
use super::{ChainHead, ChainProblem, ChainReport, GENESIS, PAGE};
use crate::backend::chain::Link;
use crate::{LogPosition, RawRow, Store, StoreError};

/// Recomputes every link from the events.
pub(super) async fn verify(store: &Store) -> Result<ChainReport, StoreError> {
    let mut rows: VecDeque<RawRow> = VecDeque::new();
    let mut links: VecDeque<Link> = VecDeque::new();
    let (mut rows_after, mut links_after) = (LogPosition::START, 0);
    let mut previous = GENESIS.to_owned();
    let mut verified = 0u64;
    let mut head = None;
    let problem = loop {
        if rows.is_empty() {
            rows.extend(
                store
                    .db()
                    .committed_raw_rows_after(rows_after, PAGE)
                    .await?,
            );
            if let Some(last) = rows.back() {
                rows_after = last.position;
            }
        }
        if links.is_empty() {
            links.extend(store.db().chain_links_after(links_after, PAGE).await?);
            if let Some(last) = links.back() {
                links_after = last.number;
            }
        }
        let (row, chained) = match (rows.front(), links.front()) {
            // Events after the last link are simply not chained yet.
            (_, None) => break None,
            (None, Some(chained)) => {
                break Some(ChainProblem::Missing {
                    position: chained.position,
                })
            }
            (Some(row), Some(chained)) => (row, chained),
        };
        if chained.number != verified + 1 {
            // A link was deleted from the chain table itself.
            break Some(ChainProblem::Missing {
                position: row.position.min(chained.position),
            });
        }
        if row.position < chained.position {
            break Some(ChainProblem::Unchained {
                position: row.position,
            });
        }
        if row.position > chained.position {
            break Some(ChainProblem::Missing {
                position: chained.position,
            });
        }
        // A row whose old-format JSON no longer parses cannot match its link either.
        let recomputed = link(&previous, row, chained.format).ok();
        if recomputed.as_deref() != Some(chained.hash.as_str()) {
            break Some(ChainProblem::Altered {
                position: row.position,
            });
        }
        previous = chained.hash.clone();
        verified += 1;
        head = Some(ChainHead::of(chained));
        rows.pop_front();
        links.pop_front();
    };
    Ok(ChainReport {
        verified,
        head,
        problem,
    })
}
