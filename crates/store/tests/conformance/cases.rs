//! The real case aggregate's snapshot round trip, on both backends. (The rules that cross
//! cases — case numbers, one open case per USCC — are the application layer's, tested in
//! guanjia-app.)

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use guanjia_domain::case::commands::EnterpriseInput;
use guanjia_domain::case::model::{LeadSource, Stage};
use guanjia_domain::case::{CaseCommand, CaseServices, EnterpriseCase};
use guanjia_domain::clock::FixedClock;
use guanjia_store::testing::TestDatabase;
use guanjia_store::{Store, StoreOptions};

use crate::support::{context, CaseRegistration, CaseStore};

on_both_backends!(case_snapshot_equals_full_replay);

const USCC: &str = "91350100M000100Y43";

fn services() -> CaseServices {
    let now = Utc
        .with_ymd_and_hms(2024, 3, 15, 2, 0, 0)
        .single()
        .expect("valid instant");
    CaseServices::new(Arc::new(FixedClock::at(now)))
}

fn registration(name: &str, uscc: Option<&str>) -> CaseRegistration {
    CaseRegistration {
        enterprise: EnterpriseInput {
            name: name.to_owned(),
            uscc: uscc.map(str::to_owned),
            division: "610902100000".to_owned(),
            ..EnterpriseInput::default()
        },
        lead_source: LeadSource::InvestmentPromotion,
        stage: Stage::Establishment,
        registered_on: None,
    }
}

async fn case_snapshot_equals_full_replay(db: TestDatabase) -> anyhow::Result<()> {
    let options = StoreOptions {
        snapshot_every: 50,
        // Nothing kept in memory: the snapshot is what this test looks at.
        recent_aggregates: 0,
        ..TestDatabase::options()
    };
    let store = Store::open(db.url(), options).await?;
    let case = store
        .register_case(registration("甲", Some(USCC)), &services(), context("r1"))
        .await?;
    for n in 0..130 {
        let note = CaseCommand::AddNote {
            text: format!("第{n}次跟进"),
        };
        store
            .execute_case(&case.case_id, note, &services(), context("r2"))
            .await?;
    }
    let loaded = store.load::<EnterpriseCase>(&case.case_id).await?;
    let replayed = store.replay::<EnterpriseCase>(&case.case_id).await?;
    assert_eq!(loaded.snapshot_sequence, Some(100));
    assert_eq!((loaded.sequence, &loaded.state), (131, &replayed.state));
    Ok(())
}
