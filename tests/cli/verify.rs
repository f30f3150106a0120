//! `verify`: intact on a fresh demo; after tampering with raw SQL (triggers dropped) it fails
//! with exit status 3 and names the event; an exported head proves the log still extends it.

use sqlx::{Connection, SqliteConnection};

use crate::helpers::Guanjia;

/// The exit status of `verify` on an altered log.
pub const BROKEN: Option<i32> = Some(3);

#[tokio::test]
async fn an_altered_event_is_named_and_fails_the_check() {
    let guanjia = Guanjia::with_demo();
    let ran = guanjia.run(&["verify"]).ok();
    assert!(ran.stdout.contains("The log is intact"), "{}", ran.stdout);
    let head = guanjia.run(&["verify", "--export-head"]).ok().stdout;
    assert!(head.starts_with("guanjia-chain-head/1 0-"), "{head}");
    guanjia.run(&["verify", "--head", head.trim()]).ok();

    let mut db = SqliteConnection::connect(&guanjia.url)
        .await
        .expect("raw SQL");
    sqlx::query("DROP TRIGGER events_no_update")
        .execute(&mut db)
        .await
        .expect("drop trigger");
    sqlx::query("UPDATE events SET payload = json_set(payload, '$.tampered', 1) WHERE global_position = 100")
        .execute(&mut db)
        .await
        .expect("tamper");
    db.close().await.expect("close");

    let ran = guanjia.run(&["verify"]);
    assert_eq!(ran.code, BROKEN, "{}\n{}", ran.stdout, ran.stderr);
    assert!(
        ran.stderr.contains("event 0-100 was altered"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr.contains("99 events before it verified"),
        "{}",
        ran.stderr
    );
    let ran = guanjia.run(&["verify", "--head", head.trim()]);
    assert_eq!(ran.code, BROKEN);
    let ran = guanjia.run(&["verify", "--export-head"]);
    assert_eq!(ran.code, BROKEN, "no head is exported from a broken log");
    assert!(ran.stdout.is_empty());
}

#[tokio::test]
async fn a_deleted_event_is_named() {
    let guanjia = Guanjia::with_demo();
    guanjia.run(&["verify"]).ok();
    let mut db = SqliteConnection::connect(&guanjia.url)
        .await
        .expect("raw SQL");
    sqlx::query("DROP TRIGGER events_no_delete")
        .execute(&mut db)
        .await
        .expect("drop trigger");
    sqlx::query("DELETE FROM events WHERE global_position = 42")
        .execute(&mut db)
        .await
        .expect("delete");
    db.close().await.expect("close");
    let ran = guanjia.run(&["verify"]);
    assert_eq!(ran.code, BROKEN);
    assert!(
        ran.stderr.contains("event 0-42 is missing"),
        "{}",
        ran.stderr
    );
}

#[test]
fn a_head_that_is_not_one_is_refused() {
    let guanjia = Guanjia::with_demo();
    let ran = guanjia.run(&["verify", "--head", "yesterday's head"]);
    assert_eq!(ran.code, Some(1));
    assert!(
        ran.stderr.contains("not an exported chain head"),
        "{}",
        ran.stderr
    );
    let forged = format!("guanjia-chain-head/1 0-5 5 {}", "ab".repeat(32));
    let ran = guanjia.run(&["verify", "--head", &forged]);
    assert_eq!(ran.code, BROKEN);
    assert!(
        ran.stderr.contains("does not extend the exported head"),
        "{}",
        ran.stderr
    );
}
