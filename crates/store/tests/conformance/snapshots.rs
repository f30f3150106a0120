//! Snapshots of our own: an aggregate loaded through its snapshot equals the same aggregate
//! replayed from all its events; snapshots of another state version, or with snapshots off,
//! are not used.

use guanjia_store::testing::TestDatabase;
use guanjia_store::{Store, StoreOptions};

use crate::support::{add, Counter, RawDb};

on_both_backends!(snapshot_load_equals_full_replay);

async fn snapshot_load_equals_full_replay(db: TestDatabase) -> anyhow::Result<()> {
    let options = StoreOptions {
        // Nothing kept in memory: the snapshot is what this test looks at.
        recent_aggregates: 0,
        snapshot_every: 5,
        ..TestDatabase::options()
    };
    let store = Store::open(db.url(), options.clone()).await?;
    // 1 + 2 + 3 + 1 + 2 + 3 … events per command: snapshots are crossed inside commands too.
    for round in 0..15i64 {
        let amounts: Vec<i64> = (0..=round % 3).map(|i| round * 10 + i).collect();
        add(&store, "c-1", &amounts).await?;
    }
    let replayed = store.replay::<Counter>("c-1").await?;
    assert_eq!(replayed.sequence, 30);
    assert_eq!(replayed.snapshot_sequence, None);

    let loaded = store.load::<Counter>("c-1").await?;
    let from = loaded.snapshot_sequence;
    assert!(
        matches!(from, Some(25..=30)),
        "a snapshot was used: {from:?}"
    );
    assert_eq!(
        (&loaded.state, loaded.sequence),
        (&replayed.state, replayed.sequence)
    );
    assert_eq!(
        serde_json::to_value(&loaded.state)?,
        serde_json::to_value(&replayed.state)?
    );

    // A few more events after the snapshot, without crossing the next multiple.
    add(&store, "c-1", &[1]).await?;
    let loaded = store.load::<Counter>("c-1").await?;
    let replayed = store.replay::<Counter>("c-1").await?;
    assert_eq!(
        (loaded.state.clone(), loaded.sequence),
        (replayed.state.clone(), 31)
    );
    assert_eq!(loaded.snapshot_sequence, from);

    // Another layout version ignores the snapshot; so does a store with snapshots off.
    let bumped = Store::open(db.url(), options.clone().with_state_version("counter", 2)).await?;
    let loaded = bumped.load::<Counter>("c-1").await?;
    assert_eq!(
        (loaded.snapshot_sequence, &loaded.state),
        (None, &replayed.state)
    );
    let off = Store::open(
        db.url(),
        StoreOptions {
            snapshot_every: 0,
            ..options
        },
    )
    .await?;
    assert_eq!(off.load::<Counter>("c-1").await?.snapshot_sequence, None);

    let raw = RawDb::connect(&db).await?;
    assert_eq!(raw.scalar("SELECT count(*) FROM snapshots").await?, 1);
    raw.close().await;
    Ok(())
}
