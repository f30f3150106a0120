//! What auditors read: the event history with its filters and paging, a case as it stood at a
//! past position, and the hash chain — in their scope only, on both backends.

use serde_json::{json, Value};

use crate::helpers::*;
use crate::world::{enterprise, World, VILLAGE};

const HISTORY: &str = "query($f: AuditHistoryFilter, $n: Int, $a: String) {
  auditHistory(filter: $f, first: $n, after: $a) {
    edges { cursor node { position aggregateType aggregateId sequence eventType actor role
      correlationId requestId channel recordedAt payload } }
    pageInfo { hasNextPage endCursor } } }";

fn events(data: &Value) -> Vec<Value> {
    data["auditHistory"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

fn types(data: &Value) -> Vec<String> {
    events(data)
        .iter()
        .map(|e| e["eventType"].as_str().unwrap_or("").to_owned())
        .collect()
}

async fn auditors_read_the_history_in_their_scope(app: TestApp) {
    let world = World::new(app).await;
    let case = world
        .case_in_service(
            &world.steward,
            "li.ming",
            enterprise("恒口新材料", 1, VILLAGE),
        )
        .await;
    world
        .app
        .ok(
            r#"mutation($c: ID!) { addNote(caseId: $c, input: {text: "审计测试"}) { caughtUp } }"#,
            json!({"c": case}),
            &world.steward,
        )
        .await;
    let other = world
        .register(&world.elsewhere, enterprise("关庙物流", 2, OTHER_TOWN))
        .await;

    let of_case = world
        .app
        .ok(HISTORY, json!({"f": {"caseId": case}}), &world.auditor)
        .await;
    assert_eq!(
        types(&of_case),
        [
            "CaseRegistered",
            "LeadStewardAssigned",
            "AgreementSigned",
            "PlanAdopted",
            "NoteAdded"
        ]
    );
    let note = events(&of_case)[4].clone();
    assert_eq!(
        (
            &note["actor"],
            &note["role"],
            &note["sequence"],
            &note["aggregateType"]
        ),
        (
            &json!("li.ming"),
            &json!("steward"),
            &json!(5),
            &json!("enterprise_case")
        )
    );
    assert_eq!(note["correlationId"], "test-correlation");
    assert_eq!(note["channel"], "graphql");
    assert!(note["requestId"].as_str().is_some_and(|id| !id.is_empty()));
    assert!(note["payload"].to_string().contains("审计测试"), "{note}");

    let by_actor = world
        .app
        .ok(
            HISTORY,
            json!({"f": {"caseId": case, "actor": "chen.jun"}}),
            &world.auditor,
        )
        .await;
    assert_eq!(types(&by_actor), ["LeadStewardAssigned"]);
    let by_type = world
        .app
        .ok(
            HISTORY,
            json!({"f": {"eventType": "CaseRegistered"}}),
            &world.auditor,
        )
        .await;
    let registered: Vec<Value> = events(&by_type)
        .iter()
        .map(|e| e["aggregateId"].clone())
        .collect();
    assert_eq!(registered, [json!(case), json!(other)]);
    let recorded = note["recordedAt"].as_str().expect("a time").to_owned();
    let later = world
        .app
        .ok(
            HISTORY,
            json!({"f": {"caseId": case, "from": recorded}}),
            &world.auditor,
        )
        .await;
    assert_eq!(types(&later).last().map(String::as_str), Some("NoteAdded"));
    let before = world
        .app
        .ok(
            HISTORY,
            json!({"f": {"caseId": case, "until": "2000-01-01T00:00:00Z"}}),
            &world.auditor,
        )
        .await;
    assert!(events(&before).is_empty());

    // Paging: two at a time, in log order, to the end.
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = world
            .app
            .ok(
                HISTORY,
                json!({"f": {"caseId": case}, "n": 2, "a": after}),
                &world.auditor,
            )
            .await;
        seen.extend(types(&page));
        let info = &page["auditHistory"]["pageInfo"];
        if info["hasNextPage"] == false {
            break;
        }
        after = info["endCursor"].clone();
    }
    assert_eq!(seen, types(&of_case));

    // A town's auditor: not the other town's case, nor events of no division.
    let town = world
        .app
        .ok(HISTORY, json!({"n": 200}), &world.town_auditor)
        .await;
    let seen: Vec<(String, String)> = events(&town)
        .iter()
        .map(|e| {
            (
                e["aggregateType"].as_str().unwrap_or("").to_owned(),
                e["aggregateId"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert!(seen.iter().any(|(_, id)| id == &other), "{seen:?}");
    assert!(!seen.iter().any(|(_, id)| id == &case), "{seen:?}");
    assert!(
        !seen.iter().any(|(kind, _)| kind == "service_catalog"),
        "{seen:?}"
    );
    assert!(seen
        .iter()
        .any(|(kind, id)| kind == "user" && id == "wang.fang"));
    let hidden = world
        .app
        .run(
            HISTORY,
            json!({"f": {"caseId": case}}),
            Some(&world.town_auditor),
        )
        .await;
    assert_eq!(code(&hidden), "NOT_FOUND");
    let district = world
        .app
        .ok(HISTORY, json!({"n": 200}), &world.auditor)
        .await;
    assert!(types(&district).iter().any(|t| t == "ItemPublished"));

    for token in [&world.steward, &world.leader, &world.admin] {
        let refused = world.app.run(HISTORY, json!({}), Some(token)).await;
        assert_eq!(code(&refused), "FORBIDDEN");
    }
    let bad = world
        .app
        .run(HISTORY, json!({"a": "page-two"}), Some(&world.auditor))
        .await;
    assert_eq!(bad["errors"][0]["extensions"]["field"], "after");
}
both_backends!(auditors_read_the_history_in_their_scope);

const AS_OF: &str =
    "query($c: ID!, $p: String, $t: DateTime) { caseAsOf(id: $c, position: $p, at: $t) {
  sequence state leadSteward agreementScope planVersion notes contactPhone asOfPosition } }";

async fn an_auditor_sees_a_case_as_it_was(app: TestApp) {
    let world = World::new(app).await;
    let case = world
        .case_in_service(
            &world.steward,
            "li.ming",
            enterprise("恒口新材料", 1, VILLAGE),
        )
        .await;
    world
        .app
        .ok(
            r#"mutation($c: ID!) { addNote(caseId: $c, input: {text: "之后"}) { caughtUp } }"#,
            json!({"c": case}),
            &world.steward,
        )
        .await;
    let history = world
        .app
        .ok(HISTORY, json!({"f": {"caseId": case}}), &world.auditor)
        .await;
    let position = |n: usize| events(&history)[n]["position"].clone();

    let assigned = world
        .app
        .ok(AS_OF, json!({"c": case, "p": position(1)}), &world.auditor)
        .await;
    assert_eq!(
        assigned["caseAsOf"],
        json!({"sequence": 2, "state": "REGISTERED", "leadSteward": "li.ming",
               "agreementScope": null, "planVersion": null, "notes": 0,
               "contactPhone": "13812345678", "asOfPosition": position(1)})
    );
    let in_service = world
        .app
        .ok(AS_OF, json!({"c": case, "p": position(3)}), &world.auditor)
        .await;
    assert_eq!(in_service["caseAsOf"]["state"], "IN_SERVICE");
    assert_eq!(in_service["caseAsOf"]["planVersion"], 1);
    assert_eq!(in_service["caseAsOf"]["notes"], 0);
    let now = world
        .app
        .ok(
            AS_OF,
            json!({"c": case, "t": "2999-01-01T00:00:00Z"}),
            &world.auditor,
        )
        .await;
    assert_eq!(
        (&now["caseAsOf"]["sequence"], &now["caseAsOf"]["notes"]),
        (&json!(5), &json!(1))
    );
    let before = world
        .app
        .ok(
            AS_OF,
            json!({"c": case, "t": "2000-01-01T00:00:00Z"}),
            &world.auditor,
        )
        .await;
    assert_eq!(before["caseAsOf"]["state"], "UNREGISTERED");

    let both = world
        .app
        .run(
            AS_OF,
            json!({"c": case, "p": position(1), "t": "2000-01-01T00:00:00Z"}),
            Some(&world.auditor),
        )
        .await;
    assert_eq!(code(&both), "BAD_USER_INPUT");
    let outside = world
        .app
        .run(
            AS_OF,
            json!({"c": case, "p": position(1)}),
            Some(&world.town_auditor),
        )
        .await;
    assert_eq!(code(&outside), "NOT_FOUND");
    let steward = world
        .app
        .run(
            AS_OF,
            json!({"c": case, "p": position(1)}),
            Some(&world.steward),
        )
        .await;
    assert_eq!(code(&steward), "FORBIDDEN");
}
both_backends!(an_auditor_sees_a_case_as_it_was);
