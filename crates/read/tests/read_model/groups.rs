//! The dashboard's groups on the data set of `data_set.rs`: by steward (credited with the
//! lead at the time of each fact), by department and by catalog item (item facts only).

use guanjia_read::dashboard::GroupBy;
use guanjia_read::kpi::figures::PeriodFigures;

use crate::dashboard::{dashboard, r};
use crate::data_set::{data_set, query};

#[test]
fn groups_by_steward_credit_the_lead_at_the_time() {
    let model = data_set().model();
    let board = dashboard(&model, &query(Some(GroupBy::Steward), false));
    let keys: Vec<Option<&str>> = board.groups.iter().map(|g| g.key.as_deref()).collect();
    assert_eq!(keys, [Some("li"), Some("zhao"), None]);
    let (li, zhao, none) = (&board.groups[0], &board.groups[1], &board.groups[2]);
    // li: signed P1 and P3 (before the replacement), P1's visit and P3's first, P1's items and
    // ratings, P5's complaint; now leads P1 only.
    assert_eq!(
        (
            li.period.cases_signed,
            li.period.visits_conducted,
            li.period.items_requested
        ),
        (2, 2, 2)
    );
    assert_eq!(
        (
            li.period.on_time_rate,
            li.period.ratings,
            li.period.good_rating_rate
        ),
        (r(1, 2), 2, r(1, 2))
    );
    assert_eq!(
        (
            li.period.complaints_lodged,
            li.period.complaint_resolution_rate
        ),
        (1, r(1, 1))
    );
    assert_eq!(
        (
            li.now.open_cases,
            li.now.key_project_coverage,
            li.now.items_in_progress
        ),
        (1, r(1, 1), 0)
    );
    // zhao: P2's work and P3's after the replacement; now leads P2 and P3.
    assert_eq!(
        (
            zhao.period.cases_signed,
            zhao.period.visits_conducted,
            zhao.period.items_requested
        ),
        (0, 2, 5)
    );
    assert_eq!(
        (
            zhao.period.ratings,
            zhao.period.good_rating_rate,
            zhao.period.bad_ratings
        ),
        (3, r(1, 3), 1)
    );
    assert_eq!(
        (
            zhao.period.complaints_lodged,
            zhao.period.complaint_resolution_rate
        ),
        (3, r(1, 2))
    );
    assert_eq!(
        (zhao.now.open_cases, zhao.now.key_project_coverage),
        (2, r(1, 2))
    );
    assert_eq!(
        (
            zhao.now.items_in_progress,
            zhao.now.items_warning,
            zhao.now.items_overdue
        ),
        (2, 1, 1)
    );
    // No lead: P4.
    assert_eq!(
        (none.now.open_cases, none.now.key_project_coverage),
        (1, r(0, 1))
    );
    assert_eq!(none.period, PeriodFigures::default());
}

#[test]
fn groups_by_department_and_catalog_item_see_item_facts_only() {
    let model = data_set().model();
    let board = dashboard(&model, &query(Some(GroupBy::Department), false));
    let keys: Vec<Option<&str>> = board.groups.iter().map(|g| g.key.as_deref()).collect();
    assert_eq!(
        keys,
        [Some("住建局"), Some("市场监管局"), Some("自然资源局"), None]
    );
    let (b, c, a, none) = (
        &board.groups[0],
        &board.groups[1],
        &board.groups[2],
        &board.groups[3],
    );
    assert_eq!(
        (
            a.period.items_requested,
            a.period.items_concluded,
            a.period.on_time_rate
        ),
        (3, 2, r(1, 1))
    );
    assert_eq!(
        (
            a.period.materials_rate,
            a.period.zero_trip_rate,
            a.now.items_overdue
        ),
        (r(6, 12), r(2, 2), 1)
    );
    assert_eq!(
        (
            b.period.on_time_rate,
            b.period.bad_ratings,
            b.period.call_back_rate,
            b.now.items_warning
        ),
        (r(0, 1), 1, r(1, 1), 1)
    );
    assert_eq!(
        (
            c.period.items_rejected,
            c.period.bundles_used,
            c.period.good_rating_rate
        ),
        (1, 1, r(1, 1))
    );
    // Case facts and ratings of visits land in the group without a key.
    assert_eq!(
        (
            none.period.cases_signed,
            none.period.visits_conducted,
            none.period.ratings
        ),
        (2, 4, 2)
    );
    assert_eq!((none.now.open_cases, none.period.complaints_lodged), (4, 4));

    let by_item = dashboard(&model, &query(Some(GroupBy::CatalogItem), false));
    let labels: Vec<(Option<&str>, Option<&str>)> = by_item
        .groups
        .iter()
        .map(|g| (g.key.as_deref(), g.label.as_deref()))
        .collect();
    assert_eq!(
        labels,
        [
            (Some("A"), Some("事项A")),
            (Some("B"), Some("事项B")),
            (Some("C"), Some("事项C")),
            (None, None)
        ]
    );
}
