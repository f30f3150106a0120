//! PostgreSQL restarts under a running server with writes before, during and after: nothing
//! acknowledged is lost, writes during the outage are refused as retryable (never an internal
//! error), `/readyz` says the database is away and comes back by itself, the read model catches
//! up without a restart of the node, and the chain verifies.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use super::{add_note, cluster, eventually, guanjia_on, leader, notes, readiness, register};

/// Notes written in all; the cluster is stopped after the first third.
const NOTES: usize = 45;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_database_restart_loses_nothing_and_the_node_recovers_by_itself() {
    let (cluster, url) = cluster().await;
    let guanjia = guanjia_on(&url);
    let server = Arc::new(guanjia.serve(&["--no-demo"]));
    let token = leader(&server).await;
    let case = register(&server, &token, "安康恒口重启测试有限公司").await;

    let acknowledged: Arc<Mutex<Vec<String>>> = Arc::default();
    let refusals: Arc<Mutex<BTreeSet<String>>> = Arc::default();
    let writer = {
        let (server, token, case) = (Arc::clone(&server), token.clone(), case.clone());
        let (acknowledged, refusals) = (Arc::clone(&acknowledged), Arc::clone(&refusals));
        tokio::spawn(async move {
            for n in 0..NOTES {
                // The same key until acknowledged: a retry never writes the note twice.
                let key = format!("note-{n}");
                loop {
                    match add_note(&server, &token, &case, &key).await {
                        Ok(position) => {
                            acknowledged.lock().expect("list").push(position);
                            break;
                        }
                        Err(code) => {
                            refusals.lock().expect("set").insert(code);
                            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                        }
                    }
                }
            }
        })
    };

    eventually("a third of the notes before the restart", 60, || {
        let done = acknowledged.lock().expect("list").len();
        async move { done >= NOTES / 3 }
    })
    .await;
    // Blocking for the few seconds pg_ctl takes; the writer and the server run on.
    cluster.stop().expect("the cluster stops");
    let mut statuses = BTreeSet::new();
    for _ in 0..10 {
        let (code, body) = readiness(&server).await;
        assert_eq!(code, 503, "not ready while the database is away: {body}");
        statuses.insert(body["status"].as_str().unwrap_or("?").to_owned());
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(statuses.contains("unavailable"), "{statuses:?}");
    cluster.start_again().expect("the cluster starts again");

    tokio::time::timeout(std::time::Duration::from_secs(180), writer)
        .await
        .expect("the writer finishes once the database is back")
        .expect("the writer");
    let refused = refusals.lock().expect("set").clone();
    assert!(
        refused.iter().all(|code| code == "SERVICE_UNAVAILABLE"),
        "writes during the outage are refused as retryable, nothing else: {refused:?}"
    );
    assert!(
        refused.contains("SERVICE_UNAVAILABLE"),
        "the outage was seen: {refused:?}"
    );

    eventually("the node is ready again by itself", 60, || {
        let server = Arc::clone(&server);
        async move { readiness(&server).await.0 == 200 }
    })
    .await;
    eventually("every acknowledged note is read", 60, || {
        let (server, token, case) = (Arc::clone(&server), token.clone(), case.clone());
        async move { notes(&server, &token, &case).await == NOTES }
    })
    .await;

    let store = guanjia.store().await;
    let positions: BTreeSet<String> = crate::helpers::all_events(&store)
        .await
        .iter()
        .map(|event| event.position.to_string())
        .collect();
    store.close().await;
    for position in acknowledged.lock().expect("list").iter() {
        assert!(positions.contains(position), "{position} is in the log");
    }
    let verified = guanjia.run(&["verify"]).ok();
    assert!(
        verified.stdout.contains("The log is intact"),
        "{}",
        verified.stdout
    );
}
