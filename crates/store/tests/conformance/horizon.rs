//! PostgreSQL only: what the reader's horizon waits for, and what it does not.
//!
//! - A write transaction that appends no event — in another database of the cluster, or in
//!   this one on another table — does not hold readers back, however long it stays open.
//! - A transaction that appends events after writing elsewhere is refused: the horizon tells
//!   event writers apart by their lock on `events`, taken before they have an id.
//! - A batch of appends whose first command is refused still holds readers back until it
//!   commits, and its later commands append: `guanjia_append` takes the lock and the mark
//!   outside the subtransaction each command runs in.
//! - The row at a position is found as soon as it has committed, even while an older event
//!   writer holds readers back below it (a read-model image checks its last event this way).
//! - Rows restored from ahead of this cluster's transaction counter are read, and events
//!   appended afterwards come after them (the store adopts an offset when it opens).
//!
//! (That an open event writer does hold readers back is `ordering.rs`.)

use std::time::Duration;

use guanjia_store::testing::{events_to_head, TestDatabase};
use guanjia_store::LogPosition;
use sqlx::{Connection, Executor, PgConnection};

use crate::support::{add, within, RawDb};

/// Reads until `count` events after `after` are readable.
async fn readable(
    store: &guanjia_store::Store,
    after: LogPosition,
    count: usize,
) -> anyhow::Result<Vec<LogPosition>> {
    within("the reader to pass the unrelated transactions", async {
        loop {
            let page = store.read_after(after, 100).await?;
            if page.len() >= count {
                return anyhow::Ok(page.iter().map(|e| e.position).collect());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await?
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn unrelated_open_transactions_do_not_hold_readers_back() -> anyhow::Result<()> {
    let db = TestDatabase::postgres().await;
    let elsewhere = TestDatabase::postgres().await;
    let store = db.open().await?;
    add(&store, "before", &[1]).await?;
    let start = store.head().await?;

    // Another database of the cluster: a write transaction, left open.
    let mut other = PgConnection::connect(elsewhere.url()).await?;
    other.execute("BEGIN").await?;
    other
        .execute("CREATE TABLE busy (n int); INSERT INTO busy VALUES (1)")
        .await?;
    // This database, a table that is not the log: a write transaction, left open.
    let mut here = PgConnection::connect(db.url()).await?;
    here.execute("BEGIN").await?;
    here.execute("CREATE TEMP TABLE scratch (n int); INSERT INTO scratch VALUES (1)")
        .await?;
    // And an idle session in a transaction that only read.
    let mut idle = PgConnection::connect(db.url()).await?;
    idle.execute("BEGIN; SELECT count(*) FROM events").await?;

    for n in 0..5 {
        add(&store, &format!("during-{n}"), &[n]).await?;
    }
    // All three are still open while the reader reads the five commits behind them.
    let read = readable(&store, start, 5).await?;
    assert_eq!(read.len(), 5);
    assert!(read.windows(2).all(|pair| pair[0] < pair[1]));

    other.execute("ROLLBACK").await?;
    here.execute("ROLLBACK").await?;
    idle.execute("ROLLBACK").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_transaction_must_append_events_before_anything_else() -> anyhow::Result<()> {
    let db = TestDatabase::postgres().await;
    let _store = db.open().await?;
    let mut connection = PgConnection::connect(db.url()).await?;
    connection.execute("BEGIN").await?;
    connection
        .execute("CREATE TEMP TABLE first (n int); INSERT INTO first VALUES (1)")
        .await?;
    refused_as_not_first(&mut connection, &added("late", 1), "after another write").await;
    connection.execute("ROLLBACK").await?;

    // An append that failed, rolled back to its savepoint, does not count as events first: the
    // failed row gave the transaction its id, and the mark of an append went with the rest.
    connection.execute(added("failed", 1).as_str()).await?;
    connection.execute("BEGIN").await?;
    connection.execute("SAVEPOINT attempt").await?;
    connection
        .execute(added("failed", 1).as_str())
        .await
        .expect_err("sequence 1 is taken: the row is written, then refused by the key");
    connection.execute("ROLLBACK TO SAVEPOINT attempt").await?;
    refused_as_not_first(&mut connection, &added("failed", 2), "after a failed one").await;
    connection.execute("ROLLBACK").await?;

    // Events first, then anything: fine, in one transaction.
    connection.execute("BEGIN").await?;
    connection
        .execute(
            "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, \
             event_version, payload, metadata) VALUES ('counter', 'early', 1, 'Added', '1', \
             '{\"Added\":{\"amount\":1}}', '{}'); \
             INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, \
             event_version, payload, metadata) VALUES ('counter', 'early', 2, 'Added', '1', \
             '{\"Added\":{\"amount\":2}}', '{}'); \
             CREATE TEMP TABLE after_events (n int)",
        )
        .await?;
    connection.execute("COMMIT").await?;
    Ok(())
}

/// The insert of one `Added` event of the counter `id` at `sequence`.
fn added(id: &str, sequence: u64) -> String {
    format!(
        "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, \
         payload, metadata) VALUES ('counter', '{id}', {sequence}, 'Added', '1', \
         '{{\"Added\":{{\"amount\":1}}}}', '{{}}')"
    )
}

/// Runs `insert`, which must be refused for appending events after another write.
async fn refused_as_not_first(connection: &mut PgConnection, insert: &str, when: &str) {
    let refused = connection
        .execute(insert)
        .await
        .expect_err(&format!("an event appended {when}"));
    assert!(
        refused
            .to_string()
            .contains("must append them before it writes anything else"),
        "{refused}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_batch_whose_first_command_is_refused_holds_readers_back_until_it_commits(
) -> anyhow::Result<()> {
    let db = TestDatabase::postgres().await;
    let store = db.open().await?;
    let before = add(&store, "taken", &[1]).await?.position;

    // A batch as the store sends it, held open: the first command collides with the event
    // above, the second breaks the sequence rule, the third is new.
    let mut batch = PgConnection::connect(db.url()).await?;
    batch.execute("BEGIN").await?;
    let outcomes: Vec<(Option<i64>, Option<String>)> = sqlx::query_as(
        "SELECT last_position, refusal FROM guanjia_append(\
         ARRAY['counter', 'counter', 'counter'], ARRAY['taken', 'zero', 'batched'], \
         ARRAY[1, 0, 1]::bigint[], ARRAY['Added', 'Added', 'Added'], ARRAY['1', '1', '1'], \
         ARRAY['{\"Added\":{\"amount\":2}}', '{\"Added\":{\"amount\":3}}', \
               '{\"Added\":{\"amount\":4}}']::jsonb[], \
         ARRAY['{}', '{}', '{}']::jsonb[], ARRAY[1, 1, 1])",
    )
    .fetch_all(&mut batch)
    .await?;
    assert_eq!(outcomes.len(), 3, "one outcome per command");
    assert_eq!(outcomes[0], (None, Some("conflict".to_owned())));
    let refusal = outcomes[1].1.as_deref().unwrap_or_default();
    assert!(
        outcomes[1].0.is_none() && refusal.starts_with("23514 ") && refusal.contains("check"),
        "the sequence rule, with its SQLSTATE: {outcomes:?}"
    );
    assert!(
        outcomes[2].0.is_some() && outcomes[2].1.is_none(),
        "the third command appended after two refused: {outcomes:?}"
    );

    // A later append commits while the batch is open; the reader must not pass the batch.
    let later = add(&store, "later", &[5]).await?.position;
    assert!(
        store.read_after(before, 100).await?.is_empty(),
        "the open batch holds the horizon"
    );
    batch.execute("COMMIT").await?;
    let read = readable(&store, before, 2).await?;
    assert_eq!(read.len(), 2, "the batch's one event and the later one");
    assert!(
        read[0] < later && read[1] == later,
        "{read:?}, later {later}"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_row_at_a_position_is_found_while_readers_are_held_below_it() -> anyhow::Result<()> {
    let db = TestDatabase::postgres().await;
    let store = db.open().await?;
    let before = add(&store, "before", &[1]).await?.position;
    let mut writer = PgConnection::connect(db.url()).await?;
    writer.execute("BEGIN").await?;
    writer.execute(added("held", 1).as_str()).await?;

    let later = add(&store, "later", &[2]).await?.position;
    assert!(
        store.read_after(before, 100).await?.is_empty(),
        "the open event writer holds the horizon"
    );
    let row = store.raw_row_at(later).await?.expect("the committed row");
    assert_eq!((row.aggregate_id.as_str(), row.position), ("later", later));
    writer.execute("ROLLBACK").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn rows_restored_from_ahead_of_the_counter_are_read_first() -> anyhow::Result<()> {
    let db = TestDatabase::postgres().await;
    let store = db.open().await?;
    store.close().await;
    let raw = RawDb::connect(&db).await?;
    // Rows as a restore from a busier cluster leaves them: numbers far ahead of this one's.
    let ahead = raw
        .scalar("SELECT pg_current_xact_id()::text::bigint + 5000000")
        .await?;
    for (n, global) in [(0, 101), (1, 102)] {
        raw.execute(&format!(
            "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, \
             event_version, payload, metadata, transaction_id, global_position) VALUES \
             ('counter', 'restored', {}, 'Added', '1', '{{\"Added\":{{\"amount\":{n}}}}}', '{{}}', \
             {}, {global})",
            n + 1,
            ahead + n
        ))
        .await?;
    }
    raw.execute("SELECT setval('events_global_position_seq', 102)")
        .await?;

    let store = db.open().await?;
    assert_eq!(
        raw.scalar("SELECT count(*) FROM log_transaction_offsets")
            .await?,
        2,
        "the store adopted an offset"
    );
    let restored = events_to_head(&store).await?;
    assert_eq!(restored.len(), 2, "the restored rows are readable");
    let committed = add(&store, "new", &[7]).await?;
    assert!(
        committed.position > restored[1].position,
        "{} after {}",
        committed.position,
        restored[1].position
    );
    let all = events_to_head(&store).await?;
    assert_eq!(all.len(), 3);
    assert_eq!(all[2].position, committed.position);
    // Opening again adopts nothing more.
    store.close().await;
    let _again = db.open().await?;
    assert_eq!(
        raw.scalar("SELECT count(*) FROM log_transaction_offsets")
            .await?,
        2
    );
    raw.close().await;
    Ok(())
}
