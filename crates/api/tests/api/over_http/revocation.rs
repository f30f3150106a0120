//! Security decisions do not wait on the log reader's horizon (issue 13). On PostgreSQL the log
//! reader stops below transactions still open before it; a session idle in a transaction in
//! *another database* used to keep revoked and disabled tokens working on every node for as
//! long as it stayed open, and a node that had just started did not know the users created
//! meanwhile. (The store's horizon now passes transactions that write no events; sign-in and
//! tokens do not rely on that.) Here such a transaction is held open for the whole scenario, and:
//! - a token revoked or a user disabled on node A is refused on A at once and on node B while
//!   the transaction is still open; `disableUser` answers the new state;
//! - a node started meanwhile is ready only when it can sign in every existing user, and its
//!   first sign-ins succeed (so none counts against the rate limit).
//!
//! The second scenario also runs on SQLite (without a transaction to hold).

use std::time::{Duration, Instant};

use guanjia_api::throttle::RateLimits;
use guanjia_store::testing::TestDatabase;
use guanjia_store::Backend;
use serde_json::json;
use sqlx::{Connection, Executor, PgConnection};

use crate::helpers::{
    code, message, spawn_server, TestApp, ADMIN_PASSWORD, OTHER_TOWN, PASSWORD, TOWN,
};
use crate::world::People;

const ME: &str = "{ me { username role division } }";
/// How long a test waits for a node to see a change or to become ready.
const PATIENCE: Duration = Duration::from_secs(20);

/// A transaction kept open in another database of the same cluster, with a transaction id (it
/// wrote a row), as an idle-in-transaction session would.
struct HeldTransaction {
    connection: PgConnection,
    _db: TestDatabase,
}

impl HeldTransaction {
    async fn open() -> Self {
        let db = TestDatabase::new(Backend::Postgres).await;
        let mut connection = PgConnection::connect(db.url()).await.expect("connects");
        for statement in [
            "BEGIN",
            "CREATE TABLE held (x int)",
            "INSERT INTO held VALUES (1)",
        ] {
            connection.execute(statement).await.expect(statement);
        }
        Self {
            connection,
            _db: db,
        }
    }

    /// Panics unless the transaction is still open.
    async fn still_open(&mut self) {
        let row: (Option<i64>,) = sqlx::query_as("SELECT txid_current_if_assigned()")
            .fetch_one(&mut self.connection)
            .await
            .expect("the session answers");
        assert!(row.0.is_some(), "the held transaction ended early");
    }

    async fn close(mut self) {
        self.connection
            .execute("ROLLBACK")
            .await
            .expect("rolls back");
    }
}

/// Polls `me` on `node` with `token` until it is refused; returns the message and how long it
/// took (for the log: the bound is a design property, not asserted by the clock).
async fn refused_on(node: &TestApp, token: &str) -> (String, Duration) {
    let started = Instant::now();
    loop {
        let answer = node.run(ME, json!({}), Some(token)).await;
        if !answer["errors"].is_null() {
            assert_eq!(code(&answer), "UNAUTHENTICATED", "{answer}");
            return (message(&answer).to_owned(), started.elapsed());
        }
        assert!(
            started.elapsed() < PATIENCE,
            "still accepted after {PATIENCE:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn revocation_does_not_wait_for_a_transaction_in_another_database() {
    let a = spawn_server(Backend::Postgres, |_| {}).await;
    let b = a.another_node(|_| {}).await;
    let people = People::new(&a).await;
    for token in [&people.steward, &people.bystander, &people.elsewhere] {
        b.ok(ME, json!({}), token).await;
    }
    let mut held = HeldTransaction::open().await;

    a.ok("mutation { revokeMyTokens }", json!({}), &people.steward)
        .await;
    let on_a = a.run(ME, json!({}), Some(&people.steward)).await;
    assert_eq!(message(&on_a), "the token was revoked; sign in again");
    let (why, took) = refused_on(&b, &people.steward).await;
    assert_eq!(why, "the token was revoked; sign in again");
    eprintln!("revocation seen by the other node after {took:?}");

    let disabled = a
        .ok(r#"mutation { disableUser(username: "zhao.lei", reason: "调离") { active disabledReason } }"#, json!({}), &people.admin)
        .await;
    assert_eq!(
        disabled["disableUser"],
        json!({"active": false, "disabledReason": "调离"})
    );
    let (why, took) = refused_on(&b, &people.bystander).await;
    assert_eq!(why, "the account is disabled");
    eprintln!("disabling seen by the other node after {took:?}");

    // A role change revokes too, and the new role is what B signs in with.
    a.ok(&format!(r#"mutation {{ changeRole(username: "wang.fang", role: LEADER, division: "{OTHER_TOWN}") {{ role }} }}"#), json!({}), &people.admin)
    .await;
    refused_on(&b, &people.elsewhere).await;
    let leader = b.login("wang.fang", PASSWORD).await;
    let me = b.ok(ME, json!({}), &leader).await;
    assert_eq!(me["me"]["role"], "LEADER");

    held.still_open().await;
    held.close().await;
    b.stop().await;
    a.stop().await;
}

/// A second node started on a database whose users it must sign in at once.
async fn a_node_that_has_just_started_signs_in_every_user(backend: Backend) {
    let limited = |config: &mut guanjia_api::AppConfig| config.limits.rate = RateLimits::default();
    let a = spawn_server(backend, limited).await;
    let admin = a.admin().await;
    a.user(&admin, "li.ming", "STEWARD", TOWN).await;
    let mut held = match backend {
        Backend::Postgres => Some(HeldTransaction::open().await),
        Backend::Sqlite => None,
    };
    // Created while the transaction is open: beyond the log reader's horizon on PostgreSQL.
    let late = a.user(&admin, "late.comer", "LEADER", OTHER_TOWN).await;

    let b = a.another_node(limited).await;
    let started = Instant::now();
    loop {
        let ready = b
            .client()
            .get(format!("{}/readyz", b.base()))
            .send()
            .await
            .expect("answers");
        if ready.status() == 200 {
            break;
        }
        assert!(started.elapsed() < PATIENCE, "not ready after {PATIENCE:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Ready means ready: each user signs in on the first try, and A's tokens hold on B.
    for (user, password) in [
        ("admin", ADMIN_PASSWORD),
        ("li.ming", PASSWORD),
        ("late.comer", PASSWORD),
    ] {
        let token = b.login(user, password).await;
        assert_eq!(b.ok(ME, json!({}), &token).await["me"]["username"], user);
    }
    assert_eq!(
        b.ok(ME, json!({}), &late).await["me"],
        json!({"username": "late.comer", "role": "LEADER", "division": OTHER_TOWN})
    );

    if let Some(held) = held.as_mut() {
        held.still_open().await;
    }
    if let Some(held) = held {
        held.close().await;
    }
    b.stop().await;
    a.stop().await;
}

#[tokio::test]
async fn a_node_that_has_just_started_signs_in_every_user_on_sqlite() {
    a_node_that_has_just_started_signs_in_every_user(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_node_that_has_just_started_signs_in_every_user_on_postgres() {
    a_node_that_has_just_started_signs_in_every_user(Backend::Postgres).await;
}
