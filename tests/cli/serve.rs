//! `serve`: the first start prints where to go and the logins that work; a taken port is a
//! clear message; `/metrics` shows the named series after traffic; every log line of a
//! request carries its request id and actor; a restart starts from the read-model snapshot
//! taken at shutdown.

use crate::helpers::{Guanjia, ADMIN_PASSWORD};

#[tokio::test]
async fn the_first_start_loads_the_demo_and_prints_logins_that_work() {
    let mut guanjia = Guanjia::new();
    // No passwords configured: both are generated and printed once.
    guanjia.env.clear();
    let server = guanjia.serve(&[]);
    let banner = server.banner.join("\n");
    assert!(
        banner.contains("query console: http://127.0.0.1:"),
        "{banner}"
    );
    assert!(
        banner.contains("Loaded the demo data: 60 cases"),
        "{banner}"
    );
    let admin_password = banner
        .lines()
        .skip_while(|l| !l.starts_with("Created the first admin account: admin"))
        .find_map(|l| l.trim().strip_prefix("password: "))
        .expect("the admin password is printed");
    let demo_password = banner
        .lines()
        .find_map(|l| l.trim().strip_prefix("password (all of them): "))
        .expect("the demo password is printed");
    for user in ["zhang.wei", "audit.li", "wang.lei", "chen.jing"] {
        assert!(banner.contains(user), "{user} listed: {banner}");
    }
    server.login("admin", admin_password).await;
    let token = server.login("zhang.wei", demo_password).await;
    let me = server
        .graphql("{ me { role division } }", Some(&token), None)
        .await;
    assert_eq!(me["data"]["me"]["role"], "LEADER", "{me}");
    drop(server);

    // A second start finds the data and prints no password.
    let server = guanjia.serve(&[]);
    let banner = server.banner.join("\n");
    assert!(!banner.contains("password"), "{banner}");
    assert!(!banner.contains("Loaded"), "{banner}");
}

#[test]
fn a_taken_port_is_a_clear_message_before_anything_is_loaded() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let address = taken.local_addr().expect("its address").to_string();
    let guanjia = Guanjia::new();
    let ran = guanjia.run(&["serve", "--listen", &address]);
    assert_eq!(ran.code, Some(1));
    assert!(ran.stderr.contains("already in use"), "{}", ran.stderr);
    assert!(ran.stderr.contains("--listen"), "{}", ran.stderr);
    assert!(!ran.stdout.contains("demo"), "{}", ran.stdout);
}

#[tokio::test]
async fn metrics_show_requests_commands_events_and_the_read_model_after_traffic() {
    let guanjia = Guanjia::new();
    let server = guanjia.serve(&["--no-demo"]);
    let token = server.login("admin", ADMIN_PASSWORD).await;
    let created = server
        .graphql(
            "mutation { createUser(input: {username: \"li.ming\", displayName: \"李明\", \
             role: STEWARD, division: \"610902100000\", password: \"li-ming-password\"}) { username } }",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(
        created["data"]["createUser"]["username"], "li.ming",
        "{created}"
    );
    let refused = server.graphql("{ users { username } }", None, None).await;
    assert!(refused["errors"].is_array());
    server.graphql("{ nonsense }", Some(&token), None).await;

    // The events counter follows the log a few times a second: wait for it to count the new
    // user's events before reading the page.
    let mut body = String::new();
    for _ in 0..50 {
        let (status, page) = server.get("/metrics").await;
        assert_eq!(status, 200);
        body = page;
        if appended_user_events(&body) >= Some(1) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    for series in [
        "guanjia_graphql_requests_total{operation=\"login\",type=\"mutation\",code=\"OK\"} 1",
        "guanjia_graphql_requests_total{operation=\"createUser\",type=\"mutation\",code=\"OK\"} 1",
        "guanjia_graphql_requests_total{operation=\"users\",type=\"query\",code=\"UNAUTHENTICATED\"} 1",
        "guanjia_graphql_requests_total{operation=\"invalid\",type=\"query\",code=\"GRAPHQL_VALIDATION_FAILED\"} 1",
        "guanjia_graphql_request_duration_seconds_count{operation=\"createUser\",type=\"mutation\"} 1",
        "guanjia_command_duration_seconds_count{aggregate_type=\"user\"}",
        "guanjia_command_conflicts_total{aggregate_type=\"enterprise_case\"} 0",
        "guanjia_command_retries_total{aggregate_type=\"user\"} 0",
        "guanjia_command_gave_up_total{aggregate_type=\"user\"} 0",
        "guanjia_events_appended_total{aggregate_type=\"user\"}",
        "guanjia_http_requests_total{route=\"/graphql\",status=\"200\"}",
        "guanjia_read_model_position ",
        "guanjia_read_model_lag_events 0",
        "guanjia_read_model_following 1",
        "guanjia_log_head_position ",
        "guanjia_store_up 1",
    ] {
        assert!(body.contains(series), "{series} missing from\n{body}");
    }
    let appended = appended_user_events(&body);
    assert!(
        appended >= Some(1),
        "the new user's events are counted: {appended:?}"
    );

    let (status, ready) = server.get("/readyz").await;
    assert_eq!(status, 200, "{ready}");
    let ready: serde_json::Value = serde_json::from_str(&ready).expect("JSON");
    assert_eq!(ready["status"], "ready");
    assert_eq!(ready["read_model"]["lag_events"], 0);
}

#[tokio::test]
async fn every_log_line_of_a_request_carries_its_request_id_and_actor() {
    let guanjia = Guanjia::new();
    let server = guanjia.serve(&["--no-demo", "--log-format", "json"]);
    server
        .graphql(
            &format!("mutation {{ login(username: \"admin\", password: \"{ADMIN_PASSWORD}\") {{ token }} }}"),
            None,
            Some("req-login-1"),
        )
        .await;
    let token = server.login("admin", ADMIN_PASSWORD).await;
    server
        .graphql(
            "mutation { createUser(input: {username: \"li.ming\", displayName: \"李明\", \
             role: STEWARD, division: \"610902100000\", password: \"li-ming-password\"}) { username } }",
            Some(&token),
            Some("req-create-1"),
        )
        .await;
    let log = std::fs::read_to_string(&server.log).expect("the log");
    let login_lines = log.lines().filter(|l| l.contains("req-login-1")).count();
    assert!(login_lines >= 2, "sign-in and request lines: {log}");
    // The request span is the outermost of each line's `spans`; inner spans (the store's
    // `execute`) add their own fields.
    let request_span = |line: &serde_json::Value| -> Option<serde_json::Value> {
        line["spans"]
            .as_array()?
            .iter()
            .find(|s| s["name"] == "request")
            .cloned()
    };
    for (request, actor) in [("req-login-1", "anonymous"), ("req-create-1", "admin")] {
        let spans: Vec<serde_json::Value> = log
            .lines()
            .filter_map(|line| serde_json::from_str(line).ok())
            .filter_map(|line: serde_json::Value| request_span(&line))
            .filter(|span| span["request_id"] == request)
            .collect();
        // At least the line that ends the request; the login also logs the sign-in.
        assert!(!spans.is_empty(), "{request}: {spans:?}\n{log}");
        for span in &spans {
            assert_eq!(span["actor"], actor, "{span}");
        }
    }
    assert!(
        !log.contains(ADMIN_PASSWORD) && !log.contains("li-ming-password"),
        "no password in the log"
    );
}

#[tokio::test]
async fn a_restart_starts_from_the_snapshot_taken_at_shutdown() {
    let guanjia = Guanjia::new();
    let snapshot = {
        let mut name = guanjia.db_path().into_os_string();
        name.push(".read-model");
        std::path::PathBuf::from(name)
    };
    let server = guanjia.serve(&[]);
    let token = server.login("admin", ADMIN_PASSWORD).await;
    let log_path = server.log.clone();
    assert!(!snapshot.exists(), "a snapshot before the first stop");
    server.stop_gracefully();
    let log = std::fs::read_to_string(&log_path).expect("the log");
    assert!(log.contains("no snapshot yet: replaying the log"), "{log}");
    assert!(
        log.contains("read-model snapshot taken at shutdown"),
        "{log}"
    );
    assert!(
        snapshot.exists(),
        "no snapshot beside the database after a graceful stop"
    );

    let server = guanjia.serve(&[]);
    let log = std::fs::read_to_string(&server.log).expect("the log");
    assert!(
        log.contains("the read model starts from its snapshot"),
        "{log}"
    );
    // The restored node serves from it: the demo's catalog (a projection of the log) is
    // there, read with the token signed before the restart.
    let catalog = server
        .graphql("{ catalog { items { code } } }", Some(&token), None)
        .await;
    let items = catalog["data"]["catalog"]["items"].as_array().map(Vec::len);
    assert!(items.is_some_and(|n| n > 0), "{catalog}");
}

/// The value of `guanjia_events_appended_total{aggregate_type="user"}` on a metrics page.
fn appended_user_events(page: &str) -> Option<u64> {
    page.lines()
        .find_map(|l| l.strip_prefix("guanjia_events_appended_total{aggregate_type=\"user\"} "))
        .and_then(|n| n.trim().parse::<u64>().ok())
}
