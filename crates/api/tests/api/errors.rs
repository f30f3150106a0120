//! Every error code of docs/error-codes.md, each produced by a real request.
//! (`PERIOD_CLOSED`, which needs a closed period and a case in it, is produced in periods.rs.)

use std::time::Duration;

use guanjia_store::Backend;
use serde_json::json;
use sqlx::{Connection, Executor};

use crate::helpers::*;

#[tokio::test]
async fn bad_user_input_names_the_field_and_the_rule() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let response = app
        .run(
            r#"mutation { createUser(input: {username: "li.ming", displayName: "李明", role: STEWARD, division: "6109", password: "a-long-password"}) { username } }"#,
            json!({}),
            Some(&admin),
        )
        .await;
    assert_eq!(code(&response), "BAD_USER_INPUT");
    let extensions = &response["errors"][0]["extensions"];
    assert_eq!(extensions["field"], "division");
    assert_eq!(extensions["rule"], "wrong_length");
    assert_eq!(
        message(&response),
        "division: must be 12 characters long, got 4"
    );
}

#[tokio::test]
async fn an_argument_of_the_wrong_type_is_bad_user_input() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let steward = app.user(&admin, "li.ming", "STEWARD", TOWN).await;
    let response = app
        .run(
            r#"mutation { cancelVisit(caseId: "x", input: {visitNo: -1, reason: "r"}) { position } }"#,
            json!({}),
            Some(&steward),
        )
        .await;
    assert_eq!(code(&response), "BAD_USER_INPUT", "{response}");
}

#[tokio::test]
async fn not_found_for_an_unknown_user() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let response = app
        .run(
            r#"mutation { enableUser(username: "nobody") { active } }"#,
            json!({}),
            Some(&admin),
        )
        .await;
    assert_eq!(code(&response), "NOT_FOUND");
    assert_eq!(message(&response), "user nobody not found");
}

#[tokio::test]
async fn unauthenticated_and_forbidden() {
    let app = spawn_app().await;
    let anonymous = app.run("{ me { username } }", json!({}), None).await;
    assert_eq!(code(&anonymous), "UNAUTHENTICATED");
    let admin = app.admin().await;
    let steward = app.user(&admin, "li.ming", "STEWARD", TOWN).await;
    let forbidden = app
        .run("{ users { username } }", json!({}), Some(&steward))
        .await;
    assert_eq!(code(&forbidden), "FORBIDDEN");
}

#[tokio::test]
async fn a_request_past_its_timeout_is_request_timeout() {
    // The sign-in is held where nothing but the test can release it: another session holds
    // the events table locked, so reading the user's stream waits. (A deadline raced against
    // a password hash is not enough: tokio's timeout polls the work before the clock, and a
    // test thread starved for a few milliseconds on a busy machine saw the sign-in finish.)
    let app = TestApp::options().on(Backend::Postgres).spawn().await;
    let mut lock = sqlx::PgConnection::connect(app.database().url())
        .await
        .expect("a second session");
    for statement in ["BEGIN", "LOCK TABLE events IN ACCESS EXCLUSIVE MODE"] {
        lock.execute(statement).await.expect(statement);
    }
    let login =
        r#"mutation { login(username: "admin", password: "admin-password-for-tests") { token } }"#;
    let response = app
        .run_with_timeout(login, json!({}), None, Duration::from_millis(200))
        .await;
    assert_eq!(code(&response), "REQUEST_TIMEOUT", "{response}");
    assert_eq!(response["errors"][0]["extensions"]["retryable"], true);
    assert!(
        message(&response).starts_with("the request took longer than 200 ms and was stopped"),
        "{response}"
    );

    // Once the lock is gone the same request goes through: the wait was the timeout's cause.
    lock.execute("ROLLBACK").await.expect("releases the lock");
    let response = app
        .run_with_timeout(login, json!({}), None, Duration::from_secs(30))
        .await;
    assert!(response["data"]["login"]["token"].is_string(), "{response}");
}

#[tokio::test]
async fn a_database_that_is_away_is_retryable_and_says_nothing_of_it() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.state.store.close().await;
    let response = app
        .run(
            r#"mutation { retireBundle(code: "YJS-1", reason: "r") { events } }"#,
            json!({}),
            Some(&admin),
        )
        .await;
    assert_eq!(code(&response), "SERVICE_UNAVAILABLE", "{response}");
    assert_eq!(response["errors"][0]["extensions"]["retryable"], true);
    assert!(
        message(&response).contains("try again shortly"),
        "{response}"
    );
    assert!(!message(&response).contains("pool"), "{response}");
}

#[tokio::test]
async fn a_database_failure_is_internal_with_a_generic_message() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    // A statement the database refuses (not a connection lost): the table it needs is gone.
    let pool = sqlx::SqlitePool::connect(app.database().url())
        .await
        .expect("the test database");
    sqlx::query("ALTER TABLE snapshots RENAME TO snapshots_gone")
        .execute(&pool)
        .await
        .expect("renamed");
    pool.close().await;
    let response = app
        .run(
            r#"mutation { retireBundle(code: "YJS-1", reason: "r") { events } }"#,
            json!({}),
            Some(&admin),
        )
        .await;
    assert_eq!(code(&response), "INTERNAL_SERVER_ERROR", "{response}");
    assert_eq!(message(&response), "internal server error");
}

#[tokio::test]
async fn concurrent_writers_get_a_retryable_conflict() {
    // One attempt per command, so the loser of a race is not retried by the store.
    let app = TestApp::options()
        .config(|config| config.store.max_attempts = 1)
        .spawn()
        .await;
    let admin = app.admin().await;
    let mut conflicts = Vec::new();
    for round in 0..5 {
        // Retiring unknown items fails in the domain without appending, so publish first:
        // eight publishes of different items race for the same catalog stream.
        let publishes = (0..8).map(|i| {
            let code = format!("ITEM-{round}-{i}");
            let query = format!(
                r#"mutation {{ publishCatalogItem(input: {{basicCode: "B", implementationCode: "{code}", name: "事项", itemType: OTHER, department: "区政务服务局", statutoryLimitDays: 5, promisedLimitDays: 1, requiredMaterials: [], onsiteTrips: 0}}) {{ events }} }}"#
            );
            let app = &app;
            let admin = &admin;
            async move { app.run(&query, json!({}), Some(admin)).await }
        });
        let responses = futures_util::future::join_all(publishes).await;
        conflicts.extend(
            responses
                .into_iter()
                .filter(|r| r["errors"][0]["extensions"]["code"] == "CONFLICT"),
        );
        if !conflicts.is_empty() {
            break;
        }
    }
    let conflict = conflicts
        .first()
        .expect("at least one writer lost the race");
    assert_eq!(conflict["errors"][0]["extensions"]["retryable"], true);
    assert_eq!(
        message(conflict),
        "the record was changed by someone else at the same time; please try again"
    );
}

#[tokio::test]
async fn a_query_too_deep_or_unknown_fails_validation_and_bad_syntax_fails_parsing() {
    let app = spawn_app().await;
    let nested = format!(
        "{{ __schema {{ types {{ fields {{ type {{ {} name {} }} }} }} }} }}",
        "ofType { ".repeat(12),
        "} ".repeat(12)
    );
    let deep = app.run(&nested, json!({}), None).await;
    assert_eq!(code(&deep), "GRAPHQL_VALIDATION_FAILED", "{deep}");
    let unknown = app.run("{ nothingHere }", json!({}), None).await;
    assert_eq!(code(&unknown), "GRAPHQL_VALIDATION_FAILED");
    let broken = app.run("{ me {", json!({}), None).await;
    assert_eq!(code(&broken), "GRAPHQL_PARSE_FAILED");
}
