//! Personal data and its erasure (crypto-shredding), on both backends: the log never holds a
//! phone number or a name in clear, every reader sees them, and after an erasure they read as
//! null — while the rows, and the hash chain over them, stay exactly as they were.

use std::sync::Arc;

use futures_util::StreamExt;

use chrono::{Duration, TimeZone, Utc};
use guanjia_domain::case::commands::{
    EnterpriseCorrection, EnterpriseInput, PersonInput, RatingInput,
};
use guanjia_domain::case::model::{Channel, DimensionSet, LeadSource, RatingTarget, Stage};
use guanjia_domain::case::{CaseCommand, CaseServices, EnterpriseCase};
use guanjia_domain::clock::FixedClock;
use guanjia_store::testing::{events_to_head, TestDatabase};
use guanjia_store::{AuditFilter, LogPosition, Payload, Store, StoreError, StoreOptions};

use crate::support::{chain_through, context, RawDb};
use crate::support::{CaseRegistration, CaseStore};

on_both_backends!(personal_data_is_sealed_readable_and_erasable);

const CONTACT: &str = "王经理";
const CONTACT_PHONE: &str = "13812345678";
const RATER_PHONE: &str = "13912345678";
const COMPLAINANT: &str = "李四";
const COMPLAINANT_PHONE: &str = "13712345678";
const PLAINTEXTS: [&str; 5] = [
    CONTACT,
    CONTACT_PHONE,
    RATER_PHONE,
    COMPLAINANT,
    COMPLAINANT_PHONE,
];

fn services() -> CaseServices {
    let now = Utc
        .with_ymd_and_hms(2024, 3, 15, 2, 0, 0)
        .single()
        .expect("valid instant");
    CaseServices::new(Arc::new(FixedClock::at(now)))
}

/// Events whose stored payload contains `text`, counted with raw SQL.
async fn rows_containing(raw: &RawDb, text: &str) -> anyhow::Result<i64> {
    raw.scalar(&format!(
        "SELECT count(*) FROM events WHERE CAST(payload AS TEXT) LIKE '%{text}%'"
    ))
    .await
}

async fn plaintext_rows(raw: &RawDb) -> anyhow::Result<i64> {
    let mut total = 0;
    for text in PLAINTEXTS {
        total += rows_containing(raw, text).await?;
    }
    Ok(total)
}

/// Registers a case with a contact, conducts a visit, rates it and lodges a complaint.
async fn case_with_personal_data(store: &Store, services: &CaseServices) -> anyhow::Result<String> {
    let registration = CaseRegistration {
        enterprise: EnterpriseInput {
            name: "安康恒口新材料有限公司".to_owned(),
            division: "610902100000".to_owned(),
            contact_name: Some(CONTACT.to_owned()),
            contact_phone: Some(CONTACT_PHONE.to_owned()),
            ..EnterpriseInput::default()
        },
        lead_source: LeadSource::InvestmentPromotion,
        stage: Stage::Establishment,
        registered_on: None,
    };
    let id = store
        .register_case(registration, services, context("p-1"))
        .await?
        .case_id;
    // Earlier today: no step may be dated before the registration, which is today.
    let at = services.clock.now() - Duration::hours(1);
    let commands = [
        CaseCommand::ScheduleVisit {
            scheduled_at: at,
            place: "企业厂区".to_owned(),
            purpose: "了解需求".to_owned(),
            planned_participants: vec![],
        },
        CaseCommand::ConductVisit {
            visit_no: 1,
            conducted_at: at,
            participants: vec!["李管家".to_owned()],
            notes: "走访".to_owned(),
            issues_raised: vec![],
            follow_ups: vec![],
        },
        CaseCommand::Rate {
            target: RatingTarget::Visit(1),
            rating: RatingInput {
                level: 5,
                dimension_set: DimensionSet::Offline2019,
                dimensions: vec![("attitude".to_owned(), 5)],
                channel: Channel::QrCode,
                comment: None,
                rater: PersonInput {
                    name: None,
                    phone: Some(RATER_PHONE.to_owned()),
                },
                rated_at: None,
                recorded_by: None,
            },
        },
        CaseCommand::LodgeComplaint {
            channel: Channel::Hotline12345,
            content: "审批太慢".to_owned(),
            complainant: PersonInput {
                name: Some(COMPLAINANT.to_owned()),
                phone: Some(COMPLAINANT_PHONE.to_owned()),
            },
            lodged_on: None,
        },
    ];
    for (n, command) in commands.into_iter().enumerate() {
        store
            .execute_case(&id, command, services, context(&format!("p-c{n}")))
            .await?;
    }
    Ok(id)
}

/// The read model's reader (`read_payloads_after`, payloads as text where nothing was sealed)
/// hands out exactly what `read_after` does: the same events, payloads equal once parsed,
/// the same erased fields — and parses only the payloads that held sealed data.
async fn payload_reader_agrees(store: &Store) -> anyhow::Result<()> {
    let trees = events_to_head(store).await?;
    let mut texts = Vec::new();
    let mut position = LogPosition::START;
    loop {
        // A small page, so that the test crosses page boundaries as a replay does.
        let page = store.read_payloads_after(position, 3).await?;
        let Some(last) = page.last() else { break };
        position = last.position;
        texts.extend(page);
    }
    assert_eq!(texts.len(), trees.len());
    // The start-up replay's read: one streamed query, in pages, the same events.
    let mut streamed = Vec::new();
    let mut pages = std::pin::pin!(store.stream_payloads_after(LogPosition::START, 3));
    while let Some(page) = pages.next().await {
        let page = page?;
        assert!(page.len() <= 3, "a page of {}", page.len());
        streamed.extend(page);
    }
    assert_eq!(streamed.len(), trees.len());
    for (text, tree) in texts
        .iter()
        .chain(&streamed)
        .zip(trees.iter().chain(&trees))
    {
        assert_eq!(
            (text.position, &text.event_type, &text.erased_fields),
            (tree.position, &tree.event_type, &tree.erased_fields)
        );
        assert_eq!(
            text.payload.to_value()?,
            tree.payload,
            "{}",
            tree.event_type
        );
        let opened = matches!(text.payload, Payload::Tree(_));
        let held_personal = matches!(
            tree.event_type.as_str(),
            "CaseRegistered" | "RatingRecorded" | "ComplaintLodged" | "EnterpriseDetailsCorrected"
        ) && tree.aggregate_type == "enterprise_case";
        assert_eq!(
            opened, held_personal,
            "{} parsed as a tree",
            tree.event_type
        );
    }
    Ok(())
}

fn field<'a>(
    events: &'a [guanjia_store::StoredEvent],
    event_type: &str,
    pointer: &str,
) -> &'a serde_json::Value {
    events
        .iter()
        .find(|e| e.event_type == event_type)
        .and_then(|e| e.payload.pointer(pointer))
        .unwrap_or(&serde_json::Value::Bool(false))
}

async fn personal_data_is_sealed_readable_and_erasable(db: TestDatabase) -> anyhow::Result<()> {
    let options = StoreOptions {
        snapshot_every: 2,
        ..TestDatabase::options()
    };
    let store = Store::open(db.url(), options).await?;
    let raw = RawDb::connect(&db).await?;
    let services = services();
    let id = case_with_personal_data(&store, &services).await?;

    // The log holds ciphertext only; every reader sees the plain text.
    assert_eq!(
        plaintext_rows(&raw).await?,
        0,
        "plain personal data in the log"
    );
    assert_eq!(rows_containing(&raw, "\"sealed\"").await?, 3);
    let events = events_to_head(&store).await?;
    assert_eq!(
        field(
            &events,
            "CaseRegistered",
            "/CaseRegistered/enterprise/contact_phone"
        ),
        CONTACT_PHONE
    );
    assert_eq!(
        field(&events, "RatingRecorded", "/RatingRecorded/rater/phone"),
        RATER_PHONE
    );
    assert_eq!(
        field(
            &events,
            "ComplaintLodged",
            "/ComplaintLodged/complainant/name"
        ),
        COMPLAINANT
    );
    assert!(events.iter().all(|e| e.erased_fields.is_empty()));
    payload_reader_agrees(&store).await?;
    let loaded = store.load::<EnterpriseCase>(&id).await?;
    let contact = loaded
        .state
        .enterprise
        .as_ref()
        .and_then(|e| e.contact_phone.clone());
    assert_eq!(
        contact.map(|p| p.as_str().to_owned()).as_deref(),
        Some(CONTACT_PHONE)
    );
    let snapshots = format!("SELECT count(*) FROM snapshots WHERE aggregate_id = '{id}'");
    assert_eq!(raw.scalar(&snapshots).await?, 1);
    store.extend_chain().await?;
    assert!(store.verify_chain().await?.is_intact());

    // Erasure: the rows stay as they were (the chain over them still verifies), the fields
    // read as null and are marked, the aggregate still loads, the snapshot is gone.
    let blank = store
        .erase_personal_data(&id, " ".to_owned(), &services, context("p-e0"))
        .await;
    assert!(matches!(blank, Err(StoreError::Rejected(_))), "{blank:?}");
    store
        .erase_personal_data(
            &id,
            "当事人依法申请删除".to_owned(),
            &services,
            context("p-e1"),
        )
        .await?;
    assert_eq!(raw.scalar(&snapshots).await?, 0);
    assert_eq!(rows_containing(&raw, "\"sealed\"").await?, 3);
    assert!(
        store.verify_chain().await?.is_intact(),
        "erasure broke the chain"
    );
    let events = events_to_head(&store).await?;
    assert!(field(
        &events,
        "CaseRegistered",
        "/CaseRegistered/enterprise/contact_phone"
    )
    .is_null());
    assert!(field(&events, "RatingRecorded", "/RatingRecorded/rater/phone").is_null());
    assert!(field(
        &events,
        "ComplaintLodged",
        "/ComplaintLodged/complainant/name"
    )
    .is_null());
    let registered = events.iter().find(|e| e.event_type == "CaseRegistered");
    assert_eq!(
        registered.map(|e| e.erased_fields.clone()),
        Some(vec![
            "enterprise.contact_name".to_owned(),
            "enterprise.contact_phone".to_owned()
        ])
    );
    assert_eq!(
        events.last().map(|e| e.event_type.as_str()),
        Some("PersonalDataErased")
    );
    payload_reader_agrees(&store).await?;
    let filter = AuditFilter {
        aggregate_id: Some(id.clone()),
        ..AuditFilter::default()
    };
    let audited = store.audit(&filter, LogPosition::START, 100).await?;
    assert!(audited
        .iter()
        .all(|e| !e.payload.to_string().contains(RATER_PHONE)));
    let loaded = store.load::<EnterpriseCase>(&id).await?;
    let replayed = store.replay::<EnterpriseCase>(&id).await?;
    assert_eq!(loaded.state, replayed.state);
    assert_eq!(
        loaded
            .state
            .enterprise
            .as_ref()
            .and_then(|e| e.contact_phone.clone()),
        None
    );

    // Twice is harmless; the chain extends and verifies before and after.
    store.extend_chain().await?;
    store
        .erase_personal_data(&id, "再次申请".to_owned(), &services, context("p-e2"))
        .await?;
    let events = events_to_head(&store).await?.len();
    chain_through(&store, u64::try_from(events)?).await?;
    let report = store.verify_chain().await?;
    assert!(report.is_intact(), "{report:?}");
    assert_eq!(report.verified as usize, events);

    // Data recorded after an erasure is sealed under a new key and readable.
    let correction = EnterpriseCorrection {
        contact_phone: Some("13612345678".to_owned()),
        ..EnterpriseCorrection::default()
    };
    let command = CaseCommand::CorrectEnterpriseDetails {
        correction,
        reason: "新联系人".to_owned(),
    };
    store
        .execute_case(&id, command, &services, context("p-c9"))
        .await?;
    assert_eq!(rows_containing(&raw, "13612345678").await?, 0);
    let events = events_to_head(&store).await?;
    assert_eq!(
        field(
            &events,
            "EnterpriseDetailsCorrected",
            "/EnterpriseDetailsCorrected/contact_phone"
        ),
        "13612345678"
    );
    assert!(field(
        &events,
        "CaseRegistered",
        "/CaseRegistered/enterprise/contact_phone"
    )
    .is_null());
    raw.close().await;
    Ok(())
}
