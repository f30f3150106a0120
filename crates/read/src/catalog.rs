//! The catalog projection: every version of every catalog item (事项) and bundle (一件事一次办),
//! with when and by whom each was published or retired.
//!
//! Cases copy the facts of the version they used into their own events, so nothing here is
//! needed to read a case; this view serves the admin's catalog pages and the api's look-up of
//! the current facts when a steward requests an item. The catalog is small (hundreds of items),
//! so it is kept whole, in code order.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use guanjia_domain::catalog::{BundleSpec, CatalogEvent, CatalogItemFacts, CatalogItemSpec};
use serde::{Deserialize, Serialize};

/// The catalog as published so far.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CatalogView {
    items: BTreeMap<String, CatalogEntry<CatalogItemSpec>>,
    bundles: BTreeMap<String, CatalogEntry<BundleSpec>>,
}

/// One item or bundle: all its versions, oldest first, and its retirement if retired.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogEntry<T> {
    /// The implementation code (实施编码) of an item, or the code of a bundle.
    pub code: String,
    pub versions: Vec<CatalogVersion<T>>,
    pub retired: Option<Retirement>,
}

/// One published version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogVersion<T> {
    pub version: u32,
    pub spec: T,
    pub published_at: DateTime<Utc>,
    /// The user id of the admin who published it.
    pub published_by: String,
}

/// When and why an item or bundle was withdrawn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Retirement {
    /// The last version, live until the retirement.
    pub version: u32,
    pub reason: String,
    pub retired_at: DateTime<Utc>,
    pub retired_by: String,
}

impl<T> CatalogEntry<T> {
    /// The live version: the latest, unless the entry is retired.
    pub fn current(&self) -> Option<&CatalogVersion<T>> {
        match self.retired {
            Some(_) => None,
            None => self.versions.last(),
        }
    }

    /// The latest version, retired or not.
    pub fn latest(&self) -> Option<&CatalogVersion<T>> {
        self.versions.last()
    }

    /// One version by its number.
    pub fn version(&self, version: u32) -> Option<&CatalogVersion<T>> {
        self.versions.iter().find(|v| v.version == version)
    }
}

impl CatalogView {
    /// Every item ever published, by implementation code.
    pub fn items(&self) -> impl Iterator<Item = &CatalogEntry<CatalogItemSpec>> {
        self.items.values()
    }

    /// One item by implementation code.
    pub fn item(&self, code: &str) -> Option<&CatalogEntry<CatalogItemSpec>> {
        self.items.get(code)
    }

    /// Every bundle ever defined, by code.
    pub fn bundles(&self) -> impl Iterator<Item = &CatalogEntry<BundleSpec>> {
        self.bundles.values()
    }

    /// One bundle by code.
    pub fn bundle(&self, code: &str) -> Option<&CatalogEntry<BundleSpec>> {
        self.bundles.get(code)
    }

    /// The facts a case copies when requesting the live version of an item.
    pub fn current_item_facts(&self, code: &str) -> Option<CatalogItemFacts> {
        let current = self.item(code)?.current()?;
        Some(current.spec.facts(current.version))
    }

    /// Applies one catalog event recorded at `at` by `actor`.
    pub(crate) fn apply(&mut self, event: CatalogEvent, at: DateTime<Utc>, actor: &str) {
        match event {
            CatalogEvent::ItemPublished { spec, version }
            | CatalogEvent::ItemRevised { spec, version } => {
                let code = spec.implementation_code.clone();
                publish(&mut self.items, code, version, spec, at, actor);
            }
            CatalogEvent::ItemRetired {
                implementation_code,
                version,
                reason,
            } => retire(
                &mut self.items,
                &implementation_code,
                version,
                reason,
                at,
                actor,
            ),
            CatalogEvent::BundleDefined { spec, version }
            | CatalogEvent::BundleRevised { spec, version } => {
                let code = spec.code.clone();
                publish(&mut self.bundles, code, version, spec, at, actor);
            }
            CatalogEvent::BundleRetired {
                code,
                version,
                reason,
            } => retire(&mut self.bundles, &code, version, reason, at, actor),
        }
    }
}

fn publish<T>(
    entries: &mut BTreeMap<String, CatalogEntry<T>>,
    code: String,
    version: u32,
    spec: T,
    at: DateTime<Utc>,
    actor: &str,
) {
    let entry = entries.entry(code.clone()).or_insert_with(|| CatalogEntry {
        code,
        versions: Vec::new(),
        retired: None,
    });
    entry.versions.push(CatalogVersion {
        version,
        spec,
        published_at: at,
        published_by: actor.to_owned(),
    });
}

fn retire<T>(
    entries: &mut BTreeMap<String, CatalogEntry<T>>,
    code: &str,
    version: u32,
    reason: String,
    at: DateTime<Utc>,
    actor: &str,
) {
    if let Some(entry) = entries.get_mut(code) {
        entry.retired = Some(Retirement {
            version,
            reason,
            retired_at: at,
            retired_by: actor.to_owned(),
        });
    } else {
        tracing::warn!(
            code,
            "retirement of a catalog entry never published is ignored"
        );
    }
}
