//! What the catalog answers after its history is replayed: current items, past versions, bundles.

use super::*;
use crate::catalog::{BundleFacts, CatalogItemFacts};

fn planning_v2() -> CatalogItemSpec {
    let mut spec = item(PLANNING);
    spec.promised_limit_days = 5;
    spec.required_materials.push("建设工程设计方案".to_owned());
    spec
}

fn revised_planning() -> Vec<CatalogEvent> {
    let mut events = three_items();
    events.push(CatalogEvent::ItemRevised {
        spec: planning_v2(),
        version: 2,
    });
    events
}

#[test]
fn current_item_gives_the_facts_of_the_latest_version() {
    let catalog = replayed(revised_planning());
    assert_eq!(
        catalog.current_item(PLANNING),
        Some(CatalogItemFacts {
            implementation_code: PLANNING.to_owned(),
            basic_code: "000118003000".to_owned(),
            version: 2,
            name: "建设工程规划许可证核发".to_owned(),
            item_type: ItemType::AdministrativeLicence,
            department: "区自然资源局".to_owned(),
            statutory_limit_days: 20,
            promised_limit_days: 5,
            required_materials_count: 3,
            onsite_trips: 1,
        })
    );
}

#[test]
fn unknown_and_retired_items_have_no_current_facts() {
    let mut events = revised_planning();
    events.push(CatalogEvent::ItemRetired {
        implementation_code: PLANNING.to_owned(),
        version: 2,
        reason: "事项取消".to_owned(),
    });
    let catalog = replayed(events);
    assert_eq!(catalog.current_item(PLANNING), None);
    assert_eq!(catalog.current_item("NO-SUCH-ITEM"), None);
}

#[test]
fn past_versions_stay_readable_after_revision_and_retirement() {
    let mut events = revised_planning();
    events.push(CatalogEvent::ItemRetired {
        implementation_code: PLANNING.to_owned(),
        version: 2,
        reason: "事项取消".to_owned(),
    });
    let catalog = replayed(events);
    assert_eq!(
        catalog.item_version(PLANNING, 1),
        Some(item(PLANNING).facts(1))
    );
    assert_eq!(
        catalog.item_version(PLANNING, 2),
        Some(planning_v2().facts(2))
    );
    assert_eq!(catalog.item_version(PLANNING, 0), None);
    assert_eq!(catalog.item_version(PLANNING, 3), None);
    assert_eq!(catalog.item_version("NO-SUCH-ITEM", 1), None);
}

#[test]
fn a_bundle_lists_the_current_facts_of_its_items_in_order() {
    let mut events = with_bundle();
    events.push(CatalogEvent::BundleRevised {
        spec: bundle(&[PLANNING, REGISTRATION, SEAL]),
        version: 2,
    });
    events.push(CatalogEvent::ItemRevised {
        spec: planning_v2(),
        version: 2,
    });
    let catalog = replayed(events);
    assert_eq!(
        catalog.current_bundle("YJS-QYKB"),
        Some(BundleFacts {
            code: "YJS-QYKB".to_owned(),
            version: 2,
            name: "企业开办一件事".to_owned(),
            items: vec![
                planning_v2().facts(2),
                item(REGISTRATION).facts(1),
                item(SEAL).facts(1),
            ],
        })
    );
}

#[test]
fn unknown_and_retired_bundles_have_no_current_facts() {
    let mut events = with_bundle();
    events.push(CatalogEvent::BundleRetired {
        code: "YJS-QYKB".to_owned(),
        version: 1,
        reason: "并入新版".to_owned(),
    });
    let catalog = replayed(events);
    assert_eq!(catalog.current_bundle("YJS-QYKB"), None);
    assert_eq!(catalog.current_bundle("NO-SUCH-BUNDLE"), None);
}

#[test]
fn the_live_specs_are_the_latest_versions_of_what_is_not_retired() {
    let mut events = revised_planning();
    events.push(CatalogEvent::ItemRetired {
        implementation_code: SEAL.to_owned(),
        version: 1,
        reason: "事项取消".to_owned(),
    });
    events.push(CatalogEvent::BundleDefined {
        spec: bundle(&[REGISTRATION, PLANNING]),
        version: 1,
    });
    let catalog = replayed(events);
    let items: Vec<&CatalogItemSpec> = catalog.live_items().collect();
    assert_eq!(items, [&item(REGISTRATION), &planning_v2()]);
    let bundles: Vec<&BundleSpec> = catalog.live_bundles().collect();
    assert_eq!(bundles, [&bundle(&[REGISTRATION, PLANNING])]);
}

#[test]
fn the_state_survives_a_snapshot_round_trip() {
    let catalog = replayed(revised_planning());
    let json = serde_json::to_string(&catalog).expect("the state serialises");
    let restored: ServiceCatalog = serde_json::from_str(&json).expect("the state deserialises");
    assert_eq!(restored, catalog);
}
