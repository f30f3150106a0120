//! The dashboard against the figures computed by hand for the data set of `data_set.rs`
//! (each expected value says where it comes from).

use guanjia_read::dashboard::{Dashboard, DashboardQuery};
use guanjia_read::kpi::figures::{NowFigures, PeriodFigures};
use guanjia_read::{Ratio, ReadModel};

use crate::data_set::{data_set, query};
use crate::helpers::*;

pub fn dashboard(model: &ReadModel, q: &DashboardQuery) -> Dashboard {
    model.dashboard(q).expect("a valid query")
}

pub const fn r(n: i64, d: i64) -> Ratio {
    Ratio::new(n, d)
}

#[test]
fn the_district_figures_match_the_hand_computation() {
    let model = data_set().model();
    let board = dashboard(&model, &query(None, false));
    let expected = PeriodFigures {
        cases_signed: 2,       // P1 03-05, P3 04-02 (P2 signed in February; X is outside)
        visits_conducted: 4,   // P1 03-12, P2 04-18, P3 04-10 and 04-20
        items_requested: 7,    // P1: 2; P2: 5
        items_concluded: 4,    // P1 items 1, 2; P2 item 1 and item 5 (withdrawn)
        items_rejected: 1,     // P2 item 4
        bundles_used: 1,       // P2 items 1–2, one request
        on_time_rate: r(2, 3), // decided: P1 item 1 (on time), item 2 (late), P2 item 1 (on time)
        average_net_days: r(9 + 7 + 1, 3),
        average_statutory_days: r(20 + 15 + 5, 3),
        average_promised_days: r(10 + 5 + 1, 3),
        time_compression: r(40 - 17, 40), // 1 − 17 ÷ 40 = 57.5%
        materials_rate: r(4 + 4 + 3 + 2, 6 + 4 + 3 + 6), // withdrawn item 5 included
        trips_per_item: r(1, 4),
        zero_trip_rate: r(3, 4),
        ratings: 5,                // P1: 2, P2: 1 (its rating 2 is voided), P3: 2
        good_rating_rate: r(2, 5), // levels 5 (P1) and 4 (P2)
        bad_ratings: 2,            // P1 rating 2, P3 rating 2
        call_back_rate: r(1, 2),   // P1's called back, P3's not
        on_time_rectification_rate: r(0, 1), // P1's late; P3's not yet due
        complaints_lodged: 4,      // P2: 3, P5: 1
        complaint_resolution_rate: r(2, 3), // P2 #1, P5 #1 resolved; P2 #3 open; P2 #2 referred
    };
    assert_eq!(board.period, expected);
    let now = NowFigures {
        open_cases: 4,                 // P1–P4 (P5 closed)
        key_project_coverage: r(2, 4), // P1, P3
        items_in_progress: 2,          // P2 items 2 and 3
        items_warning: 1,              // P2 item 3: 4 of 5 days used
        items_overdue: 1,              // P2 item 2: due 04-16
    };
    assert_eq!(board.now, now);
    assert_eq!(board.period.on_time_rate.percent_text(), "66.7%");
    assert_eq!(board.period.time_compression.percent_text(), "57.5%");
    assert_eq!(board.period.average_net_days.decimal_text(), "5.7");
    assert_eq!(board.period.materials_rate.permille(), Some(684));
    assert_eq!(board.period.trips_per_item.decimal_text(), "0.3"); // 0.25, half away from zero
    assert_eq!(board.period.good_rating_rate.percent_text(), "40.0%");
}

#[test]
fn the_monthly_series_splits_the_period_figures() {
    let model = data_set().model();
    let board = dashboard(&model, &query(None, true));
    let months: Vec<(i32, u32)> = board.months.iter().map(|m| (m.year, m.month)).collect();
    assert_eq!(months, [(2024, 3), (2024, 4)]);
    let (march, april) = (&board.months[0].period, &board.months[1].period);
    assert_eq!(
        (
            march.cases_signed,
            march.visits_conducted,
            march.items_requested,
            march.items_concluded
        ),
        (1, 1, 2, 2)
    );
    assert_eq!(
        (
            march.on_time_rate,
            march.ratings,
            march.bad_ratings,
            march.complaints_lodged
        ),
        (r(1, 2), 2, 1, 1)
    );
    assert_eq!(
        (
            april.cases_signed,
            april.visits_conducted,
            april.items_requested,
            april.items_concluded
        ),
        (1, 3, 5, 2)
    );
    assert_eq!(
        (
            april.on_time_rate,
            april.ratings,
            april.good_rating_rate,
            april.complaint_resolution_rate
        ),
        (r(1, 1), 3, r(1, 3), r(1, 2))
    );
    assert_eq!(
        march.items_requested + april.items_requested,
        board.period.items_requested
    );
}

#[test]
fn the_division_scope_and_the_configuration_change_the_figures() {
    let mut model = data_set().model();
    let hengkou = DashboardQuery {
        division: Some(division(HENGKOU)),
        ..query(None, false)
    };
    let board = dashboard(&model, &hengkou);
    assert_eq!(
        (
            board.period.cases_signed,
            board.now.open_cases,
            board.period.items_requested
        ),
        (2, 3, 2)
    );
    let everywhere = DashboardQuery {
        division: None,
        ..query(None, false)
    };
    let board = dashboard(&model, &everywhere);
    assert_eq!(
        (
            board.period.cases_signed,
            board.period.visits_conducted,
            board.now.open_cases
        ),
        (3, 5, 5)
    );

    let mut config = model.config().clone();
    config
        .good_levels
        .insert(guanjia_domain::values::RatingLevel::new(3).expect("valid"));
    model.set_config(config);
    assert_eq!(
        dashboard(&model, &query(None, false))
            .period
            .good_rating_rate,
        r(3, 5)
    );
}

#[test]
fn a_period_that_ends_before_it_starts_is_refused() {
    let model = data_set().model();
    let backwards = DashboardQuery {
        from: date("2024-05-01"),
        ..query(None, false)
    };
    assert!(model.dashboard(&backwards).is_err());
}
