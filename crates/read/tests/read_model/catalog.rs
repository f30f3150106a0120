//! The catalog view: every version of items and bundles, retirements included.

use guanjia_domain::catalog::{BundleSpec, CatalogEvent, CatalogItemSpec, ItemType};

use crate::helpers::*;

fn spec(code: &str, promised: u32) -> CatalogItemSpec {
    CatalogItemSpec {
        basic_code: format!("B-{code}"),
        implementation_code: code.to_owned(),
        name: format!("事项{code}"),
        item_type: ItemType::AdministrativeLicence,
        department: "自然资源局".to_owned(),
        statutory_limit_days: 20,
        promised_limit_days: promised,
        required_materials: vec!["申请表".to_owned(), "营业执照".to_owned()],
        onsite_trips: 0,
        guide: Default::default(),
    }
}

#[test]
fn keeps_every_version_of_items_and_bundles() {
    let mut log = Log::new();
    log.by("admin", "admin").at("2024-01-02 09:00");
    log.catalog(CatalogEvent::ItemPublished {
        spec: spec("A", 10),
        version: 1,
    });
    log.catalog(CatalogEvent::ItemPublished {
        spec: spec("B", 5),
        version: 1,
    });
    log.catalog(CatalogEvent::ItemPublished {
        spec: spec("C", 5),
        version: 1,
    });
    let bundle = |items: &[&str]| BundleSpec {
        code: "KB-01".to_owned(),
        name: "企业开办一件事".to_owned(),
        item_codes: items.iter().map(|i| (*i).to_owned()).collect(),
    };
    log.catalog(CatalogEvent::BundleDefined {
        spec: bundle(&["A", "B"]),
        version: 1,
    });
    log.at("2024-06-01 09:00");
    log.catalog(CatalogEvent::ItemRevised {
        spec: spec("A", 8),
        version: 2,
    });
    log.catalog(CatalogEvent::BundleRevised {
        spec: bundle(&["A", "C"]),
        version: 2,
    });
    log.catalog(CatalogEvent::ItemRetired {
        implementation_code: "B".to_owned(),
        version: 1,
        reason: "并入A".to_owned(),
    });
    let model = log.model();
    let catalog = model.catalog();

    let a = catalog.item("A").expect("published");
    assert_eq!(a.versions.len(), 2);
    assert_eq!(
        a.current().map(|v| (v.version, v.spec.promised_limit_days)),
        Some((2, 8))
    );
    assert_eq!(a.version(1).map(|v| v.spec.promised_limit_days), Some(10));
    assert_eq!(a.versions[1].published_by, "admin");
    assert_eq!(a.versions[1].published_at, bj("2024-06-01 09:00"));

    let b = catalog.item("B").expect("published");
    assert!(b.current().is_none(), "retired");
    assert_eq!(b.latest().map(|v| v.version), Some(1));
    assert_eq!(b.retired.as_ref().map(|r| r.reason.as_str()), Some("并入A"));
    assert!(catalog.current_item_facts("B").is_none());

    let facts = catalog.current_item_facts("A").expect("live");
    assert_eq!(
        (
            facts.version,
            facts.promised_limit_days,
            facts.required_materials_count
        ),
        (2, 8, 2)
    );

    let kb = catalog.bundle("KB-01").expect("defined");
    assert_eq!(
        kb.current().map(|v| v.spec.item_codes.clone()),
        Some(vec!["A".to_owned(), "C".to_owned()])
    );
    assert_eq!(kb.version(1).map(|v| v.spec.item_codes.len()), Some(2));
    let codes: Vec<&str> = catalog.items().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, ["A", "B", "C"]);
    assert_eq!(catalog.bundles().count(), 1);
}

#[test]
fn burden_reduction_compares_live_items_first_and_current_versions() {
    let mut log = Log::new();
    log.by("admin", "admin").at("2024-01-02 09:00");
    for (code, promised) in [("A", 20), ("B", 10), ("C", 6)] {
        let mut first = spec(code, promised);
        first.required_materials.push("股东会决议".to_owned());
        first.onsite_trips = 2;
        log.catalog(CatalogEvent::ItemPublished {
            spec: first,
            version: 1,
        });
    }
    log.at("2024-06-01 09:00");
    // A: 3 → 2 materials, 20 → 10 days, 2 → 0 trips.
    log.catalog(CatalogEvent::ItemRevised {
        spec: spec("A", 10),
        version: 2,
    });
    // B is retired: its old figures no longer count.
    log.catalog(CatalogEvent::ItemRetired {
        implementation_code: "B".to_owned(),
        version: 1,
        reason: "取消".to_owned(),
    });
    let burden = log.model().burden_reduction();
    assert_eq!((burden.items, burden.items_revised), (2, 1));
    assert_eq!((burden.materials_before, burden.materials_now), (6, 5));
    assert_eq!(
        (burden.promised_days_before, burden.promised_days_now),
        (26, 16)
    );
    assert_eq!(
        (burden.onsite_trips_before, burden.onsite_trips_now),
        (4, 2)
    );
    assert_eq!(burden.materials_cut().permille(), Some(167));
    assert_eq!(burden.promised_time_cut().permille(), Some(385));
    assert_eq!(burden.onsite_trips_cut().permille(), Some(500));
}

#[test]
fn an_empty_catalog_has_no_burden_reduction_to_show() {
    let burden = Log::new().model().burden_reduction();
    assert_eq!(burden.items, 0);
    assert_eq!(burden.materials_cut().permille(), None);
}
