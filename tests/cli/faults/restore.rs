//! A backup of a busy cluster A restored onto a freshly `initdb`-ed cluster B, whose
//! transaction counter is far behind A's: the restored log serves, signs in, reads like A's,
//! verifies against a head exported on A, and takes new writes after everything restored.

use sqlx::{Connection, PgConnection};

use super::{cluster, eventually, guanjia_on, readiness};
use crate::helpers::{DEMO_PASSWORD, DEMO_TODAY};

/// Transactions run on A before the demo, so that its numbers are ahead of B's counter.
const BURNT: usize = 3000;

/// What `replay` reports, without the time it took.
fn replay_report(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter(|line| !line.starts_with("Replayed") && !line.contains("per second"))
        .map(str::to_owned)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_restored_onto_a_new_cluster_serves_and_verifies() {
    let (a, url_a) = cluster().await;
    let mut connection = PgConnection::connect(&url_a).await.expect("cluster A");
    for _ in 0..BURNT {
        sqlx::query("SELECT pg_current_xact_id()")
            .execute(&mut connection)
            .await
            .expect("a transaction");
    }
    connection.close().await.expect("closed");
    let on_a = guanjia_on(&url_a);
    on_a.run(&["demo", "--today", DEMO_TODAY]).ok();
    let head_a = on_a.run(&["verify", "--export-head"]).ok().stdout;
    let replay_a = replay_report(&on_a.run(&["replay"]).ok().stdout);
    let file = on_a.path("guanjia.backup");
    let file = file.to_str().expect("a UTF-8 path");
    let backed_up = on_a.run(&["backup", "--to", file]).ok();
    assert!(
        backed_up.stdout.contains("Backed up"),
        "{}",
        backed_up.stdout
    );
    drop(a);

    let (b, url_b) = cluster().await;
    let mut connection = PgConnection::connect(&url_b).await.expect("cluster B");
    let counter_b: i64 = sqlx::query_scalar("SELECT pg_current_xact_id()::text::bigint")
        .fetch_one(&mut connection)
        .await
        .expect("B's counter");
    connection.close().await.expect("closed");
    let position_a = head_a
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .to_owned();
    let transaction_a: i64 = position_a
        .split_once('-')
        .and_then(|(t, _)| t.parse().ok())
        .expect("A's head names a transaction");
    assert!(
        counter_b < transaction_a,
        "the scenario needs B behind A: {counter_b} vs {transaction_a}"
    );

    let on_b = guanjia_on(&url_b);
    let restored = on_b.run(&["restore", "--from", file]).ok();
    assert!(
        restored.stdout.contains("The restored log is intact"),
        "{}",
        restored.stdout
    );
    on_b.run(&["verify", "--head", head_a.trim()]).ok();
    assert_eq!(replay_report(&on_b.run(&["replay"]).ok().stdout), replay_a);

    let server = on_b.serve(&["--no-demo"]);
    eventually("the restored node is ready", 60, || async {
        readiness(&server).await.0 == 200
    })
    .await;
    let token = server.login("zhang.wei", DEMO_PASSWORD).await;
    let me = server.graphql("{ me { role } }", Some(&token), None).await;
    assert_eq!(me["data"]["me"]["role"], "LEADER", "{me}");
    let registered = super::register(&server, &token, "安康恒口迁移后新企业有限公司").await;
    assert!(!registered.is_empty());
    drop(server);
    // The new event comes after every restored one, and the chain goes on from A's head.
    let store = on_b.store().await;
    let head_b = store.head().await.expect("B's head");
    store.close().await;
    assert!(
        head_b > position_a.parse().expect("a position"),
        "{head_b} after {position_a}"
    );
    on_b.run(&["verify", "--head", head_a.trim()]).ok();
    drop(b);
}
