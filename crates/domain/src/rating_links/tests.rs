//! Given–when–then for a case's rating links: recorded once under their id with an expiry
//! after their issue and within the longest validity; revoked only while live and with a
//! reason; standing (revoked, expired, live, unrecorded) as the rating checks it.

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use cqrs_es::test::TestFramework;

use super::*;
use crate::case::CaseServices;
use crate::clock::FixedClock;
use crate::error::{DomainError, ValueError};
use crate::testing::SnapshotChecked;

const VISIT: RatingTarget = RatingTarget::Visit(1);

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 15, 2, 0, 0)
        .single()
        .expect("valid instant")
}

fn links() -> TestFramework<SnapshotChecked<RatingLinks>> {
    TestFramework::with(CaseServices::new(Arc::new(FixedClock::at(now()))))
}

fn issue(link_id: &str, ttl_hours: i64) -> RatingLinkCommand {
    RatingLinkCommand::Issue {
        case_id: "case-1".to_owned(),
        link_id: link_id.to_owned(),
        target: VISIT,
        channel: RatingLinkChannel::QrCode,
        expires_at: now() + Duration::hours(ttl_hours),
    }
}

/// A link issued `hours_ago`, valid for `ttl_hours`.
fn issued(link_id: &str, hours_ago: i64, ttl_hours: i64) -> RatingLinkEvent {
    let issued_at = now() - Duration::hours(hours_ago);
    RatingLinkEvent::RatingLinkIssued {
        case_id: "case-1".to_owned(),
        link_id: link_id.to_owned(),
        target: VISIT,
        channel: RatingLinkChannel::QrCode,
        issued_at,
        expires_at: issued_at + Duration::hours(ttl_hours),
    }
}

fn revoked(link_id: &str) -> RatingLinkEvent {
    RatingLinkEvent::RatingLinkRevoked {
        link_id: link_id.to_owned(),
        reason: "sent to the wrong number".to_owned(),
        revoked_at: now() - Duration::hours(1),
    }
}

fn revoke(link_id: &str, reason: &str) -> RatingLinkCommand {
    RatingLinkCommand::Revoke {
        link_id: link_id.to_owned(),
        reason: reason.to_owned(),
    }
}

#[test]
fn a_link_is_recorded_with_its_target_channel_and_expiry() {
    links()
        .given_no_previous_events()
        .when(issue("AbC-d_9", 72))
        .then_expect_events(vec![issued("AbC-d_9", 0, 72)]);
}

#[test]
fn a_link_id_is_recorded_once_and_must_be_fit_for_a_url() {
    links()
        .given(vec![issued("l1", 2, 72)])
        .when(issue("l1", 72))
        .then_expect_error(DomainError::AlreadyExists(
            "rating link l1 already exists".to_owned(),
        ));
    links()
        .given_no_previous_events()
        .when(issue(" ", 72))
        .then_expect_error(DomainError::invalid("link_id", ValueError::Empty));
    links()
        .given_no_previous_events()
        .when(issue("a.b", 72))
        .then_expect_error(DomainError::invalid(
            "link_id",
            ValueError::BadCharacter {
                position: 1,
                found: '.',
                allowed: "letters, digits, '-' and '_'",
            },
        ));
}

#[test]
fn an_expiry_not_after_the_issue_or_beyond_the_longest_validity_is_refused() {
    let max = i64::from(MAX_TTL_HOURS);
    for hours in [0, -3, max + 1] {
        links()
            .given_no_previous_events()
            .when(issue("l1", hours))
            .then_expect_error(DomainError::invalid(
                "expires_at",
                ValueError::OutOfRange {
                    min: 1,
                    max,
                    actual: hours,
                },
            ));
    }
    links()
        .given_no_previous_events()
        .when(issue("l1", max))
        .then_expect_events(vec![issued("l1", 0, max)]);
}

#[test]
fn the_links_of_one_stream_belong_to_one_case() {
    let other = RatingLinkCommand::Issue {
        case_id: "case-2".to_owned(),
        link_id: "l2".to_owned(),
        target: RatingTarget::Item(1),
        channel: RatingLinkChannel::Sms,
        expires_at: now() + Duration::hours(1),
    };
    links()
        .given(vec![issued("l1", 2, 72)])
        .when(other)
        .then_expect_error(DomainError::NotAllowed(
            "these rating links belong to another case than case-2".to_owned(),
        ));
}

#[test]
fn a_live_link_is_revoked_with_its_reason() {
    links()
        .given(vec![issued("l1", 2, 72)])
        .when(revoke("l1", "  printed on the wrong agreement "))
        .then_expect_events(vec![RatingLinkEvent::RatingLinkRevoked {
            link_id: "l1".to_owned(),
            reason: "printed on the wrong agreement".to_owned(),
            revoked_at: now(),
        }]);
}

#[test]
fn a_revocation_needs_a_reason() {
    links()
        .given(vec![issued("l1", 2, 72)])
        .when(revoke("l1", " "))
        .then_expect_error(DomainError::invalid("reason", ValueError::Empty));
    links()
        .given(vec![issued("l1", 2, 72)])
        .when(revoke("l1", &"长".repeat(REASON_MAX + 1)))
        .then_expect_error(DomainError::invalid(
            "reason",
            ValueError::TooLong {
                max: REASON_MAX,
                actual: REASON_MAX + 1,
            },
        ));
}

#[test]
fn an_unknown_link_is_not_revoked() {
    links()
        .given(vec![issued("l1", 2, 72)])
        .when(revoke("l9", "why"))
        .then_expect_error(DomainError::NotFound {
            what: "rating link l9".to_owned(),
        });
}

#[test]
fn a_link_is_not_revoked_twice() {
    links()
        .given(vec![issued("l1", 2, 72), revoked("l1")])
        .when(revoke("l1", "again"))
        .then_expect_error(DomainError::NotAllowed(
            "rating link l1 is already revoked".to_owned(),
        ));
}

#[test]
fn an_expired_link_is_not_revoked() {
    links()
        .given(vec![issued("l1", 100, 72)])
        .when(revoke("l1", "too late"))
        .then_expect_error(DomainError::NotAllowed(
            "rating link l1 has expired: it takes no rating already".to_owned(),
        ));
}

#[test]
fn a_link_stands_only_while_live_and_an_unrecorded_one_is_the_callers_to_judge() {
    let mut state = RatingLinks::default();
    for event in [
        issued("l1", 2, 72),
        issued("l2", 100, 72),
        issued("l3", 2, 72),
        revoked("l3"),
    ] {
        cqrs_es::Aggregate::apply(&mut state, event);
    }
    assert!(matches!(state.standing("l1", now()), Some(Ok(_))));
    assert_eq!(
        state.standing("l2", now()).map(|s| s.err()),
        Some(Some(RatingLinkRefusal::Expired))
    );
    assert_eq!(
        state.standing("l3", now()).map(|s| s.err()),
        Some(Some(RatingLinkRefusal::Revoked))
    );
    assert!(state.standing("l4", now()).is_none());
    let expiry = now() - Duration::hours(2) + Duration::hours(72);
    assert_eq!(
        state.standing("l1", expiry).map(|s| s.err()),
        Some(Some(RatingLinkRefusal::Expired))
    );
}
