//! 一件事一次办: a bundle's guide — the items it joins, their materials once (a paper two items
//! ask for is brought once), and the combined limit and trips against doing the items one by
//! one.
//!
//! The combination follows how a bundle is handled: one application at one window, the items
//! examined in parallel (并联审批). Together, the limit is the longest promised limit of its
//! items and the trips are the most any one item needs; one by one, they add up. A material
//! is the same paper when its name is the same; of originals and copies, the most any item asks
//! is brought.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use guanjia_read::CatalogView;
use serde::Serialize;

use super::guide::{days_text, materials, MaterialLine};
use super::{not_found, page, PublicChrome, PublicNav};
use crate::Web;

/// One item of the bundle.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BundleItem {
    pub code: String,
    pub name: String,
    pub department: String,
    pub version: u32,
    pub promised_limit_days: u32,
    pub onsite_trips: u32,
    pub materials: usize,
    pub href: String,
}

/// A material of the bundle, with the items that ask for it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BundleMaterial {
    #[serde(flatten)]
    pub line: MaterialLine,
    /// Names of the items that ask for it, in journey order.
    pub for_items: Vec<String>,
}

/// A bundle's guide.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BundleGuide {
    pub code: String,
    pub name: String,
    pub version: u32,
    pub items: Vec<BundleItem>,
    /// Each material once, in the order first asked.
    pub materials: Vec<BundleMaterial>,
    /// Materials counted item by item (what doing them one by one asks).
    pub materials_one_by_one: usize,
    pub promised_days_together: u32,
    pub promised_days_one_by_one: u32,
    pub trips_together: u32,
    pub trips_one_by_one: u32,
    pub href: String,
}

impl BundleGuide {
    pub fn together_text(&self) -> String {
        days_text(self.promised_days_together)
    }

    pub fn one_by_one_text(&self) -> String {
        days_text(self.promised_days_one_by_one)
    }

    /// The materials a bundle saves against doing its items one by one.
    pub fn materials_saved(&self) -> usize {
        self.materials_one_by_one - self.materials.len()
    }
}

/// The guide of a live bundle; `None` when unknown or retired (or an item of it is not live).
pub(crate) fn bundle(catalog: &CatalogView, code: &str) -> Option<BundleGuide> {
    let current = catalog.bundle(code)?.current()?;
    let mut items = Vec::new();
    let mut once: Vec<BundleMaterial> = Vec::new();
    let mut one_by_one = 0;
    for item_code in &current.spec.item_codes {
        let item = catalog.item(item_code)?.current()?;
        let spec = &item.spec;
        items.push(BundleItem {
            code: spec.implementation_code.clone(),
            name: spec.name.clone(),
            department: spec.department.clone(),
            version: item.version,
            promised_limit_days: spec.promised_limit_days,
            onsite_trips: spec.onsite_trips,
            materials: spec.required_materials.len(),
            href: format!("/public/items/{}", spec.implementation_code),
        });
        for line in materials(spec) {
            one_by_one += 1;
            match once.iter_mut().find(|m| m.line.name == line.name) {
                Some(seen) => {
                    seen.line.originals = most(seen.line.originals, line.originals);
                    seen.line.copies = most(seen.line.copies, line.copies);
                    if seen.line.source.is_empty() {
                        seen.line.source = line.source;
                    }
                    seen.for_items.push(spec.name.clone());
                }
                None => once.push(BundleMaterial {
                    line,
                    for_items: vec![spec.name.clone()],
                }),
            }
        }
    }
    let days = items.iter().map(|i| i.promised_limit_days);
    let trips = items.iter().map(|i| i.onsite_trips);
    Some(BundleGuide {
        code: current.spec.code.clone(),
        name: current.spec.name.clone(),
        version: current.version,
        promised_days_together: days.clone().max().unwrap_or(0),
        promised_days_one_by_one: days.sum(),
        trips_together: trips.clone().max().unwrap_or(0),
        trips_one_by_one: trips.sum(),
        materials: once,
        materials_one_by_one: one_by_one,
        items,
        href: format!("/public/bundles/{}", current.spec.code),
    })
}

fn most(a: Option<u32>, b: Option<u32>) -> Option<u32> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

#[derive(Template)]
#[template(path = "public_bundle.html")]
struct BundlePage {
    chrome: PublicChrome,
    bundle: BundleGuide,
}

/// `GET /public/bundles/{code}`.
pub(crate) async fn show(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Response {
    match web.state().read.read(|m| bundle(m.catalog(), &code)) {
        Some(bundle) => page(
            &headers,
            &BundlePage {
                chrome: PublicChrome::new(&format!("{} 办事指南", bundle.name), PublicNav::None),
                bundle,
            },
        ),
        None => not_found(false),
    }
}
