//! `erasePersonalData`: an admin in scope erases a case's people on a lawful request, and from
//! then on the contact, raters and complainants read as erased in the case detail, the search,
//! past states and the audit history; nobody else may, and a reason is required. On both
//! backends. (The CLI export of an erased case: `tests/cli/export.rs`.)

use serde_json::{json, Value};

use crate::access_log::case_with_people;
use crate::helpers::*;
use crate::world::World;

const ERASE: &str = "mutation($c: ID!, $r: String!) { erasePersonalData(caseId: $c, reason: $r) {
  position caseId events caughtUp readNote case { id } } }";

const REASON: &str = "依申请删除个人信息（2024）第1号";

const DETAIL: &str = "query($c: ID!) { case(id: $c) { personalDataErased
  enterprise { name contactName contactPhone } ratings { level rater { name phone } }
  complaints { content complainant { name phone } } } }";

/// The people of a case as `token` reads them in its detail.
async fn people(world: &World, token: &str, case: &str) -> Value {
    let data = world.app.ok(DETAIL, json!({"c": case}), token).await;
    let case = &data["case"];
    json!([
        case["enterprise"]["contactName"],
        case["enterprise"]["contactPhone"],
        case["ratings"][0]["rater"],
        case["complaints"][0]["complainant"],
    ])
}

fn erased() -> Value {
    let nobody = json!({"name": null, "phone": null});
    json!([null, null, nobody, nobody])
}

async fn an_admin_erases_and_the_people_read_as_erased_everywhere(app: TestApp) {
    let world = World::new(app).await;
    let case = case_with_people(&world, 1).await;
    let erased_case = world
        .app
        .ok(ERASE, json!({"c": case, "r": REASON}), &world.admin)
        .await;
    let result = &erased_case["erasePersonalData"];
    assert_eq!(result["events"], json!(["PersonalDataErased"]));
    assert_eq!(
        (&result["caseId"], &result["caughtUp"]),
        (&json!(case), &json!(true))
    );
    assert!(result["position"].is_string());
    // Admins do not read cases: the answer says the command was applied, without the case.
    assert_eq!(result["case"], Value::Null);
    assert!(result["readNote"]
        .as_str()
        .is_some_and(|n| n.contains("admins")));

    // The case detail, for the team and for the district leader.
    for token in [&world.steward, &world.leader] {
        assert_eq!(people(&world, token, &case).await, erased());
    }
    let data = world
        .app
        .ok(DETAIL, json!({"c": case}), &world.steward)
        .await;
    assert_eq!(data["case"]["personalDataErased"], true);
    assert_eq!(
        data["case"]["enterprise"]["name"], "恒口新材料",
        "the enterprise stays"
    );
    assert_eq!(
        data["case"]["complaints"][0]["content"], "慢",
        "free text stays"
    );

    // The search.
    let search = "{ cases(filter: {name: \"恒口\"}) { edges { node { enterprise { contactName contactPhone } } } } }";
    let found = world.app.ok(search, json!({}), &world.steward).await;
    assert_eq!(
        found["cases"]["edges"][0]["node"]["enterprise"],
        json!({"contactName": null, "contactPhone": null})
    );

    // The audit history: the sealed fields read as null, and the erasure is on record.
    let history = "query($c: ID!) { auditHistory(filter: {caseId: $c}) { edges { node { eventType actor role payload } } } }";
    let data = world
        .app
        .ok(history, json!({"c": case}), &world.auditor)
        .await;
    let edges = data["auditHistory"]["edges"].as_array().expect("edges");
    let nodes: Vec<Value> = edges.iter().map(|edge| edge["node"].clone()).collect();
    let payload = |event: &str| -> Value {
        nodes
            .iter()
            .find(|n| n["eventType"] == event)
            .map(|n| n["payload"][event].clone())
            .expect(event)
    };
    assert_eq!(
        payload("CaseRegistered")["enterprise"]["contact_phone"],
        Value::Null
    );
    assert_eq!(
        payload("CaseRegistered")["enterprise"]["contact_name"],
        Value::Null
    );
    assert_eq!(
        payload("RatingRecorded")["rater"],
        json!({"name": null, "phone": null})
    );
    assert_eq!(
        payload("ComplaintLodged")["complainant"],
        json!({"name": null, "phone": null})
    );
    let erasure = nodes.last().expect("the erasure");
    assert_eq!(
        (&erasure["eventType"], &erasure["actor"], &erasure["role"]),
        (
            &json!("PersonalDataErased"),
            &json!("admin"),
            &json!("admin")
        )
    );
    assert_eq!(erasure["payload"]["PersonalDataErased"]["reason"], REASON);
    assert!(!data.to_string().contains("13812345678"));

    // A past state from before the erasure: the key is gone, so is the contact.
    let as_of = r#"query($c: ID!) { caseAsOf(id: $c, at: "2024-03-15T02:00:00Z") { enterpriseName contactName contactPhone } }"#;
    let past = world
        .app
        .ok(as_of, json!({"c": case}), &world.auditor)
        .await;
    assert_eq!(
        (
            &past["caseAsOf"]["contactName"],
            &past["caseAsOf"]["contactPhone"]
        ),
        (&Value::Null, &Value::Null)
    );
}
both_backends!(an_admin_erases_and_the_people_read_as_erased_everywhere);

async fn erasing_twice_is_harmless(app: TestApp) {
    let world = World::new(app).await;
    let case = case_with_people(&world, 1).await;
    for _ in 0..2 {
        let data = world
            .app
            .ok(ERASE, json!({"c": case, "r": REASON}), &world.admin)
            .await;
        assert_eq!(
            data["erasePersonalData"]["events"],
            json!(["PersonalDataErased"])
        );
    }
    assert_eq!(people(&world, &world.steward, &case).await, erased());
    let chain = world
        .app
        .ok("{ verifyChain { intact } }", json!({}), &world.auditor)
        .await;
    assert_eq!(
        chain["verifyChain"]["intact"], true,
        "the history is untouched"
    );
}
both_backends!(erasing_twice_is_harmless);

async fn only_an_admin_in_scope_may_erase(app: TestApp) {
    let world = World::new(app).await;
    let case = case_with_people(&world, 1).await;
    let vars = json!({"c": case, "r": REASON});
    // Those who read the case — its team, the leader above it, its auditor, a steward of the
    // town — may not erase it.
    for (who, token) in [
        ("the lead steward", &world.steward),
        ("the district leader", &world.leader),
        ("the district auditor", &world.auditor),
        ("a steward off the team", &world.bystander),
    ] {
        let refused = world.app.run(ERASE, vars.clone(), Some(token)).await;
        assert_eq!(code(&refused), "FORBIDDEN", "{who}: {refused}");
    }
    // Whoever may not know the case is told it does not exist, an admin of another town too.
    let town_admin = world
        .app
        .user(&world.admin, "town.admin", "ADMIN", OTHER_TOWN)
        .await;
    for (who, token) in [
        ("a steward of another town", &world.elsewhere),
        ("an auditor of another town", &world.town_auditor),
        ("an admin of another town", &town_admin),
    ] {
        let refused = world.app.run(ERASE, vars.clone(), Some(token)).await;
        assert_eq!(code(&refused), "NOT_FOUND", "{who}: {refused}");
    }
    let unknown = world
        .app
        .run(
            ERASE,
            json!({"c": "no-such-case", "r": REASON}),
            Some(&world.admin),
        )
        .await;
    assert_eq!(code(&unknown), "NOT_FOUND");
    let anonymous = world.app.run(ERASE, vars.clone(), None).await;
    assert_eq!(code(&anonymous), "UNAUTHENTICATED");
    // Nothing was erased by any of them.
    let people = people(&world, &world.steward, &case).await;
    assert_eq!(people[1], "13812345678");
}
both_backends!(only_an_admin_in_scope_may_erase);

#[tokio::test]
async fn a_reason_is_required_and_bounded() {
    let world = World::new(spawn_app().await).await;
    let case = case_with_people(&world, 1).await;
    for (reason, rule) in [("  ", "empty"), (&*"理".repeat(4001), "too_long")] {
        let refused = world
            .app
            .run(ERASE, json!({"c": case, "r": reason}), Some(&world.admin))
            .await;
        assert_eq!(code(&refused), "BAD_USER_INPUT", "{refused}");
        let extensions = &refused["errors"][0]["extensions"];
        assert_eq!(
            (&extensions["field"], &extensions["rule"]),
            (&json!("reason"), &json!(rule))
        );
    }
    let no_reason = world
        .app
        .run(
            "mutation($c: ID!) { erasePersonalData(caseId: $c) { events } }",
            json!({"c": case}),
            Some(&world.admin),
        )
        .await;
    assert!(
        matches!(
            code(&no_reason),
            "GRAPHQL_VALIDATION_FAILED" | "BAD_USER_INPUT"
        ),
        "{no_reason}"
    );
    let blank_id = world
        .app
        .run(ERASE, json!({"c": " ", "r": REASON}), Some(&world.admin))
        .await;
    assert_eq!(
        (
            code(&blank_id),
            &blank_id["errors"][0]["extensions"]["field"]
        ),
        ("BAD_USER_INPUT", &json!("caseId"))
    );
    // Refused requests erase nothing.
    assert_eq!(people(&world, &world.steward, &case).await[0], "王经理");
}
