//! Given–when–then for a case's progress links: issued under a new id with a bounded
//! validity and a bounded number alive; revoked only while live; opened only while live.

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use cqrs_es::test::TestFramework;

use super::*;
use crate::case::CaseServices;
use crate::clock::FixedClock;
use crate::error::{DomainError, ValueError};
use crate::testing::SnapshotChecked;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 15, 2, 0, 0)
        .single()
        .expect("valid instant")
}

fn links() -> TestFramework<SnapshotChecked<ProgressLinks>> {
    TestFramework::with(CaseServices::new(Arc::new(FixedClock::at(now()))))
}

fn issue(link_id: &str, ttl_hours: u32) -> ProgressLinkCommand {
    ProgressLinkCommand::Issue {
        case_id: "case-1".to_owned(),
        link_id: link_id.to_owned(),
        ttl_hours,
        channel: ProgressChannel::QrCode,
    }
}

/// A link issued `hours_ago`, valid for `ttl_hours`.
fn issued(link_id: &str, hours_ago: i64, ttl_hours: i64) -> ProgressLinkEvent {
    let issued_at = now() - Duration::hours(hours_ago);
    ProgressLinkEvent::ProgressLinkIssued {
        case_id: "case-1".to_owned(),
        link_id: link_id.to_owned(),
        channel: ProgressChannel::QrCode,
        issued_at,
        expires_at: issued_at + Duration::hours(ttl_hours),
    }
}

fn revoked(link_id: &str) -> ProgressLinkEvent {
    ProgressLinkEvent::ProgressLinkRevoked {
        link_id: link_id.to_owned(),
        revoked_at: now() - Duration::hours(1),
    }
}

fn revoke(link_id: &str) -> ProgressLinkCommand {
    ProgressLinkCommand::Revoke {
        link_id: link_id.to_owned(),
    }
}

#[test]
fn a_link_is_issued_with_its_expiry() {
    links()
        .given_no_previous_events()
        .when(issue("l1", 72))
        .then_expect_events(vec![issued("l1", 0, 72)]);
}

#[test]
fn a_link_id_is_issued_once_and_must_be_fit_for_a_url() {
    links()
        .given(vec![issued("l1", 2, 72)])
        .when(issue("l1", 72))
        .then_expect_error(DomainError::AlreadyExists(
            "progress link l1 already exists".to_owned(),
        ));
    links()
        .given_no_previous_events()
        .when(issue(" ", 72))
        .then_expect_error(DomainError::invalid("link_id", ValueError::Empty));
    links()
        .given_no_previous_events()
        .when(issue("a/b", 72))
        .then_expect_error(DomainError::invalid(
            "link_id",
            ValueError::BadCharacter {
                position: 1,
                found: '/',
                allowed: "letters, digits, '-' and '_'",
            },
        ));
    links()
        .given_no_previous_events()
        .when(issue(&"x".repeat(LINK_ID_MAX + 1), 72))
        .then_expect_error(DomainError::invalid(
            "link_id",
            ValueError::TooLong {
                max: LINK_ID_MAX,
                actual: LINK_ID_MAX + 1,
            },
        ));
}

#[test]
fn a_validity_out_of_range_is_refused() {
    for ttl in [0, MAX_TTL_HOURS + 1] {
        links()
            .given_no_previous_events()
            .when(issue("l1", ttl))
            .then_expect_error(DomainError::invalid(
                "ttl_hours",
                ValueError::OutOfRange {
                    min: 1,
                    max: MAX_TTL_HOURS.into(),
                    actual: ttl.into(),
                },
            ));
    }
}

#[test]
fn the_links_of_one_stream_belong_to_one_case() {
    let other = ProgressLinkCommand::Issue {
        case_id: "case-2".to_owned(),
        link_id: "l2".to_owned(),
        ttl_hours: 1,
        channel: ProgressChannel::Sms,
    };
    links()
        .given(vec![issued("l1", 2, 72)])
        .when(other)
        .then_expect_error(DomainError::NotAllowed(
            "these progress links belong to another case than case-2".to_owned(),
        ));
}

#[test]
fn at_most_so_many_links_are_alive_at_once_and_dead_ones_do_not_count() {
    let live: Vec<_> = (0..MAX_LIVE_LINKS)
        .map(|n| issued(&format!("l{n}"), 1, 72))
        .collect();
    links()
        .given(live.clone())
        .when(issue("one-more", 72))
        .then_expect_error(DomainError::NotAllowed(format!(
            "the case has {MAX_LIVE_LINKS} live progress links, the most allowed: revoke one first"
        )));
    let mut with_dead = live;
    with_dead.push(revoked("l0"));
    with_dead.push(issued("old", 100, 72));
    links()
        .given(with_dead)
        .when(issue("one-more", 72))
        .then_expect_events(vec![issued("one-more", 0, 72)]);
}

#[test]
fn a_live_link_is_revoked_and_a_dead_or_unknown_one_is_not() {
    links()
        .given(vec![issued("l1", 2, 72)])
        .when(revoke("l1"))
        .then_expect_events(vec![ProgressLinkEvent::ProgressLinkRevoked {
            link_id: "l1".to_owned(),
            revoked_at: now(),
        }]);
    links()
        .given(vec![issued("l1", 2, 72)])
        .when(revoke("l9"))
        .then_expect_error(DomainError::NotFound {
            what: "progress link l9".to_owned(),
        });
    links()
        .given(vec![issued("l1", 2, 72), revoked("l1")])
        .when(revoke("l1"))
        .then_expect_error(DomainError::NotAllowed(
            "progress link l1 is already revoked".to_owned(),
        ));
    links()
        .given(vec![issued("l1", 100, 72)])
        .when(revoke("l1"))
        .then_expect_error(DomainError::NotAllowed(
            "progress link l1 has expired: it opens nothing already".to_owned(),
        ));
}

#[test]
fn a_link_opens_the_case_only_while_live() {
    let mut state = ProgressLinks::default();
    for event in [
        issued("l1", 2, 72),
        issued("l2", 100, 72),
        issued("l3", 2, 72),
    ] {
        cqrs_es::Aggregate::apply(&mut state, event);
    }
    cqrs_es::Aggregate::apply(&mut state, revoked("l3"));
    assert!(state.open("l1", now()).is_ok());
    assert_eq!(state.open("l2", now()), Err(OpenRefusal::Expired));
    assert_eq!(state.open("l3", now()), Err(OpenRefusal::Revoked));
    assert_eq!(state.open("l4", now()), Err(OpenRefusal::Unknown));
    // The expiry instant itself is past.
    let expiry = now() - Duration::hours(2) + Duration::hours(72);
    assert_eq!(state.open("l1", expiry), Err(OpenRefusal::Expired));
}
