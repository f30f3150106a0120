//! The versions of one catalog entry (an item or a bundle) and whether it was retired. Both kinds
//! follow the same life, so the lookups and their refusals are written once.

use serde::{Deserialize, Serialize};

use crate::error::DomainError;

/// All versions of one item or bundle. Version `n` is at index `n - 1`: the handler only ever
/// emits the next number, so the list has no gaps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct History<T> {
    pub(super) versions: Vec<T>,
    pub(super) retired: bool,
}

impl<T> History<T> {
    /// A history that starts with version 1.
    pub(super) fn first(spec: T) -> Self {
        Self {
            versions: vec![spec],
            retired: false,
        }
    }

    /// The latest version and its number, retired or not.
    pub(super) fn latest(&self) -> Option<(u32, &T)> {
        let spec = self.versions.last()?;
        // Versions are bounded by the number of stored events, far below u32::MAX.
        let number = u32::try_from(self.versions.len()).unwrap_or(u32::MAX);
        Some((number, spec))
    }

    /// The latest version unless retired.
    pub(super) fn live(&self) -> Option<(u32, &T)> {
        if self.retired {
            None
        } else {
            self.latest()
        }
    }

    /// One version by its number (1, 2, …), retired or not.
    pub(super) fn version(&self, version: u32) -> Option<&T> {
        let index = usize::try_from(version).ok()?.checked_sub(1)?;
        self.versions.get(index)
    }

    /// The live version of `what code` (e.g. "catalog item 1161…"), or why a command about it
    /// must be refused: `NotFound` when unknown, `NotAllowed` when retired.
    pub(super) fn require_live<'a>(
        history: Option<&'a Self>,
        what: &str,
        code: &str,
    ) -> Result<(u32, &'a T), DomainError> {
        let not_found = || DomainError::NotFound {
            what: format!("{what} {code}"),
        };
        let history = history.ok_or_else(not_found)?;
        if history.retired {
            return Err(DomainError::not_allowed(format!(
                "{what} {code} is retired"
            )));
        }
        history.latest().ok_or_else(not_found)
    }
}
