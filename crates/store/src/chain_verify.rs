//! Verification of the hash chain: the events and the links are walked side by side in log
//! order, and the first place where they disagree is named.

use std::collections::VecDeque;

use crate::backend::chain::Link;
use crate::chain::{link, ChainHead, ChainProblem, ChainReport, GENESIS, PAGE};
use crate::{LogPosition, Store, StoreError, StoredEvent};

/// Recomputes every link from the events.
pub(crate) async fn verify(store: &Store) -> Result<ChainReport, StoreError> {
    let mut events: VecDeque<StoredEvent> = VecDeque::new();
    let mut links: VecDeque<Link> = VecDeque::new();
    let (mut events_after, mut links_after) = (LogPosition::START, LogPosition::START);
    let mut previous = GENESIS.to_owned();
    let mut verified = 0u64;
    let mut head = None;
    let problem = loop {
        if events.is_empty() {
            // Raw rows, as the chain was computed over them (sealed personal data).
            events.extend(store.db().read_after(events_after, PAGE).await?);
            if let Some(last) = events.back() {
                events_after = last.position;
            }
        }
        if links.is_empty() {
            links.extend(store.db().chain_links_after(links_after, PAGE).await?);
            if let Some((last, _)) = links.back() {
                links_after = *last;
            }
        }
        let (event, (linked, hash)) = match (events.front(), links.front()) {
            // Events after the last link are simply not chained yet.
            (_, None) => break None,
            (None, Some((position, _))) => {
                break Some(ChainProblem::Missing {
                    position: *position,
                })
            }
            (Some(event), Some(link)) => (event, link),
        };
        if event.position < *linked {
            break Some(ChainProblem::Unchained {
                position: event.position,
            });
        }
        if event.position > *linked {
            break Some(ChainProblem::Missing { position: *linked });
        }
        if link(&previous, event)? != *hash {
            break Some(ChainProblem::Altered {
                position: event.position,
            });
        }
        previous = hash.clone();
        verified += 1;
        head = Some(ChainHead {
            position: *linked,
            hash: hash.clone(),
            events: verified,
        });
        events.pop_front();
        links.pop_front();
    };
    Ok(ChainReport {
        verified,
        head,
        problem,
    })
}

/// True when the chain has a link at the head's position with the head's hash.
pub(crate) async fn passes_through(store: &Store, head: &ChainHead) -> Result<bool, StoreError> {
    let mut after = LogPosition::START;
    loop {
        let links = store.db().chain_links_after(after, PAGE).await?;
        let Some((last, _)) = links.last() else {
            return Ok(false);
        };
        after = *last;
        if let Some((_, hash)) = links
            .iter()
            .find(|(position, _)| *position == head.position)
        {
            return Ok(*hash == head.hash);
        }
        if after > head.position {
            return Ok(false);
        }
    }
}
