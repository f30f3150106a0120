//! Read-model images sealed by the store, on both backends: an image opens under its key and
//! header only, and any erasure of personal data deletes every key, so no image taken before
//! it opens again; a key made after an erasure refuses to seal an image of an earlier position.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use guanjia_domain::case::commands::EnterpriseInput;
use guanjia_domain::case::model::{LeadSource, Stage};
use guanjia_domain::case::CaseServices;
use guanjia_domain::clock::FixedClock;
use guanjia_store::testing::TestDatabase;
use guanjia_store::{CaseRegistration, LogPosition, StoreError};

use crate::support::{context, within, RawDb};

on_both_backends!(images_open_until_any_erasure, the_event_at_a_position);

fn services() -> CaseServices {
    let now = Utc.with_ymd_and_hms(2024, 3, 15, 2, 0, 0).single();
    CaseServices {
        clock: Arc::new(FixedClock::at(now.expect("valid instant"))),
    }
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
    let header = b"header".to_vec();
    let sealed = store
        .seal_read_model(before, header.clone(), b"the image".to_vec())
        .await?
        .expect("a key made before the position seals it");
    assert_eq!(raw.scalar("SELECT count(*) FROM read_model_keys").await?, 1);
    assert!(!sealed.bytes.windows(9).any(|w| w == b"the image"));
    let opened = store
        .open_read_model(sealed.clone(), header.clone())
        .await?;
    assert_eq!(opened.as_deref(), Some(&b"the image"[..]));
    let refused = store
        .open_read_model(sealed.clone(), b"another header".to_vec())
        .await;
    assert!(
        matches!(refused, Err(StoreError::Decode { .. })),
        "{refused:?}"
    );

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
    assert_eq!(store.open_read_model(sealed, header.clone()).await?, None);

    // The next key is made after the erasure: it seals images from there on, not before.
    let stale = store
        .seal_read_model(before, header.clone(), b"old image".to_vec())
        .await?;
    assert_eq!(stale, None, "an image from before the erasure was sealed");
    let after = store.head().await?;
    let fresh = store
        .seal_read_model(after, header.clone(), b"new image".to_vec())
        .await?
        .expect("an image after the erasure is sealed");
    let opened = store.open_read_model(fresh, header).await?;
    assert_eq!(opened.as_deref(), Some(&b"new image"[..]));
    raw.close().await;
    Ok(())
}

async fn the_event_at_a_position(db: TestDatabase) -> anyhow::Result<()> {
    let store = db.open().await?;
    assert!(store.event_at(LogPosition::START).await?.is_none());
    let case = store
        .register_case(
            registration("安康恒口新材料有限公司"),
            &services(),
            context("r1"),
        )
        .await?;
    let position = case.committed.position;
    // On PostgreSQL an event is readable once every older transaction has ended (the xmin
    // bound), which other tests' open transactions may delay.
    let event = within("the event becomes readable", async {
        loop {
            match store.event_at(position).await {
                Ok(None) => tokio::time::sleep(std::time::Duration::from_millis(20)).await,
                other => return other,
            }
        }
    })
    .await??
    .expect("the event just written");
    assert_eq!(event.position, position);
    assert_eq!(event.aggregate_id, case.case_id);
    let (transaction, global) = position.parts();
    let beyond = LogPosition::from_parts(transaction, global + 1);
    assert!(store.event_at(beyond).await?.is_none());
    Ok(())
}
