//! The live read model on both backends: it replays the log at start, follows commits made
//! through another store handle (as another server node would), and `wait_for` gives
//! read-your-writes.

use std::time::Duration;

use guanjia_app::CaseRegistration;
use guanjia_domain::calendar::WorkCalendar;
use guanjia_domain::case::commands::EnterpriseInput;
use guanjia_domain::case::model::{LeadSource, Stage};
use guanjia_domain::case::CaseCommand;
use guanjia_read::{FollowState, KpiConfig, LiveReadModel, ReadError, ReadModel};
use guanjia_store::testing::TestDatabase;
use guanjia_store::{Backend, EventMetadata, LogPosition, Store};

use crate::live::{context, services, PATIENCE};

async fn register(store: &Store, name: &str) -> anyhow::Result<(String, LogPosition)> {
    let registration = CaseRegistration {
        enterprise: EnterpriseInput {
            name: name.to_owned(),
            division: "610902100000".to_owned(),
            ..EnterpriseInput::default()
        },
        lead_source: LeadSource::EnterpriseRequest,
        stage: Stage::Establishment,
        registered_on: None,
        late_reason: None,
    };
    let case =
        guanjia_app::testing::register_unchecked(store, registration, &services(), context())
            .await?;
    Ok((case.case_id, case.committed.position))
}

/// Runs SQL on the test database behind the store's back (an event from a newer build).
async fn execute_raw(db: &TestDatabase, sql: &str) -> anyhow::Result<()> {
    match db.backend() {
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(db.url()).await?;
            sqlx::query(sql).execute(&pool).await?;
            pool.close().await;
        }
        Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(db.url()).await?;
            sqlx::query(sql).execute(&pool).await?;
            pool.close().await;
        }
    }
    Ok(())
}

fn model() -> ReadModel {
    ReadModel::new(WorkCalendar::china(), KpiConfig::default())
}

async fn replays_then_follows_another_node(db: TestDatabase) -> anyhow::Result<()> {
    let writer = db.open().await?;
    let (first, _) = register(&writer, "安康恒口新材料有限公司").await?;
    let reader = db.open().await?;
    let live = LiveReadModel::start(reader, model()).await?;
    // Replayed at start (on PostgreSQL the reader may wait behind unrelated open transactions).
    live.wait_for(writer.head().await?, PATIENCE).await?;
    assert!(live.read(|m| m.case_by_id(&first).is_some()));

    // Another node commits; this node's follower catches up without being told directly.
    let (second, position) = register(&writer, "安康月河茶业有限公司").await?;
    live.wait_for(position, PATIENCE).await?;
    assert_eq!(
        live.read(|m| m.case_by_id(&second).map(|c| c.name)),
        Some("安康月河茶业有限公司".to_owned())
    );
    assert!(live.position() >= position);
    live.stop();
    Ok(())
}

async fn read_your_writes_on_the_same_node(db: TestDatabase) -> anyhow::Result<()> {
    let store = db.open().await?;
    let live = LiveReadModel::start(store.clone(), model()).await?;
    for n in 0..5 {
        let (id, _) = register(&store, &format!("企业{n}")).await?;
        let note = CaseCommand::AddNote {
            text: format!("第{n}条"),
        };
        let committed =
            guanjia_app::testing::run_unchecked(&store, &id, note, &services(), context()).await?;
        live.wait_for(committed.position, PATIENCE).await?;
        let notes = live.read(|m| {
            m.case_detail(&id, chrono::NaiveDate::MIN)
                .map(|d| d.notes.len())
        });
        assert_eq!(notes, Some(1), "the read after the write sees it");
    }
    live.stop();
    Ok(())
}

/// Start-up reads page n + 1 while page n is applied: over many small pages, the model it
/// builds equals one built event by event from `read_after`.
async fn a_replay_over_many_pages_equals_applying_the_log_in_order(
    db: TestDatabase,
) -> anyhow::Result<()> {
    let store = db.open().await?;
    for n in 0..12 {
        let (id, _) = register(&store, &format!("安康企业{n}有限公司")).await?;
        let note = CaseCommand::AddNote {
            text: format!("第{n}条"),
        };
        guanjia_app::testing::run_unchecked(&store, &id, note, &services(), context()).await?;
    }
    let head = store.head().await?;
    let mut expected = model();
    let mut after = LogPosition::START;
    while after < head {
        let page = store.read_after(after, 1000).await?;
        let Some(last) = page.last() else {
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        };
        after = last.position;
        expected.apply_all(&page)?;
    }
    let live = LiveReadModel::start_with_page_size(store, model(), 4).await?;
    live.wait_for(head, PATIENCE).await?;
    assert_eq!(live.read(ReadModel::case_count), 12);
    assert!(live.read(|m| *m == expected), "the replayed model differs");
    live.stop();
    Ok(())
}

/// An event the model cannot read stops the start-up replay before it, however far ahead the
/// reader got — nothing after it is applied in its place — but not the node: it starts with
/// what came before and says where it is blocked. Once an administrator quarantines the event,
/// the follower goes on by itself.
async fn an_unreadable_event_stops_the_replay_at_that_event(
    db: TestDatabase,
) -> anyhow::Result<()> {
    let store = db.open().await?;
    for n in 0..3 {
        register(&store, &format!("安康企业{n}有限公司")).await?;
    }
    let (id, _) = register(&store, "安康月河茶业有限公司").await?;
    let metadata = serde_json::to_string(&EventMetadata::default())?;
    let insert = format!(
        "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, \
                             payload, metadata) \
         VALUES ('enterprise_case', '{id}', 2, 'NoteAdded', '99', '{{\"NoteAdded\":{{}}}}', \
                 '{metadata}')"
    );
    execute_raw(&db, &insert).await?;
    for n in 3..6 {
        register(&store, &format!("安康企业{n}有限公司")).await?;
    }
    let bad = guanjia_store::testing::events_to_head(&store)
        .await?
        .into_iter()
        .find(|event| event.event_version == "99")
        .map(|event| event.position)
        .expect("the hand-made row is in the log");

    let live = LiveReadModel::start_with_page_size(store.clone(), model(), 2).await?;
    // On PostgreSQL the replay can stop short for a moment (a transaction elsewhere on the
    // cluster ending while it reads holds the horizon back); the follower then reads on to
    // the event and stops there.
    let blocked = tokio::time::timeout(PATIENCE, async {
        loop {
            let state = live.follow_state();
            if matches!(state, FollowState::Blocked { .. }) {
                return state;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await?;
    assert!(
        matches!(&blocked, FollowState::Blocked { position, reason }
            if *position == bad && reason.contains("version 99")),
        "{blocked:?}"
    );
    assert_eq!(
        live.read(ReadModel::case_count),
        4,
        "nothing after it applied"
    );
    assert!(live.position() < bad);

    store
        .quarantine(
            bad,
            "version 99 is unknown".to_owned(),
            "written by a test build; kept for the record".to_owned(),
            context(),
        )
        .await?;
    tokio::time::timeout(PATIENCE, async {
        while live.read(ReadModel::case_count) < 7 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await?;
    assert_eq!(live.follow_state(), FollowState::Following);
    assert!(live.position() > bad);
    live.stop();
    Ok(())
}

async fn waiting_for_a_position_never_reached_times_out_as_lagging(
    db: TestDatabase,
) -> anyhow::Result<()> {
    let store = db.open().await?;
    let live = LiveReadModel::start(store, model()).await?;
    let beyond = LogPosition::from_parts(u64::MAX / 2, u64::MAX / 2);
    let error = live
        .wait_for(beyond, Duration::from_millis(200))
        .await
        .expect_err("not reached");
    assert!(
        matches!(error, ReadError::Lagging { wanted, .. } if wanted == beyond),
        "{error:?}"
    );
    live.stop();
    Ok(())
}

mod sqlite {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_replay_over_many_pages_equals_applying_the_log_in_order() -> anyhow::Result<()> {
        super::a_replay_over_many_pages_equals_applying_the_log_in_order(
            super::TestDatabase::sqlite(),
        )
        .await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_unreadable_event_stops_the_replay_at_that_event() -> anyhow::Result<()> {
        super::an_unreadable_event_stops_the_replay_at_that_event(super::TestDatabase::sqlite())
            .await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn replays_then_follows_another_node() -> anyhow::Result<()> {
        super::replays_then_follows_another_node(super::TestDatabase::sqlite()).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn read_your_writes_on_the_same_node() -> anyhow::Result<()> {
        super::read_your_writes_on_the_same_node(super::TestDatabase::sqlite()).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn waiting_for_a_position_never_reached_times_out_as_lagging() -> anyhow::Result<()> {
        super::waiting_for_a_position_never_reached_times_out_as_lagging(
            super::TestDatabase::sqlite(),
        )
        .await
    }
}

mod postgres {
    use std::time::Duration;

    use guanjia_read::LiveReadModel;
    use guanjia_store::testing::TestDatabase;
    use guanjia_store::{Store, StoreOptions};
    use sqlx::{Connection, Executor, PgConnection};

    /// A read can stop short of this node's own commit: here the horizon waits for an older
    /// event writer. When that writer commits without telling this node (no notification, as
    /// when a transaction that holds the horizon ends while the read looks at it), no signal is
    /// left to wake the follower, and every writer of the node waits for this read. The
    /// follower reads again because it is behind its node's commits, long before the poll.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_read_stopped_short_of_the_nodes_own_commit_is_repeated_without_a_signal(
    ) -> anyhow::Result<()> {
        let db = TestDatabase::postgres().await;
        let options = StoreOptions {
            poll_interval: Duration::from_secs(600),
            ..TestDatabase::options()
        };
        let store = Store::open(db.url(), options).await?;
        let live = LiveReadModel::start(store.clone(), super::model()).await?;

        let mut older = PgConnection::connect(db.url()).await?;
        older.execute("BEGIN").await?;
        older
            .execute(
                "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, \
                 event_version, payload, metadata) VALUES ('elsewhere', 'older', 1, 'Noted', \
                 '1', '{}', '{}')",
            )
            .await?;
        let (id, own) = super::register(&store, "安康月河茶业有限公司").await?;
        // The follower was woken by the commit and read up to the open writer only.
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(live.position() < own, "held back by the open event writer");

        older.execute("COMMIT").await?;
        // Well before the poll (ten minutes away), with room for a loaded machine.
        live.wait_for(own, Duration::from_secs(10)).await?;
        assert!(live.read(|m| m.case_by_id(&id).is_some()));
        live.stop();
        Ok(())
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_replay_over_many_pages_equals_applying_the_log_in_order() -> anyhow::Result<()> {
        super::a_replay_over_many_pages_equals_applying_the_log_in_order(
            super::TestDatabase::postgres().await,
        )
        .await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_unreadable_event_stops_the_replay_at_that_event() -> anyhow::Result<()> {
        super::an_unreadable_event_stops_the_replay_at_that_event(
            super::TestDatabase::postgres().await,
        )
        .await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn replays_then_follows_another_node() -> anyhow::Result<()> {
        super::replays_then_follows_another_node(super::TestDatabase::postgres().await).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn read_your_writes_on_the_same_node() -> anyhow::Result<()> {
        super::read_your_writes_on_the_same_node(super::TestDatabase::postgres().await).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn waiting_for_a_position_never_reached_times_out_as_lagging() -> anyhow::Result<()> {
        super::waiting_for_a_position_never_reached_times_out_as_lagging(
            super::TestDatabase::postgres().await,
        )
        .await
    }
}
