//! Chinese substring search, filters and sorting (paging is in `paging.rs`, look-ups in
//! `lookup.rs`).

use guanjia_domain::case::model::{CaseState, Stage};
use guanjia_domain::case::CaseEvent;
use guanjia_read::{CaseQuery, SortBy};

use crate::helpers::*;

pub fn names(page: &guanjia_read::Page<guanjia_read::CaseSummary>) -> Vec<&str> {
    page.items.iter().map(|c| c.name.as_str()).collect()
}

pub fn ids(page: &guanjia_read::Page<guanjia_read::CaseSummary>) -> Vec<&str> {
    page.items.iter().map(|c| c.id.as_str()).collect()
}

/// Four enterprises in two towns, with two stewards.
pub fn district() -> Log {
    let mut log = Log::new();
    log.case_all(
        "a",
        [
            registered(
                "2024-0003",
                "安康恒口新材料有限公司",
                Some(uscc(1)),
                "2024-01-08",
            ),
            lead("li"),
            member("wang", "联络员"),
            signed("2024-01-10"),
            project(1, true),
        ],
    );
    log.case_all(
        "b",
        [
            registered("2024-0001", "恒大口腔诊所", Some(uscc(2)), "2024-02-01"),
            lead("zhao"),
        ],
    );
    log.case_all(
        "c",
        [
            registered_in(
                "2024-0002",
                "ＡＢＣ恒口物流",
                None,
                OTHER_TOWN,
                "2024-01-20",
            ),
            lead("li"),
        ],
    );
    log.case_all(
        "d",
        [
            registered("2024-0004", "秦巴茶业", Some(uscc(4)), "2024-03-01"),
            lead("zhao"),
            CaseEvent::StageAdvanced {
                from: Stage::Establishment,
                to: Stage::Construction,
            },
        ],
    );
    log
}

pub fn query() -> CaseQuery {
    CaseQuery::default()
}

#[test]
fn chinese_substrings_find_names_and_only_real_matches() {
    let model = district().model();
    let today = date("2024-04-01");
    let found = model
        .search(
            &CaseQuery {
                name: Some("恒口".to_owned()),
                ..query()
            },
            today,
        )
        .expect("valid");
    // "恒大口腔" has 恒 and 口 but not 恒口; "ＡＢＣ恒口物流" matches.
    assert_eq!(names(&found), ["ＡＢＣ恒口物流", "安康恒口新材料有限公司"]);
    let folded = model
        .search(
            &CaseQuery {
                name: Some("abc 恒".to_owned()),
                ..query()
            },
            today,
        )
        .expect("valid");
    assert_eq!(ids(&folded), ["c"]);
    let single = model
        .search(
            &CaseQuery {
                name: Some("茶".to_owned()),
                ..query()
            },
            today,
        )
        .expect("valid");
    assert_eq!(ids(&single), ["d"]);
    let none = model
        .search(
            &CaseQuery {
                name: Some("西安".to_owned()),
                ..query()
            },
            today,
        )
        .expect("valid");
    assert_eq!(none.total, 0);
}

#[test]
fn a_corrected_name_is_found_under_the_new_name_only() {
    let mut log = district();
    log.case(
        "d",
        CaseEvent::EnterpriseDetailsCorrected {
            name: Some("安康秦巴茶业有限公司".to_owned()),
            uscc: None,
            division: None,
            address: None,
            contact_name: None,
            contact_phone: None,
            reason: "全称".to_owned(),
        },
    );
    let model = log.model();
    let today = date("2024-04-01");
    let by = |name: &str| {
        model
            .search(
                &CaseQuery {
                    name: Some(name.to_owned()),
                    ..query()
                },
                today,
            )
            .expect("valid")
            .total
    };
    assert_eq!(by("有限公司"), 2);
    assert_eq!(by("安康秦巴"), 1);
}

#[test]
fn filters_by_steward_division_stage_state_and_key_project() {
    let model = district().model();
    let today = date("2024-04-01");
    let run = |q: CaseQuery| {
        ids(&model.search(&q, today).expect("valid"))
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        run(CaseQuery {
            steward: Some("li".into()),
            ..query()
        }),
        ["c", "a"]
    );
    assert_eq!(
        run(CaseQuery {
            steward: Some("wang".into()),
            ..query()
        }),
        ["a"]
    );
    assert!(run(CaseQuery {
        steward: Some("wang".into()),
        lead_only: true,
        ..query()
    })
    .is_empty());
    assert!(run(CaseQuery {
        steward: Some("nobody".into()),
        ..query()
    })
    .is_empty());
    assert_eq!(
        run(CaseQuery {
            division: Some(division(OTHER_TOWN)),
            ..query()
        }),
        ["c"]
    );
    assert_eq!(
        run(CaseQuery {
            division: Some(division("610902000000")),
            ..query()
        })
        .len(),
        4
    );
    assert_eq!(
        run(CaseQuery {
            stage: Some(Stage::Construction),
            ..query()
        }),
        ["d"]
    );
    assert_eq!(
        run(CaseQuery {
            state: Some(CaseState::Signed),
            ..query()
        }),
        ["a"]
    );
    assert_eq!(
        run(CaseQuery {
            key_project: Some(true),
            ..query()
        }),
        ["a"]
    );
    assert_eq!(
        run(CaseQuery {
            name: Some("恒口".into()),
            steward: Some("li".into()),
            division: Some(division(HENGKOU)),
            ..query()
        }),
        ["a"]
    );
}

#[test]
fn the_overdue_filter_is_computed_for_the_given_day() {
    let mut log = district();
    log.case_all(
        "a",
        [
            requested(
                1,
                facts("LIC-001", "自然资源局", 20, 10, 6, 1),
                "2024-03-01",
            ),
            accepted(1, "2024-03-04", 10),
        ],
    );
    let model = log.model();
    let overdue = CaseQuery {
        has_overdue_items: Some(true),
        ..query()
    };
    // The deadline is Mon 03-18: not overdue that day, overdue the day after.
    assert_eq!(
        model
            .search(&overdue, date("2024-03-18"))
            .expect("valid")
            .total,
        0
    );
    assert_eq!(
        ids(&model.search(&overdue, date("2024-03-19")).expect("valid")),
        ["a"]
    );
    let not = CaseQuery {
        has_overdue_items: Some(false),
        ..query()
    };
    assert_eq!(
        model.search(&not, date("2024-03-19")).expect("valid").total,
        3
    );
}

#[test]
fn sorts_by_number_date_and_name_both_ways() {
    let model = district().model();
    let today = date("2024-04-01");
    let run = |sort, descending| {
        ids(&model
            .search(
                &CaseQuery {
                    sort,
                    descending,
                    ..query()
                },
                today,
            )
            .expect("valid"))
        .join("")
    };
    assert_eq!(run(SortBy::CaseNumber, false), "bcad");
    assert_eq!(run(SortBy::CaseNumber, true), "dacb");
    assert_eq!(run(SortBy::RegisteredOn, false), "acbd");
    // Code-point order: Ａ (U+FF21) sorts after the CJK ideographs 安 (U+5B89), 恒 (U+6052), 秦 (U+79E6).
    assert_eq!(run(SortBy::Name, false), "abdc");
}
