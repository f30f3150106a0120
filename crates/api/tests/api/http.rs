//! The real server on port 0, driven over HTTP as a client would: health, the console, the
//! body limit, start errors and graceful shutdown. The server is the served form of the harness
//! (`helpers::spawn_server`), which `over_http/` also runs the case life, subscriptions, errors
//! and roles on.

use std::time::Duration;

use guanjia_api::{AppConfig, Application, StartError};
use guanjia_store::testing::TestDatabase;
use serde_json::{json, Value};

use crate::helpers::{spawn_server, ADMIN_PASSWORD};
use guanjia_store::Backend;

#[tokio::test]
async fn health_console_and_graphql_over_http() {
    let app = spawn_server(Backend::Sqlite, |_| {}).await;
    let health = app
        .client()
        .get(format!("{}/healthz", app.base()))
        .send()
        .await
        .expect("up");
    assert_eq!(health.status(), 200);
    assert_eq!(health.text().await.expect("text"), "ok");
    let ready = app
        .client()
        .get(format!("{}/readyz", app.base()))
        .send()
        .await
        .expect("up");
    assert_eq!(ready.status(), 200);

    let console = app
        .client()
        .get(format!("{}/graphql", app.base()))
        .send()
        .await
        .expect("up");
    assert_eq!(console.status(), 200);
    let content_type = console.headers()["content-type"]
        .to_str()
        .unwrap_or("")
        .to_owned();
    assert!(content_type.starts_with("text/html"), "{content_type}");
    let page = console.text().await.expect("text");
    assert!(page.contains("Guanjia") && !page.contains("https://"));

    let login = app
        .run("mutation($p: String!) { login(username: \"admin\", password: $p) { token expiresAt } }", json!({"p": ADMIN_PASSWORD}), None)
        .await;
    let token = login["data"]["login"]["token"]
        .as_str()
        .expect("a token")
        .to_owned();
    let me = app
        .run("{ me { username role } }", json!({}), Some(&token))
        .await;
    assert_eq!(
        me["data"]["me"],
        json!({"username": "admin", "role": "ADMIN"})
    );
    let anonymous = app.run("{ me { username } }", json!({}), None).await;
    assert_eq!(
        anonymous["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );

    let traced = app
        .client()
        .post(format!("{}/graphql", app.base()))
        .header("x-request-id", "req-42")
        .json(&json!({"query": "{ __typename }"}))
        .send()
        .await
        .expect("up");
    assert_eq!(traced.headers()["x-request-id"], "req-42");

    let not_json = app
        .client()
        .post(format!("{}/graphql", app.base()))
        .header("content-type", "application/json")
        .body("this is not json")
        .send()
        .await
        .expect("up");
    assert_eq!(not_json.status(), 400);
    let body: Value = not_json.json().await.expect("JSON");
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        "GRAPHQL_PARSE_FAILED"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_with_413_in_graphql_json() {
    let app = spawn_server(Backend::Sqlite, |config| {
        config.limits.max_body_bytes = 1024
    })
    .await;
    let big = json!({"query": format!("{{ __typename }} # {}", "x".repeat(2048))});
    let response = app
        .client()
        .post(format!("{}/graphql", app.base()))
        .json(&big)
        .send()
        .await
        .expect("up");
    assert_eq!(response.status(), 413);
    assert_eq!(response.headers()["content-type"], "application/json");
    let body: serde_json::Value = response.json().await.expect("GraphQL JSON");
    assert_eq!(body["errors"][0]["extensions"]["code"], "PAYLOAD_TOO_LARGE");
    assert_eq!(
        body["errors"][0]["message"],
        "the request body is larger than the limit of 1024 bytes"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_port_in_use_is_a_clear_start_error() {
    let first = spawn_server(Backend::Sqlite, |_| {}).await;
    let address: std::net::SocketAddr = first
        .base()
        .trim_start_matches("http://")
        .parse()
        .expect("addr");
    let db = TestDatabase::sqlite();
    let mut config = AppConfig::for_tests(db.url());
    config.listen = address;
    let error = Application::build(config)
        .await
        .expect_err("the port is taken");
    assert!(
        matches!(error, StartError::AddressInUse(a) if a == address),
        "{error}"
    );
    assert!(error.to_string().contains("already in use"));
    first.stop().await;
}

#[tokio::test]
async fn the_first_start_generates_an_admin_password_once() {
    let db = TestDatabase::sqlite();
    let mut config = AppConfig::for_tests(db.url());
    config.auth.admin_password = None;
    config.auth.token_secret = None;
    let mut app = Application::build(config.clone()).await.expect("starts");
    let admin = app
        .take_bootstrap_admin()
        .expect("created on an empty database");
    let password = admin.generated_password.expect("generated");
    assert_eq!(password.expose().len(), 20);
    assert!(app.take_bootstrap_admin().is_none());
    app.state().store.close().await;
    drop(app);
    // The key file now sits next to the database, and a second start creates no admin.
    assert!(guanjia_api::auth::key_file_for(db.url()).is_some_and(|p| p.exists()));
    let mut again = Application::build(config).await.expect("starts again");
    assert!(again.take_bootstrap_admin().is_none());
    let (_, token) = again
        .state()
        .auth
        .login("admin", &password)
        .await
        .expect("the printed password works");
    assert!(!token.token.is_empty());
}

#[tokio::test]
async fn shutdown_lets_a_running_request_finish() {
    // A real argon2 cost makes the login take long enough to be in flight at the signal.
    let app = spawn_server(Backend::Sqlite, |config| {
        config.auth.password_cost = guanjia_api::PasswordCost {
            memory_kib: 8192,
            iterations: 3,
            parallelism: 1,
        }
    })
    .await;
    let request = app
        .client()
        .post(format!("{}/graphql", app.base()))
        .json(&json!({
            "query": "mutation($p: String!) { login(username: \"admin\", password: $p) { token } }",
            "variables": {"p": ADMIN_PASSWORD}
        }))
        .send();
    let in_flight = tokio::spawn(request);
    tokio::time::sleep(Duration::from_millis(20)).await;
    app.stop().await;
    let response = in_flight
        .await
        .expect("the task ran")
        .expect("the request was answered");
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("JSON");
    assert!(body["data"]["login"]["token"].is_string(), "{body}");
}

#[tokio::test]
async fn the_server_answers_a_mutation_with_the_case_it_changed() {
    let app = spawn_server(Backend::Sqlite, |_| {}).await;
    let login =
        "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }";
    let admin = app
        .run(login, json!({"u": "admin", "p": ADMIN_PASSWORD}), None)
        .await;
    let admin = admin["data"]["login"]["token"].as_str().expect("a token");
    let created = app
        .run(r#"mutation { createUser(input: {username: "li.ming", displayName: "李明", role: STEWARD, division: "610902100000", password: "steward-password-1"}) { username } }"#, json!({}), Some(admin))
        .await;
    assert_eq!(created["data"]["createUser"]["username"], "li.ming");
    let steward = app
        .run(
            login,
            json!({"u": "li.ming", "p": "steward-password-1"}),
            None,
        )
        .await;
    let steward = steward["data"]["login"]["token"].as_str().expect("a token");
    let registered = app
        .run(r#"mutation { registerCase(input: {enterprise: {name: "安康恒口新材料有限公司", division: "610902100201"}, leadSource: ENTERPRISE_REQUEST, stage: ESTABLISHMENT}) { caughtUp case { name state } } }"#, json!({}), Some(steward))
        .await;
    assert_eq!(
        registered["data"]["registerCase"],
        json!({"caughtUp": true, "case": {"name": "安康恒口新材料有限公司", "state": "REGISTERED"}})
    );
    let found = app
        .run(
            r#"{ cases(filter: {name: "恒口"}) { totalCount } }"#,
            json!({}),
            Some(steward),
        )
        .await;
    assert_eq!(found["data"]["cases"]["totalCount"], 1);
    app.stop().await;
}
