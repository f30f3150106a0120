//! Who reads what (domain.md, "Who uses it"), on both backends: a steward reads their town's
//! cases and works only on their team's; a leader reads the subtree; an auditor reads but never
//! writes; an admin reads no case. A case outside one's scope is NOT_FOUND. Personal data is
//! masked for those who read a case without needing it.

use serde_json::{json, Value};

use crate::access_log::case_with_people;
use crate::helpers::*;
use crate::world::World;

const CASE: &str = "query($c: ID!) { case(id: $c) { name access { canWrite personalDataVisible }
  enterprise { contactName contactPhone }
  ratings { rater { name phone } } complaints { complainant { name phone } } } }";
const NOTE: &str = r#"mutation($c: ID!) { addNote(caseId: $c, input: {text: "x"}) { caughtUp } }"#;

fn people(data: &Value) -> Value {
    let case = &data["case"];
    json!([
        case["enterprise"]["contactName"],
        case["enterprise"]["contactPhone"],
        case["ratings"][0]["rater"]["name"],
        case["ratings"][0]["rater"]["phone"],
        case["complaints"][0]["complainant"]["name"],
        case["complaints"][0]["complainant"]["phone"],
    ])
}

async fn each_role_reads_what_it_may(app: TestApp) {
    let world = World::new(app).await;
    let case = case_with_people(&world, 1).await;
    let vars = json!({"c": case});
    let visible = json!([
        "王经理",
        "13812345678",
        "张三丰",
        "13900001111",
        "李四",
        "0915-3214567"
    ]);
    let masked = json!([
        "王**",
        "138****5678",
        "张**",
        "139****1111",
        "李**",
        "0915-***4567"
    ]);

    // The team, the leaders above it and the auditors see the people; a steward of the same
    // town who is not on the team reads the case with the people masked.
    for (who, token, can_write, expected) in [
        ("steward on the team", &world.steward, true, &visible),
        ("district leader", &world.leader, false, &visible),
        ("district auditor", &world.auditor, false, &visible),
        ("steward not on the team", &world.bystander, false, &masked),
    ] {
        let data = world.app.ok(CASE, vars.clone(), token).await;
        assert_eq!(&people(&data), expected, "{who}");
        assert_eq!(data["case"]["access"]["canWrite"], can_write, "{who}");
        assert_eq!(
            data["case"]["access"]["personalDataVisible"],
            expected == &visible,
            "{who}"
        );
    }

    // Outside the scope the case does not exist, for reading and for writing.
    for token in [&world.elsewhere, &world.town_leader, &world.town_auditor] {
        let read = world.app.run(CASE, vars.clone(), Some(token)).await;
        assert_eq!(code(&read), "NOT_FOUND", "{read}");
        let by_number = world
            .app
            .run(
                r#"{ caseByNumber(number: "2024-0001") { id } }"#,
                json!({}),
                Some(token),
            )
            .await;
        assert_eq!(code(&by_number), "NOT_FOUND");
    }
    let write = world
        .app
        .run(NOTE, vars.clone(), Some(&world.elsewhere))
        .await;
    assert_eq!(code(&write), "NOT_FOUND");
    let unknown = world
        .app
        .run(CASE, json!({"c": "no-such-case"}), Some(&world.steward))
        .await;
    assert_eq!(code(&unknown), "NOT_FOUND");

    // An auditor reads but never writes; a steward off the team reads but does not write.
    for token in [&world.auditor, &world.bystander] {
        let write = world.app.run(NOTE, vars.clone(), Some(token)).await;
        assert_eq!(code(&write), "FORBIDDEN");
    }

    // An admin runs the system and reads no case.
    for (query, variables) in [
        ("query($c: ID!) { case(id: $c) { id } }", vars.clone()),
        ("{ cases { totalCount } }", json!({})),
        (
            r#"{ casesByUscc(uscc: "91350100M000100Y43") { all { id } } }"#,
            json!({}),
        ),
    ] {
        let refused = world.app.run(query, variables, Some(&world.admin)).await;
        assert_eq!(code(&refused), "FORBIDDEN", "{query}: {refused}");
    }
    let write = world.app.run(NOTE, vars.clone(), Some(&world.admin)).await;
    assert_eq!(code(&write), "NOT_FOUND");
    // Everyone signed in reads the catalog.
    for token in [&world.admin, &world.steward, &world.auditor] {
        let catalog = world
            .app
            .ok(
                "{ catalog { items { code current { version name } } } }",
                json!({}),
                token,
            )
            .await;
        assert_eq!(catalog["catalog"]["items"][0]["code"], "GZKZ-002");
    }
    let anonymous = world.app.run(CASE, vars, None).await;
    assert_eq!(code(&anonymous), "UNAUTHENTICATED");
}
both_backends!(each_role_reads_what_it_may);

async fn the_catalog_keeps_every_version(app: TestApp) {
    let world = World::new(app).await;
    world
        .app
        .ok(
            "mutation($i: CatalogItemInput!) { reviseCatalogItem(input: $i) { events } }",
            json!({"i": crate::catalog::item("QYSL-001", 2)}),
            &world.admin,
        )
        .await;
    world
        .app.ok(r#"mutation { retireCatalogItem(implementationCode: "GZKZ-002", reason: "取消") { events } }"#, json!({}), &world.admin)
        .await;
    let query = "query($r: Boolean = true) { catalog(includeRetired: $r) { items { code
      current { version promisedLimitDays publishedBy } versions { version } retired { reason } } } }";
    let all = world.app.ok(query, json!({}), &world.steward).await;
    assert_eq!(
        all["catalog"]["items"],
        json!([
            {"code": "GZKZ-002", "current": null, "versions": [{"version": 1}], "retired": {"reason": "取消"}},
            {"code": "QYSL-001", "current": {"version": 2, "promisedLimitDays": 2, "publishedBy": "admin"},
             "versions": [{"version": 1}, {"version": 2}], "retired": null}
        ])
    );
    let live = world
        .app
        .ok(query, json!({"r": false}), &world.steward)
        .await;
    assert_eq!(live["catalog"]["items"].as_array().map(Vec::len), Some(1));
}
both_backends!(the_catalog_keeps_every_version);
