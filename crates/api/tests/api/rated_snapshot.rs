//! A rated case is snapshotted like any other once it crosses 50 events, on both backends, and
//! loads from its snapshot to the state a full replay gives (issue 15, defect 1: its
//! `rated_targets` map could not be written as JSON, so no snapshot was ever taken and every
//! command replayed the whole history).

use std::sync::Arc;

use guanjia_domain::case::{CaseCommand, CaseServices, EnterpriseCase};
use guanjia_domain::clock::FixedClock;
use guanjia_store::CommandContext;
use serde_json::json;

use crate::helpers::*;
use crate::rating_links::{fixture_on, Fixture};

async fn a_rated_case_is_snapshotted(app: TestApp) {
    let Fixture {
        app,
        steward,
        case_id,
    } = fixture_on(app).await;
    app.ok(
        r#"mutation($c: ID!) { rate(caseId: $c, input: {targetKind: VISIT, targetNo: 1, rating: {level: 5, dimensionSet: OFFLINE_2019, dimensions: [], channel: EVALUATOR_DEVICE, rater: {}}}) { position } }"#,
        json!({"c": case_id}),
        &steward,
    )
    .await;
    let store = &app.state.store;
    let services = CaseServices::new(Arc::new(FixedClock::at(start())));
    for n in 0..50 {
        let note = CaseCommand::AddNote {
            text: format!("第{n}次跟进"),
        };
        guanjia_app::testing::run_unchecked(
            store,
            &case_id,
            note,
            &services,
            CommandContext::default(),
        )
        .await
        .expect("the note is recorded");
    }
    // A store of its own, as another node would load it: this node keeps the case in memory.
    let fresh = guanjia_store::Store::open(
        app.database().url(),
        guanjia_store::testing::TestDatabase::options(),
    )
    .await
    .expect("another store");
    let loaded = fresh.load::<EnterpriseCase>(&case_id).await.expect("loads");
    let replayed = store
        .replay::<EnterpriseCase>(&case_id)
        .await
        .expect("replays");
    assert_eq!(loaded.snapshot_sequence, Some(50), "a snapshot was taken");
    assert_eq!(loaded.state, replayed.state);
    assert_eq!(loaded.state.rated_targets.len(), 1);
}

both_backends!(a_rated_case_is_snapshotted);
