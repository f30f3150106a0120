//! The live read model on both backends: it replays the log at start, follows commits made
//! through another store handle (as another server node would), and `wait_for` gives
//! read-your-writes.

use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use guanjia_domain::calendar::WorkCalendar;
use guanjia_domain::case::commands::EnterpriseInput;
use guanjia_domain::case::model::{LeadSource, Stage};
use guanjia_domain::case::{CaseCommand, CaseServices};
use guanjia_domain::clock::FixedClock;
use guanjia_read::{KpiConfig, LiveReadModel, ReadError, ReadModel};
use guanjia_store::testing::TestDatabase;
use guanjia_store::{CaseRegistration, CommandContext, EventMetadata, LogPosition, Store};

const PATIENCE: Duration = Duration::from_secs(60);

fn services() -> CaseServices {
    let now = Utc
        .with_ymd_and_hms(2024, 3, 15, 2, 0, 0)
        .single()
        .expect("valid instant");
    CaseServices {
        clock: Arc::new(FixedClock::at(now)),
    }
}

fn context() -> CommandContext {
    CommandContext::new(EventMetadata {
        actor_id: "li".to_owned(),
        actor_role: "steward".to_owned(),
        ..EventMetadata::default()
    })
}

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
    };
    let case = store
        .register_case(registration, &services(), context())
        .await?;
    Ok((case.case_id, case.committed.position))
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
        let committed = store
            .execute_case(&id, note, &services(), context())
            .await?;
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
