//! Cursor paging: pages neither skip nor repeat when cases are registered between requests,
//! and cursors or page sizes that break the rules are refused.

use guanjia_read::{CaseQuery, ReadError, SortBy, MAX_PAGE_SIZE};

use crate::helpers::*;
use crate::search::{district, ids, query};

#[test]
fn cursor_pages_neither_skip_nor_repeat_across_inserts() {
    let mut log = Log::new();
    for n in (2..=50).step_by(2) {
        log.case(
            &format!("c{n:02}"),
            registered(
                &format!("2024-{n:04}"),
                &format!("企业{n:02}"),
                None,
                "2024-01-08",
            ),
        );
    }
    let mut model = log.model();
    let today = date("2024-04-01");
    let page = |model: &guanjia_read::ReadModel, after: Option<String>| {
        model
            .search(
                &CaseQuery {
                    first: Some(10),
                    after,
                    ..query()
                },
                today,
            )
            .expect("valid")
    };
    let first = page(&model, None);
    assert_eq!(first.total, 25);
    assert_eq!(ids(&first).first(), Some(&"c02"));
    assert_eq!(ids(&first).last(), Some(&"c20"));

    // Between the requests, one case registers before the cursor (2024-0003) and one after
    // (2024-0023): the second page starts right after c20 and picks up the later insert only.
    let mut more = Log::new();
    more.case("c03", registered("2024-0003", "企业03", None, "2024-01-09"));
    more.case("c23", registered("2024-0023", "企业23", None, "2024-01-09"));
    for (i, mut event) in more.events.into_iter().enumerate() {
        event.position = guanjia_store::LogPosition::from_parts(0, 1000 + i as u64);
        model.apply(&event).expect("applies");
    }
    let second = page(&model, first.next_cursor.clone());
    assert_eq!(
        ids(&second),
        ["c22", "c23", "c24", "c26", "c28", "c30", "c32", "c34", "c36", "c38"]
    );
    let third = page(&model, second.next_cursor.clone());
    assert_eq!(ids(&third), ["c40", "c42", "c44", "c46", "c48", "c50"]);
    assert_eq!(third.next_cursor, None);
    assert_eq!(third.total, 27);
}

#[test]
fn bad_cursors_and_page_sizes_are_refused() {
    let model = district().model();
    let today = date("2024-04-01");
    let by_name = model
        .search(
            &CaseQuery {
                sort: SortBy::Name,
                first: Some(1),
                ..query()
            },
            today,
        )
        .expect("valid");
    let cursor = by_name.next_cursor.expect("more pages");
    let wrong_order = model.search(
        &CaseQuery {
            after: Some(cursor),
            ..query()
        },
        today,
    );
    assert!(matches!(wrong_order, Err(ReadError::InvalidCursor(_))));
    let garbage = model.search(
        &CaseQuery {
            after: Some("not-a-cursor".into()),
            ..query()
        },
        today,
    );
    assert!(matches!(garbage, Err(ReadError::InvalidCursor(_))));
    let too_many = model.search(
        &CaseQuery {
            first: Some(MAX_PAGE_SIZE + 1),
            ..query()
        },
        today,
    );
    assert!(matches!(
        too_many,
        Err(ReadError::InvalidQuery { field: "first", .. })
    ));
}
