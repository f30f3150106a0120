//! The demo catalog: real kinds of procedures an enterprise meets from establishment to
//! operation, each with its full service guide (办事指南), and the zone's 13 一件事一次办
//! bundles.
//!
//! Every item is published twice: first as its guide read before the 减材料、减时限 reform
//! (more materials, longer promised limits, more trips), then revised to today's guide. Across
//! the catalog the revisions cut the materials by 30 % and the promised time by 50 %, the
//! reductions the zone reported; the dashboard computes them from this history (docs/kpis.md).
//! Both versions are published before any case is written, so every case of the demo years
//! uses today's guides and the reported 2023 figures do not depend on the old ones.

mod bundles;
mod items;

use guanjia_domain::case::model::Stage;
use guanjia_domain::catalog::{CatalogItemSpec, Channel, ItemType, MaterialDetail, ServiceGuide};

pub use bundles::bundles;

/// How many items the generated years choose from: the first ones of [`items`], whose order
/// is part of the seeded data.
const GENERATED_CHOOSE_FROM: usize = 12;

/// One item of the demo catalog, as written in `items.rs`.
struct Item {
    code: &'static str,
    basic_code: &'static str,
    name: &'static str,
    item_type: ItemType,
    department: &'static str,
    stage: Stage,
    statutory_limit_days: u32,
    promised_limit_days: u32,
    onsite_trips: u32,
    materials: &'static [Material],
    before: Before,
    legal_basis: &'static [&'static str],
    conditions: &'static [&'static str],
    steps: &'static [&'static str],
    fees: &'static str,
    window: &'static str,
    channels: &'static [Channel],
    contact: &'static str,
}

/// A material: name, originals, copies, where to get it.
struct Material(&'static str, u32, u32, &'static str);

/// What the item's first guide asked beyond today's.
struct Before {
    promised_limit_days: u32,
    onsite_trips: u32,
    /// Materials dropped by the reform, asked besides today's.
    more_materials: &'static [&'static str],
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|entry| (*entry).to_owned()).collect()
}

impl Item {
    /// Today's guide.
    fn spec(&self) -> CatalogItemSpec {
        CatalogItemSpec {
            basic_code: self.basic_code.to_owned(),
            implementation_code: self.code.to_owned(),
            name: self.name.to_owned(),
            item_type: self.item_type,
            department: self.department.to_owned(),
            statutory_limit_days: self.statutory_limit_days,
            promised_limit_days: self.promised_limit_days,
            required_materials: self.materials.iter().map(|m| m.0.to_owned()).collect(),
            onsite_trips: self.onsite_trips,
            guide: ServiceGuide {
                life_stage: Some(self.stage),
                legal_basis: strings(self.legal_basis),
                conditions: strings(self.conditions),
                materials: self
                    .materials
                    .iter()
                    .map(|m| MaterialDetail {
                        name: m.0.to_owned(),
                        originals: m.1,
                        copies: m.2,
                        source: m.3.to_owned(),
                    })
                    .collect(),
                steps: strings(self.steps),
                fees: self.fees.to_owned(),
                window: self.window.to_owned(),
                address: items::HALL_ADDRESS.to_owned(),
                hours: items::HALL_HOURS.to_owned(),
                channels: self.channels.to_vec(),
                contact: self.contact.to_owned(),
            },
        }
    }

    /// The guide before the reform: the same text, with the dropped materials, the longer
    /// promised limit and the trips it asked then. Online channels came with the reform.
    fn first_spec(&self) -> CatalogItemSpec {
        let mut spec = self.spec();
        spec.promised_limit_days = self.before.promised_limit_days;
        spec.onsite_trips = self.before.onsite_trips;
        spec.required_materials
            .extend(strings(self.before.more_materials));
        spec.guide.channels = vec![Channel::OneWindow];
        spec
    }
}

/// The catalog items as their guides read today, in the order they are published.
pub fn items() -> Vec<CatalogItemSpec> {
    items::ITEMS.iter().map(Item::spec).collect()
}

/// Each item's first guide, from before the reform; [`items`] revises every one of them.
pub fn first_versions() -> Vec<CatalogItemSpec> {
    items::ITEMS.iter().map(Item::first_spec).collect()
}

/// Implementation codes a steward typically requests, in life order.
pub(crate) fn codes() -> Vec<&'static str> {
    items::ITEMS
        .iter()
        .take(GENERATED_CHOOSE_FROM)
        .map(|item| item.code)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_guide_and_first_version_passes_the_catalogs_rules() {
        for spec in items().into_iter().chain(first_versions()) {
            assert_eq!(spec.validated().as_ref(), Ok(&spec), "{}", spec.name);
            assert!(!spec.guide.is_empty());
        }
    }

    #[test]
    fn the_reform_cut_materials_by_30_and_promised_time_by_50_percent() {
        let total = |specs: &[CatalogItemSpec], f: fn(&CatalogItemSpec) -> usize| -> usize {
            specs.iter().map(f).sum()
        };
        let (now, before) = (items(), first_versions());
        let materials = |s: &CatalogItemSpec| s.required_materials.len();
        let days = |s: &CatalogItemSpec| s.promised_limit_days as usize;
        assert_eq!(total(&now, materials) * 10, total(&before, materials) * 7);
        assert_eq!(total(&now, days) * 2, total(&before, days));
    }

    #[test]
    fn there_are_thirteen_bundles_of_published_items() {
        let codes: Vec<String> = items().into_iter().map(|s| s.implementation_code).collect();
        let bundles = bundles();
        assert_eq!(bundles.len(), 13);
        for bundle in bundles {
            assert_eq!(bundle.validated().as_ref(), Ok(&bundle));
            assert!(bundle.item_codes.iter().all(|code| codes.contains(code)));
        }
    }
}
