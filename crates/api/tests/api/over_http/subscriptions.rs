//! Subscriptions over a real WebSocket (graphql-ws), on both backends: a leader's browser
//! follows a case while a steward's browser works on it, and sees each event in order; a
//! dashboard is pushed when another client changes its figures; a bad or expired token is
//! refused at `connection_init`, and a case outside the subscriber's scope is NOT_FOUND.

use std::str::FromStr;
use std::time::Duration;

use guanjia_store::LogPosition;
use serde_json::{json, Value};

use crate::helpers::{code, post, today, TestApp, ADMIN_PASSWORD, TOWN};
use crate::world::{enterprise, People, VILLAGE};

const CASE_EVENTS: &str = "subscription($c: ID!) { caseEvents(caseId: $c) {
  caseId position sequence eventType actorId recordedAt } }";
const NOTE: &str =
    r#"mutation($c: ID!) { addNote(caseId: $c, input: {text: "预热"}) { position } }"#;

fn position(value: &Value) -> LogPosition {
    LogPosition::from_str(value.as_str().expect("a position")).expect("a log position")
}

async fn a_subscriber_sees_another_clients_events_in_order(server: &TestApp) {
    let people = People::new(server).await;
    let case_id = people
        .case_led_by(
            server,
            (&people.steward, "li.ming"),
            ("恒口新材料", 1, VILLAGE),
        )
        .await;
    let mut leader = server
        .graphql_ws(Some(&people.leader))
        .await
        .expect("the leader's token is accepted");
    let id = leader.subscribe(CASE_EVENTS, json!({"c": case_id})).await;

    // The steward works in another browser: a client of its own, with the steward's token.
    let browser = reqwest::Client::new();
    let write = |query: String| {
        let (browser, base, token, case_id) = (&browser, server.base(), &people.steward, &case_id);
        async move { post(browser, base, &query, json!({"c": case_id}), Some(token)).await }
    };
    // graphql-ws says nothing when a subscription starts following the log, so the steward
    // adds notes until one comes through; every event after that must arrive.
    let mut warmed_up = LogPosition::START;
    for attempt in 1.. {
        assert!(attempt <= 20, "no event reached the subscriber");
        warmed_up = position(&write(NOTE.to_owned()).await["data"]["addNote"]["position"]);
        if let Some(first) = leader.next_within(&id, Duration::from_secs(1)).await {
            assert_eq!(first["data"]["caseEvents"]["eventType"], "NoteAdded");
            break;
        }
    }

    let steps = [
        (
            "signAgreement",
            r#"{scope: FULL_LIFECYCLE, signedOn: "2024-03-15", signatories: ["王经理"]}"#,
            "AgreementSigned",
        ),
        (
            "adoptPlan",
            r#"{text: "一企一策", plannedItems: ["QYSL-001"], milestones: []}"#,
            "PlanAdopted",
        ),
        (
            "scheduleVisit",
            r#"{scheduledAt: "2024-03-15T01:00:00Z", place: "厂区", purpose: "走访", plannedParticipants: []}"#,
            "VisitScheduled",
        ),
        ("addNote", r#"{text: "约定走访"}"#, "NoteAdded"),
    ];
    let mut written = Vec::new();
    for (index, (field, input, _)) in steps.iter().enumerate() {
        // Dated today: the server's clock registered the case today.
        let input = input.replace("2024-03-15", &today());
        let answer = write(format!(
            "mutation($c: ID!) {{ {field}(caseId: $c, input: {input}) {{ position }} }}"
        ))
        .await;
        assert!(answer["errors"].is_null(), "{answer}");
        written.push(answer["data"][field]["position"].clone());
        if index == 1 {
            // Another case of the same town: the subscriber of this case hears nothing of it.
            people
                .case_led_by(
                    server,
                    (&people.steward, "li.ming"),
                    ("恒口物流", 2, VILLAGE),
                )
                .await;
        }
    }

    let mut notices = Vec::new();
    while notices.len() < steps.len() {
        let notice = leader.next(&id).await["data"]["caseEvents"].clone();
        // Warm-up notes written before the first one came through arrive first.
        if position(&notice["position"]) > warmed_up {
            notices.push(notice);
        }
    }
    for ((notice, (_, _, event)), written) in notices.iter().zip(&steps).zip(&written) {
        assert_eq!(notice["eventType"], *event, "{notice}");
        assert_eq!(
            &notice["position"], written,
            "the event of the mutation that answered it"
        );
        assert_eq!(notice["actorId"], "li.ming");
        assert_eq!(notice["caseId"], json!(case_id));
    }
    let sequences: Vec<u64> = notices
        .iter()
        .filter_map(|n| n["sequence"].as_u64())
        .collect();
    let first = sequences[0];
    assert_eq!(
        sequences,
        (first..first + 4).collect::<Vec<_>>(),
        "one case, no gaps"
    );
}
both_backends!(served a_subscriber_sees_another_clients_events_in_order);

async fn a_subscription_is_refused_to_whom_may_not_have_it(server: &TestApp) {
    let people = People::new(server).await;
    let case_id = people
        .case_led_by(
            server,
            (&people.steward, "li.ming"),
            ("恒口新材料", 1, VILLAGE),
        )
        .await;
    for (token, why) in [
        ("not-a-token", "the token is not valid; sign in again"),
        (
            "eyJhbGciOiJub25lIn0.e30.",
            "the token is not valid; sign in again",
        ),
    ] {
        let refused = server.graphql_ws(Some(token)).await.err().expect("refused");
        assert_eq!((refused.code, refused.reason.as_str()), (4403, why));
    }
    // A token revoked after it was issued is refused as well.
    let revoked = server.login("zhao.lei", crate::helpers::PASSWORD).await;
    server
        .ok("mutation { revokeMyTokens }", json!({}), &revoked)
        .await;
    let refused = server
        .graphql_ws(Some(&revoked))
        .await
        .err()
        .expect("refused");
    assert_eq!(refused.reason, "the token was revoked; sign in again");

    // Who may connect but not follow this case: no token, a steward of another town, an admin.
    for (token, expected) in [
        (None, "UNAUTHENTICATED"),
        (Some(&people.elsewhere), "NOT_FOUND"),
        (Some(&people.admin), "FORBIDDEN"),
    ] {
        let mut client = server
            .graphql_ws(token.map(String::as_str))
            .await
            .expect("connected");
        let id = client.subscribe(CASE_EVENTS, json!({"c": case_id})).await;
        let payload = client.next(&id).await;
        assert_eq!(code(&payload), expected, "{payload}");
        assert!(payload["data"].is_null());
        client.completed(&id).await;
    }
}
both_backends!(served a_subscription_is_refused_to_whom_may_not_have_it);

const DASHBOARD: &str = "subscription($d: String) { dashboardChanged(division: $d) {
  division period { casesSigned } now { openCases } } }";

async fn a_dashboard_is_pushed_when_another_client_changes_it(server: &TestApp) {
    let people = People::new(server).await;
    let mut leader = server
        .graphql_ws(Some(&people.leader))
        .await
        .expect("accepted");
    let id = leader.subscribe(DASHBOARD, json!({"d": TOWN})).await;
    // The current figures come at once: the subscription is live from here.
    let first = leader.next(&id).await;
    assert_eq!(
        first["data"]["dashboardChanged"],
        json!({"division": TOWN, "period": {"casesSigned": 0}, "now": {"openCases": 0}})
    );

    let browser = reqwest::Client::new();
    let register = "mutation($i: RegisterCaseInput!) { registerCase(input: $i) { caseId } }";
    let input = json!({"i": {"enterprise": enterprise("恒口新材料", 1, VILLAGE),
                             "leadSource": "INVESTMENT_PROMOTION", "stage": "ESTABLISHMENT"}});
    let answer = post(
        &browser,
        server.base(),
        register,
        input,
        Some(&people.steward),
    )
    .await;
    assert!(answer["errors"].is_null(), "{answer}");
    let update = leader.next(&id).await;
    assert_eq!(update["data"]["dashboardChanged"]["now"]["openCases"], 1);

    // A steward may not have a dashboard.
    let mut steward = server
        .graphql_ws(Some(&people.steward))
        .await
        .expect("accepted");
    let id = steward.subscribe(DASHBOARD, json!({"d": null})).await;
    assert_eq!(code(&steward.next(&id).await), "FORBIDDEN");
}
both_backends!(served a_dashboard_is_pushed_when_another_client_changes_it);

async fn an_expired_token_is_refused_at_connection_init(server: &TestApp) {
    let token = server.login("admin", ADMIN_PASSWORD).await;
    // Tokens live one second here; expiry is checked to the second.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let refused = server
        .graphql_ws(Some(&token))
        .await
        .err()
        .expect("refused");
    assert_eq!(
        (refused.code, refused.reason.as_str()),
        (4403, "the token has expired; sign in again")
    );
}
both_backends!(served an_expired_token_is_refused_at_connection_init, |config| {
    config.auth.token_ttl = std::time::Duration::from_secs(1)
});
