//! Working-day deadlines and live statuses through the calendar: suspensions, provisional
//! deadlines in unpublished years, and a calendar published later.

use guanjia_domain::calendar::{TimeStatus, WorkCalendar};
use guanjia_domain::case::model::ItemOutcome;
use guanjia_read::ReadModel;

use crate::helpers::*;

fn item_accepted(on: &str, limit: u32) -> Log {
    let mut log = Log::new();
    log.case_all(
        "c1",
        [
            registered("2024-0007", "安康恒口新材料有限公司", None, "2024-01-08"),
            lead("li"),
            signed("2024-01-10"),
            requested(1, facts("LIC-001", "自然资源局", 20, limit, 6, 1), on),
            accepted(1, on, limit),
        ],
    );
    log
}

fn clock_on(model: &ReadModel, day: &str) -> (String, bool, bool, Option<TimeStatus>, Option<u32>) {
    let detail = model.case_detail("c1", date(day)).expect("exists");
    let item = &detail.items[0];
    let deadline = item.deadline.expect("running items have a deadline");
    (
        deadline.date.to_string(),
        deadline.provisional,
        deadline.suspended,
        item.time_status,
        item.used_days,
    )
}

#[test]
fn a_suspension_stops_the_clock_and_moves_the_deadline() {
    // Accepted Mon 2024-11-04 with 10 working days: without suspension the deadline is Mon 11-18
    // (11-05..08 = 4, 11-11..15 = 9, 11-18 = 10).
    let mut log = item_accepted("2024-11-04", 10);
    log.case("c1", suspended(1, "2024-11-07"));
    let model = log.model();
    // Suspended on Thu 11-07 (that day counts). As of Thu 11-14, 11-08 and 11-11..14 (5 working
    // days) do not count: deadline 11-18 + 5 = Mon 11-25; 3 days used (11-05..07): on time.
    assert_eq!(
        clock_on(&model, "2024-11-14"),
        (
            "2024-11-25".into(),
            false,
            true,
            Some(TimeStatus::OnTime),
            Some(3)
        )
    );

    // Resumed Mon 11-18: 11-08..18 (7 working days) do not count. Counted: 11-05, 06, 07, then
    // 19, 20, 21, 22, 25, 26, 27: deadline Wed 11-27.
    log.case("c1", resumed(1, "2024-11-18"));
    let model = log.model();
    assert_eq!(clock_on(&model, "2024-11-22").0, "2024-11-27");
    // Tue 11-26: 16 working days since acceptance, 7 excluded, 9 used of 10: warning (≥ 80%).
    assert_eq!(
        clock_on(&model, "2024-11-26"),
        (
            "2024-11-27".into(),
            false,
            false,
            Some(TimeStatus::Warning),
            Some(9)
        )
    );
    assert_eq!(
        clock_on(&model, "2024-11-25").3,
        Some(TimeStatus::Warning),
        "8 of 10"
    );
    assert_eq!(
        clock_on(&model, "2024-11-22").3,
        Some(TimeStatus::OnTime),
        "7 of 10"
    );
    assert_eq!(
        clock_on(&model, "2024-11-27").3,
        Some(TimeStatus::Warning),
        "deadline day"
    );
    assert_eq!(clock_on(&model, "2024-11-28").3, Some(TimeStatus::Overdue));
}

#[test]
fn the_warning_share_is_configurable() {
    let mut model = item_accepted("2024-11-04", 10).model();
    // Deadline Mon 11-18; Wed 11-13 has 7 of 10 used: on time at 80%, warning at 70%.
    assert_eq!(clock_on(&model, "2024-11-13").3, Some(TimeStatus::OnTime));
    let mut config = model.config().clone();
    config.warning_percent = 70;
    model.set_config(config);
    assert_eq!(clock_on(&model, "2024-11-13").3, Some(TimeStatus::Warning));
}

#[test]
fn a_deadline_in_an_unpublished_year_is_provisional_until_the_calendar_is_published() {
    // Accepted Mon 2026-12-21, 10 working days: 12-22..25 (4), 12-28..31 (8), then 2027, not
    // yet published: Fri 01-01 by the weekday rule (9), Mon 01-04 (10), provisional.
    let mut model = item_accepted("2026-12-21", 10).model();
    assert_eq!(
        clock_on(&model, "2026-12-22"),
        (
            "2027-01-04".into(),
            true,
            false,
            Some(TimeStatus::OnTime),
            Some(1)
        )
    );

    // The 2027 arrangement is published with New Year's Day off: 01-04 (9), Tue 01-05 (10), firm.
    let mut calendar = WorkCalendar::china();
    calendar
        .extend_from_toml("[[year]]\nyear = 2027\nsource = \"国务院办公厅关于2027年部分节假日安排的通知\"\nholidays = [\"2027-01-01\"]\n")
        .expect("valid calendar file");
    model.set_calendar(calendar);
    assert_eq!(
        clock_on(&model, "2026-12-22"),
        (
            "2027-01-05".into(),
            false,
            false,
            Some(TimeStatus::OnTime),
            Some(1)
        )
    );
}

#[test]
fn holidays_and_make_up_days_count_as_the_calendar_says() {
    // Accepted Fri 2024-09-27 with 20 working days across National Day 2024 (domain.md's
    // example): Sun 09-29 and Sat 10-12 are worked, 10-01..07 off, so the deadline is Wed 10-30.
    let model = item_accepted("2024-09-27", 20).model();
    assert_eq!(clock_on(&model, "2024-09-30").0, "2024-10-30");
    assert_eq!(
        clock_on(&model, "2024-09-30").4,
        Some(2),
        "Sun 09-29 and Mon 09-30"
    );
}

#[test]
fn an_item_suspended_on_its_due_day_and_concluded_meanwhile_is_on_time() {
    // Accepted Mon 2024-11-04 with 10 working days: due Mon 11-18. Suspended that day (it
    // counts: 10 of 10 used), concluded Wed 11-20 while still suspended.
    let mut log = item_accepted("2024-11-04", 10);
    log.case("c1", suspended(1, "2024-11-18"));
    let model = log.model();
    assert_eq!(
        clock_on(&model, "2024-11-20"),
        (
            "2024-11-20".into(),
            false,
            true,
            Some(TimeStatus::Warning),
            Some(10)
        ),
        "held at its limit, not overdue"
    );
    log.case("c1", concluded(1, "2024-11-20", ItemOutcome::Granted, 6, 0));
    let model = log.model();
    let detail = model.case_detail("c1", date("2024-11-29")).expect("exists");
    let item = &detail.items[0];
    assert_eq!(
        (item.concluded_on_time, item.used_days),
        (Some(true), Some(10))
    );
    let board = model
        .dashboard(&guanjia_read::DashboardQuery {
            from: date("2024-11-01"),
            to: date("2024-11-30"),
            today: date("2024-11-29"),
            division: None,
            group_by: None,
            monthly: false,
        })
        .expect("a dashboard");
    assert_eq!(board.period.on_time_rate.percent_text(), "100.0%");
}
