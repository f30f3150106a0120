//! Finding cases: by id, number and USCC, and the search by Chinese name substring with cursor
//! paging, on both backends. Every answer is cut to the caller's scope.

use serde_json::{json, Value};

use crate::helpers::*;
use crate::world::{enterprise, uscc, World, VILLAGE};

const SEARCH: &str = "query($f: CaseFilter, $s: CaseSort, $n: Int, $a: String) {
  cases(filter: $f, sort: $s, first: $n, after: $a) {
    totalCount
    edges { cursor node { caseNumber name division } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }";

fn names(data: &Value) -> Vec<String> {
    data["cases"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["name"].as_str().unwrap_or("").to_owned())
        .collect()
}

async fn cases_are_found_by_name_uscc_and_number(app: TestApp) {
    let world = World::new(app).await;
    let hengkou = world
        .register(
            &world.steward,
            enterprise("安康恒口新材料有限公司", 1, VILLAGE),
        )
        .await;
    world
        .register(&world.steward, enterprise("恒口镇食品加工厂", 2, TOWN))
        .await;
    world
        .register(
            &world.elsewhere,
            enterprise("恒口物流（关庙）有限公司", 3, OTHER_TOWN),
        )
        .await;

    let by_name = |token: String| {
        let world = &world;
        async move {
            let data = world
                .app
                .ok(SEARCH, json!({"f": {"name": "恒口"}}), &token)
                .await;
            (data["cases"]["totalCount"].clone(), names(&data))
        }
    };
    let (total, found) = by_name(world.leader.clone()).await;
    assert_eq!(total, 3);
    assert_eq!(
        found,
        [
            "安康恒口新材料有限公司",
            "恒口镇食品加工厂",
            "恒口物流（关庙）有限公司"
        ]
    );
    // A steward's search never leaves their town.
    let (total, found) = by_name(world.steward.clone()).await;
    assert_eq!((total, found.len()), (json!(2), 2));
    let (total, _) = by_name(world.elsewhere.clone()).await;
    assert_eq!(total, 1);
    // Asking for another town's division gives nothing rather than that town's cases.
    let other = world
        .app
        .ok(
            SEARCH,
            json!({"f": {"division": OTHER_TOWN}}),
            &world.steward,
        )
        .await;
    assert_eq!(other["cases"]["totalCount"], 0);
    let narrowed = world
        .app
        .ok(SEARCH, json!({"f": {"division": VILLAGE}}), &world.leader)
        .await;
    assert_eq!(names(&narrowed), ["安康恒口新材料有限公司"]);

    let by_uscc = world
        .app
        .ok(SEARCH, json!({"f": {"uscc": uscc(2)}}), &world.leader)
        .await;
    assert_eq!(names(&by_uscc), ["恒口镇食品加工厂"]);
    let lowercase = uscc(1).to_lowercase();
    let cases = world
        .app
        .ok(
            "query($u: String!) { casesByUscc(uscc: $u) { open { id name } all { id } } }",
            json!({"u": lowercase}),
            &world.steward,
        )
        .await;
    assert_eq!(cases["casesByUscc"]["open"]["id"], hengkou.as_str());
    assert_eq!(
        cases["casesByUscc"]["all"].as_array().map(Vec::len),
        Some(1)
    );
    let hidden = world
        .app
        .ok(
            "query($u: String!) { casesByUscc(uscc: $u) { open { id } all { id } } }",
            json!({"u": uscc(3)}),
            &world.steward,
        )
        .await;
    assert_eq!(hidden["casesByUscc"], json!({"open": null, "all": []}));

    let by_number = world
        .app
        .ok(
            r#"{ caseByNumber(number: "2024-0001") { id name } }"#,
            json!({}),
            &world.steward,
        )
        .await;
    assert_eq!(by_number["caseByNumber"]["id"], hengkou.as_str());
    let by_id = world
        .app
        .ok(
            "query($c: ID!) { case(id: $c) { caseNumber state uscc } }",
            json!({"c": hengkou}),
            &world.steward,
        )
        .await;
    assert_eq!(
        by_id["case"],
        json!({"caseNumber": "2024-0001", "state": "REGISTERED", "uscc": uscc(1)})
    );
    let bad = world
        .app
        .run(
            r#"{ casesByUscc(uscc: "91350100M000100Y4Z") { all { id } } }"#,
            json!({}),
            Some(&world.steward),
        )
        .await;
    assert_eq!(code(&bad), "BAD_USER_INPUT");
    assert_eq!(bad["errors"][0]["extensions"]["rule"], "check_character");
}
both_backends!(cases_are_found_by_name_uscc_and_number);

async fn pages_follow_their_cursors(app: TestApp) {
    let world = World::new(app).await;
    for n in 1..=5 {
        world
            .register(&world.steward, enterprise(&format!("恒口企业{n}"), n, TOWN))
            .await;
    }
    let page = |variables: Value| {
        let world = &world;
        async move { world.app.ok(SEARCH, variables, &world.steward).await }
    };
    let first = page(json!({"n": 2})).await;
    assert_eq!(names(&first), ["恒口企业1", "恒口企业2"]);
    let info = &first["cases"]["pageInfo"];
    assert_eq!(
        (&info["hasNextPage"], &info["hasPreviousPage"]),
        (&json!(true), &json!(false))
    );
    assert_eq!(first["cases"]["totalCount"], 5);
    let second = page(json!({"n": 2, "a": info["endCursor"]})).await;
    assert_eq!(names(&second), ["恒口企业3", "恒口企业4"]);
    let third = page(json!({"n": 2, "a": second["cases"]["pageInfo"]["endCursor"]})).await;
    assert_eq!(names(&third), ["恒口企业5"]);
    assert_eq!(third["cases"]["pageInfo"]["hasNextPage"], false);
    assert_eq!(third["cases"]["pageInfo"]["hasPreviousPage"], true);

    // Every edge's cursor continues right after it, not only the last one.
    let middle = first["cases"]["edges"][0]["cursor"].clone();
    let after_middle = page(json!({"n": 2, "a": middle})).await;
    assert_eq!(names(&after_middle), ["恒口企业2", "恒口企业3"]);

    let by_name = json!({"by": "NAME", "descending": true});
    let sorted = page(json!({"n": 3, "s": by_name})).await;
    assert_eq!(names(&sorted), ["恒口企业5", "恒口企业4", "恒口企业3"]);
    let edge = sorted["cases"]["edges"][1]["cursor"].clone();
    let rest = page(json!({"n": 3, "s": by_name, "a": edge})).await;
    assert_eq!(names(&rest), ["恒口企业3", "恒口企业2", "恒口企业1"]);

    // A cursor of another order, a forged one, and page sizes out of range are refused.
    for (variables, field) in [
        (
            json!({"n": 2, "a": sorted["cases"]["pageInfo"]["endCursor"]}),
            "after",
        ),
        (json!({"a": "not-a-cursor"}), "after"),
        (json!({"n": 0}), "first"),
        (json!({"n": 101}), "first"),
    ] {
        let refused = world.app.run(SEARCH, variables, Some(&world.steward)).await;
        assert_eq!(code(&refused), "BAD_USER_INPUT", "{refused}");
        assert_eq!(refused["errors"][0]["extensions"]["field"], field);
    }
    let default = page(json!({})).await;
    assert_eq!(names(&default).len(), 5);
}
both_backends!(pages_follow_their_cursors);
