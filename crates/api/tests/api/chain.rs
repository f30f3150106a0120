//! The tamper-evident hash chain through GraphQL, on both backends: an auditor exports the
//! head, verifies the chain, and proves later that the log still extends an exported head.

use serde_json::json;

use crate::helpers::*;
use crate::world::{enterprise, World, VILLAGE};

async fn auditors_export_and_verify_the_hash_chain(app: TestApp) {
    let world = World::new(app).await;
    world
        .register(&world.steward, enterprise("恒口新材料", 1, VILLAGE))
        .await;
    let log = guanjia_store::testing::events_to_head(&world.app.state.store)
        .await
        .expect("the log");
    // The chain is extended below the reader's horizon, which on PostgreSQL a transaction
    // ending elsewhere on the cluster can hold back for a moment: ask again until it links
    // every event (asking is idempotent).
    let mut asked = 0;
    let head = loop {
        let head = world
            .app
            .ok(
                "{ chainHead { position hash events exported } }",
                json!({}),
                &world.auditor,
            )
            .await;
        asked += 1;
        if head["chainHead"]["events"] == log.len() || asked == 50 {
            break head;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    let head = &head["chainHead"];
    assert_eq!(head["events"], log.len());
    assert_eq!(
        head["position"],
        log.last()
            .map(|e| e.position.to_string())
            .unwrap_or_default()
    );
    assert!(head["exported"]
        .as_str()
        .is_some_and(|h| h.starts_with("guanjia-chain-head/1 ")));

    let verify = "query($h: String) { verifyChain(head: $h) { intact verified problem { kind } head { hash } } }";
    let plain = world.app.ok(verify, json!({}), &world.town_auditor).await;
    assert_eq!(plain["verifyChain"]["intact"], true);
    assert_eq!(plain["verifyChain"]["verified"], head["events"]);
    assert_eq!(plain["verifyChain"]["head"]["hash"], head["hash"]);
    let extends = world
        .app
        .ok(verify, json!({"h": head["exported"]}), &world.auditor)
        .await;
    assert_eq!(extends["verifyChain"]["intact"], true);
    let forged = head["exported"]
        .as_str()
        .map(|h| {
            format!(
                "{}{}",
                &h[..h.len() - 1],
                if h.ends_with('0') { '1' } else { '0' }
            )
        })
        .expect("a head");
    let not_ours = world
        .app
        .ok(verify, json!({"h": forged}), &world.auditor)
        .await;
    assert_eq!(not_ours["verifyChain"]["intact"], false);
    assert_eq!(not_ours["verifyChain"]["problem"]["kind"], "HEAD_NOT_FOUND");
    let garbage = world
        .app
        .run(verify, json!({"h": "hello"}), Some(&world.auditor))
        .await;
    assert_eq!(garbage["errors"][0]["extensions"]["field"], "head");
    for token in [&world.steward, &world.leader, &world.admin] {
        let refused = world
            .app
            .run("{ chainHead { hash } }", json!({}), Some(token))
            .await;
        assert_eq!(code(&refused), "FORBIDDEN");
        let refused = world
            .app
            .run("{ verifyChain { intact } }", json!({}), Some(token))
            .await;
        assert_eq!(code(&refused), "FORBIDDEN");
    }
}
both_backends!(auditors_export_and_verify_the_hash_chain);
