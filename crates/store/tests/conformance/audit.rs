//! The audit query and the as-of view, on both backends: filters by case, actor, event type and
//! time; paging in log order; a case as it stood at a position and at a time.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use guanjia_domain::access::{AccessCommand, AccessLog};
use guanjia_domain::case::commands::EnterpriseInput;
use guanjia_domain::case::model::{LeadSource, Stage};
use guanjia_domain::case::{CaseCommand, CaseServices, EnterpriseCase};
use guanjia_domain::clock::FixedClock;
use guanjia_store::testing::TestDatabase;

use crate::support::{CaseRegistration, CaseStore};
use guanjia_store::{AsOf, AuditFilter, CommandContext, EventMetadata, LogPosition, Store};

on_both_backends!(
    audit_filters_by_case_actor_type_and_time,
    a_case_as_it_stood,
    reads_of_a_case_are_found_across_readers
);

fn services() -> CaseServices {
    let now = Utc
        .with_ymd_and_hms(2024, 3, 15, 2, 0, 0)
        .single()
        .expect("valid instant");
    CaseServices::new(Arc::new(FixedClock::at(now)))
}

fn by(actor: &str) -> CommandContext {
    CommandContext::new(EventMetadata {
        actor_id: actor.to_owned(),
        actor_role: "steward".to_owned(),
        correlation_id: "c".to_owned(),
        causation_id: "c".to_owned(),
        request_id: format!("req-{actor}"),
        channel: "graphql".to_owned(),
    })
}

async fn register(store: &Store, name: &str, actor: &str) -> anyhow::Result<String> {
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
    Ok(store
        .register_case(registration, &services(), by(actor))
        .await?
        .case_id)
}

async fn note(
    store: &Store,
    case: &str,
    actor: &str,
    text: &str,
) -> anyhow::Result<guanjia_store::Committed> {
    let command = CaseCommand::AddNote {
        text: text.to_owned(),
    };
    Ok(store
        .execute_case(case, command, &services(), by(actor))
        .await?)
}

async fn audit_filters_by_case_actor_type_and_time(db: TestDatabase) -> anyhow::Result<()> {
    let store = db.open().await?;
    let a = register(&store, "甲", "li").await?;
    let b = register(&store, "乙", "wang").await?;
    note(&store, &a, "wang", "一").await?;
    note(&store, &b, "li", "二").await?;
    note(&store, &a, "li", "三").await?;

    let case_a = AuditFilter {
        aggregate_id: Some(a.clone()),
        ..AuditFilter::default()
    };
    let events = store.audit(&case_a, LogPosition::START, 100).await?;
    let seen: Vec<(&str, &str)> = events
        .iter()
        .map(|e| (e.event_type.as_str(), e.metadata.actor_id.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("CaseRegistered", "li"),
            ("NoteAdded", "wang"),
            ("NoteAdded", "li")
        ]
    );
    assert!(
        events.windows(2).all(|w| w[0].position < w[1].position),
        "log order"
    );

    let li_notes = AuditFilter {
        actor_id: Some("li".to_owned()),
        event_type: Some("NoteAdded".to_owned()),
        ..AuditFilter::default()
    };
    let events = store.audit(&li_notes, LogPosition::START, 100).await?;
    assert_eq!(
        events
            .iter()
            .map(|e| e.aggregate_id.as_str())
            .collect::<Vec<_>>(),
        [b.as_str(), a.as_str()]
    );

    // Paging: two pages of one continue where the first stopped.
    let first = store.audit(&li_notes, LogPosition::START, 1).await?;
    let second = store.audit(&li_notes, first[0].position, 1).await?;
    assert_eq!(
        (
            first[0].aggregate_id.as_str(),
            second[0].aggregate_id.as_str()
        ),
        (b.as_str(), a.as_str())
    );

    // Time window: nothing before the first event, everything from it on.
    let all = store
        .audit(&AuditFilter::default(), LogPosition::START, 100)
        .await?;
    let start = all.first().map(|e| e.recorded_at).expect("events");
    let before = AuditFilter {
        until: Some(start),
        ..AuditFilter::default()
    };
    assert!(store
        .audit(&before, LogPosition::START, 100)
        .await?
        .is_empty());
    let from = AuditFilter {
        from: Some(start),
        ..AuditFilter::default()
    };
    assert_eq!(
        store.audit(&from, LogPosition::START, 100).await?.len(),
        all.len()
    );
    Ok(())
}

async fn a_case_as_it_stood(db: TestDatabase) -> anyhow::Result<()> {
    let store = db.open().await?;
    let a = register(&store, "甲", "li").await?;
    let first = note(&store, &a, "li", "一").await?;
    note(&store, &a, "li", "二").await?;
    let then = store
        .load_as_of::<EnterpriseCase>(&a, AsOf::Position(first.position))
        .await?;
    assert_eq!((then.sequence, then.state.notes), (2, 1));
    let now = store
        .load_as_of::<EnterpriseCase>(&a, AsOf::Time(Utc::now()))
        .await?;
    assert_eq!(now.state, store.replay::<EnterpriseCase>(&a).await?.state);
    let before = store
        .load_as_of::<EnterpriseCase>(
            &a,
            AsOf::Time(
                Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0)
                    .single()
                    .expect("valid"),
            ),
        )
        .await?;
    assert_eq!(
        (before.sequence, before.state),
        (0, EnterpriseCase::default())
    );
    Ok(())
}

async fn read(store: &Store, reader: &str, case: &str) -> anyhow::Result<()> {
    let command = AccessCommand::RecordRead {
        case_id: case.to_owned(),
        fields: vec!["enterprise.contact_phone".to_owned()],
        purpose: "case".to_owned(),
    };
    store
        .execute::<AccessLog>(reader, command, &services(), by(reader))
        .await?;
    Ok(())
}

/// The access log has one stream per reader; "who read case A?" is answered from the payload.
async fn reads_of_a_case_are_found_across_readers(db: TestDatabase) -> anyhow::Result<()> {
    let store = db.open().await?;
    let a = register(&store, "甲", "li").await?;
    let b = register(&store, "乙", "li").await?;
    read(&store, "li", &a).await?;
    read(&store, "wang", &b).await?;
    read(&store, "wang", &a).await?;

    let reads_of = |case: &str| AuditFilter {
        read_of_case: Some(case.to_owned()),
        ..AuditFilter::default()
    };
    let of_a = store.audit(&reads_of(&a), LogPosition::START, 100).await?;
    let readers: Vec<(&str, &str, &str)> = of_a
        .iter()
        .map(|e| {
            (
                e.aggregate_type.as_str(),
                e.aggregate_id.as_str(),
                e.event_type.as_str(),
            )
        })
        .collect();
    assert_eq!(
        readers,
        [
            ("access_log", "li", "PersonalDataRead"),
            ("access_log", "wang", "PersonalDataRead")
        ]
    );
    assert_eq!(of_a[1].payload["PersonalDataRead"]["case_id"], a.as_str());
    // Combined with the other filters; a case nobody read has no reads.
    let wang_of_b = AuditFilter {
        actor_id: Some("wang".to_owned()),
        ..reads_of(&b)
    };
    assert_eq!(
        store
            .audit(&wang_of_b, LogPosition::START, 100)
            .await?
            .len(),
        1
    );
    let unread = register(&store, "丙", "li").await?;
    assert!(store
        .audit(&reads_of(&unread), LogPosition::START, 100)
        .await?
        .is_empty());
    Ok(())
}
