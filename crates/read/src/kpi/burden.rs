//! The burden reductions of the catalog (减材料、减时限、减跑动): what today's service guides ask
//! of an applicant against what the same items asked when first published.
//!
//! The figure is read from the catalog's versions, not from cases: it says how far the guides
//! moved, whoever used them. It covers the live items (a retired item asks nothing any more,
//! and counting its old figures would claim a cut no applicant feels); each contributes its
//! first version to "before" and its current version to "now". Sums, not averages of per-item
//! percentages, so an item with twenty materials weighs more than one with two. Catalog events
//! carry the time they were recorded, not a business date, so the figure is the catalog as it
//! stands, not bound to the dashboard's period (docs/kpis.md).

use guanjia_domain::catalog::CatalogItemSpec;
use serde::{Deserialize, Serialize};

use super::Ratio;
use crate::catalog::CatalogView;

/// The live catalog's guides now against their first versions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BurdenReduction {
    /// Live items compared.
    pub items: u64,
    /// Of those, items with more than one version.
    pub items_revised: u64,
    pub materials_before: i64,
    pub materials_now: i64,
    /// Promised limits (承诺时限), in working days, summed over the items.
    pub promised_days_before: i64,
    pub promised_days_now: i64,
    pub onsite_trips_before: i64,
    pub onsite_trips_now: i64,
}

impl BurdenReduction {
    /// The catalog's reductions as it stands.
    pub fn of(catalog: &CatalogView) -> Self {
        let mut out = Self::default();
        for entry in catalog.items() {
            let (Some(current), Some(first)) = (entry.current(), entry.versions.first()) else {
                continue;
            };
            out.add(&first.spec, &current.spec, entry.versions.len() > 1);
        }
        out
    }

    fn add(&mut self, first: &CatalogItemSpec, now: &CatalogItemSpec, revised: bool) {
        let count = |spec: &CatalogItemSpec| spec.required_materials.len() as i64;
        self.items += 1;
        self.items_revised += u64::from(revised);
        self.materials_before += count(first);
        self.materials_now += count(now);
        self.promised_days_before += i64::from(first.promised_limit_days);
        self.promised_days_now += i64::from(now.promised_limit_days);
        self.onsite_trips_before += i64::from(first.onsite_trips);
        self.onsite_trips_now += i64::from(now.onsite_trips);
    }

    /// Materials cut: (before − now) ÷ before. Negative when guides ask more than they did.
    pub fn materials_cut(&self) -> Ratio {
        Ratio::new(
            self.materials_before - self.materials_now,
            self.materials_before,
        )
    }

    /// Promised time cut: (before − now) ÷ before, over the summed promised limits.
    pub fn promised_time_cut(&self) -> Ratio {
        Ratio::new(
            self.promised_days_before - self.promised_days_now,
            self.promised_days_before,
        )
    }

    /// On-site trips cut: (before − now) ÷ before.
    pub fn onsite_trips_cut(&self) -> Ratio {
        Ratio::new(
            self.onsite_trips_before - self.onsite_trips_now,
            self.onsite_trips_before,
        )
    }
}

impl crate::ReadModel {
    /// The catalog's burden reductions (see the module documentation).
    pub fn burden_reduction(&self) -> BurdenReduction {
        BurdenReduction::of(self.catalog())
    }
}
