//! Replaying, re-delivery and the events the model must refuse or skip.

use guanjia_domain::case::CaseEvent;
use guanjia_read::ReadError;
use guanjia_store::LogPosition;

use crate::helpers::*;
use crate::life::full_life;

fn two_cases() -> Log {
    let mut log = Log::new();
    full_life(&mut log);
    log.case_all(
        "c2",
        [
            registered(
                "2024-0008",
                "安康秦巴茶业有限公司",
                Some(uscc(2)),
                "2024-02-01",
            ),
            lead("zhao"),
            signed("2024-02-03"),
        ],
    );
    log
}

#[test]
fn replaying_the_same_log_twice_gives_identical_read_models() {
    let log = two_cases();
    let first = log.model();
    let second = log.model();
    assert_eq!(first, second);
    assert_eq!(
        first.position(),
        LogPosition::from_parts(0, log.events.len() as u64)
    );
    assert_eq!(first.case_count(), 2);
}

#[test]
fn a_redelivered_event_changes_nothing() {
    let log = two_cases();
    let mut model = log.model();
    let before = model.clone();
    // A follower reconnecting re-reads an overlap: part of the log, then all of it again.
    model
        .apply_all(&log.events[10..20])
        .expect("re-delivery is accepted");
    model
        .apply_all(&log.events)
        .expect("re-delivery is accepted");
    assert_eq!(model, before);
}

#[test]
fn applying_in_two_batches_equals_applying_at_once() {
    let log = two_cases();
    let mut model = empty_model();
    let (head, tail) = log.events.split_at(17);
    model.apply_all(head).expect("applies");
    assert_eq!(model.position(), head[16].position);
    model.apply_all(tail).expect("applies");
    assert_eq!(model, log.model());
}

#[test]
fn a_payload_that_does_not_decode_is_an_error_naming_its_position() {
    let mut log = Log::new();
    log.case(
        "c1",
        registered("2024-0007", "安康恒口新材料有限公司", None, "2024-01-08"),
    );
    let mut bad = log.case("c1", lead("li"));
    bad.payload = serde_json::json!({"LeadStewardAssigned": {"steward": 7}});
    let mut model = empty_model();
    model.apply(&log.events[0]).expect("applies");
    let before = model.clone();
    let error = model.apply(&bad).expect_err("a bad payload is refused");
    assert!(matches!(&error, ReadError::Decode { position, .. } if *position == bad.position));
    assert!(error.to_string().contains("0-2"), "{error}");
    assert_eq!(model, before, "nothing changed, the position did not move");
}

#[test]
fn an_unknown_event_version_is_refused() {
    let mut log = Log::new();
    let mut event = log.case(
        "c1",
        registered("2024-0007", "安康恒口新材料有限公司", None, "2024-01-08"),
    );
    event.event_version = "2".to_owned();
    let error = empty_model()
        .apply(&event)
        .expect_err("version 2 is unknown");
    assert!(
        matches!(error, ReadError::UnsupportedVersion { .. }),
        "{error}"
    );
}

#[test]
fn other_aggregate_types_are_skipped_but_advance_the_position() {
    let mut log = Log::new();
    let mut event = log.case(
        "u1",
        registered("2024-0007", "安康恒口新材料有限公司", None, "2024-01-08"),
    );
    event.aggregate_type = "user".to_owned();
    event.payload = serde_json::json!({"UserCreated": {"name": "li"}});
    let mut model = empty_model();
    model.apply(&event).expect("skipped");
    assert_eq!(model.position(), event.position);
    assert_eq!(model.case_count(), 0);
}

#[test]
fn an_event_of_a_case_never_registered_is_ignored() {
    let mut log = Log::new();
    log.case("ghost", lead("li"));
    log.case(
        "c1",
        registered("2024-0007", "安康恒口新材料有限公司", None, "2024-01-08"),
    );
    log.case(
        "c1",
        CaseEvent::ServiceItemAccepted {
            item_no: 9,
            accepted_on: date("2024-01-09"),
            limit_days: 5,
            receipt_no: None,
        },
    );
    let model = log.model();
    assert_eq!(model.case_count(), 1);
    let detail = model.case_detail("c1", date("2024-01-10")).expect("exists");
    assert!(detail.items.is_empty());
    assert_eq!(
        detail.timeline.len(),
        2,
        "the unfitting event stays on the timeline"
    );
}

#[test]
fn the_cached_deadlines_and_due_dates_always_equal_a_fresh_computation() {
    // Each event refreshes only the rows it touches; recomputing every cache from scratch
    // (which a calendar or configuration change does) must find nothing to change.
    let mut log = crate::data_set::data_set();
    full_life(&mut log);
    let model = log.model();
    let mut refreshed = model.clone();
    refreshed.set_config(model.config().clone());
    assert_eq!(refreshed, model);
    refreshed.set_calendar(model.calendar().clone());
    assert_eq!(refreshed, model);
}

#[test]
fn the_read_model_can_be_shared_between_threads() {
    // The live follower keeps it behind a lock read by every request task.
    fn shareable<T: Send + Sync + 'static>() {}
    shareable::<guanjia_read::ReadModel>();
}
