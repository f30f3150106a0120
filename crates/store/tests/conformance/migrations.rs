//! The schema: migrating twice changes nothing, and a database migrated by a newer program is
//! refused — by `Store::open` and by `migrate` — and left exactly as it was.

use guanjia_store::testing::{events_to_head, TestDatabase};
use guanjia_store::{migrate, MigrationReport, StoreError};

use crate::support::{add, RawDb};

on_both_backends!(
    migrating_twice_changes_nothing,
    newer_schema_is_refused_untouched
);

async fn migrating_twice_changes_nothing(db: TestDatabase) -> anyhow::Result<()> {
    let first = migrate(db.url()).await?;
    assert_eq!(
        first,
        MigrationReport {
            applied: vec![1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
            version: 10
        }
    );
    let raw = RawDb::connect(&db).await?;
    let schema = raw.fingerprint().await?;
    assert!(
        schema.iter().any(|line| line.contains("events")),
        "{schema:#?}"
    );

    let second = migrate(db.url()).await?;
    assert_eq!(
        second,
        MigrationReport {
            applied: vec![],
            version: 10
        }
    );
    let store = db.open().await?; // migrates at open as well
    add(&store, "c-1", &[1]).await?;
    store.close().await;
    let reopened = db.open().await?;
    assert_eq!(events_to_head(&reopened).await?.len(), 1);

    assert_eq!(raw.fingerprint().await?, schema);
    raw.close().await;
    Ok(())
}

async fn newer_schema_is_refused_untouched(db: TestDatabase) -> anyhow::Result<()> {
    let store = db.open().await?;
    add(&store, "c-1", &[1]).await?;
    store.close().await;
    let raw = RawDb::connect(&db).await?;
    raw.record_future_migration(9999).await?;
    let schema = raw.fingerprint().await?;

    let expected = StoreError::SchemaTooNew {
        database_version: 9999,
        binary_version: 10,
    };
    match db.open().await {
        Err(error) => assert_eq!(error, expected),
        Ok(_) => anyhow::bail!("a store opened a database from the future"),
    }
    assert_eq!(migrate(db.url()).await, Err(expected.clone()));
    assert!(expected
        .to_string()
        .contains("newer than this program knows"));

    assert_eq!(
        raw.fingerprint().await?,
        schema,
        "the refused database changed"
    );
    assert_eq!(raw.scalar("SELECT count(*) FROM events").await?, 1);
    raw.close().await;
    Ok(())
}
