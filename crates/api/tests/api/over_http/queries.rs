//! Queries over HTTP are parsed once per distinct text and run on threads of their own
//! (`crates/api/src/server/parsed.rs`, `queries.rs`). A copy of a parsed document must behave
//! as a fresh parse: each request is answered for its own variables, every check on arguments
//! still runs, and a text that does not parse is refused every time.

use serde_json::json;

use crate::helpers::{code, TestApp};
use crate::world::{enterprise, People, REGISTER, VILLAGE};

/// One case's name, by id: the same text for every request below.
const NAME: &str = "query($c: ID!) { case(id: $c) { name } }";

both_backends!(served the_same_query_text_answers_each_request_by_its_own_variables);

async fn the_same_query_text_answers_each_request_by_its_own_variables(server: &TestApp) {
    let people = People::new(server).await;
    let mut cases = Vec::new();
    for (n, name) in [(1, "安康恒口新材料有限公司"), (2, "安康月河茶业有限公司")]
    {
        let input = json!({"enterprise": enterprise(name, n, VILLAGE),
                           "leadSource": "INVESTMENT_PROMOTION", "stage": "ESTABLISHMENT"});
        let data = server
            .ok(REGISTER, json!({"i": input}), &people.steward)
            .await;
        cases.push((data["registerCase"]["caseId"].clone(), name));
    }

    for round in 0..3 {
        for (id, name) in &cases {
            let data = server.ok(NAME, json!({"c": id}), &people.steward).await;
            assert_eq!(data["case"]["name"], json!(name), "round {round}");
        }
    }

    // The same text with a value no field may hold: refused by name, as on a first parse.
    let refused = server
        .run(NAME, json!({"c": "case\u{0}"}), Some(&people.steward))
        .await;
    let extensions = &refused["errors"][0]["extensions"];
    assert_eq!(
        (code(&refused), &extensions["field"], &extensions["rule"]),
        ("BAD_USER_INPUT", &json!("id"), &json!("bad_character")),
        "{refused}"
    );

    // A text that does not parse is never kept: refused the same way each time.
    for attempt in 0..2 {
        let broken = server
            .run("query { case(id: ", json!({}), Some(&people.steward))
            .await;
        assert_eq!(code(&broken), "GRAPHQL_PARSE_FAILED", "attempt {attempt}");
    }
}
