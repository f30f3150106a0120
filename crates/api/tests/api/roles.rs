//! Who may administer users and the catalog: admins only; everyone else is FORBIDDEN, and a
//! request without a token is UNAUTHENTICATED.

use serde_json::json;

use crate::helpers::*;

const CREATE_USER: &str = r#"mutation { createUser(input: {username: "new.user", displayName: "新用户", role: STEWARD, division: "610902100000", password: "a-long-password"}) { username } }"#;
const USERS: &str = "{ users { username } }";
const PUBLISH: &str = r#"mutation { publishCatalogItem(input: {basicCode: "000117001000", implementationCode: "QYSL-001", name: "企业设立登记", itemType: ADMINISTRATIVE_CONFIRMATION, department: "区市场监督管理局", statutoryLimitDays: 15, promisedLimitDays: 1, requiredMaterials: ["申请书"], onsiteTrips: 0}) { events } }"#;

#[tokio::test]
async fn only_admins_administer_users_and_the_catalog() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let steward = app.user(&admin, "li.ming", "STEWARD", TOWN).await;
    let leader = app.user(&admin, "chen.jun", "LEADER", DISTRICT).await;
    let auditor = app.user(&admin, "qian.shen", "AUDITOR", DISTRICT).await;
    for (who, token) in [
        ("steward", &steward),
        ("leader", &leader),
        ("auditor", &auditor),
    ] {
        for query in [CREATE_USER, USERS, PUBLISH] {
            let response = app.run(query, json!({}), Some(token)).await;
            assert_eq!(code(&response), "FORBIDDEN", "{who}: {query}: {response}");
        }
    }
    for query in [CREATE_USER, USERS, PUBLISH] {
        let response = app.run(query, json!({}), None).await;
        assert_eq!(code(&response), "UNAUTHENTICATED", "{query}");
    }

    let admin = app.admin().await;
    let created = app.run(CREATE_USER, json!({}), Some(&admin)).await;
    assert_eq!(created["data"]["createUser"]["username"], "new.user");
    let users = app.run(USERS, json!({}), Some(&admin)).await;
    let names: Vec<&str> = users["data"]["users"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|u| u["username"].as_str())
        .collect();
    assert_eq!(
        names,
        ["admin", "chen.jun", "li.ming", "new.user", "qian.shen"]
    );
    let published = app.run(PUBLISH, json!({}), Some(&admin)).await;
    assert_eq!(
        published["data"]["publishCatalogItem"]["events"],
        json!(["ItemPublished"])
    );
}

#[tokio::test]
async fn an_admin_may_not_disable_themselves_or_change_their_own_role() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    for query in [
        r#"mutation { disableUser(username: "admin", reason: "oops") { active } }"#,
        r#"mutation { changeRole(username: "admin", role: STEWARD, division: "610902000000") { role } }"#,
    ] {
        let response = app.run(query, json!({}), Some(&admin)).await;
        assert_eq!(code(&response), "BAD_USER_INPUT", "{response}");
    }
}

#[tokio::test]
async fn user_administration_refusals_come_from_the_domain() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.user(&admin, "li.ming", "STEWARD", TOWN).await;
    let twice = app
        .run(
            r#"mutation { createUser(input: {username: "li.ming", displayName: "李明", role: STEWARD, division: "610902100000", password: "a-long-password"}) { username } }"#,
            json!({}),
            Some(&admin),
        )
        .await;
    assert_eq!(code(&twice), "BAD_USER_INPUT");
    assert_eq!(message(&twice), "user li.ming already exists");
    let enable_active = app
        .run(
            r#"mutation { enableUser(username: "li.ming") { active } }"#,
            json!({}),
            Some(&admin),
        )
        .await;
    assert_eq!(message(&enable_active), "user li.ming is not disabled");
}
