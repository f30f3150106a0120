//! The 电子监察 list and the divisions below a division, on the dashboard's data set: the list
//! agrees with the dashboard's "warning items now" and "overdue items now", the overdue first.

use guanjia_domain::calendar::TimeStatus;
use guanjia_domain::values::Tier;

use crate::data_set::data_set;
use crate::helpers::*;

#[test]
fn the_supervision_list_puts_the_overdue_first_and_agrees_with_the_dashboard() {
    let model = data_set().model();
    let today = date("2024-05-06");
    let district = division("610902000000");
    let items = model.supervision(Some(&district), today);
    let statuses: Vec<(u32, TimeStatus)> =
        items.iter().map(|i| (i.item_no, i.time_status)).collect();
    // P2 item 2 (due 04-16, overdue), then P2 item 3 (4 of 5 days used: warning).
    assert_eq!(
        statuses,
        vec![(2, TimeStatus::Overdue), (3, TimeStatus::Warning)]
    );
    assert_eq!(items[0].deadline.date, date("2024-04-16"));
    assert!(items
        .iter()
        .all(|i| i.case.lead_steward.as_deref() == Some("zhao")));
    assert!(items
        .iter()
        .all(|i| division(OTHER_TOWN).contains(&i.division)));
    // 恒口镇 has none; the whole log has the same two (X, in another county, has no item).
    assert!(model
        .supervision(Some(&division(HENGKOU)), today)
        .is_empty());
    assert_eq!(model.supervision(None, today).len(), 2);
}

#[test]
fn the_divisions_below_are_one_tier_down_and_hold_cases() {
    let model = data_set().model();
    let district = division("610902000000");
    let towns = model.divisions_below(&district);
    assert_eq!(towns, vec![division(HENGKOU), division(OTHER_TOWN)]);
    for town in &towns {
        for village in model.divisions_below(town) {
            assert_eq!(village.tier(), Tier::Village);
            assert!(town.contains(&village));
        }
    }
    assert!(
        model.divisions_below(&division("610902100201")).is_empty(),
        "none below a village"
    );
}
