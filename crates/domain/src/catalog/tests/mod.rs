//! Tests of the service catalog, read as given–when–then. The fixtures are a small slice of a
//! district catalog: the items of the 企业开办 (opening a business) journey and one licence.

mod bundles;
mod guide;
mod items;
mod serde_round_trip;
mod spec;
mod state;

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use cqrs_es::test::TestFramework;

use super::{
    BundleSpec, CatalogEvent, CatalogItemSpec, CatalogServices, ItemType, ServiceCatalog,
    ServiceGuide,
};
use crate::clock::FixedClock;
use crate::testing::SnapshotChecked;

/// 企业设立登记
const REGISTRATION: &str = "11610902MB1C12345X000117001000";
/// 公章刻制备案
const SEAL: &str = "11610902MB1C12345X000105002000";
/// 建设工程规划许可证核发
const PLANNING: &str = "11610902MB1C12345X000118003000";

fn catalog() -> TestFramework<SnapshotChecked<ServiceCatalog>> {
    let start = Utc
        .with_ymd_and_hms(2023, 3, 1, 1, 0, 0)
        .single()
        .expect("a valid instant");
    TestFramework::with(CatalogServices {
        clock: Arc::new(FixedClock::at(start)),
    })
}

/// A clean item spec (as validation would return it) for one of the fixture codes.
fn item(implementation_code: &str) -> CatalogItemSpec {
    let (basic_code, name, item_type, department, statutory, promised, trips) =
        match implementation_code {
            REGISTRATION => (
                "000117001000",
                "企业设立登记",
                ItemType::AdministrativeConfirmation,
                "区市场监督管理局",
                15,
                1,
                0,
            ),
            SEAL => (
                "000105002000",
                "公章刻制备案",
                ItemType::AdministrativeFiling,
                "区公安分局",
                5,
                1,
                0,
            ),
            _ => (
                "000118003000",
                "建设工程规划许可证核发",
                ItemType::AdministrativeLicence,
                "区自然资源局",
                20,
                10,
                1,
            ),
        };
    CatalogItemSpec {
        basic_code: basic_code.to_owned(),
        implementation_code: implementation_code.to_owned(),
        name: name.to_owned(),
        item_type,
        department: department.to_owned(),
        statutory_limit_days: statutory,
        promised_limit_days: promised,
        required_materials: vec!["申请书".to_owned(), "营业执照".to_owned()],
        onsite_trips: trips,
        guide: ServiceGuide::default(),
    }
}

/// The 企业开办 bundle over the given items.
fn bundle(item_codes: &[&str]) -> BundleSpec {
    BundleSpec {
        code: "YJS-QYKB".to_owned(),
        name: "企业开办一件事".to_owned(),
        item_codes: item_codes.iter().map(|code| (*code).to_owned()).collect(),
    }
}

fn published(code: &str) -> CatalogEvent {
    CatalogEvent::ItemPublished {
        spec: item(code),
        version: 1,
    }
}

/// The history of a catalog with all three fixture items published.
fn three_items() -> Vec<CatalogEvent> {
    vec![
        published(REGISTRATION),
        published(SEAL),
        published(PLANNING),
    ]
}

/// Three items and the 企业开办 bundle of registration and seal.
fn with_bundle() -> Vec<CatalogEvent> {
    let mut events = three_items();
    events.push(CatalogEvent::BundleDefined {
        spec: bundle(&[REGISTRATION, SEAL]),
        version: 1,
    });
    events
}

/// The aggregate after replaying `events`, for the state queries.
fn replayed(events: Vec<CatalogEvent>) -> ServiceCatalog {
    use cqrs_es::Aggregate;
    let mut catalog = ServiceCatalog::default();
    for event in events {
        catalog.apply(event);
    }
    catalog
}
