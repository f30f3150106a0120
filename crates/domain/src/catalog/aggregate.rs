//! The service catalog aggregate: one aggregate holds a whole catalog (id [`DEFAULT_CATALOG_ID`]),
//! because its rules span items and bundles (a bundle may only name live items, a bundled item may
//! not be retired), and the catalog changes rarely, so one stream is never contended.
//!
//! Every version of every item and bundle stays in the state: a case that recorded version 2 of an
//! item can read it back after version 3 is published or the item is retired.

use std::collections::BTreeMap;
use std::sync::Arc;

use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};

use super::commands::CatalogCommand;
use super::events::CatalogEvent;
use super::history::History;
use super::model::{self, BundleFacts, BundleSpec, CatalogItemFacts, CatalogItemSpec};
use crate::clock::Clock;
use crate::error::DomainError;
use crate::values::text::{self, BODY_MAX};

/// The id of the one catalog a deployment has.
pub const DEFAULT_CATALOG_ID: &str = "default";

/// What the catalog's command handler may use from outside. Nothing reads the clock yet (event
/// times come from the store's metadata); it is here so every aggregate is wired the same way.
#[derive(Debug, Clone)]
pub struct CatalogServices {
    pub clock: Arc<dyn Clock>,
}

/// The service catalog (事项清单): coded items with versioned service guides, and bundles.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceCatalog {
    /// By implementation code (实施编码).
    items: BTreeMap<String, History<CatalogItemSpec>>,
    /// By bundle code.
    bundles: BTreeMap<String, History<BundleSpec>>,
}

impl ServiceCatalog {
    /// The current facts of a live item; `None` when the code is unknown or the item is retired.
    pub fn current_item(&self, implementation_code: &str) -> Option<CatalogItemFacts> {
        let (version, spec) = self.items.get(implementation_code)?.live()?;
        Some(spec.facts(version))
    }

    /// The facts of one version of an item, whether it is current, superseded or retired.
    pub fn item_version(
        &self,
        implementation_code: &str,
        version: u32,
    ) -> Option<CatalogItemFacts> {
        let spec = self.items.get(implementation_code)?.version(version)?;
        Some(spec.facts(version))
    }

    /// The current version of a live bundle, with the current facts of each item in journey
    /// order. `None` when the code is unknown or the bundle is retired. The handler keeps every
    /// item of a live bundle live; should a stored history break that, the bundle is not offered
    /// rather than offered with a hole in it.
    pub fn current_bundle(&self, code: &str) -> Option<BundleFacts> {
        let (version, spec) = self.bundles.get(code)?.live()?;
        let items = spec
            .item_codes
            .iter()
            .map(|item| self.current_item(item))
            .collect::<Option<Vec<_>>>()?;
        Some(BundleFacts {
            code: spec.code.clone(),
            version,
            name: spec.name.clone(),
            items,
        })
    }

    /// The current spec of every live item, by implementation code: the catalog as an import
    /// file would publish it.
    pub fn live_items(&self) -> impl Iterator<Item = &CatalogItemSpec> {
        self.items
            .values()
            .filter_map(|history| history.live().map(|(_, spec)| spec))
    }

    /// The current spec of every live bundle, by code.
    pub fn live_bundles(&self) -> impl Iterator<Item = &BundleSpec> {
        self.bundles
            .values()
            .filter_map(|history| history.live().map(|(_, spec)| spec))
    }

    fn decide(&self, command: CatalogCommand) -> Result<CatalogEvent, DomainError> {
        match command {
            CatalogCommand::PublishItem { spec } => {
                let spec = spec.validated()?;
                if self.items.contains_key(&spec.implementation_code) {
                    return Err(DomainError::AlreadyExists(format!(
                        "catalog item {} was already published",
                        spec.implementation_code
                    )));
                }
                Ok(CatalogEvent::ItemPublished { spec, version: 1 })
            }
            CatalogCommand::ReviseItem { spec } => {
                let spec = spec.validated()?;
                let (current, latest) = self.live_item(&spec.implementation_code)?;
                if latest == &spec {
                    return Err(identical(
                        "catalog item",
                        &spec.implementation_code,
                        current,
                    ));
                }
                Ok(CatalogEvent::ItemRevised {
                    spec,
                    version: current + 1,
                })
            }
            CatalogCommand::RetireItem {
                implementation_code,
                reason,
            } => {
                let code = model::code("implementation_code", &implementation_code)?;
                let reason = text::required("reason", &reason, BODY_MAX)?;
                let (version, _) = self.live_item(&code)?;
                let users = self.live_bundles_using(&code);
                if !users.is_empty() {
                    return Err(DomainError::not_allowed(format!(
                        "catalog item {code} is part of live bundles {}: revise or retire them first",
                        users.join(", ")
                    )));
                }
                Ok(CatalogEvent::ItemRetired {
                    implementation_code: code,
                    version,
                    reason,
                })
            }
            CatalogCommand::DefineBundle { spec } => {
                let spec = spec.validated()?;
                if self.bundles.contains_key(&spec.code) {
                    return Err(DomainError::AlreadyExists(format!(
                        "bundle {} was already defined",
                        spec.code
                    )));
                }
                self.check_bundled_items(&spec)?;
                Ok(CatalogEvent::BundleDefined { spec, version: 1 })
            }
            CatalogCommand::ReviseBundle { spec } => {
                let spec = spec.validated()?;
                let (current, latest) = self.live_bundle(&spec.code)?;
                self.check_bundled_items(&spec)?;
                if latest == &spec {
                    return Err(identical("bundle", &spec.code, current));
                }
                Ok(CatalogEvent::BundleRevised {
                    spec,
                    version: current + 1,
                })
            }
            CatalogCommand::RetireBundle { code, reason } => {
                let code = model::code("code", &code)?;
                let reason = text::required("reason", &reason, BODY_MAX)?;
                let (version, _) = self.live_bundle(&code)?;
                Ok(CatalogEvent::BundleRetired {
                    code,
                    version,
                    reason,
                })
            }
        }
    }

    fn live_item(&self, code: &str) -> Result<(u32, &CatalogItemSpec), DomainError> {
        History::require_live(self.items.get(code), "catalog item", code)
    }

    fn live_bundle(&self, code: &str) -> Result<(u32, &BundleSpec), DomainError> {
        History::require_live(self.bundles.get(code), "bundle", code)
    }

    /// Codes of the live bundles whose current version names the item.
    fn live_bundles_using(&self, item_code: &str) -> Vec<String> {
        self.bundles
            .values()
            .filter_map(History::live)
            .filter(|(_, spec)| spec.item_codes.iter().any(|code| code == item_code))
            .map(|(_, spec)| spec.code.clone())
            .collect()
    }

    fn check_bundled_items(&self, spec: &BundleSpec) -> Result<(), DomainError> {
        spec.item_codes
            .iter()
            .try_for_each(|code| self.live_item(code).map(|_| ()))
    }
}

fn identical(what: &str, code: &str, version: u32) -> DomainError {
    DomainError::not_allowed(format!(
        "{what} {code}: the revision is identical to version {version}"
    ))
}

impl Aggregate for ServiceCatalog {
    const TYPE: &'static str = "service_catalog";
    type Command = CatalogCommand;
    type Event = CatalogEvent;
    type Error = DomainError;
    type Services = CatalogServices;

    async fn handle(
        &mut self,
        command: Self::Command,
        _services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let event = self.decide(command)?;
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            CatalogEvent::ItemPublished { spec, .. } => {
                self.items
                    .insert(spec.implementation_code.clone(), History::first(spec));
            }
            CatalogEvent::ItemRevised { spec, .. } => {
                if let Some(history) = self.items.get_mut(&spec.implementation_code) {
                    history.versions.push(spec);
                }
            }
            CatalogEvent::ItemRetired {
                implementation_code,
                ..
            } => {
                if let Some(history) = self.items.get_mut(&implementation_code) {
                    history.retired = true;
                }
            }
            CatalogEvent::BundleDefined { spec, .. } => {
                self.bundles.insert(spec.code.clone(), History::first(spec));
            }
            CatalogEvent::BundleRevised { spec, .. } => {
                if let Some(history) = self.bundles.get_mut(&spec.code) {
                    history.versions.push(spec);
                }
            }
            CatalogEvent::BundleRetired { code, .. } => {
                if let Some(history) = self.bundles.get_mut(&code) {
                    history.retired = true;
                }
            }
        }
    }
}
