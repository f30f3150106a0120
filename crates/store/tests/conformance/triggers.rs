//! The log is append-only: UPDATE and DELETE (and TRUNCATE on PostgreSQL) issued as raw SQL
//! are refused by triggers, with a message that says why, and change nothing.

use guanjia_store::testing::{events_to_head, TestDatabase};
use guanjia_store::Backend;

use crate::support::{add, RawDb};

on_both_backends!(updates_and_deletes_are_refused);

async fn updates_and_deletes_are_refused(db: TestDatabase) -> anyhow::Result<()> {
    let store = db.open().await?;
    add(&store, "c-1", &[1, 2]).await?;
    let before = events_to_head(&store).await?;
    let raw = RawDb::connect(&db).await?;

    let mut statements = vec![
        ("UPDATE", "UPDATE events SET event_type = 'Forged'"),
        (
            "UPDATE",
            "UPDATE events SET payload = payload WHERE sequence = 1",
        ),
        ("DELETE", "DELETE FROM events WHERE sequence = 2"),
        ("DELETE", "DELETE FROM events"),
    ];
    if db.backend() == Backend::Postgres {
        statements.push(("TRUNCATE", "TRUNCATE events"));
        statements.push(("TRUNCATE", "TRUNCATE events CASCADE"));
    }
    for (operation, sql) in statements {
        match raw.execute(sql).await {
            Ok(rows) => anyhow::bail!("{sql:?} was allowed ({rows} rows)"),
            Err(error) => {
                let message = error
                    .as_database_error()
                    .map(|error| error.message().to_string())
                    .unwrap_or_else(|| error.to_string());
                let expected =
                    format!("the events table is append-only: {operation} is not allowed");
                assert_eq!(message, expected, "{sql}");
            }
        }
    }

    assert_eq!(events_to_head(&store).await?, before);
    // The snapshot table is a cache and may change.
    raw.execute("DELETE FROM snapshots").await?;
    raw.close().await;
    Ok(())
}
