//! Catalog mutations by an admin: items and bundles through their whole life.

use serde_json::{json, Value};

use crate::helpers::*;

pub fn item(code: &str, promised: u32) -> Value {
    json!({
        "basicCode": "000117001000", "implementationCode": code, "name": "企业设立登记",
        "itemType": "ADMINISTRATIVE_CONFIRMATION", "department": "区市场监督管理局",
        "statutoryLimitDays": 15, "promisedLimitDays": promised,
        "requiredMaterials": ["申请书", "章程"], "onsiteTrips": 0
    })
}

const PUBLISH: &str =
    "mutation($i: CatalogItemInput!, $k: String) { publishCatalogItem(input: $i, clientKey: $k) { position events } }";

#[tokio::test]
async fn items_and_bundles_go_through_their_life() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    for code in ["QYSL-001", "GZKZ-002"] {
        let response = app
            .run(PUBLISH, json!({"i": item(code, 1)}), Some(&admin))
            .await;
        assert_eq!(
            response["data"]["publishCatalogItem"]["events"],
            json!(["ItemPublished"])
        );
    }
    let steps = [
        (
            "mutation($i: CatalogItemInput!) { reviseCatalogItem(input: $i) { events } }",
            json!({"i": item("QYSL-001", 2)}),
            "reviseCatalogItem",
            "ItemRevised",
        ),
        (
            "mutation($i: BundleInput!) { defineBundle(input: $i) { events } }",
            json!({"i": {"code": "YJS-QYKB", "name": "企业开办一件事", "itemCodes": ["QYSL-001", "GZKZ-002"]}}),
            "defineBundle",
            "BundleDefined",
        ),
        (
            "mutation($i: BundleInput!) { reviseBundle(input: $i) { events } }",
            json!({"i": {"code": "YJS-QYKB", "name": "企业开办一件事（新）", "itemCodes": ["QYSL-001", "GZKZ-002"]}}),
            "reviseBundle",
            "BundleRevised",
        ),
        (
            r#"mutation { retireBundle(code: "YJS-QYKB", reason: "合并") { events } }"#,
            json!({}),
            "retireBundle",
            "BundleRetired",
        ),
        (
            r#"mutation { retireCatalogItem(implementationCode: "GZKZ-002", reason: "取消") { events } }"#,
            json!({}),
            "retireCatalogItem",
            "ItemRetired",
        ),
    ];
    for (query, variables, field, event) in steps {
        let response = app.run(query, variables, Some(&admin)).await;
        assert_eq!(
            response["data"][field]["events"],
            json!([event]),
            "{field}: {response}"
        );
    }
}

#[tokio::test]
async fn a_repeated_client_key_returns_the_first_outcome() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let variables = json!({"i": item("QYSL-001", 1), "k": "publish-qysl-1"});
    let first = app.run(PUBLISH, variables.clone(), Some(&admin)).await;
    let again = app.run(PUBLISH, variables, Some(&admin)).await;
    assert!(first["errors"].is_null(), "{first}");
    assert_eq!(first["data"], again["data"]);
    // Without the key the same command is refused by the domain.
    let twice = app
        .run(PUBLISH, json!({"i": item("QYSL-001", 1)}), Some(&admin))
        .await;
    assert_eq!(
        message(&twice),
        "catalog item QYSL-001 was already published"
    );
}

#[tokio::test]
async fn a_malformed_spec_is_refused_with_the_camel_case_field() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let response = app
        .run(PUBLISH, json!({"i": item("QYSL-001", 99)}), Some(&admin))
        .await;
    assert_eq!(code(&response), "BAD_USER_INPUT");
    assert_eq!(
        response["errors"][0]["extensions"]["field"],
        "promisedLimitDays"
    );
    assert_eq!(response["errors"][0]["extensions"]["rule"], "rule");
}

#[tokio::test]
async fn a_guide_is_published_with_its_item_and_a_bad_one_names_its_field() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let mut input = item("QYSL-001", 1);
    input["guide"] = json!({
        "life_stage": "establishment", "fees": "不收费", "channels": ["online", "one_window"],
        "materials": [{"name": "章程", "originals": 1, "copies": 2, "source": "申请人自备"}],
    });
    let response = app.run(PUBLISH, json!({"i": input}), Some(&admin)).await;
    assert_eq!(
        response["data"]["publishCatalogItem"]["events"],
        json!(["ItemPublished"]),
        "{response}"
    );
    let read = app
        .run(
            "{ catalog { items { code current { guide } } } }",
            json!({}),
            Some(&admin),
        )
        .await;
    let guide = &read["data"]["catalog"]["items"][0]["current"]["guide"];
    assert_eq!(guide["channels"], json!(["one_window", "online"]), "{read}");
    assert_eq!(guide["life_stage"], "establishment");
    assert_eq!(guide["materials"][0]["copies"], 2);

    let mut bad = item("QYSL-002", 1);
    bad["guide"] = json!({"materials": [{"name": "身份证", "originals": 1}]});
    let refused = app.run(PUBLISH, json!({"i": bad}), Some(&admin)).await;
    assert_eq!(code(&refused), "BAD_USER_INPUT");
    let field = refused["errors"][0]["extensions"]["field"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(field.starts_with("guide"), "{refused}");
    let after = app
        .run("{ catalog { items { code } } }", json!({}), Some(&admin))
        .await;
    assert_eq!(
        after["data"]["catalog"]["items"].as_array().map(Vec::len),
        Some(1),
        "the refused item changed nothing"
    );
}
