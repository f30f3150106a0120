//! The tamper-evident chain on both backends: it extends and verifies; an exported head is
//! proved later; a payload changed or an event deleted behind the triggers' back is found at
//! exactly that event; a forged head is refused.

use guanjia_store::testing::{events_to_head, TestDatabase};
use guanjia_store::{Backend, ChainHead, ChainProblem, LogPosition};

use crate::support::{add, chain_through, RawDb};

on_both_backends!(
    the_chain_extends_and_verifies,
    an_altered_payload_is_found_at_that_event,
    a_deleted_event_is_found,
    a_forged_head_is_refused,
);

/// Turns the append-only triggers off, as someone with direct database access could.
async fn disable_triggers(raw: &RawDb, db: &TestDatabase) -> anyhow::Result<()> {
    match db.backend() {
        Backend::Postgres => {
            raw.execute("ALTER TABLE events DISABLE TRIGGER USER")
                .await?;
        }
        Backend::Sqlite => {
            raw.execute("DROP TRIGGER events_no_update").await?;
            raw.execute("DROP TRIGGER events_no_delete").await?;
        }
    }
    Ok(())
}

fn global(position: LogPosition) -> u64 {
    position.parts().1
}

async fn the_chain_extends_and_verifies(db: TestDatabase) -> anyhow::Result<()> {
    let store = db.open().await?;
    add(&store, "a", &[1, 2, 3]).await?;
    add(&store, "b", &[4]).await?;
    events_to_head(&store).await?;
    let head = chain_through(&store, 4).await?;
    assert_eq!(head.events, 4);
    let report = store.verify_chain().await?;
    assert!(report.is_intact(), "{report:?}");
    assert_eq!((report.verified, report.head.as_ref()), (4, Some(&head)));

    // Exported as text, read back later, still proved after the log grew.
    let exported = head.to_string();
    add(&store, "a", &[5, 6]).await?;
    events_to_head(&store).await?;
    let later = chain_through(&store, 6).await?;
    assert_eq!(later.events, 6);
    let proof = store
        .verify_extends(&exported.parse::<ChainHead>()?)
        .await?;
    assert!(proof.is_intact(), "{proof:?}");
    // Extending again with nothing new changes nothing.
    assert_eq!(store.extend_chain().await?, Some(later));
    Ok(())
}

async fn an_altered_payload_is_found_at_that_event(db: TestDatabase) -> anyhow::Result<()> {
    let store = db.open().await?;
    add(&store, "a", &[1, 2, 3, 4]).await?;
    let events = events_to_head(&store).await?;
    chain_through(&store, 4).await?;
    let target = events[2].position;
    let raw = RawDb::connect(&db).await?;
    disable_triggers(&raw, &db).await?;
    let payload = match db.backend() {
        Backend::Postgres => "'{\"Added\": {\"amount\": 300}}'::jsonb",
        Backend::Sqlite => "'{\"Added\":{\"amount\":300}}'",
    };
    let changed = raw
        .execute(&format!(
            "UPDATE events SET payload = {payload} WHERE global_position = {}",
            global(target)
        ))
        .await?;
    assert_eq!(changed, 1);
    let report = store.verify_chain().await?;
    assert_eq!(
        report.problem,
        Some(ChainProblem::Altered { position: target })
    );
    assert_eq!(report.verified, 2, "the events before it still verify");
    raw.close().await;
    Ok(())
}

async fn a_deleted_event_is_found(db: TestDatabase) -> anyhow::Result<()> {
    let store = db.open().await?;
    add(&store, "a", &[1, 2, 3]).await?;
    let events = events_to_head(&store).await?;
    chain_through(&store, 3).await?;
    let target = events[1].position;
    let raw = RawDb::connect(&db).await?;
    disable_triggers(&raw, &db).await?;
    raw.execute(&format!(
        "DELETE FROM events WHERE global_position = {}",
        global(target)
    ))
    .await?;
    let report = store.verify_chain().await?;
    assert_eq!(
        report.problem,
        Some(ChainProblem::Missing { position: target })
    );
    raw.close().await;
    Ok(())
}

async fn a_forged_head_is_refused(db: TestDatabase) -> anyhow::Result<()> {
    let store = db.open().await?;
    add(&store, "a", &[1, 2]).await?;
    events_to_head(&store).await?;
    let head = chain_through(&store, 2).await?;
    let forged = ChainHead {
        hash: "f".repeat(64),
        ..head.clone()
    };
    let report = store.verify_extends(&forged).await?;
    assert_eq!(
        report.problem,
        Some(ChainProblem::HeadNotFound {
            head: forged.to_string()
        })
    );
    assert!("guanjia-chain-head/1 nonsense"
        .parse::<ChainHead>()
        .is_err());
    assert_eq!(head.to_string().parse::<ChainHead>()?, head);
    Ok(())
}
