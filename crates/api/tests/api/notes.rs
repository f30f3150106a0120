//! A case's notes over GraphQL on the real server (HTTP): all of them, or the newest few with
//! `last`, and how many there are; a window out of range is refused by name.

use serde_json::{json, Value};

use crate::cases::{cast, registered_case, NOTE};
use crate::helpers::*;

const NOTES: &str = "query($c: ID!, $n: Int) { case(id: $c) { noteCount \
                     newest: notes(last: $n) { noteNo text author } \
                     all: notes { noteNo } timeline { eventType } } }";

both_backends!(
    the_newest_notes_come_oldest_first_and_the_count_is_all_of_them,
    |app| app.served()
);
async fn the_newest_notes_come_oldest_first_and_the_count_is_all_of_them(app: TestApp) {
    let cast = cast(&app).await;
    let case_id = registered_case(&app, &cast).await;
    for n in 1..=5 {
        let written = app
            .run(
                NOTE,
                json!({"c": case_id, "t": format!("第{n}次电话回访")}),
                Some(&cast.steward),
            )
            .await;
        assert!(written["errors"].is_null(), "{written}");
    }

    let read = app
        .ok(NOTES, json!({"c": case_id, "n": 2}), &cast.steward)
        .await;
    let case = &read["case"];
    assert_eq!(case["noteCount"], 5);
    assert_eq!(
        case["newest"],
        json!([
            {"noteNo": 4, "text": "第4次电话回访", "author": "li.ming"},
            {"noteNo": 5, "text": "第5次电话回访", "author": "li.ming"},
        ])
    );
    let all: Vec<&Value> = case["all"].as_array().expect("notes").iter().collect();
    assert_eq!(
        all.iter().map(|n| n["noteNo"].as_u64()).collect::<Vec<_>>(),
        (1..=5).map(Some).collect::<Vec<_>>()
    );
    let timeline = case["timeline"].as_array().expect("a timeline");
    let noted = timeline
        .iter()
        .filter(|e| e["eventType"] == "NoteAdded")
        .count();
    assert_eq!(noted, 5, "every note is on the timeline: {timeline:?}");

    let more_than_there_are = app
        .ok(NOTES, json!({"c": case_id, "n": 500}), &cast.steward)
        .await;
    assert_eq!(
        more_than_there_are["case"]["newest"]
            .as_array()
            .map(Vec::len),
        Some(5)
    );
}

both_backends!(a_window_out_of_range_is_refused_by_name, |app| app.served());
async fn a_window_out_of_range_is_refused_by_name(app: TestApp) {
    let cast = cast(&app).await;
    let case_id = registered_case(&app, &cast).await;
    for last in [0, -1, 501] {
        let refused = app
            .run(NOTES, json!({"c": case_id, "n": last}), Some(&cast.steward))
            .await;
        assert_eq!(code(&refused), "BAD_USER_INPUT", "last: {last}: {refused}");
        assert_eq!(refused["errors"][0]["extensions"]["field"], "last");
        assert!(
            message(&refused).contains("between 1 and 500"),
            "{}",
            message(&refused)
        );
    }
}
