//! A cut tail: someone with database access deletes the last links of the chain, alters an
//! event behind them and lets the chain be extended again over the altered event. The links
//! then match; the anchors the server wrote to a file as the chain grew do not, and
//! `guanjia verify` says so by default (exit status 3), naming the anchor's position.

use sqlx::{Connection, SqliteConnection};

use super::eventually;
use crate::helpers::Guanjia;
use crate::verify::BROKEN;

/// The anchor lines written so far.
fn anchors(guanjia: &Guanjia) -> Vec<String> {
    let path = format!("{}.chain-anchors", guanjia.db_path().display());
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_cut_tail_over_an_altered_event_is_caught_by_the_anchor() {
    let mut guanjia = Guanjia::with_demo();
    guanjia
        .env
        .push(("GUANJIA_CHAIN_ANCHOR_SECS".into(), "1".into()));
    let server = guanjia.serve(&[]);
    let head = {
        let store = guanjia.store().await;
        let head = store.head().await.expect("the head");
        store.close().await;
        head
    };
    eventually("an anchor of the whole log", 60, || {
        let lines = anchors(&guanjia);
        async move { lines.iter().any(|line| line.contains(&format!(" {head} "))) }
    })
    .await;
    server.stop_gracefully();
    guanjia.run(&["verify"]).ok();

    // Cut the last 50 links, alter an event behind the cut, relink.
    let mut db = SqliteConnection::connect(&guanjia.url)
        .await
        .expect("raw SQL");
    for sql in [
        "DROP TRIGGER log_chain_no_delete",
        "DROP TRIGGER events_no_update",
        "DELETE FROM log_chain WHERE link > (SELECT max(link) - 50 FROM log_chain)",
        "UPDATE events SET payload = json_set(payload, '$.tampered', 1) \
         WHERE global_position = (SELECT max(global_position) - 10 FROM events)",
    ] {
        sqlx::query(sql).execute(&mut db).await.expect(sql);
    }
    db.close().await.expect("closed");

    let ran = guanjia.run(&["verify"]);
    assert_eq!(ran.code, BROKEN, "{}\n{}", ran.stdout, ran.stderr);
    assert!(
        ran.stderr.contains("does not pass through the anchor"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr.contains(&format!("for position {head}")),
        "{}",
        ran.stderr
    );
}

#[tokio::test]
async fn verify_says_when_anchoring_is_off() {
    let mut guanjia = Guanjia::with_demo();
    guanjia
        .env
        .push(("GUANJIA_CHAIN_ANCHOR_FILE".into(), "off".into()));
    let ran = guanjia.run(&["verify"]).ok();
    assert!(
        ran.stdout.contains("Chain anchors are off"),
        "{}",
        ran.stdout
    );
    assert!(anchors(&guanjia).is_empty());
}
