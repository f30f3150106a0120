//! Events are stored as JSON for good: each one must read back as it was written, under a stable
//! type name and version.

use cqrs_es::DomainEvent;
use serde_json::json;

use super::*;
use crate::catalog::CatalogCommand;

fn every_event() -> Vec<CatalogEvent> {
    vec![
        published(REGISTRATION),
        CatalogEvent::ItemRevised {
            spec: item(PLANNING),
            version: 2,
        },
        CatalogEvent::ItemRetired {
            implementation_code: SEAL.to_owned(),
            version: 1,
            reason: "事项取消".to_owned(),
        },
        CatalogEvent::BundleDefined {
            spec: bundle(&[REGISTRATION, SEAL]),
            version: 1,
        },
        CatalogEvent::BundleRevised {
            spec: bundle(&[REGISTRATION, SEAL, PLANNING]),
            version: 2,
        },
        CatalogEvent::BundleRetired {
            code: "YJS-QYKB".to_owned(),
            version: 2,
            reason: "并入新版".to_owned(),
        },
    ]
}

#[test]
fn every_event_reads_back_as_written() {
    for event in every_event() {
        let json = serde_json::to_value(&event).expect("the event serialises");
        let back: CatalogEvent = serde_json::from_value(json).expect("the event deserialises");
        assert_eq!(back, event);
    }
}

#[test]
fn event_types_are_the_variant_names_at_version_1() {
    let names: Vec<String> = every_event().iter().map(DomainEvent::event_type).collect();
    assert_eq!(
        names,
        [
            "ItemPublished",
            "ItemRevised",
            "ItemRetired",
            "BundleDefined",
            "BundleRevised",
            "BundleRetired"
        ]
    );
    assert!(every_event().iter().all(|e| e.event_version() == "1"));
}

#[test]
fn the_stored_shape_is_tagged_with_snake_case_item_types() {
    let json = serde_json::to_value(published(SEAL)).expect("the event serialises");
    assert_eq!(json["type"], "ItemPublished");
    assert_eq!(json["data"]["version"], 1);
    assert_eq!(json["data"]["spec"]["item_type"], "administrative_filing");
    assert_eq!(json["data"]["spec"]["implementation_code"], SEAL);
}

#[test]
fn commands_read_from_json() {
    let command: CatalogCommand = serde_json::from_value(json!({
        "type": "RetireBundle",
        "data": { "code": "YJS-QYKB", "reason": "并入新版" }
    }))
    .expect("the command deserialises");
    assert_eq!(
        command,
        CatalogCommand::RetireBundle {
            code: "YJS-QYKB".to_owned(),
            reason: "并入新版".to_owned(),
        }
    );
}
