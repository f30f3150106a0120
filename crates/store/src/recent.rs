//! Aggregates this node loaded or changed lately, kept in memory so that the next command on
//! one reads only the events appended since (usually none) instead of its snapshot and every
//! event after it.
//!
//! Safe with several nodes: an entry is a state *at a sequence*, and loading always reads the
//! stream's events after that sequence from the database before deciding — another node's
//! events are applied like any others, and a conflict still makes the command decide again on
//! a reloaded state. An entry holds personal data in clear, like any loaded aggregate; a
//! personal-data erasure forgets the case's entry (and the domain clears the data in the state
//! when another node's erasure event is applied). Least recently used entries go first.

use std::any::Any;
use std::sync::{Arc, Mutex, PoisonError};

use hashlink::LruCache;

/// Recently used aggregate states by (aggregate type, id).
pub(crate) struct Recent {
    entries: Option<Mutex<LruCache<(&'static str, String), Entry>>>,
}

struct Entry {
    /// An `Arc<A>` of the aggregate's type.
    state: Box<dyn Any + Send + Sync>,
    sequence: u64,
}

impl Recent {
    /// Keeps up to `capacity` states; 0 keeps none.
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            entries: (capacity > 0).then(|| Mutex::new(LruCache::new(capacity))),
        }
    }

    /// A copy of the state of `id` and its sequence, if kept.
    pub(crate) fn get<A: Clone + Send + Sync + 'static>(
        &self,
        kind: &'static str,
        id: &str,
    ) -> Option<(A, u64)> {
        let mut entries = self
            .entries
            .as_ref()?
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let entry = entries.get(&(kind, id.to_owned()))?;
        let state = entry.state.downcast_ref::<Arc<A>>()?;
        Some((A::clone(state), entry.sequence))
    }

    /// Keeps `state` at `sequence`, unless a later state is kept already.
    pub(crate) fn keep<A: Send + Sync + 'static>(
        &self,
        kind: &'static str,
        id: &str,
        state: A,
        sequence: u64,
    ) {
        let Some(entries) = &self.entries else {
            return;
        };
        let mut entries = entries.lock().unwrap_or_else(PoisonError::into_inner);
        let key = (kind, id.to_owned());
        if entries
            .get(&key)
            .is_some_and(|kept| kept.sequence >= sequence)
        {
            return;
        }
        entries.insert(
            key,
            Entry {
                state: Box::new(Arc::new(state)),
                sequence,
            },
        );
    }

    /// Forgets the state of `id`.
    pub(crate) fn forget(&self, kind: &'static str, id: &str) {
        if let Some(entries) = &self.entries {
            entries
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .remove(&(kind, id.to_owned()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_later_state_is_kept_an_earlier_one_is_not() {
        let recent = Recent::new(2);
        recent.keep("counter", "c-1", 5_i64, 5);
        recent.keep("counter", "c-1", 3_i64, 3);
        assert_eq!(recent.get::<i64>("counter", "c-1"), Some((5, 5)));
        recent.keep("counter", "c-1", 7_i64, 7);
        assert_eq!(recent.get::<i64>("counter", "c-1"), Some((7, 7)));
        recent.forget("counter", "c-1");
        assert_eq!(recent.get::<i64>("counter", "c-1"), None);
    }

    #[test]
    fn the_least_recently_used_goes_first_and_zero_keeps_none() {
        let recent = Recent::new(2);
        recent.keep("counter", "a", 1_i64, 1);
        recent.keep("counter", "b", 2_i64, 1);
        let _ = recent.get::<i64>("counter", "a");
        recent.keep("counter", "c", 3_i64, 1);
        assert!(recent.get::<i64>("counter", "b").is_none());
        assert!(recent.get::<i64>("counter", "a").is_some());
        let none = Recent::new(0);
        none.keep("counter", "a", 1_i64, 1);
        assert!(none.get::<i64>("counter", "a").is_none());
    }
}
