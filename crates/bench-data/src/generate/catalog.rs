//! The catalog the generated cases use: the demo's (`guanjia_demo::catalog`), published as is,
//! so the benchmark measures real items and bundles rather than a copy that drifts. The
//! simulation names the items it asks for by purpose; their facts come from the demo.

use anyhow::Context as _;
use guanjia_domain::case::events::BundleRef;
use guanjia_domain::catalog::{BundleSpec, CatalogEvent, CatalogItemFacts, CatalogItemSpec};

/// Everything is published once: version 1 of each item and bundle.
const VERSION: u32 = 1;

/// The catalog items the simulation asks for, by purpose. Each is an implementation code of
/// the demo's catalog; [`Catalog::demo`] fails if the demo no longer has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    /// 企业设立登记: the licence that gives an enterprise its USCC.
    Setup,
    /// 建设项目用地预审与选址意见书核发
    LandPreview,
    /// 建设用地规划许可证核发
    LandPlanning,
    /// 建设工程规划许可证核发
    WorksPlanning,
    /// 建筑工程施工许可证核发
    Building,
    /// 建设工程消防设计审查
    FireDesign,
    /// 建设项目环境影响报告表审批
    Environment,
    /// 排污许可证核发
    Discharge,
    /// 取水许可
    Water,
    /// 食品经营许可证核发
    Food,
    /// 企业投资项目备案
    Filing,
    /// 社会保险登记
    SocialInsurance,
}

impl Item {
    const ALL: [Item; 12] = [
        Item::Setup,
        Item::LandPreview,
        Item::LandPlanning,
        Item::WorksPlanning,
        Item::Building,
        Item::FireDesign,
        Item::Environment,
        Item::Discharge,
        Item::Water,
        Item::Food,
        Item::Filing,
        Item::SocialInsurance,
    ];

    /// Its implementation code in the demo's catalog.
    pub fn code(self) -> &'static str {
        match self {
            Item::Setup => "610902-SCJG-001",
            Item::LandPreview => "610902-ZRZY-001",
            Item::LandPlanning => "610902-ZRZY-002",
            Item::WorksPlanning => "610902-ZRZY-003",
            Item::Building => "610902-ZJ-001",
            Item::FireDesign => "610902-ZJ-002",
            Item::Environment => "610902-STHJ-001",
            Item::Discharge => "610902-STHJ-002",
            Item::Water => "610902-SL-001",
            Item::Food => "610902-SCJG-002",
            Item::Filing => "610902-FGJ-001",
            Item::SocialInsurance => "610902-RS-001",
        }
    }
}

/// The demo's bundles (一件事一次办) a case requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bundle {
    /// 开办企业一件事
    OpenBusiness,
    /// 工程建设项目开工一件事
    StartWorks,
}

impl Bundle {
    const ALL: [Bundle; 2] = [Bundle::OpenBusiness, Bundle::StartWorks];

    fn code(self) -> &'static str {
        match self {
            Bundle::OpenBusiness => "YJS-KBQY",
            Bundle::StartWorks => "YJS-GCJS",
        }
    }
}

/// The demo's catalog as published, and what a case copies from it.
pub struct Catalog {
    items: Vec<CatalogItemSpec>,
    bundles: Vec<BundleSpec>,
    /// The facts of each [`Item`], by `Item as usize` (`Item::ALL` is in declaration order).
    facts: Vec<CatalogItemFacts>,
    /// Each [`Bundle`] as a request names it, and its items in the order of the journey.
    bundled: Vec<(BundleRef, Vec<Item>)>,
}

impl Catalog {
    /// The demo's catalog, checked to hold every item and bundle the simulation names.
    pub fn demo() -> anyhow::Result<Self> {
        let items = guanjia_demo::catalog::items();
        let bundles = guanjia_demo::catalog::bundles();
        let facts = Item::ALL
            .iter()
            .map(|item| {
                items
                    .iter()
                    .find(|spec| spec.implementation_code == item.code())
                    .map(|spec| spec.facts(VERSION))
                    .with_context(|| format!("the demo catalog has no item {}", item.code()))
            })
            .collect::<anyhow::Result<_>>()?;
        let bundled = Bundle::ALL
            .iter()
            .map(|bundle| {
                let spec = bundles
                    .iter()
                    .find(|spec| spec.code == bundle.code())
                    .with_context(|| format!("the demo catalog has no bundle {}", bundle.code()))?;
                let items = spec
                    .item_codes
                    .iter()
                    .map(|code| {
                        Item::ALL
                            .into_iter()
                            .find(|item| item.code() == code)
                            .with_context(|| {
                                format!("bundle {} holds unknown item {code}", spec.code)
                            })
                    })
                    .collect::<anyhow::Result<_>>()?;
                let named = BundleRef {
                    code: spec.code.clone(),
                    version: VERSION,
                    name: spec.name.clone(),
                };
                Ok((named, items))
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(Self {
            items,
            bundles,
            facts,
            bundled,
        })
    }

    /// The catalog's events at the start of the log: the items, then the bundles.
    pub fn events(&self) -> Vec<CatalogEvent> {
        let items = self.items.iter().map(|spec| CatalogEvent::ItemPublished {
            spec: spec.clone(),
            version: VERSION,
        });
        let bundles = self.bundles.iter().map(|spec| CatalogEvent::BundleDefined {
            spec: spec.clone(),
            version: VERSION,
        });
        items.chain(bundles).collect()
    }

    /// What a case records of `item` when it requests it.
    pub fn facts(&self, item: Item) -> &CatalogItemFacts {
        &self.facts[item as usize]
    }

    /// What a case records of `bundle` on each item requested under it.
    pub fn bundle(&self, bundle: Bundle) -> &BundleRef {
        &self.bundled[bundle as usize].0
    }

    /// The items of `bundle`, requested together.
    pub fn bundle_items(&self, bundle: Bundle) -> Vec<Item> {
        self.bundled[bundle as usize].1.clone()
    }
}
