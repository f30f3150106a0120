//! The service catalog (事项清单) as published: every item and bundle with all its versions,
//! the live one, and its retirement if retired. "目录化、编码化、动态化": items are coded and
//! versioned, and a past version stays readable because cases refer to it.

use async_graphql::{Json, SimpleObject};
use chrono::{DateTime, Utc};
use guanjia_domain::catalog::{BundleSpec, CatalogItemSpec, ServiceGuide};
use guanjia_read::catalog::{CatalogEntry, CatalogVersion, Retirement as ReadRetirement};
use guanjia_read::CatalogView;

use crate::graphql::enums::ItemType;

/// The catalog.
#[derive(SimpleObject)]
pub struct Catalog {
    /// Every item ever published, by implementation code.
    pub items: Vec<CatalogItemEntry>,
    /// Every bundle ever defined, by code.
    pub bundles: Vec<BundleEntry>,
}

impl Catalog {
    /// The catalog, retired entries left out unless `include_retired`.
    pub fn new(view: &CatalogView, include_retired: bool) -> Self {
        let keep = |retired: bool| include_retired || !retired;
        Self {
            items: view
                .items()
                .filter(|e| keep(e.retired.is_some()))
                .map(CatalogItemEntry::from)
                .collect(),
            bundles: view
                .bundles()
                .filter(|e| keep(e.retired.is_some()))
                .map(BundleEntry::from)
                .collect(),
        }
    }
}

/// A catalog item (事项) and its versions.
#[derive(SimpleObject)]
pub struct CatalogItemEntry {
    /// 实施编码
    pub code: String,
    /// The live version; null once retired.
    pub current: Option<CatalogItemVersion>,
    /// Every version, oldest first.
    pub versions: Vec<CatalogItemVersion>,
    pub retired: Option<Retirement>,
}

/// One version of an item's service guide (办事指南).
#[derive(SimpleObject, Clone)]
pub struct CatalogItemVersion {
    pub version: u32,
    /// 基本编码
    pub basic_code: String,
    pub implementation_code: String,
    pub name: String,
    pub item_type: ItemType,
    pub department: String,
    pub statutory_limit_days: u32,
    pub promised_limit_days: u32,
    pub required_materials: Vec<String>,
    pub onsite_trips: u32,
    /// The rest of the service guide (legal basis, conditions, materials' originals and
    /// copies, steps, fees, where and when, channels, contact, life stage), in the JSON shape
    /// of `guanjia catalog import` (docs/operations.md); `{}`-like with empty fields when the
    /// version has no guide text.
    pub guide: Json<ServiceGuide>,
    pub published_at: DateTime<Utc>,
    pub published_by: String,
}

impl From<&CatalogVersion<CatalogItemSpec>> for CatalogItemVersion {
    fn from(v: &CatalogVersion<CatalogItemSpec>) -> Self {
        let s = &v.spec;
        Self {
            version: v.version,
            basic_code: s.basic_code.clone(),
            implementation_code: s.implementation_code.clone(),
            name: s.name.clone(),
            item_type: s.item_type.into(),
            department: s.department.clone(),
            statutory_limit_days: s.statutory_limit_days,
            promised_limit_days: s.promised_limit_days,
            required_materials: s.required_materials.clone(),
            onsite_trips: s.onsite_trips,
            guide: Json(s.guide.clone()),
            published_at: v.published_at,
            published_by: v.published_by.clone(),
        }
    }
}

impl From<&CatalogEntry<CatalogItemSpec>> for CatalogItemEntry {
    fn from(e: &CatalogEntry<CatalogItemSpec>) -> Self {
        Self {
            code: e.code.clone(),
            current: e.current().map(CatalogItemVersion::from),
            versions: e.versions.iter().map(CatalogItemVersion::from).collect(),
            retired: e.retired.as_ref().map(Retirement::from),
        }
    }
}

/// A bundle (一件事一次办) and its versions.
#[derive(SimpleObject)]
pub struct BundleEntry {
    pub code: String,
    /// The live version; null once retired.
    pub current: Option<BundleVersion>,
    pub versions: Vec<BundleVersion>,
    pub retired: Option<Retirement>,
}

/// One version of a bundle.
#[derive(SimpleObject, Clone)]
pub struct BundleVersion {
    pub version: u32,
    pub name: String,
    /// Implementation codes of the bundled items, in journey order.
    pub item_codes: Vec<String>,
    pub published_at: DateTime<Utc>,
    pub published_by: String,
}

impl From<&CatalogVersion<BundleSpec>> for BundleVersion {
    fn from(v: &CatalogVersion<BundleSpec>) -> Self {
        Self {
            version: v.version,
            name: v.spec.name.clone(),
            item_codes: v.spec.item_codes.clone(),
            published_at: v.published_at,
            published_by: v.published_by.clone(),
        }
    }
}

impl From<&CatalogEntry<BundleSpec>> for BundleEntry {
    fn from(e: &CatalogEntry<BundleSpec>) -> Self {
        Self {
            code: e.code.clone(),
            current: e.current().map(BundleVersion::from),
            versions: e.versions.iter().map(BundleVersion::from).collect(),
            retired: e.retired.as_ref().map(Retirement::from),
        }
    }
}

/// When and why an item or bundle was withdrawn.
#[derive(SimpleObject)]
pub struct Retirement {
    /// The last version, live until the retirement.
    pub version: u32,
    pub reason: String,
    pub retired_at: DateTime<Utc>,
    pub retired_by: String,
}

impl From<&ReadRetirement> for Retirement {
    fn from(r: &ReadRetirement) -> Self {
        Self {
            version: r.version,
            reason: r.reason.clone(),
            retired_at: r.retired_at,
            retired_by: r.retired_by.clone(),
        }
    }
}
