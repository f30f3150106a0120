//! The server keeps the hash chain up to date as events arrive, without anyone running
//! `verify`: a new event is linked within a few seconds and the chain verifies.

use std::time::Duration;

use crate::helpers::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_links_new_events_into_the_chain() {
    let app = spawn_app().await;
    let linked = |events: u64| {
        let store = app.state.store.clone();
        async move {
            for _ in 0..300 {
                let head = store.chain_head().await.expect("chain head readable");
                if head.is_some_and(|h| h.events >= events) {
                    return true;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            false
        }
    };
    // The bootstrap admin's events are linked at start.
    assert!(linked(1).await, "the start-up events were not linked");
    let before = app
        .state
        .store
        .chain_head()
        .await
        .expect("readable")
        .map_or(0, |h| h.events);
    let admin = app.admin().await;
    app.user(&admin, "li.ming", "STEWARD", "610902100000").await;
    assert!(
        linked(before + 1).await,
        "the new user's events were not linked"
    );
    let report = app.state.store.verify_chain().await.expect("verifiable");
    assert!(report.is_intact(), "{report:?}");
}
