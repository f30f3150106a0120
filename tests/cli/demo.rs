//! `demo` and `replay`: the demo tells the report's 2023 (12 signed, 9 visits, 13 items)
//! through the read model, and goes only into an empty database.

use chrono::NaiveDate;
use guanjia_domain::calendar::WorkCalendar;
use guanjia_read::{DashboardQuery, KpiConfig, ReadModel};
use guanjia_store::Store;

use crate::helpers::{all_events, Guanjia};

/// The 2023 dashboard of a store, through a read model replayed from its log.
pub async fn dashboard_2023(store: &Store) -> (u64, u64, u64) {
    let mut model = ReadModel::new(WorkCalendar::china(), KpiConfig::default());
    model
        .apply_all(&all_events(store).await)
        .expect("the log replays");
    let date = |m, d| NaiveDate::from_ymd_opt(2023, m, d).expect("a date");
    let query = DashboardQuery {
        from: date(1, 1),
        to: date(12, 31),
        today: NaiveDate::from_ymd_opt(2026, 11, 27).expect("a date"),
        division: None,
        group_by: None,
        monthly: false,
    };
    let period = model.dashboard(&query).expect("the dashboard").period;
    (
        period.cases_signed,
        period.visits_conducted,
        period.items_requested,
    )
}

#[tokio::test]
async fn the_demo_shows_the_reported_2023_and_refuses_a_second_load() {
    let guanjia = Guanjia::new();
    let ran = guanjia.run(&["demo", "--today", "2026-11-27"]).ok();
    assert!(
        ran.stdout.contains("Loaded the demo data: 60 cases"),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout
            .contains("Created the first admin account: admin"),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout.contains("zhang.wei") && ran.stdout.contains("audit.li"),
        "{}",
        ran.stdout
    );
    let store = guanjia.store().await;
    assert_eq!(dashboard_2023(&store).await, (12, 9, 13));
    store.close().await;

    let again = guanjia.run(&["demo"]);
    assert_eq!(again.code, Some(1));
    assert!(again.stderr.contains("empty database"), "{}", again.stderr);
}

#[test]
fn replay_reports_what_it_saw() {
    let guanjia = Guanjia::with_demo();
    let ran = guanjia.run(&["replay"]).ok();
    assert!(ran.stdout.starts_with("Replayed "), "{}", ran.stdout);
    assert!(ran.stdout.contains("Cases: 60"), "{}", ran.stdout);
    assert!(ran.stdout.contains("enterprise_case"), "{}", ran.stdout);
    assert!(
        ran.stdout.contains("Position reached: 0-"),
        "{}",
        ran.stdout
    );
}
