//! Read-model images sealed by the store, on both backends: an image opens under its key and
//! header only, and any erasure of personal data deletes every key, so no image taken before
//! it opens again; a key made after an erasure refuses to seal an image of an earlier position.

use std::io::{Read, Write};
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use guanjia_domain::case::commands::EnterpriseInput;
use guanjia_domain::case::model::{LeadSource, Stage};
use guanjia_domain::case::CaseServices;
use guanjia_domain::clock::FixedClock;
use guanjia_store::testing::TestDatabase;
use guanjia_store::{LogPosition, ModelKey, Store};

use crate::support::{context, RawDb};
use crate::support::{CaseRegistration, CaseStore};

on_both_backends!(images_open_until_any_erasure, the_row_at_a_position);

fn services() -> CaseServices {
    let now = Utc.with_ymd_and_hms(2024, 3, 15, 2, 0, 0).single();
    CaseServices::new(Arc::new(FixedClock::at(now.expect("valid instant"))))
}

fn registration(name: &str) -> CaseRegistration {
    CaseRegistration {
        enterprise: EnterpriseInput {
            name: name.to_owned(),
            division: "610902100000".to_owned(),
            contact_name: Some("王经理".to_owned()),
            ..EnterpriseInput::default()
        },
        lead_source: LeadSource::EnterpriseRequest,
        stage: Stage::Establishment,
        registered_on: None,
    }
}

/// Seals `image` under `key` in memory.
fn seal(key: &ModelKey, image: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut sealer = key.sealer(HEADER, Vec::new())?;
    sealer.write_all(image)?;
    Ok(sealer.finish()?)
}

/// Opens a sealed image with the key the database gives for `id`; `None` when it gives none.
async fn open(store: &Store, id: i64, sealed: &[u8]) -> anyhow::Result<Option<Vec<u8>>> {
    let Some(key) = store.read_model_opening_key(id).await? else {
        return Ok(None);
    };
    let mut opener = key.opener(HEADER, sealed)?;
    let mut image = Vec::new();
    opener.read_to_end(&mut image)?;
    opener.finish()?;
    Ok(Some(image))
}

const HEADER: &[u8] = b"header";

async fn images_open_until_any_erasure(db: TestDatabase) -> anyhow::Result<()> {
    let store = db.open().await?;
    let raw = RawDb::connect(&db).await?;
    let first = store
        .register_case(
            registration("安康恒口新材料有限公司"),
            &services(),
            context("r1"),
        )
        .await?;
    store
        .register_case(
            registration("安康月河茶业有限公司"),
            &services(),
            context("r2"),
        )
        .await?;
    let before = store.head().await?;
    let key = store
        .read_model_sealing_key(before)
        .await?
        .expect("a key made before the position seals it");
    assert_eq!(raw.scalar("SELECT count(*) FROM read_model_keys").await?, 1);
    let again = store
        .read_model_sealing_key(before)
        .await?
        .expect("the same key");
    assert_eq!(
        again.id(),
        key.id(),
        "a second key was made while one was usable"
    );
    let sealed = seal(&key, b"the image")?;
    assert_eq!(
        open(&store, key.id(), &sealed).await?.as_deref(),
        Some(&b"the image"[..])
    );
    let mut altered = sealed.clone();
    *altered.last_mut().expect("not empty") ^= 1;
    let refused = open(&store, key.id(), &altered).await;
    assert!(refused.is_err(), "{refused:?}");

    // Erasing one case's data voids every image, whatever it holds.
    store
        .erase_personal_data(
            &first.case_id,
            "依法删除".to_owned(),
            &services(),
            context("e1"),
        )
        .await?;
    assert_eq!(raw.scalar("SELECT count(*) FROM read_model_keys").await?, 0);
    assert_eq!(open(&store, key.id(), &sealed).await?, None);

    // The next key is made after the erasure: it seals images from there on, not before.
    let stale = store.read_model_sealing_key(before).await?;
    assert!(
        stale.is_none(),
        "an image from before the erasure would be sealed"
    );
    let after = store.head().await?;
    let fresh = store
        .read_model_sealing_key(after)
        .await?
        .expect("an image after the erasure is sealed");
    assert_ne!(fresh.id(), key.id());
    let sealed = seal(&fresh, b"new image")?;
    assert_eq!(
        open(&store, fresh.id(), &sealed).await?.as_deref(),
        Some(&b"new image"[..])
    );
    raw.close().await;
    Ok(())
}

/// The row at a position as committed, found as soon as its commit is acknowledged (a
/// read-model image checks its last event this way; `horizon.rs` has it found while readers
/// are held back).
async fn the_row_at_a_position(db: TestDatabase) -> anyhow::Result<()> {
    let store = db.open().await?;
    assert!(store.raw_row_at(LogPosition::START).await?.is_none());
    let case = store
        .register_case(
            registration("安康恒口新材料有限公司"),
            &services(),
            context("r1"),
        )
        .await?;
    let position = case.committed.position;
    let row = store
        .raw_row_at(position)
        .await?
        .expect("the event just written");
    assert_eq!(row.position, position);
    assert_eq!(row.aggregate_id, case.case_id);
    let (transaction, global) = position.parts();
    let beyond = LogPosition::from_parts(transaction, global + 1);
    assert!(store.raw_row_at(beyond).await?.is_none());
    Ok(())
}
