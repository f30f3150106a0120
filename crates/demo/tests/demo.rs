//! The demo tells the report's story: 2023 has exactly 12 signed enterprises, 9 visits and 13
//! service items; the same seed gives the same history; the demo refuses a non-empty store.

use chrono::{Datelike, NaiveDate};
use guanjia_demo::{load, DemoError, DEFAULT_SEED};
use guanjia_domain::case::CaseEvent;
use guanjia_store::testing::TestDatabase;
use guanjia_store::{LogPosition, Store, StoredEvent};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).expect("valid date")
}

async fn all_events(store: &Store) -> anyhow::Result<Vec<StoredEvent>> {
    let mut events = Vec::new();
    let mut position = LogPosition::START;
    loop {
        let page = store.read_after(position, 1000).await?;
        match page.last() {
            Some(last) => position = last.position,
            None => return Ok(events),
        }
        events.extend(page);
    }
}

fn case_events(events: &[StoredEvent]) -> Vec<CaseEvent> {
    events
        .iter()
        .filter(|e| e.aggregate_type == "enterprise_case")
        .map(|e| serde_json::from_value(e.payload.clone()).expect("a case event"))
        .collect()
}

#[tokio::test]
async fn the_2023_figures_are_the_reports() -> anyhow::Result<()> {
    let db = TestDatabase::sqlite();
    let store = db.open().await?;
    let report = load(&store, today(), DEFAULT_SEED).await?;
    assert_eq!(report.cases, 12 + 20 + 28);
    let events = case_events(&all_events(&store).await?);
    let signed = events.iter().filter(|e| matches!(e, CaseEvent::AgreementSigned { signed_on, .. } if signed_on.year() == 2023)).count();
    let visits = events.iter().filter(|e| matches!(e, CaseEvent::VisitConducted { conducted_at, .. } if conducted_at.year() == 2023)).count();
    let items = events.iter().filter(|e| matches!(e, CaseEvent::ServiceItemRequested { requested_on, .. } if requested_on.year() == 2023)).count();
    let concluded = events.iter().filter(|e| matches!(e, CaseEvent::ServiceItemConcluded { concluded_on, .. } if concluded_on.year() == 2023)).count();
    assert_eq!((signed, visits, items, concluded), (12, 9, 13, 13));
    let bad_2023 = events.iter().filter(|e| matches!(e, CaseEvent::RatingRecorded { level, rated_at, .. } if rated_at.year() == 2023 && level.get() < 4)).count();
    assert_eq!(bad_2023, 0, "2023 was rated 100% good");
    let later = events.iter().filter(|e| matches!(e, CaseEvent::AgreementSigned { signed_on, .. } if signed_on.year() > 2023)).count();
    assert_eq!(later, 48, "2024 and 2025 are busier");
    Ok(())
}

#[tokio::test]
async fn the_same_seed_gives_the_same_history() -> anyhow::Result<()> {
    let (first, second) = (TestDatabase::sqlite(), TestDatabase::sqlite());
    let (first, second) = (first.open().await?, second.open().await?);
    load(&first, today(), DEFAULT_SEED).await?;
    load(&second, today(), DEFAULT_SEED).await?;
    // Case ids are fresh UUIDs; compare what happened, in order.
    let shape = |events: Vec<StoredEvent>| -> Vec<(String, serde_json::Value)> {
        events
            .into_iter()
            .map(|e| {
                let mut payload = e.payload;
                // A rating link's record names its case by id.
                if let Some(issued) = payload
                    .get_mut("RatingLinkIssued")
                    .and_then(serde_json::Value::as_object_mut)
                {
                    issued.remove("case_id");
                }
                (e.event_type, payload)
            })
            .filter(|(t, _)| t != "CaseNumberIssued" && !t.starts_with("Enterprise"))
            .collect()
    };
    assert_eq!(
        shape(all_events(&first).await?),
        shape(all_events(&second).await?)
    );
    Ok(())
}

#[tokio::test]
async fn the_demo_refuses_a_store_that_is_not_empty() -> anyhow::Result<()> {
    let db = TestDatabase::sqlite();
    let store = db.open().await?;
    load(&store, today(), DEFAULT_SEED).await?;
    let again = load(&store, today(), DEFAULT_SEED).await;
    assert!(matches!(again, Err(DemoError::NotEmpty)), "{again:?}");
    Ok(())
}

/// The demo writes its history as its people, through the checked use cases: each event
/// names a demo person, the enterprise (a rating through a link) or, for the steps no demo
/// person may take, the system (the trusted path, counted in the report).
#[tokio::test]
async fn the_demo_acts_as_its_people() -> anyhow::Result<()> {
    use guanjia_demo::people::{ADMIN, AGENTS, AUDITOR, LEADER, STEWARDS};

    let db = TestDatabase::sqlite();
    let store = db.open().await?;
    let report = load(&store, today(), DEFAULT_SEED).await?;
    assert_eq!(
        (report.commands, report.trusted),
        (1271, 435),
        "the steps no demo person may take (crates/demo/src/runner.rs)"
    );
    let people: Vec<&str> = [ADMIN, LEADER.0, AUDITOR.0]
        .into_iter()
        .chain(STEWARDS.iter().chain(AGENTS).map(|s| s.id))
        .collect();
    let events = all_events(&store).await?;
    let by = |actor: &str| {
        events
            .iter()
            .filter(|e| e.metadata.actor_id == actor)
            .count()
    };
    let (people_did, linked, trusted) = (
        events
            .iter()
            .filter(|e| people.contains(&e.metadata.actor_id.as_str()))
            .count(),
        by("enterprise-contact"),
        by("demo"),
    );
    assert_eq!(
        people_did + linked + trusted,
        events.len(),
        "no one else acts"
    );
    assert!(
        people_did > trusted,
        "{people_did} by people, {trusted} trusted"
    );
    assert!(linked > 0, "ratings come through links");
    // The catalog is the admin's, closing 2023 the district leader's.
    for event in &events {
        let expected = match event.aggregate_type.as_str() {
            "service_catalog" => ADMIN,
            "reporting_periods" => LEADER.0,
            _ => continue,
        };
        assert_eq!(event.metadata.actor_id, expected, "{}", event.event_type);
    }
    Ok(())
}

/// The figures a leader sees for 2023 through the real read model, on both backends.
async fn dashboard_2023_shows_the_report(db: TestDatabase) -> anyhow::Result<()> {
    use guanjia_domain::calendar::WorkCalendar;
    use guanjia_read::{DashboardQuery, KpiConfig, LiveReadModel, ReadModel};

    let store = db.open().await?;
    let report = load(&store, today(), DEFAULT_SEED).await?;
    let live = LiveReadModel::start(
        store,
        ReadModel::new(WorkCalendar::china(), KpiConfig::default()),
    )
    .await?;
    live.wait_for(report.position, std::time::Duration::from_secs(120))
        .await?;
    let date = |m, d| NaiveDate::from_ymd_opt(2023, m, d).expect("valid date");
    let query = DashboardQuery {
        from: date(1, 1),
        to: date(12, 31),
        today: today(),
        division: None,
        group_by: None,
        monthly: true,
    };
    let dashboard = live.read(|m| m.dashboard(&query))?;
    let p = &dashboard.period;
    assert_eq!(
        (
            p.cases_signed,
            p.visits_conducted,
            p.items_requested,
            p.items_concluded
        ),
        (12, 9, 13, 13)
    );
    assert_eq!(
        (p.bad_ratings, p.complaints_lodged, p.bundles_used),
        (0, 1, 1)
    );
    assert_eq!(
        p.good_rating_rate.permille(),
        Some(1000),
        "100% good in 2023"
    );
    assert_eq!(
        dashboard
            .months
            .iter()
            .map(|m| m.period.cases_signed)
            .sum::<u64>(),
        12
    );
    live.stop();
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_dashboard_2023_shows_the_report() -> anyhow::Result<()> {
    dashboard_2023_shows_the_report(TestDatabase::sqlite()).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_dashboard_2023_shows_the_report() -> anyhow::Result<()> {
    dashboard_2023_shows_the_report(TestDatabase::postgres().await).await
}

/// The current period (the year of "today", up to today) is not empty: besides the open work
/// the figures "now" show, something was requested, visited and rated within it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_current_period_has_work_of_its_own() -> anyhow::Result<()> {
    use guanjia_domain::calendar::WorkCalendar;
    use guanjia_read::{DashboardQuery, KpiConfig, LiveReadModel, ReadModel};

    let db = TestDatabase::sqlite();
    let store = db.open().await?;
    let report = load(&store, today(), DEFAULT_SEED).await?;
    let live = LiveReadModel::start(
        store,
        ReadModel::new(WorkCalendar::china(), KpiConfig::default()),
    )
    .await?;
    live.wait_for(report.position, std::time::Duration::from_secs(120))
        .await?;
    let query = DashboardQuery {
        from: NaiveDate::from_ymd_opt(today().year(), 1, 1).expect("valid date"),
        to: today(),
        today: today(),
        division: None,
        group_by: None,
        monthly: false,
    };
    let dashboard = live.read(|m| m.dashboard(&query))?;
    let p = &dashboard.period;
    assert!(p.items_requested >= 3, "{p:?}");
    assert!(p.visits_conducted >= 1, "{p:?}");
    assert!(p.ratings >= 1, "{p:?}");
    assert!(dashboard.now.items_in_progress >= 3, "{:?}", dashboard.now);
    live.stop();
    Ok(())
}
