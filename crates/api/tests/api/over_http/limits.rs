//! The limits of one connection, on both backends (issue 13): a WebSocket message over the body
//! limit closes its socket with 1009 and runs nothing; one connection runs at most
//! `Limits::max_subscriptions` operations at once, the next is refused with an `error` message
//! and the others go on; an HTTP body over the limit is a GraphQL JSON error (also in
//! `http.rs`); a subscription id in use is a 4409 close.

use serde_json::json;

use crate::helpers::TestApp;
use crate::world::People;

const MAX_BODY: usize = 4096;
const MAX_SUBSCRIPTIONS: usize = 3;
const TYPENAME: &str = "{ __typename }";
const CASE_EVENTS: &str = "subscription($c: ID!) { caseEvents(caseId: $c) { eventType } }";

async fn a_websocket_message_over_the_body_limit_closes_the_socket(server: &TestApp) {
    let admin = server.admin().await;
    let mut socket = server.graphql_ws(Some(&admin)).await.expect("accepted");
    let padding = "x".repeat(2 * MAX_BODY);
    let query = format!("mutation {{ revokeMyTokens }} # {padding}");
    let message = json!({"id": "big", "type": "subscribe", "payload": {"query": query}});
    socket.send_text(message.to_string()).await;
    let (before, closed) = socket.closed().await;
    assert!(before.is_empty(), "{before:?}");
    assert_eq!(
        (closed.code, closed.reason.as_str()),
        (1009, "a message may be at most 4096 bytes")
    );
    // The mutation did not run: the token still works.
    let me = server.ok("{ me { username } }", json!({}), &admin).await;
    assert_eq!(me["me"]["username"], "admin");
    // A body of the same size over HTTP is refused in GraphQL JSON.
    let response = server
        .client()
        .post(format!("{}/graphql", server.base()))
        .json(&json!({"query": query}))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), 413);
    let body: serde_json::Value = response.json().await.expect("GraphQL JSON");
    assert_eq!(body["errors"][0]["extensions"]["code"], "PAYLOAD_TOO_LARGE");
}
both_backends!(served
    a_websocket_message_over_the_body_limit_closes_the_socket,
    |config| config.limits.max_body_bytes = super::MAX_BODY
);

async fn one_connection_runs_a_bounded_number_of_operations(server: &TestApp) {
    let people = People::new(server).await;
    let case_id = people
        .case_led_by(
            server,
            (&people.steward, "li.ming"),
            ("恒口新材料", 1, crate::world::VILLAGE),
        )
        .await;
    let mut socket = server
        .graphql_ws(Some(&people.leader))
        .await
        .expect("accepted");
    let mut ids = Vec::new();
    for _ in 0..MAX_SUBSCRIPTIONS {
        ids.push(socket.subscribe(CASE_EVENTS, json!({"c": case_id})).await);
    }
    let over = socket.subscribe(CASE_EVENTS, json!({"c": case_id})).await;
    let refusal = socket.message().await;
    assert_eq!(
        (&refusal["type"], &refusal["id"]),
        (&json!("error"), &json!(over))
    );
    assert_eq!(
        refusal["payload"][0]["extensions"]["code"],
        "BAD_USER_INPUT"
    );
    assert_eq!(
        refusal["payload"][0]["extensions"]["rule"],
        "too_many_operations"
    );

    // Completing one makes room for another; the others still run.
    socket.complete(&ids[0]).await;
    socket.completed(&ids[0]).await;
    let another = socket.subscribe(TYPENAME, json!({})).await;
    let answer = socket.next(&another).await;
    assert_eq!(answer["data"]["__typename"], "Query");
    server
        .ok(
            "mutation($c: ID!) { addNote(caseId: $c, input: {text: \"还在\"}) { position } }",
            json!({"c": case_id}),
            &people.steward,
        )
        .await;
    // `another` completes by itself; then each of the two remaining case subscriptions sees
    // the note.
    socket.completed(&another).await;
    let mut seen = Vec::new();
    for _ in 0..2 {
        let message = socket.message().await;
        assert_eq!(
            message["payload"]["data"]["caseEvents"]["eventType"],
            "NoteAdded"
        );
        seen.push(message["id"].as_str().unwrap_or_default().to_owned());
    }
    seen.sort();
    assert_eq!(seen, ids[1..]);

    // An id still in use is the protocol's 4409.
    socket
        .subscribe_as(&ids[1], CASE_EVENTS, json!({"c": case_id}))
        .await;
    let (_, closed) = socket.closed().await;
    assert_eq!(closed.code, 4409);
}
both_backends!(served
    one_connection_runs_a_bounded_number_of_operations,
    |config| { config.limits.max_subscriptions = super::MAX_SUBSCRIPTIONS }
);
