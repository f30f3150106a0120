//! Given–when–then: closing a division's periods and approving entries inside them. Today is
//! Friday 2024-03-15 (Beijing).

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use cqrs_es::test::TestFramework;

use super::*;
use crate::clock::FixedClock;
use crate::testing::SnapshotChecked;

const ZONE: &str = "610902000000";

fn zone() -> DivisionCode {
    DivisionCode::parse(ZONE).expect("valid division")
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn periods() -> TestFramework<SnapshotChecked<ReportingPeriods>> {
    let at = Utc
        .with_ymd_and_hms(2024, 3, 15, 2, 0, 0)
        .single()
        .expect("valid instant");
    TestFramework::with(CaseServices::new(Arc::new(FixedClock::at(at))))
}

fn close(period: Period) -> PeriodCommand {
    PeriodCommand::Close {
        division: zone(),
        period,
        by: "zhao.leader".to_owned(),
    }
}

fn closed(period: Period) -> PeriodEvent {
    PeriodEvent::PeriodClosed {
        division: zone(),
        period,
        closed_on: date(2024, 3, 15),
        closed_by: "zhao.leader".to_owned(),
    }
}

fn grant(period: Period, reason: &str) -> PeriodCommand {
    PeriodCommand::GrantEntryApproval {
        division: zone(),
        period,
        case_id: "case-1".to_owned(),
        by: "zhao.leader".to_owned(),
        reason: reason.to_owned(),
    }
}

fn granted(no: u32, period: Period) -> PeriodEvent {
    PeriodEvent::EntryApprovalGranted(EntryApproval {
        division: zone(),
        approval_no: no,
        period,
        case_id: "case-1".to_owned(),
        approved_by: "zhao.leader".to_owned(),
        reason: "纸质台账漏录".to_owned(),
        granted_on: date(2024, 3, 15),
    })
}

#[test]
fn a_leader_closes_a_period_that_is_over() {
    periods()
        .given_no_previous_events()
        .when(close(Period::Year(2023)))
        .then_expect_events(vec![closed(Period::Year(2023))]);
}

#[test]
fn a_period_not_over_cannot_be_closed() {
    let error = periods()
        .given_no_previous_events()
        .when(close(Period::Quarter(2024, 1)))
        .inspect_result()
        .expect_err("refused");
    assert!(
        matches!(
            error,
            DomainError::Invalid {
                field: "period",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("not over yet"), "{error}");
}

#[test]
fn a_closed_period_cannot_be_closed_again_nor_a_month_inside_it() {
    for again in [Period::Year(2023), Period::Month(2023, 6)] {
        periods()
            .given(vec![closed(Period::Year(2023))])
            .when(close(again))
            .then_expect_error(DomainError::AlreadyExists(format!(
                "{again} of division {ZONE} is already closed (封账 of 2023)"
            )));
    }
}

#[test]
fn a_year_can_be_closed_after_a_month_inside_it() {
    periods()
        .given(vec![closed(Period::Month(2023, 12))])
        .when(close(Period::Year(2023)))
        .then_expect_events(vec![closed(Period::Year(2023))]);
}

#[test]
fn an_approval_is_granted_for_a_closed_period_with_a_reason_and_numbered() {
    periods()
        .given(vec![closed(Period::Year(2023))])
        .when(grant(Period::Year(2023), "纸质台账漏录"))
        .then_expect_events(vec![granted(1, Period::Year(2023))]);
    periods()
        .given(vec![
            closed(Period::Year(2023)),
            granted(1, Period::Year(2023)),
        ])
        .when(grant(Period::Month(2023, 6), "纸质台账漏录"))
        .then_expect_events(vec![granted(2, Period::Month(2023, 6))]);
}

#[test]
fn no_approval_for_a_period_that_is_not_closed() {
    periods()
        .given(vec![closed(Period::Month(2023, 12))])
        .when(grant(Period::Year(2023), "纸质台账漏录"))
        .then_expect_error(DomainError::not_allowed(format!(
            "2023 is not closed for division {ZONE}: entries dated inside it need no approval"
        )));
}

#[test]
fn an_approval_needs_a_reason() {
    periods()
        .given(vec![closed(Period::Year(2023))])
        .when(grant(Period::Year(2023), "  "))
        .then_expect_error(DomainError::invalid("reason", ValueError::Empty));
}

#[test]
fn the_periods_of_one_division_refuse_another() {
    let other = DivisionCode::parse("610902100000").expect("valid");
    let error = periods()
        .given(vec![closed(Period::Year(2023))])
        .when(PeriodCommand::Close {
            division: other,
            period: Period::Year(2022),
            by: "zhao.leader".to_owned(),
        })
        .inspect_result()
        .expect_err("refused");
    assert!(
        matches!(
            error,
            DomainError::Invalid {
                field: "division",
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn the_closed_period_of_a_date_is_the_longest_that_holds_it() {
    let mut state = ReportingPeriods::default();
    state.apply(closed(Period::Month(2023, 6)));
    state.apply(closed(Period::Year(2023)));
    assert_eq!(
        state.closed_period_of(date(2023, 6, 2)),
        Some(Period::Year(2023))
    );
    assert_eq!(state.closed_period_of(date(2024, 1, 2)), None);
}
