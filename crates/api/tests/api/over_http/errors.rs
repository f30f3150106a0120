//! Every error code of docs/error-codes.md that a client can provoke at will, each produced by
//! a real HTTP request to the real server, on both backends, with the `extensions` a client
//! branches on. GraphQL errors are HTTP 200 (checked by `TestApp::graphql`); the HTTP 400
//! and 413 answers are in `http.rs`, RATE_LIMITED in `rating_links/limits.rs`.
//!
//! CONFLICT is not here: it needs two writers to lose the optimistic lock on the same stream
//! between load and append, several times in a row, and nothing outside the store can order
//! that deterministically. `errors.rs` provokes it by racing writers on the schema (with one
//! attempt per command) and the store's own tests cover the retry.

use std::time::Duration;

use serde_json::json;

use crate::helpers::{code, message, today, TestApp, PASSWORD, TOWN};
use crate::world::{enterprise, People, REGISTER, VILLAGE};

/// A steward of 恒口镇 and a case they registered and lead. Returns (admin, steward, case id).
async fn steward_with_a_case(server: &TestApp) -> (String, String, String) {
    let people = People::new(server).await;
    let case_id = people
        .case_led_by(
            server,
            (&people.steward, "li.ming"),
            ("恒口新材料", 1, VILLAGE),
        )
        .await;
    (people.admin, people.steward, case_id)
}

async fn bad_user_input_says_which_field_and_rule(server: &TestApp) {
    let (admin, steward, case_id) = steward_with_a_case(server).await;
    let malformed = server
        .run(r#"mutation { createUser(input: {username: "new.user", displayName: "新用户", role: STEWARD, division: "6109", password: "a-long-password"}) { username } }"#, json!({}), Some(&admin))
        .await;
    assert_eq!(code(&malformed), "BAD_USER_INPUT");
    let extensions = &malformed["errors"][0]["extensions"];
    assert_eq!(
        (&extensions["field"], &extensions["rule"]),
        (&json!("division"), &json!("wrong_length"))
    );
    assert_eq!(
        message(&malformed),
        "division: must be 12 characters long, got 4"
    );

    // A broken business rule has no field: the message says the rule.
    let sign = r#"mutation($c: ID!, $on: NaiveDate!) { signAgreement(caseId: $c, input: {scope: FULL_LIFECYCLE, signedOn: $on, signatories: ["王经理"]}) { events } }"#;
    let today = today();
    server
        .ok(sign, json!({"c": case_id, "on": today}), &steward)
        .await;
    let twice = server
        .run(sign, json!({"c": case_id, "on": today}), Some(&steward))
        .await;
    assert_eq!(code(&twice), "BAD_USER_INPUT");
    assert!(twice["errors"][0]["extensions"]["field"].is_null());
    assert_eq!(
        message(&twice),
        "an agreement can only be signed once, after registration"
    );

    // An argument that fits its GraphQL type but not the domain's (a visit number below 1).
    let negative = server
        .run(r#"mutation($c: ID!) { cancelVisit(caseId: $c, input: {visitNo: -1, reason: "r"}) { position } }"#, json!({"c": case_id}), Some(&steward))
        .await;
    assert_eq!(code(&negative), "BAD_USER_INPUT", "{negative}");
    let register = server
        .run(REGISTER, json!({"i": {"enterprise": 42}}), Some(&steward))
        .await;
    // A variable that does not fit its GraphQL type is refused before anything runs:
    // async-graphql checks variables with the query, so this one fails validation.
    assert_eq!(code(&register), "GRAPHQL_VALIDATION_FAILED", "{register}");
}
both_backends!(served bad_user_input_says_which_field_and_rule);

async fn not_found_for_what_does_not_exist(server: &TestApp) {
    let (admin, steward, case_id) = steward_with_a_case(server).await;
    let case = server
        .run(
            r#"{ case(id: "no-such-case") { id } }"#,
            json!({}),
            Some(&steward),
        )
        .await;
    assert_eq!(
        (code(&case), message(&case)),
        ("NOT_FOUND", "case not found")
    );
    let visit = server
        .run(r#"mutation($c: ID!) { conductVisit(caseId: $c, input: {visitNo: 9, conductedAt: "2024-03-15T01:00:00Z", participants: ["李明"], notes: "n", issuesRaised: [], followUps: []}) { position } }"#, json!({"c": case_id}), Some(&steward))
        .await;
    assert_eq!(code(&visit), "NOT_FOUND", "{visit}");
    let user = server
        .run(
            r#"mutation { enableUser(username: "nobody") { active } }"#,
            json!({}),
            Some(&admin),
        )
        .await;
    assert_eq!(
        (code(&user), message(&user)),
        ("NOT_FOUND", "user nobody not found")
    );
}
both_backends!(served not_found_for_what_does_not_exist);

const ME: &str = "{ me { username } }";

async fn unauthenticated_without_a_token_that_still_counts(server: &TestApp) {
    let admin = server.admin().await;
    let steward = server.user(&admin, "li.ming", "STEWARD", TOWN).await;
    for (token, why) in [
        (None, "sign in first"),
        (Some("garbage"), "the token is not valid; sign in again"),
        // A token that claims no signature (`alg: none`) is not ours.
        (
            Some("eyJhbGciOiJub25lIn0.e30."),
            "the token is not valid; sign in again",
        ),
    ] {
        let response = server.run(ME, json!({}), token).await;
        assert_eq!(code(&response), "UNAUTHENTICATED", "{token:?}");
        assert!(message(&response).starts_with(why), "{response}");
        assert!(response["data"].is_null());
    }
    let wrong = server
        .run(
            r#"mutation { login(username: "li.ming", password: "wrong-password") { token } }"#,
            json!({}),
            None,
        )
        .await;
    assert_eq!(
        (code(&wrong), message(&wrong)),
        ("UNAUTHENTICATED", "invalid username or password")
    );

    // Revoking one's tokens ends every session, this one included; a new login works.
    let other_session = server.login("li.ming", PASSWORD).await;
    let revoked = server
        .ok("mutation { revokeMyTokens }", json!({}), &steward)
        .await;
    assert_eq!(revoked["revokeMyTokens"], true);
    for token in [&steward, &other_session] {
        let response = server.run(ME, json!({}), Some(token)).await;
        assert_eq!(
            (code(&response), message(&response)),
            ("UNAUTHENTICATED", "the token was revoked; sign in again")
        );
    }
    let again = server.login("li.ming", PASSWORD).await;
    assert_eq!(
        server.ok(ME, json!({}), &again).await["me"]["username"],
        "li.ming"
    );
}
both_backends!(served unauthenticated_without_a_token_that_still_counts);

async fn an_expired_token_is_unauthenticated(server: &TestApp) {
    let token = server.admin().await;
    // Tokens live one second here; expiry is checked to the second.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let response = server.run(ME, json!({}), Some(&token)).await;
    assert_eq!(
        (code(&response), message(&response)),
        ("UNAUTHENTICATED", "the token has expired; sign in again")
    );
}
both_backends!(served an_expired_token_is_unauthenticated, |config| {
    config.auth.token_ttl = std::time::Duration::from_secs(1)
});

async fn forbidden_for_a_role_that_may_not(server: &TestApp) {
    let people = People::new(server).await;
    let case_id = people
        .case_led_by(
            server,
            (&people.steward, "li.ming"),
            ("恒口新材料", 1, VILLAGE),
        )
        .await;
    let note = r#"mutation($c: ID!) { addNote(caseId: $c, input: {text: "x"}) { position } }"#;
    for (who, token, query) in [
        (
            "a steward administering users",
            &people.steward,
            "{ users { username } }",
        ),
        (
            "an admin reading cases",
            &people.admin,
            "{ cases { totalCount } }",
        ),
        ("an auditor writing on a case", &people.auditor, note),
        (
            "a leader asking for the audit history",
            &people.leader,
            "{ auditHistory { edges { cursor } } }",
        ),
        (
            "an auditor asking for a dashboard",
            &people.auditor,
            "{ dashboard { division } }",
        ),
    ] {
        let response = server.run(query, json!({"c": case_id}), Some(token)).await;
        assert_eq!(code(&response), "FORBIDDEN", "{who}: {response}");
    }
}
both_backends!(served forbidden_for_a_role_that_may_not);

async fn a_query_over_the_limits_is_refused_before_it_runs(server: &TestApp) {
    let admin = server.admin().await;
    // Depth: `__schema types fields type` and `ofType`s down to `name`.
    let nested = |of_types: usize| {
        format!(
            "{{ __schema {{ types {{ fields {{ type {{ {} name {} }} }} }} }} }}",
            "ofType { ".repeat(of_types),
            "} ".repeat(of_types)
        )
    };
    let deepest = server.run(&nested(7), json!({}), Some(&admin)).await;
    assert!(
        deepest["errors"].is_null(),
        "depth 12 is allowed: {deepest}"
    );
    let too_deep = server.run(&nested(8), json!({}), Some(&admin)).await;
    assert_eq!(code(&too_deep), "GRAPHQL_VALIDATION_FAILED", "{too_deep}");
    assert_eq!(message(&too_deep), "Query is nested too deep.");

    // Complexity: each field counts one, so `me { username }` counts two.
    let aliased = |n: usize| {
        let fields: Vec<String> = (0..n).map(|i| format!("m{i}: me {{ username }}")).collect();
        format!("{{ {} }}", fields.join(" "))
    };
    let busiest = server.run(&aliased(250), json!({}), Some(&admin)).await;
    assert!(busiest["errors"].is_null(), "complexity 500 is allowed");
    let too_busy = server.run(&aliased(251), json!({}), Some(&admin)).await;
    assert_eq!(code(&too_busy), "GRAPHQL_VALIDATION_FAILED", "{too_busy}");
    assert_eq!(message(&too_busy), "Query is too complex.");

    let broken = server.run("{ me {", json!({}), Some(&admin)).await;
    assert_eq!(code(&broken), "GRAPHQL_PARSE_FAILED");
}
both_backends!(served a_query_over_the_limits_is_refused_before_it_runs);

async fn a_position_this_server_has_not_read_is_request_timeout(server: &TestApp) {
    let admin = server.admin().await;
    let steward = server.user(&admin, "li.ming", "STEWARD", TOWN).await;
    let input = json!({"enterprise": enterprise("恒口新材料", 1, VILLAGE),
                       "leadSource": "INVESTMENT_PROMOTION", "stage": "ESTABLISHMENT"});
    let data = server.ok(REGISTER, json!({"i": input}), &steward).await;
    let case = "query($c: ID!, $p: String) { case(id: $c, atLeast: $p) { state } }";
    let c = &data["registerCase"]["caseId"];
    // The position the mutation returned has been read: the answer is the case.
    let read = server
        .ok(
            case,
            json!({"c": c, "p": data["registerCase"]["position"]}),
            &steward,
        )
        .await;
    assert_eq!(read["case"]["state"], "REGISTERED");

    // A position beyond the end of the log was never handed out: refused at once.
    let returned = data["registerCase"]["position"]
        .as_str()
        .unwrap_or_default();
    let (transaction, global) = returned.split_once('-').unwrap_or_default();
    let beyond = format!(
        "{}-{}",
        transaction.parse::<u64>().unwrap_or_default() + 1000,
        global.parse::<u64>().unwrap_or_default() + 1000
    );
    let made_up = server
        .run(case, json!({"c": c, "p": beyond}), Some(&steward))
        .await;
    assert_eq!(code(&made_up), "BAD_USER_INPUT", "{made_up}");
    assert_eq!(made_up["errors"][0]["extensions"]["field"], "atLeast");
    assert_eq!(made_up["errors"][0]["extensions"]["rule"], "beyond_head");

    // On PostgreSQL, an event writer still open holds every reader back: a position committed
    // behind it is in the log but not yet read — wait, then REQUEST_TIMEOUT (retryable).
    if server.database().backend() == guanjia_store::Backend::Postgres {
        use sqlx::{Connection, Executor};
        let mut held = sqlx::PgConnection::connect(server.database().url())
            .await
            .expect("raw SQL");
        held.execute(
            "BEGIN; INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, \
             event_version, payload, metadata) VALUES ('held', 'h-1', 1, 'Held', '1', '{}', '{}')",
        )
        .await
        .expect("an event writer held open");
        let another = json!({"enterprise": enterprise("恒口第二家", 2, VILLAGE),
                             "leadSource": "INVESTMENT_PROMOTION", "stage": "ESTABLISHMENT"});
        let second = server
            .ok("mutation($i: RegisterCaseInput!) { registerCase(input: $i) { position caughtUp } }", json!({"i": another}), &steward)
            .await;
        assert_eq!(second["registerCase"]["caughtUp"], false, "{second}");
        let behind = server
            .run(
                case,
                json!({"c": c, "p": second["registerCase"]["position"]}),
                Some(&steward),
            )
            .await;
        assert_eq!(code(&behind), "REQUEST_TIMEOUT", "{behind}");
        assert_eq!(behind["errors"][0]["extensions"]["retryable"], true);
        held.execute("ROLLBACK").await.expect("released");
        let after = server
            .ok(
                case,
                json!({"c": c, "p": second["registerCase"]["position"]}),
                &steward,
            )
            .await;
        assert_eq!(after["case"]["state"], "REGISTERED");
    }
    let malformed = server
        .run(case, json!({"c": c, "p": "later"}), Some(&steward))
        .await;
    assert_eq!(malformed["errors"][0]["extensions"]["field"], "atLeast");
}
both_backends!(served
    a_position_this_server_has_not_read_is_request_timeout,
    |config| { config.limits.read_wait = std::time::Duration::from_secs(1) }
);
