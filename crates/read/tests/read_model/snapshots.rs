//! Read-model snapshots: an image decodes to the model it was taken of, a restart from it equals
//! a full replay (its division index included: built from the tables, then kept by the tail's
//! events), and it is refused — the node then replays the whole log — whenever it may no
//! longer apply: after an erasure, on another log, under other settings, from another build,
//! or damaged. On both backends.

use std::path::{Path, PathBuf};
use std::time::Duration;

use guanjia_app::CaseRegistration;
use guanjia_domain::calendar::WorkCalendar;
use guanjia_domain::case::commands::{EnterpriseCorrection, EnterpriseInput};
use guanjia_domain::case::model::{LeadSource, Stage};
use guanjia_domain::case::CaseCommand;
use guanjia_read::follower::FollowOptions;
use guanjia_read::snapshot::{decode, encode, Saved, SnapshotFile, Unused};
use guanjia_read::{KpiConfig, LiveReadModel, ReadModel};
use guanjia_store::testing::TestDatabase;
use guanjia_store::{LogPosition, Store};

use crate::helpers::{empty_model, Log};
use crate::live::{context, services, PATIENCE};

const CONTACT: &str = "赵经理";

#[test]
fn an_image_decodes_to_the_model_it_was_taken_of() -> anyhow::Result<()> {
    let mut life = Log::new();
    crate::life::full_life(&mut life);
    for model in [crate::data_set::data_set().model(), life.model()] {
        assert!(model.case_count() > 0);
        assert!(
            decode(&encode(&model)?)? == model,
            "the decoded model differs"
        );
    }
    Ok(())
}

/// Registers a case with a contact person (sealed personal data) and adds a note.
async fn case_with_contact(store: &Store, name: &str) -> anyhow::Result<String> {
    let registration = CaseRegistration {
        enterprise: EnterpriseInput {
            name: name.to_owned(),
            division: "610902100000".to_owned(),
            contact_name: Some(CONTACT.to_owned()),
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
    let note = CaseCommand::AddNote {
        text: format!("{name}的第一次走访"),
    };
    guanjia_app::testing::run_unchecked(store, &case.case_id, note, &services(), context()).await?;
    Ok(case.case_id)
}

async fn cases(store: &Store, names: &[&str]) -> anyhow::Result<Vec<String>> {
    let mut ids = Vec::new();
    for name in names {
        ids.push(case_with_contact(store, name).await?);
    }
    Ok(ids)
}

fn with_snapshot(path: &Path, every: u64) -> FollowOptions {
    FollowOptions {
        snapshot: Some(SnapshotFile::new(path)),
        snapshot_every: every,
        ..FollowOptions::default()
    }
}

/// A node started with `options`, caught up with everything committed so far.
async fn node(store: &Store, options: FollowOptions) -> anyhow::Result<LiveReadModel> {
    let live = LiveReadModel::start_with(store.clone(), empty_model(), options).await?;
    live.wait_for(store.head().await?, PATIENCE).await?;
    Ok(live)
}

/// The model a node builds from the whole log, for comparison.
async fn full_replay(store: &Store) -> anyhow::Result<ReadModel> {
    let live = node(store, FollowOptions::default()).await?;
    live.stop();
    Ok(live.read(Clone::clone))
}

async fn save(live: &LiveReadModel) -> anyhow::Result<Saved> {
    Ok(live
        .save_snapshot()
        .await
        .expect("a snapshot file is set")?)
}

/// A node with a snapshot file, caught up with a fresh store holding these cases, and the image
/// it has written of them. The node still follows.
struct Imaged {
    /// Holds the snapshot's directory; bind it (`_directory: _kept`), as a field left out of a
    /// pattern is dropped, and the directory deleted, at the end of the `let`.
    _directory: tempfile::TempDir,
    path: PathBuf,
    store: Store,
    live: LiveReadModel,
    ids: Vec<String>,
    bytes: u64,
}

async fn imaged(db: &TestDatabase, names: &[&str]) -> anyhow::Result<Imaged> {
    let directory = tempfile::tempdir()?;
    let path = directory.path().join("node.read-model");
    let store = db.open().await?;
    let ids = cases(&store, names).await?;
    let live = node(&store, with_snapshot(&path, u64::MAX)).await?;
    let Saved::Written { bytes } = save(&live).await? else {
        anyhow::bail!("no image was written");
    };
    Ok(Imaged {
        _directory: directory,
        path,
        store,
        live,
        ids,
        bytes,
    })
}

async fn a_restart_from_the_snapshot_equals_a_full_replay(db: TestDatabase) -> anyhow::Result<()> {
    let Imaged {
        path,
        store,
        live: first,
        bytes,
        ids,
        _directory: _kept,
    } = imaged(&db, &["安康恒口新材料有限公司", "安康月河茶业有限公司"]).await?;
    first.stop();
    assert_eq!(
        first.restored_from(),
        None,
        "no snapshot yet: a full replay"
    );
    assert!(bytes > 0);
    let taken_at = first.position();
    let file = std::fs::read(&path)?;
    assert!(
        !file.windows(CONTACT.len()).any(|w| w == CONTACT.as_bytes()),
        "the image holds personal data in clear"
    );

    // Another node writes while this one is down, and corrects a case's division.
    let other = db.open().await?;
    cases(&other, &["安康恒口物流有限公司"]).await?;
    let corrected = CaseCommand::CorrectEnterpriseDetails {
        correction: EnterpriseCorrection {
            division: Some("610902101201".to_owned()),
            ..EnterpriseCorrection::default()
        },
        reason: "区划录入有误".to_owned(),
    };
    guanjia_app::testing::run_unchecked(&other, &ids[1], corrected, &services(), context()).await?;
    let second = node(&store, with_snapshot(&path, u64::MAX)).await?;
    second.stop();
    assert_eq!(second.restored_from(), Some(taken_at));
    assert_eq!(second.read(ReadModel::case_count), 3);
    assert!(!second.read(|m| *m == first.read(Clone::clone)));
    let expected = full_replay(&store).await?;
    assert!(
        second.read(|m| *m == expected),
        "the snapshot and the tail differ from a full replay"
    );
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).expect("a date");
    for scope in ["610902000000", "610902100000", "610902101000"] {
        let scope = guanjia_domain::values::DivisionCode::parse(scope)?;
        let board = guanjia_read::BoardQuery {
            from: today - chrono::Days::new(365),
            to: today,
            compare_from: today - chrono::Days::new(730),
            compare_to: today - chrono::Days::new(365),
            today,
            division: scope.clone(),
        };
        let answers = |m: &ReadModel| {
            (
                m.board(&board).map(|b| (b.this, b.children)).ok(),
                m.supervision(Some(&scope), today),
                m.divisions_below(&scope),
            )
        };
        assert_eq!(second.read(answers), answers(&expected));
    }
    // The corrected case moved to a town of its own, which the restored node now lists.
    let district = guanjia_domain::values::DivisionCode::parse("610902000000")?;
    let towns: Vec<String> = second.read(|m| {
        m.divisions_below(&district)
            .iter()
            .map(|town| town.as_str().to_owned())
            .collect()
    });
    assert_eq!(towns, ["610902100000", "610902101000"]);
    Ok(())
}

async fn an_erasure_makes_every_older_snapshot_unusable(db: TestDatabase) -> anyhow::Result<()> {
    let Imaged {
        path,
        store,
        live,
        ids,
        _directory: _kept,
        ..
    } = imaged(&db, &["安康恒口新材料有限公司", "安康月河茶业有限公司"]).await?;
    live.stop();
    let copy = path.with_file_name("backup-of-node.read-model");
    std::fs::copy(&path, &copy)?;
    assert!(SnapshotFile::new(&copy)
        .load(&store, &empty_model())
        .await
        .is_ok());

    guanjia_app::testing::run_unchecked(
        &store,
        &ids[0],
        CaseCommand::ErasePersonalData {
            reason: "当事人依法申请删除".to_owned(),
        },
        &services(),
        context(),
    )
    .await?;
    for file in [&path, &copy] {
        let refused = SnapshotFile::new(file).load(&store, &empty_model()).await;
        assert!(matches!(refused, Err(Unused::Erased)), "{refused:?}");
    }
    let restarted = node(&store, with_snapshot(&path, u64::MAX)).await?;
    restarted.stop();
    assert_eq!(restarted.restored_from(), None, "the old image was used");
    let detail = restarted.read(|m| m.case_detail(&ids[0], chrono::NaiveDate::MIN));
    let detail = detail.expect("the case");
    assert!(detail.personal_data_erased);
    assert_eq!(detail.enterprise.contact_name, None);
    assert!(!restarted.read(|m| *m == live.read(Clone::clone)));

    // A new image after the erasure opens; one of a position before it is not sealed under
    // the key made after it, and does not replace the good one.
    assert!(matches!(save(&restarted).await?, Saved::Written { .. }));
    assert_eq!(
        save(&live).await?,
        Saved::Stale,
        "the stale model was sealed"
    );
    assert!(
        SnapshotFile::new(&path)
            .load(&store, &empty_model())
            .await
            .is_ok(),
        "a refused save replaced the good image"
    );
    Ok(())
}

async fn a_snapshot_of_another_log_is_not_used(db: TestDatabase) -> anyhow::Result<()> {
    let Imaged {
        path,
        live,
        _directory: _kept,
        ..
    } = imaged(&db, &["安康恒口新材料有限公司"]).await?;
    live.stop();

    // Another database (a restore, a reinstall) with as many events: on SQLite another event
    // sits at the image's position, on PostgreSQL none does.
    let other = TestDatabase::new(db.backend()).await;
    let recreated = other.open().await?;
    cases(&recreated, &["安康月河茶业有限公司"]).await?;
    let refused = SnapshotFile::new(&path)
        .load(&recreated, &empty_model())
        .await;
    assert!(matches!(refused, Err(Unused::OtherLog)), "{refused:?}");
    let restarted = node(&recreated, with_snapshot(&path, u64::MAX)).await?;
    restarted.stop();
    assert_eq!(restarted.restored_from(), None);
    let expected = full_replay(&recreated).await?;
    assert!(restarted.read(|m| *m == expected));
    Ok(())
}

async fn a_snapshot_under_other_settings_is_not_used(db: TestDatabase) -> anyhow::Result<()> {
    let Imaged {
        path,
        store,
        live,
        _directory: _kept,
        ..
    } = imaged(&db, &["安康恒口新材料有限公司"]).await?;
    live.stop();

    let file = SnapshotFile::new(&path);
    let config = KpiConfig {
        warning_percent: KpiConfig::default().warning_percent + 10,
        ..KpiConfig::default()
    };
    let refused = file
        .load(&store, &ReadModel::new(WorkCalendar::china(), config))
        .await;
    assert!(matches!(refused, Err(Unused::OtherSettings)), "{refused:?}");
    let mut calendar = WorkCalendar::china();
    calendar.extend_from_toml(CALENDAR_2099)?;
    let refused = file
        .load(&store, &ReadModel::new(calendar, KpiConfig::default()))
        .await;
    assert!(matches!(refused, Err(Unused::OtherSettings)), "{refused:?}");
    Ok(())
}

/// Rewrites bytes of the file in place.
fn edit(path: &Path, change: impl FnOnce(&mut Vec<u8>)) -> anyhow::Result<()> {
    let mut bytes = std::fs::read(path)?;
    change(&mut bytes);
    std::fs::write(path, bytes)?;
    Ok(())
}

fn replace(bytes: &mut [u8], from: &[u8], to: &[u8]) {
    assert_eq!(from.len(), to.len());
    let at = bytes
        .windows(from.len())
        .position(|w| w == from)
        .expect("the text is in the file");
    bytes[at..at + to.len()].copy_from_slice(to);
}

async fn a_damaged_or_foreign_snapshot_is_not_used(db: TestDatabase) -> anyhow::Result<()> {
    let Imaged {
        path,
        store,
        live,
        _directory: _kept,
        ..
    } = imaged(&db, &["安康恒口新材料有限公司", "安康月河茶业有限公司"]).await?;
    live.stop();
    let good = std::fs::read(&path)?;
    let (file, fresh) = (SnapshotFile::new(&path), empty_model());
    let load = || file.load(&store, &fresh);

    edit(&path, |b| replace(b, b"\"format\":1", b"\"format\":7"))?;
    let refused = load().await;
    assert!(
        matches!(refused, Err(Unused::OtherBuild { format: 7, .. })),
        "{refused:?}"
    );

    std::fs::write(&path, &good)?;
    edit(&path, |b| replace(b, b"\"build\":\"0", b"\"build\":\"9"))?;
    let refused = load().await;
    assert!(
        matches!(refused, Err(Unused::OtherBuild { .. })),
        "{refused:?}"
    );

    // The header is bound to the sealed body: a header edited to pass the checks fails to open.
    std::fs::write(&path, &good)?;
    edit(&path, |b| replace(b, b"\"cases\":2", b"\"cases\":9"))?;
    let refused = load().await;
    assert!(
        matches!(&refused, Err(Unused::Damaged(why)) if why.contains("does not open")),
        "{refused:?}"
    );

    std::fs::write(&path, &good)?;
    edit(&path, |b| *b.last_mut().expect("not empty") ^= 1)?;
    let refused = load().await;
    assert!(
        matches!(&refused, Err(Unused::Damaged(why)) if why.contains("does not open")),
        "{refused:?}"
    );

    std::fs::write(&path, &good[..good.len() / 2])?;
    assert!(matches!(load().await, Err(Unused::Damaged(_))));
    std::fs::write(&path, &good[..30])?;
    assert!(matches!(load().await, Err(Unused::Unreadable(_))));
    std::fs::write(&path, b"not a snapshot")?;
    assert!(matches!(load().await, Err(Unused::Unreadable(_))));
    std::fs::remove_file(&path)?;
    assert!(matches!(load().await, Err(Unused::Missing)));

    // Whatever is wrong with the file, the node starts, from the log.
    std::fs::write(&path, &good[..good.len() / 2])?;
    let restarted = node(&store, with_snapshot(&path, u64::MAX)).await?;
    restarted.stop();
    assert_eq!(restarted.restored_from(), None);
    assert!(restarted.read(|m| *m == live.read(Clone::clone)));
    Ok(())
}

/// The follower takes an image once `snapshot_every` events have been applied since the last.
async fn the_follower_takes_a_snapshot_every_n_events(db: TestDatabase) -> anyhow::Result<()> {
    let directory = tempfile::tempdir()?;
    let path = directory.path().join("node.read-model");
    let store = db.open().await?;
    let live = node(&store, with_snapshot(&path, 3)).await?;
    assert!(!path.exists(), "an image of an empty log");
    cases(&store, &["安康恒口新材料有限公司", "安康月河茶业有限公司"]).await?;
    live.wait_for(store.head().await?, PATIENCE).await?;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    let image = loop {
        // The image is taken before the next page is read: commit once more to wake the follower.
        if let Ok(model) = SnapshotFile::new(&path).load(&store, &empty_model()).await {
            break model;
        }
        assert!(tokio::time::Instant::now() < deadline, "no image was taken");
        cases(&store, &["安康恒口物流有限公司"]).await?;
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(image.case_count() >= 1);
    assert!(image.position() > LogPosition::START);
    live.stop();
    Ok(())
}

/// An erasure voids every older image; the follower takes a new one at once, so the next start
/// is not a full replay.
async fn after_an_erasure_the_follower_takes_a_new_snapshot(
    db: TestDatabase,
) -> anyhow::Result<()> {
    let Imaged {
        path,
        store,
        live,
        ids,
        _directory: _kept,
        ..
    } = imaged(&db, &["安康恒口新材料有限公司", "安康月河茶业有限公司"]).await?;
    guanjia_app::testing::run_unchecked(
        &store,
        &ids[0],
        CaseCommand::ErasePersonalData {
            reason: "当事人依法申请删除".to_owned(),
        },
        &services(),
        context(),
    )
    .await?;
    live.wait_for(store.head().await?, PATIENCE).await?;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    let image = loop {
        match SnapshotFile::new(&path).load(&store, &empty_model()).await {
            Ok(image) => break image,
            Err(Unused::Erased) => {}
            Err(other) => panic!("{other}"),
        }
        assert!(tokio::time::Instant::now() < deadline, "no new image");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    live.stop();
    let detail = image.case_detail(&ids[0], chrono::NaiveDate::MIN);
    assert!(detail.expect("the case").personal_data_erased);
    Ok(())
}

/// A year the built-in calendar does not publish, with one extra holiday.
const CALENDAR_2099: &str =
    "[[year]]\nyear = 2099\nsource = \"test\"\nholidays = [\"2099-01-05\"]\n";

macro_rules! on_both_backends {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() -> anyhow::Result<()> {
                    super::$test(super::TestDatabase::sqlite()).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() -> anyhow::Result<()> {
                    super::$test(super::TestDatabase::postgres().await).await
                }
            )*
        }
    };
}

on_both_backends!(
    a_restart_from_the_snapshot_equals_a_full_replay,
    an_erasure_makes_every_older_snapshot_unusable,
    a_snapshot_of_another_log_is_not_used,
    a_snapshot_under_other_settings_is_not_used,
    a_damaged_or_foreign_snapshot_is_not_used,
    the_follower_takes_a_snapshot_every_n_events,
    after_an_erasure_the_follower_takes_a_new_snapshot,
);

/// PostgreSQL only: the reader's horizon can stand below an event the model has already
/// applied — a transaction that ends while a read looks at it holds that read back, and so
/// does one that held no lock on `events` when the follower read and takes one afterwards.
/// Taking an image and using it look at the event as committed, so neither is refused then.
mod postgres_horizon {
    use guanjia_read::snapshot::{Saved, SnapshotFile};
    use guanjia_store::testing::TestDatabase;
    use guanjia_store::LogPosition;
    use sqlx::{Connection, Executor, PgConnection};

    use super::{cases, node, save, with_snapshot};
    use crate::helpers::empty_model;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_image_is_taken_and_used_while_the_horizon_stands_below_it() -> anyhow::Result<()> {
        let db = TestDatabase::postgres().await;
        let directory = tempfile::tempdir()?;
        let path = directory.path().join("node.read-model");
        let store = db.open().await?;
        // A transaction with an id older than the cases' events, that writes no event: the
        // follower reads past it.
        let mut older = PgConnection::connect(db.url()).await?;
        older
            .execute("BEGIN; CREATE TEMP TABLE scratch (n int); INSERT INTO scratch VALUES (1)")
            .await?;
        cases(&store, &["安康恒口新材料有限公司"]).await?;
        let live = node(&store, with_snapshot(&path, u64::MAX)).await?;
        let applied = live.position();

        // It now takes the lock event writers hold: readers wait for it, below the model.
        older
            .execute("LOCK TABLE events IN ROW EXCLUSIVE MODE")
            .await?;
        let readable = store.read_after(LogPosition::START, 1000).await?;
        assert!(
            readable.iter().all(|event| event.position < applied),
            "the horizon does not stand below the model's position"
        );

        let saved = save(&live).await?;
        assert!(matches!(saved, Saved::Written { .. }), "{saved:?}");
        live.stop();
        let loaded = SnapshotFile::new(&path).load(&store, &empty_model()).await;
        assert!(loaded.is_ok(), "{loaded:?}");
        let restarted = node(&store, with_snapshot(&path, u64::MAX)).await?;
        restarted.stop();
        assert_eq!(restarted.restored_from(), Some(applied));
        older.execute("ROLLBACK").await?;
        Ok(())
    }
}
