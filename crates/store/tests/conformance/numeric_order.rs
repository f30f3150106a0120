//! PostgreSQL only: log transaction numbers order as numbers, never as text. A reader that
//! sorted them as text would put transaction 10 before 9 (and, on a live cluster, skip events
//! whenever transaction numbers cross a power of ten). Rows written with small explicit numbers
//! stand for rows restored from before this cluster's history: they are read first.

use guanjia_store::testing::TestDatabase;
use guanjia_store::LogPosition;

use crate::support::RawDb;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transaction_ids_order_as_numbers() -> anyhow::Result<()> {
    let db = TestDatabase::postgres().await;
    let store = db.open().await?;
    let raw = RawDb::connect(&db).await?;
    // Explicit, old transaction ids (below any live snapshot's xmin), inserted 10 first.
    for transaction in [10, 9, 100] {
        raw.execute(&format!(
            "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, \
             payload, metadata, transaction_id) VALUES ('counter', 't{transaction}', 1, 'Added', '1', \
             '{{\"Added\": {{\"amount\": {transaction}}}}}', '{{}}', {transaction})"
        ))
        .await?;
    }
    let mut seen = Vec::new();
    let mut after = LogPosition::START;
    // Pages of one: each page must continue exactly where the last stopped.
    while let Some(event) = store.read_after(after, 1).await?.pop() {
        seen.push(event.position.parts().0);
        after = event.position;
    }
    assert_eq!(seen, [9, 10, 100]);
    assert_eq!(store.head().await?.parts().0, 100);
    raw.close().await;
    Ok(())
}
