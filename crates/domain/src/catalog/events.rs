//! Every fact the catalog can record, in the past tense. Events never change once stored; each
//! event type carries a version (all "1" today) so that a later shape can be upcast.
//!
//! Specs are stored whole and already cleaned, so replaying the events rebuilds every version of
//! every service guide without running validation again.

use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};

use super::model::{BundleSpec, CatalogItemSpec};

/// An event of the service catalog aggregate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum CatalogEvent {
    /// An item entered the catalog; `version` is always 1.
    ItemPublished { spec: CatalogItemSpec, version: u32 },
    /// A new version of an item's service guide was published.
    ItemRevised { spec: CatalogItemSpec, version: u32 },
    /// An item was withdrawn. `version` is its last version, the one that was live until now.
    ItemRetired {
        implementation_code: String,
        version: u32,
        reason: String,
    },
    /// A bundle (一件事一次办) was defined; `version` is always 1.
    BundleDefined { spec: BundleSpec, version: u32 },
    /// A new version of a bundle was published.
    BundleRevised { spec: BundleSpec, version: u32 },
    /// A bundle was withdrawn. `version` is its last version.
    BundleRetired {
        code: String,
        version: u32,
        reason: String,
    },
}

impl DomainEvent for CatalogEvent {
    fn event_type(&self) -> String {
        match self {
            Self::ItemPublished { .. } => "ItemPublished",
            Self::ItemRevised { .. } => "ItemRevised",
            Self::ItemRetired { .. } => "ItemRetired",
            Self::BundleDefined { .. } => "BundleDefined",
            Self::BundleRevised { .. } => "BundleRevised",
            Self::BundleRetired { .. } => "BundleRetired",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}
