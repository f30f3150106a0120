//! A graphql-ws connection is authorised like an HTTP request at every operation (issue 13): a
//! socket whose token is revoked, whose user is disabled or whose role is lowered has its next
//! operation refused and is closed with 4403, and nothing is written under that actor; a socket
//! that only listens is closed soon after as well. On both backends, over a real WebSocket.

use serde_json::{json, Value};

use super::graphql_ws::GraphqlWs;
use crate::helpers::{TestApp, PASSWORD, TOWN};
use crate::world::{People, VILLAGE};

const NOTE: &str =
    "mutation($c: ID!, $t: String!) { addNote(caseId: $c, input: {text: $t}) { position } }";
const PHONE: &str = "query($c: ID!) { case(id: $c) { enterprise { contactPhone } } }";
const CASE_EVENTS: &str = "subscription($c: ID!) { caseEvents(caseId: $c) { eventType } }";

/// A case led by li.ming (steward of 恒口镇) with zhao.lei on its team.
async fn case_with_team(server: &TestApp, people: &People) -> String {
    let case_id = people
        .case_led_by(
            server,
            (&people.steward, "li.ming"),
            ("恒口新材料", 1, VILLAGE),
        )
        .await;
    server
        .ok("mutation($c: ID!) { addTeamMember(caseId: $c, input: {userId: \"zhao.lei\", role: \"帮办员\", tier: TOWN}) { events } }", json!({"c": case_id}), &people.leader)
        .await;
    case_id
}

/// Runs one operation on the socket and returns its payload.
async fn run(socket: &mut GraphqlWs, query: &str, variables: Value) -> Value {
    let id = socket.subscribe(query, variables).await;
    let payload = socket.next(&id).await;
    socket.completed(&id).await;
    payload
}

/// Sends one operation that must not run: the socket is closed with 4403 and `reason`, and
/// no answer to the operation comes before the close.
async fn refused(socket: &mut GraphqlWs, query: &str, variables: Value, reason: &str) {
    socket.subscribe(query, variables).await;
    let (before, closed) = socket.closed().await;
    assert_eq!((closed.code, closed.reason.as_str()), (4403, reason));
    assert!(before.is_empty(), "the operation ran: {before:?}");
}

/// The authors of the case's notes, in order, read as the district leader after a marker note
/// written with the token `marker` (so that every earlier event is in the answer).
async fn note_authors(
    server: &TestApp,
    people: &People,
    case_id: &str,
    marker: &str,
) -> Vec<String> {
    let written = server
        .ok(NOTE, json!({"c": case_id, "t": "marker"}), marker)
        .await;
    let position = written["addNote"]["position"].clone();
    let data = server
        .ok("query($c: ID!, $p: String) { case(id: $c, atLeast: $p) { timeline { eventType actor } } }", json!({"c": case_id, "p": position}), &people.leader)
        .await;
    data["case"]["timeline"]
        .as_array()
        .expect("a timeline")
        .iter()
        .filter(|event| event["eventType"] == "NoteAdded")
        .map(|event| event["actor"].as_str().unwrap_or_default().to_owned())
        .collect()
}

async fn a_revoked_token_ends_its_socket_before_the_next_operation(server: &TestApp) {
    let people = People::new(server).await;
    let case_id = case_with_team(server, &people).await;
    let mut socket = server
        .graphql_ws(Some(&people.steward))
        .await
        .expect("accepted");
    let before = run(&mut socket, NOTE, json!({"c": case_id, "t": "before"})).await;
    assert!(before["errors"].is_null(), "{before}");
    let phone = run(&mut socket, PHONE, json!({"c": case_id})).await;
    assert_eq!(
        phone["data"]["case"]["enterprise"]["contactPhone"],
        "13812345678"
    );

    server
        .ok("mutation { revokeMyTokens }", json!({}), &people.steward)
        .await;
    refused(
        &mut socket,
        NOTE,
        json!({"c": case_id, "t": "after"}),
        "the token was revoked; sign in again",
    )
    .await;

    let again = server.login("li.ming", PASSWORD).await;
    assert_eq!(
        note_authors(server, &people, &case_id, &again).await,
        ["li.ming", "li.ming"],
        "only `before` and the marker"
    );
    // The contact's phone is not read over a new socket with the old token either.
    let closed = server.graphql_ws(Some(&people.steward)).await.err();
    assert_eq!(closed.map(|c| c.code), Some(4403));
}
both_backends!(served a_revoked_token_ends_its_socket_before_the_next_operation);

async fn a_disabled_user_is_refused_at_the_next_operation(server: &TestApp) {
    let people = People::new(server).await;
    let case_id = case_with_team(server, &people).await;
    let mut socket = server
        .graphql_ws(Some(&people.bystander))
        .await
        .expect("accepted");
    let before = run(&mut socket, NOTE, json!({"c": case_id, "t": "before"})).await;
    assert!(before["errors"].is_null(), "{before}");

    let disabled = server
        .ok(
            r#"mutation { disableUser(username: "zhao.lei", reason: "调离") { active } }"#,
            json!({}),
            &people.admin,
        )
        .await;
    assert_eq!(disabled["disableUser"]["active"], false);
    refused(
        &mut socket,
        NOTE,
        json!({"c": case_id, "t": "after"}),
        "the account is disabled",
    )
    .await;
    assert_eq!(
        note_authors(server, &people, &case_id, &people.steward).await,
        ["zhao.lei", "li.ming"],
        "zhao.lei's note before, li.ming's marker, nothing after"
    );
}
both_backends!(served a_disabled_user_is_refused_at_the_next_operation);

async fn a_lowered_role_is_refused_at_the_next_operation(server: &TestApp) {
    let people = People::new(server).await;
    let case_id = case_with_team(server, &people).await;
    let mut socket = server
        .graphql_ws(Some(&people.leader))
        .await
        .expect("accepted");
    let phone = run(&mut socket, PHONE, json!({"c": case_id})).await;
    assert_eq!(
        phone["data"]["case"]["enterprise"]["contactPhone"],
        "13812345678"
    );

    // The district leader becomes a steward of 恒口镇.
    let changed = server
        .ok(&format!(r#"mutation {{ changeRole(username: "chen.jun", role: STEWARD, division: "{TOWN}") {{ role division }} }}"#), json!({}), &people.admin)
        .await;
    assert_eq!(
        changed["changeRole"],
        json!({"role": "STEWARD", "division": TOWN})
    );
    let remove = "mutation($c: ID!) { removeTeamMember(caseId: $c, input: {userId: \"zhao.lei\", reason: \"调整\"}) { events } }";
    refused(
        &mut socket,
        remove,
        json!({"c": case_id}),
        "the token was revoked; sign in again",
    )
    .await;
    // zhao.lei is still on the team: the removal never ran.
    let data = server
        .ok(
            "query($c: ID!) { case(id: $c) { team { members { username } } } }",
            json!({"c": case_id}),
            &people.auditor,
        )
        .await;
    assert_eq!(
        data["case"]["team"]["members"],
        json!([{"username": "zhao.lei"}])
    );
}
both_backends!(served a_lowered_role_is_refused_at_the_next_operation);

async fn a_listening_socket_is_closed_once_its_token_is_revoked(server: &TestApp) {
    let people = People::new(server).await;
    let case_id = case_with_team(server, &people).await;
    let mut socket = server
        .graphql_ws(Some(&people.bystander))
        .await
        .expect("accepted");
    socket.subscribe(CASE_EVENTS, json!({"c": case_id})).await;
    server
        .ok("mutation { revokeMyTokens }", json!({}), &people.bystander)
        .await;
    // Nothing is sent on the socket: the server's own periodic check closes it.
    let (_, closed) = socket.closed().await;
    assert_eq!(
        (closed.code, closed.reason.as_str()),
        (4403, "the token was revoked; sign in again")
    );
}
both_backends!(served a_listening_socket_is_closed_once_its_token_is_revoked);
