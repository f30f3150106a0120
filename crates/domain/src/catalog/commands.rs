//! What an admin can ask of the catalog. Commands are requests, not facts: each may be refused,
//! and the handler in `aggregate.rs` says why (see the rules on each variant).

use serde::{Deserialize, Serialize};

use super::model::{BundleSpec, CatalogItemSpec};

/// A request to change the service catalog (事项清单). Only admins send these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum CatalogCommand {
    /// Publishes a new item as version 1.
    ///
    /// Refused with `AlreadyExists` when the implementation code was ever used, retired items
    /// included: a code names one procedure for good, so old cases never change meaning.
    PublishItem { spec: CatalogItemSpec },
    /// Publishes the next version of an item's service guide, found by its implementation code.
    ///
    /// Refused with `NotFound` for an unknown code, `NotAllowed` for a retired item or for a
    /// revision identical to the current version (it would add a version that says nothing).
    ReviseItem { spec: CatalogItemSpec },
    /// Withdraws an item: no new case may request it; past versions stay readable.
    ///
    /// Refused with `NotAllowed` while a live bundle contains the item: the bundle would offer a
    /// journey that can no longer be completed. Revise or retire the bundle first.
    RetireItem {
        implementation_code: String,
        reason: String,
    },
    /// Defines a new bundle (一件事一次办) as version 1.
    ///
    /// Every item must be a current item (`NotFound` if unknown, `NotAllowed` if retired); the
    /// code must never have been used (`AlreadyExists`).
    DefineBundle { spec: BundleSpec },
    /// Publishes the next version of a bundle, with the same item rules as `DefineBundle`.
    ReviseBundle { spec: BundleSpec },
    /// Withdraws a bundle; its items stay in the catalog.
    RetireBundle { code: String, reason: String },
}
