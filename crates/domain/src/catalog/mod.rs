//! The service catalog (事项清单): coded government procedures and bundles (一件事一次办).
//!
//! The catalog is "目录化、编码化、动态化": every item has a 基本编码 and a 实施编码 (its key here),
//! and each change to its service guide (办事指南) is a new numbered version. Cases never point at a
//! live catalog entry: they copy [`CatalogItemFacts`] of one version into their own events, so a
//! case's history reads the same after the catalog moves on.
//!
//! - [`model`]: specs (what an admin submits, with their validation) and facts (what cases copy).
//! - [`guide`]: the service guide's text (legal basis, conditions, process, where and when).
//! - [`commands`] / [`events`]: what may be asked, and what was recorded.
//! - [`aggregate`]: [`ServiceCatalog`], its rules and its read-back queries.

pub mod aggregate;
pub mod commands;
pub mod events;
pub mod guide;
mod history;
pub mod model;

#[cfg(test)]
mod tests;

pub use aggregate::{CatalogServices, ServiceCatalog, DEFAULT_CATALOG_ID};
pub use commands::CatalogCommand;
pub use events::CatalogEvent;
pub use guide::{Channel, MaterialDetail, ServiceGuide};
pub use model::{BundleFacts, BundleSpec, CatalogItemFacts, CatalogItemSpec, ItemType};
