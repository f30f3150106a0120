//! What operations do to a running service, on PostgreSQL, over HTTP, with the real binary:
//! the database restarting under load, a restore onto a new cluster, an unreadable row, a cut
//! chain tail, a least-privilege role. Clusters that are stopped or moved are the tests' own
//! (`TestCluster`); the shared one is never touched.

mod anchors;
mod restart;
mod restore;
mod roles;
mod sqlite_lock;
mod unreadable;

use guanjia_store::testing::TestCluster;
use sqlx::{Connection, Executor, PgConnection};

use crate::helpers::{Guanjia, Server, ADMIN_PASSWORD};

/// The leader every fault test works as: registers cases and leads them himself.
pub const LEADER: &str = "li.ming";
pub const LEADER_PASSWORD: &str = "li-ming-password";

/// A cluster of the test's own with an empty database `guanjia` on it.
pub async fn cluster() -> (TestCluster, String) {
    let cluster = tokio::task::spawn_blocking(TestCluster::start)
        .await
        .expect("the cluster starts")
        .unwrap_or_else(|error| panic!("{error}"));
    let mut admin = PgConnection::connect(&cluster.url("postgres"))
        .await
        .expect("the cluster answers");
    admin
        .execute("CREATE DATABASE guanjia")
        .await
        .expect("a database");
    admin.close().await.expect("closed");
    let url = cluster.url("guanjia");
    (cluster, url)
}

/// The binary on `url`, with a fixed token secret (several nodes must share it).
pub fn guanjia_on(url: &str) -> Guanjia {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut guanjia = Guanjia::at(dir, url.to_owned());
    guanjia
        .env
        .push(("GUANJIA_TOKEN_SECRET".into(), "k".repeat(40)));
    guanjia
        .env
        .push(("GUANJIA_POLL_INTERVAL_MS".into(), "200".into()));
    guanjia
}

/// Signs the admin in, creates the leader, signs the leader in.
pub async fn leader(server: &Server) -> String {
    let admin = server.login("admin", ADMIN_PASSWORD).await;
    let created = server
        .graphql(
            &format!(
                "mutation {{ createUser(input: {{username: \"{LEADER}\", displayName: \"李明\", \
                 role: LEADER, division: \"610902000000\", password: \"{LEADER_PASSWORD}\"}}) \
                 {{ username }} }}"
            ),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(
        created["data"]["createUser"]["username"], LEADER,
        "{created}"
    );
    server.login(LEADER, LEADER_PASSWORD).await
}

/// Registers a case led by the signed-in leader himself and returns its id.
pub async fn register(server: &Server, token: &str, name: &str) -> String {
    let answer = server
        .graphql(
            &format!(
                "mutation {{ registerCase(input: {{enterprise: {{name: \"{name}\", \
                 division: \"610902100201\"}}, leadSource: ENTERPRISE_REQUEST, \
                 stage: ESTABLISHMENT}}) {{ caseId caughtUp }} }}"
            ),
            Some(token),
            None,
        )
        .await;
    let case = answer["data"]["registerCase"]["caseId"]
        .as_str()
        .unwrap_or_else(|| panic!("registered: {answer}"))
        .to_owned();
    let me = server
        .graphql("{ me { username } }", Some(token), None)
        .await;
    let lead = me["data"]["me"]["username"]
        .as_str()
        .expect("signed in")
        .to_owned();
    let led = server
        .graphql_with(
            &format!(
                "mutation($c: ID!) {{ assignLeadSteward(caseId: $c, input: \
                 {{steward: \"{lead}\", tier: DISTRICT}}) {{ position }} }}"
            ),
            &serde_json::json!({ "c": case }),
            Some(token),
        )
        .await;
    assert!(
        led["data"]["assignLeadSteward"]["position"].is_string(),
        "{led}"
    );
    case
}

/// `addNote` with a client key: the position, or the error code.
pub async fn add_note(
    server: &Server,
    token: &str,
    case_id: &str,
    key: &str,
) -> Result<String, String> {
    let answer = server
        .graphql_with(
            "mutation($c: ID!, $k: String) { addNote(caseId: $c, clientKey: $k, \
             input: {text: \"走访记录\"}) { position } }",
            &serde_json::json!({ "c": case_id, "k": key }),
            Some(token),
        )
        .await;
    match answer["data"]["addNote"]["position"].as_str() {
        Some(position) => Ok(position.to_owned()),
        None => {
            eprintln!("addNote refused: {answer}");
            Err(answer["errors"][0]["extensions"]["code"]
                .as_str()
                .unwrap_or("NO_ANSWER")
                .to_owned())
        }
    }
}

/// The number of notes the server's read model shows on a case.
pub async fn notes(server: &Server, token: &str, case_id: &str) -> usize {
    let answer = server
        .graphql_with(
            "query($c: ID!) { case(id: $c) { notes { text } } }",
            &serde_json::json!({ "c": case_id }),
            Some(token),
        )
        .await;
    answer["data"]["case"]["notes"]
        .as_array()
        .map_or(0, Vec::len)
}

/// `/readyz`'s status word.
pub async fn readiness(server: &Server) -> (u16, serde_json::Value) {
    let (code, body) = server.get("/readyz").await;
    (
        code,
        serde_json::from_str(&body).unwrap_or(serde_json::Value::Null),
    )
}

/// Polls until `check` holds, at most `seconds`; panics with `what` otherwise.
pub async fn eventually<F, Fut>(what: &str, seconds: u64, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    while !check().await {
        assert!(std::time::Instant::now() < deadline, "timed out: {what}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
