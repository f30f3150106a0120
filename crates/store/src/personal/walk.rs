//! The walk over every case event variant, on a real database of each kind: whatever the domain
//! declares personal is sealed before it is appended, no personal value of the samples is left
//! in clear anywhere in a sealed payload, and every reader gets the payload back as it was.

use cqrs_es::persist::SerializedEvent;
use cqrs_es::{Aggregate, DomainEvent};
use guanjia_domain::aggregates::personal_data as declared;
use guanjia_domain::case::EnterpriseCase;
use guanjia_domain::testing::case_events::{every_case_event, PERSONAL_MARKERS};
use serde_json::json;

use crate::testing::TestDatabase;
use crate::vault;

#[tokio::test]
async fn every_case_event_is_sealed_as_declared_on_sqlite() -> anyhow::Result<()> {
    walk(TestDatabase::sqlite()).await
}

#[tokio::test]
async fn every_case_event_is_sealed_as_declared_on_postgres() -> anyhow::Result<()> {
    walk(TestDatabase::postgres().await).await
}

async fn walk(db: TestDatabase) -> anyhow::Result<()> {
    let store = db.open().await?;
    let case_type = EnterpriseCase::TYPE;
    let declared = declared(case_type).expect("the case declares personal data");
    let mut sealed_events = 0;
    for (n, event) in every_case_event().into_iter().enumerate() {
        let name = event.event_type();
        let payload = serde_json::to_value(&event)?;
        let mut rows = vec![SerializedEvent {
            aggregate_id: "0190b7c4-0000-7000-8000-000000000001".to_owned(),
            sequence: n + 1,
            aggregate_type: case_type.to_owned(),
            event_type: name.clone(),
            event_version: event.event_version(),
            payload: payload.clone(),
            metadata: json!({}),
        }];
        store.seal_events(&mut rows).await?;
        let sealed = &rows[0].payload;
        // Nothing personal in clear, wherever it might be.
        let text = sealed.to_string();
        for marker in PERSONAL_MARKERS {
            assert!(
                !text.contains(marker),
                "{name} keeps {marker} in clear: {text}"
            );
        }
        // Every declared field is sealed, under a subject of this case.
        for (pointer, label) in declared
            .of_event(&name)
            .into_iter()
            .flat_map(|p| p.pointers())
        {
            let subject = sealed.pointer(&pointer).and_then(vault::sealed_subject);
            let subject = subject.unwrap_or_else(|| panic!("{name}: {label} is not sealed"));
            assert!(subject.starts_with(&declared.subject_prefix(&rows[0].aggregate_id)));
            sealed_events += 1;
        }
        // And readers get it back as it was.
        let mut read = sealed.clone();
        let erased = store.unseal(vec![Some((case_type, &mut read))]).await?;
        assert_eq!(read, payload, "{name} does not read back");
        assert_eq!(erased, [Vec::<String>::new()]);
    }
    assert_eq!(
        sealed_events, 8,
        "four event types with two personal fields each"
    );
    Ok(())
}
