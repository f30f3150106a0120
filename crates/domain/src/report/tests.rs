//! Given–when–then for a 办不成事 report: submitted once with its limits checked, assigned,
//! answered (with the signer) or referred, and nothing after that. The personal declaration
//! covers the phone and nothing else holds it.

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use cqrs_es::test::TestFramework;
use cqrs_es::DomainEvent;

use super::*;
use crate::clock::FixedClock;
use crate::error::{DomainError, ValueError};
use crate::testing::SnapshotChecked;
use crate::values::{DivisionCode, Phone};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 15, 2, 0, 0)
        .single()
        .expect("valid instant")
}

fn report() -> TestFramework<SnapshotChecked<ProblemReport>> {
    TestFramework::with(ReportServices {
        clock: Arc::new(FixedClock::at(now())),
    })
}

fn submit(account: &str, phone: &str) -> ReportCommand {
    ReportCommand::Submit {
        division: "610902000000".to_owned(),
        subject: ReportSubjectInput::Department {
            name: "区住建局".to_owned(),
        },
        account: account.to_owned(),
        phone: phone.to_owned(),
    }
}

fn reported() -> ReportEvent {
    ReportEvent::ProblemReported {
        division: DivisionCode::parse("610902000000").expect("valid division"),
        subject: ReportSubject::Department {
            name: "区住建局".to_owned(),
        },
        account: "施工许可材料三次被退回".to_owned(),
        phone: Phone::parse("13700001111").expect("valid phone"),
        reported_at: now(),
    }
}

fn assigned() -> ReportEvent {
    ReportEvent::ProblemReportAssigned {
        assignee: "li.ming".to_owned(),
    }
}

#[test]
fn a_report_is_submitted_with_its_phone_in_canonical_form() {
    report()
        .given_no_previous_events()
        .when(submit(" 施工许可材料三次被退回 ", "137 0000 1111"))
        .then_expect_events(vec![reported()]);
}

#[test]
fn a_report_needs_an_account_within_its_limit_and_a_valid_phone() {
    report()
        .given_no_previous_events()
        .when(submit(" ", "13700001111"))
        .then_expect_error(DomainError::invalid("account", ValueError::Empty));
    report()
        .given_no_previous_events()
        .when(submit(&"慢".repeat(ACCOUNT_MAX + 1), "13700001111"))
        .then_expect_error(DomainError::invalid(
            "account",
            ValueError::TooLong {
                max: ACCOUNT_MAX,
                actual: ACCOUNT_MAX + 1,
            },
        ));
    let error = report()
        .given_no_previous_events()
        .when(submit("办不成", "12345"))
        .inspect_result()
        .expect_err("refused");
    assert!(
        matches!(error, DomainError::Invalid { field: "phone", .. }),
        "{error:?}"
    );
}

#[test]
fn a_tracking_code_holds_one_report() {
    report()
        .given(vec![reported()])
        .when(submit("again", "13700001111"))
        .then_expect_error(DomainError::AlreadyExists(
            "a report with this tracking code exists".to_owned(),
        ));
}

#[test]
fn a_report_is_answered_once_assigned_with_its_signer() {
    report()
        .given(vec![reported()])
        .when(ReportCommand::Resolve {
            answer: "已协调".to_owned(),
            signed_off_by: Some("chen.jun".to_owned()),
        })
        .then_expect_error(DomainError::not_allowed(
            "the report must be assigned before it is answered",
        ));
    report()
        .given(vec![reported(), assigned()])
        .when(ReportCommand::Resolve {
            answer: "已协调住建局，三日内办结".to_owned(),
            signed_off_by: Some("chen.jun".to_owned()),
        })
        .then_expect_events(vec![ReportEvent::ProblemReportResolved {
            answer: "已协调住建局，三日内办结".to_owned(),
            resolved_on: crate::clock::china_date(now()),
            signed_off_by: Some("chen.jun".to_owned()),
        }]);
}

#[test]
fn nothing_happens_to_an_unknown_answered_or_referred_report() {
    report()
        .given_no_previous_events()
        .when(ReportCommand::Assign {
            assignee: "li.ming".to_owned(),
        })
        .then_expect_error(DomainError::NotFound {
            what: "report".to_owned(),
        });
    let referred = ReportEvent::ProblemReportReferred {
        to_department: "区住建局".to_owned(),
        reason: "属住建职权".to_owned(),
    };
    report()
        .given(vec![reported(), referred])
        .when(ReportCommand::Assign {
            assignee: "li.ming".to_owned(),
        })
        .then_expect_error(DomainError::not_allowed("the report was referred"));
    let answered = ReportEvent::ProblemReportResolved {
        answer: "已协调".to_owned(),
        resolved_on: crate::clock::china_date(now()),
        signed_off_by: None,
    };
    report()
        .given(vec![reported(), assigned(), answered])
        .when(ReportCommand::Refer {
            to_department: "区住建局".to_owned(),
            reason: "x".to_owned(),
        })
        .then_expect_error(DomainError::not_allowed("the report is already answered"));
}

#[test]
fn the_phone_is_declared_personal_and_nothing_else_holds_it() {
    let event = reported();
    let declared = event.personal_fields().expect("the phone is declared");
    assert_eq!(declared.event_type, event.event_type());
    let mut payload = serde_json::to_value(&event).expect("serialises");
    for (pointer, _) in declared.pointers() {
        let taken = payload.pointer_mut(&pointer).map(std::mem::take);
        assert_eq!(taken, Some(serde_json::json!("13700001111")));
    }
    assert!(!payload.to_string().contains("1111"), "{payload}");
    assert!(assigned().personal_fields().is_none());
}
