//! Publishing, revising and retiring catalog items: every accepted command and every refusal.

use super::*;
use crate::catalog::CatalogCommand;
use crate::error::{DomainError, ValueError};

fn retired(code: &str) -> CatalogEvent {
    CatalogEvent::ItemRetired {
        implementation_code: code.to_owned(),
        version: 1,
        reason: "事项取消".to_owned(),
    }
}

fn retire(code: &str) -> CatalogCommand {
    CatalogCommand::RetireItem {
        implementation_code: code.to_owned(),
        reason: "事项取消".to_owned(),
    }
}

#[test]
fn publishing_a_new_item_records_version_1_of_the_cleaned_spec() {
    let mut submitted = item(REGISTRATION);
    submitted.name = "  企业设立登记 ".to_owned();
    submitted.implementation_code = format!(" {REGISTRATION}\n");
    catalog()
        .given_no_previous_events()
        .when(CatalogCommand::PublishItem { spec: submitted })
        .then_expect_events(vec![published(REGISTRATION)]);
}

#[test]
fn publishing_a_malformed_spec_is_refused_with_the_field() {
    let mut submitted = item(PLANNING);
    submitted.promised_limit_days = 25;
    catalog()
        .given_no_previous_events()
        .when(CatalogCommand::PublishItem { spec: submitted })
        .then_expect_error(DomainError::invalid(
            "promised_limit_days",
            ValueError::Rule(
                "promised_limit_days (25) must not exceed statutory_limit_days (20)".to_owned(),
            ),
        ));
}

#[test]
fn publishing_a_code_twice_is_refused() {
    catalog()
        .given(vec![published(REGISTRATION)])
        .when(CatalogCommand::PublishItem {
            spec: item(REGISTRATION),
        })
        .then_expect_error(DomainError::AlreadyExists(format!(
            "catalog item {REGISTRATION} was already published"
        )));
}

#[test]
fn a_retired_code_is_never_published_again() {
    catalog()
        .given(vec![published(SEAL), retired(SEAL)])
        .when(CatalogCommand::PublishItem { spec: item(SEAL) })
        .then_expect_error(DomainError::AlreadyExists(format!(
            "catalog item {SEAL} was already published"
        )));
}

#[test]
fn revising_an_item_records_the_next_version() {
    let mut v2 = item(PLANNING);
    v2.promised_limit_days = 7;
    let mut v3 = v2.clone();
    v3.required_materials.push("建设工程设计方案".to_owned());
    catalog()
        .given(vec![
            published(PLANNING),
            CatalogEvent::ItemRevised {
                spec: v2,
                version: 2,
            },
        ])
        .when(CatalogCommand::ReviseItem { spec: v3.clone() })
        .then_expect_events(vec![CatalogEvent::ItemRevised {
            spec: v3,
            version: 3,
        }]);
}

#[test]
fn revising_an_unknown_item_is_refused() {
    catalog()
        .given(vec![published(REGISTRATION)])
        .when(CatalogCommand::ReviseItem {
            spec: item(PLANNING),
        })
        .then_expect_error(DomainError::NotFound {
            what: format!("catalog item {PLANNING}"),
        });
}

#[test]
fn revising_a_retired_item_is_refused() {
    let mut revision = item(SEAL);
    revision.onsite_trips = 1;
    catalog()
        .given(vec![published(SEAL), retired(SEAL)])
        .when(CatalogCommand::ReviseItem { spec: revision })
        .then_expect_error(DomainError::not_allowed(format!(
            "catalog item {SEAL} is retired"
        )));
}

#[test]
fn a_revision_identical_after_cleaning_is_refused() {
    let mut same = item(SEAL);
    same.department = " 区公安分局 ".to_owned();
    catalog()
        .given(vec![published(SEAL)])
        .when(CatalogCommand::ReviseItem { spec: same })
        .then_expect_error(DomainError::not_allowed(format!(
            "catalog item {SEAL}: the revision is identical to version 1"
        )));
}

#[test]
fn a_malformed_revision_is_refused_with_the_field() {
    let mut revision = item(SEAL);
    revision.onsite_trips = 11;
    catalog()
        .given(vec![published(SEAL)])
        .when(CatalogCommand::ReviseItem { spec: revision })
        .then_expect_error(DomainError::invalid(
            "onsite_trips",
            ValueError::OutOfRange {
                min: 0,
                max: 10,
                actual: 11,
            },
        ));
}

#[test]
fn retiring_an_item_records_its_last_version() {
    let mut v2 = item(PLANNING);
    v2.promised_limit_days = 5;
    catalog()
        .given(vec![
            published(PLANNING),
            CatalogEvent::ItemRevised {
                spec: v2,
                version: 2,
            },
        ])
        .when(CatalogCommand::RetireItem {
            implementation_code: format!(" {PLANNING} "),
            reason: " 事项合并 ".to_owned(),
        })
        .then_expect_events(vec![CatalogEvent::ItemRetired {
            implementation_code: PLANNING.to_owned(),
            version: 2,
            reason: "事项合并".to_owned(),
        }]);
}

#[test]
fn retiring_needs_a_reason() {
    catalog()
        .given(vec![published(SEAL)])
        .when(CatalogCommand::RetireItem {
            implementation_code: SEAL.to_owned(),
            reason: "  ".to_owned(),
        })
        .then_expect_error(DomainError::invalid("reason", ValueError::Empty));
}

#[test]
fn retiring_needs_a_code() {
    catalog()
        .given(vec![published(SEAL)])
        .when(retire(""))
        .then_expect_error(DomainError::invalid(
            "implementation_code",
            ValueError::Empty,
        ));
}

#[test]
fn retiring_an_unknown_item_is_refused() {
    catalog()
        .given_no_previous_events()
        .when(retire(SEAL))
        .then_expect_error(DomainError::NotFound {
            what: format!("catalog item {SEAL}"),
        });
}

#[test]
fn retiring_twice_is_refused() {
    catalog()
        .given(vec![published(SEAL), retired(SEAL)])
        .when(retire(SEAL))
        .then_expect_error(DomainError::not_allowed(format!(
            "catalog item {SEAL} is retired"
        )));
}

#[test]
fn an_item_of_a_live_bundle_cannot_be_retired() {
    catalog()
        .given(with_bundle())
        .when(retire(SEAL))
        .then_expect_error(DomainError::not_allowed(format!(
            "catalog item {SEAL} is part of live bundles YJS-QYKB: revise or retire them first"
        )));
}

#[test]
fn an_item_dropped_from_a_bundle_can_be_retired() {
    let mut events = with_bundle();
    events.push(CatalogEvent::BundleRevised {
        spec: bundle(&[REGISTRATION, PLANNING]),
        version: 2,
    });
    catalog()
        .given(events)
        .when(retire(SEAL))
        .then_expect_events(vec![retired(SEAL)]);
}

#[test]
fn an_item_of_a_retired_bundle_can_be_retired() {
    let mut events = with_bundle();
    events.push(CatalogEvent::BundleRetired {
        code: "YJS-QYKB".to_owned(),
        version: 1,
        reason: "并入新版".to_owned(),
    });
    catalog()
        .given(events)
        .when(retire(SEAL))
        .then_expect_events(vec![retired(SEAL)]);
}
