//! 好差评 ratings: one per conducted visit or concluded item, the checks on levels, dimensions
//! and time, the one follow-up rating (追评), and ratings on a closed case.
//! The bad-rating loop (call-back, appeal, rectification) is in `ratings_loop.rs`.

use chrono::Duration;

use super::*;
use crate::case::commands::CaseCommand;
use crate::values::Phone;

fn rate(target: RatingTarget, value: u8) -> CaseCommand {
    CaseCommand::Rate {
        target,
        rating: rating_input(value),
    }
}

fn rate_with(target: RatingTarget, change: impl FnOnce(&mut RatingInput)) -> CaseCommand {
    let mut rating = rating_input(4);
    change(&mut rating);
    CaseCommand::Rate { target, rating }
}

fn follow_up(rating_no: u32, value: u8) -> CaseCommand {
    CaseCommand::RateFollowUp {
        rating_no,
        rating: rating_input(value),
    }
}

/// Item 1 rated at `value`, called back and rectified.
fn rectified(value: u8) -> Vec<CaseEvent> {
    let mut events = item_rated(value);
    events.push(CaseEvent::RatingCallBackRecorded {
        rating_no: 1,
        called_on: today(),
        confirmed: true,
        notes: "核实".to_owned(),
    });
    events.push(CaseEvent::RatingRectified {
        rating_no: 1,
        rectified_on: today(),
        measures: "补发材料清单".to_owned(),
    });
    events
}

#[test]
fn a_conducted_visit_is_rated_once() {
    case()
        .given(visit_conducted())
        .when(rate(RatingTarget::Visit(1), 5))
        .then_expect_events(vec![rating_recorded(1, RatingTarget::Visit(1), 5, None)]);
}

#[test]
fn a_concluded_item_is_rated_with_the_next_number_and_the_rater_details() {
    let mut expected = rating_recorded(2, RatingTarget::Item(1), 4, None);
    if let CaseEvent::RatingRecorded {
        comment,
        rater,
        rated_at,
        ..
    } = &mut expected
    {
        *comment = Some("办事快".to_owned());
        *rater = Person {
            name: Some("王经理".to_owned()),
            phone: Some(Phone::parse("13800138000").expect("valid phone")),
        };
        *rated_at = now() - Duration::hours(1);
    }
    let mut visit_rated = visit_conducted();
    visit_rated.extend(item_concluded().split_off(in_service().len()));
    visit_rated.push(rating_recorded(1, RatingTarget::Visit(1), 5, None));
    case()
        .given(visit_rated)
        .when(rate_with(RatingTarget::Item(1), |r| {
            r.comment = Some(" 办事快 ".to_owned());
            r.rater = PersonInput {
                name: Some(" 王经理 ".to_owned()),
                phone: Some("138 0013 8000".to_owned()),
            };
            r.rated_at = Some(now() - Duration::hours(1));
        }))
        .then_expect_events(vec![expected]);
    let error = case()
        .given(item_concluded())
        .when(rate_with(RatingTarget::Item(1), |r| {
            r.rater.phone = Some("12345".to_owned())
        }))
        .inspect_result()
        .expect_err("refused");
    assert!(
        matches!(
            error,
            DomainError::Invalid {
                field: "rater.phone",
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn only_a_conducted_visit_or_a_concluded_item_can_be_rated() {
    case()
        .given(visit_scheduled())
        .when(rate(RatingTarget::Visit(1), 5))
        .then_expect_error(not_allowed("visit 1: only a conducted visit can be rated"));
    case()
        .given(item_accepted())
        .when(rate(RatingTarget::Item(1), 5))
        .then_expect_error(not_allowed(
            "service item 1: only a concluded service item can be rated",
        ));
}

#[test]
fn rating_an_unknown_visit_or_item_is_not_found() {
    case()
        .given(visit_conducted())
        .when(rate(RatingTarget::Visit(2), 5))
        .then_expect_error(not_found("visit 2"));
    case()
        .given(visit_conducted())
        .when(rate(RatingTarget::Item(1), 5))
        .then_expect_error(not_found("service item 1"));
}

#[test]
fn rating_the_same_target_twice_is_refused() {
    case()
        .given(item_rated(5))
        .when(rate(RatingTarget::Item(1), 1))
        .then_expect_error(DomainError::AlreadyExists(
            "service item 1 is already rated (rating 1); one follow-up rating of it is allowed"
                .to_owned(),
        ));
}

#[test]
fn dimensions_must_belong_to_the_set_and_be_given_once() {
    let rate_dimensions = |dimensions: Vec<(&str, u8)>| {
        let dimensions = dimensions
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        rate_with(RatingTarget::Item(1), |r| r.dimensions = dimensions)
    };
    case()
        .given(item_concluded())
        .when(rate_dimensions(vec![("convenience", 4)]))
        .then_expect_error(invalid(
            "dimensions",
            "\"convenience\" is not a dimension of Offline2019 (efficiency, quality, attitude)",
        ));
    case()
        .given(item_concluded())
        .when(rate_dimensions(vec![
            ("attitude", 4),
            ("efficiency", 5),
            ("attitude", 3),
        ]))
        .then_expect_error(invalid("dimensions", "\"attitude\" is given twice"));
    case()
        .given(item_concluded())
        .when(rate_dimensions(vec![("quality", 6)]))
        .then_expect_error(DomainError::invalid(
            "dimensions",
            ValueError::OutOfRange {
                min: 1,
                max: 5,
                actual: 6,
            },
        ));
}

#[test]
fn levels_are_one_to_five() {
    for value in [0, 6] {
        case()
            .given(item_concluded())
            .when(rate_with(RatingTarget::Item(1), |r| r.level = value))
            .then_expect_error(DomainError::invalid(
                "level",
                ValueError::OutOfRange {
                    min: 1,
                    max: 5,
                    actual: i64::from(value),
                },
            ));
    }
}

#[test]
fn a_rating_cannot_be_given_in_the_future() {
    case()
        .given(item_concluded())
        .when(rate_with(RatingTarget::Item(1), |r| {
            r.rated_at = Some(now() + Duration::minutes(1))
        }))
        .then_expect_error(invalid(
            "rated_at",
            "2024-03-15 02:01:00 UTC is in the future",
        ));
}

#[test]
fn a_rating_staff_enter_carries_its_recorder_and_names_its_own_channel() {
    // Given a concluded item, when a steward enters its rating from a paper card
    let mut expected = rating_recorded(1, RatingTarget::Item(1), 4, None);
    if let CaseEvent::RatingRecorded {
        channel,
        recorded_by,
        ..
    } = &mut expected
    {
        *channel = Channel::PaperCard;
        *recorded_by = Some("li.ming".to_owned());
    }
    case()
        .given(item_concluded())
        .when(rate_with(RatingTarget::Item(1), |r| {
            r.channel = Channel::PaperCard;
            r.recorded_by = Some("li.ming".to_owned());
        }))
        .then_expect_events(vec![expected]);
}

#[test]
fn staff_cannot_label_their_own_entries_as_qr_code_or_sms() {
    for (channel, name) in [(Channel::QrCode, "qr_code"), (Channel::Sms, "sms")] {
        case()
            .given(item_concluded())
            .when(rate_with(RatingTarget::Item(1), |r| {
                r.channel = channel;
                r.recorded_by = Some("li.ming".to_owned());
            }))
            .then_expect_error(DomainError::invalid(
                "channel",
                ValueError::LinkOnlyChannel { channel: name },
            ));
    }
    // nor a follow-up rating
    case()
        .given(item_rated(4))
        .when(CaseCommand::RateFollowUp {
            rating_no: 1,
            rating: RatingInput {
                recorded_by: Some("li.ming".to_owned()),
                ..rating_input(5)
            },
        })
        .then_expect_error(DomainError::invalid(
            "channel",
            ValueError::LinkOnlyChannel { channel: "qr_code" },
        ));
}

#[test]
fn a_good_rating_gets_one_follow_up_for_the_same_target() {
    case()
        .given(item_rated(4))
        .when(follow_up(1, 5))
        .then_expect_events(vec![rating_recorded(2, RatingTarget::Item(1), 5, Some(1))]);
    let mut followed = item_rated(4);
    followed.push(rating_recorded(2, RatingTarget::Item(1), 5, Some(1)));
    case()
        .given(followed.clone())
        .when(follow_up(1, 3))
        .then_expect_error(DomainError::AlreadyExists(
            "rating 1 already has its follow-up rating".to_owned(),
        ));
    case()
        .given(followed)
        .when(follow_up(2, 3))
        .then_expect_error(not_allowed("rating 2 is itself a follow-up"));
}

#[test]
fn following_up_an_unknown_rating_is_not_found() {
    case()
        .given(item_rated(4))
        .when(follow_up(2, 5))
        .then_expect_error(not_found("rating 2"));
}

#[test]
fn a_voided_rating_gets_no_follow_up() {
    let mut voided = item_rated(1);
    voided.push(CaseEvent::RatingAppealed {
        rating_no: 1,
        reason: "恶意差评".to_owned(),
    });
    voided.push(CaseEvent::RatingVoided {
        rating_no: 1,
        reviewer: "sun.reviewer".to_owned(),
        reason: "核实为误评".to_owned(),
    });
    case()
        .given(voided)
        .when(follow_up(1, 5))
        .then_expect_error(not_allowed("rating 1 was voided"));
}

#[test]
fn a_bad_rating_gets_its_follow_up_only_after_rectification() {
    let mut called_back = item_rated(2);
    called_back.push(CaseEvent::RatingCallBackRecorded {
        rating_no: 1,
        called_on: today(),
        confirmed: true,
        notes: "核实".to_owned(),
    });
    case()
        .given(called_back)
        .when(follow_up(1, 4))
        .then_expect_error(not_allowed(
            "bad rating 1 gets its follow-up after rectification",
        ));
    case()
        .given(rectified(2))
        .when(follow_up(1, 4))
        .then_expect_events(vec![rating_recorded(2, RatingTarget::Item(1), 4, Some(1))]);
}

#[test]
fn a_closed_case_still_takes_ratings() {
    case()
        .given(closed_after(visit_conducted()))
        .when(rate(RatingTarget::Visit(1), 2))
        .then_expect_events(vec![rating_recorded(1, RatingTarget::Visit(1), 2, None)]);
    case()
        .given(closed_after(item_rated(4)))
        .when(follow_up(1, 5))
        .then_expect_events(vec![rating_recorded(2, RatingTarget::Item(1), 5, Some(1))]);
}
