//! Defining, revising and retiring bundles (一件事一次办): every accepted command and every refusal.

use super::*;
use crate::catalog::CatalogCommand;
use crate::error::{DomainError, ValueError};

const BUNDLE: &str = "YJS-QYKB";

fn retire() -> CatalogCommand {
    CatalogCommand::RetireBundle {
        code: BUNDLE.to_owned(),
        reason: "并入新版".to_owned(),
    }
}

fn bundle_retired() -> CatalogEvent {
    CatalogEvent::BundleRetired {
        code: BUNDLE.to_owned(),
        version: 1,
        reason: "并入新版".to_owned(),
    }
}

fn item_retired(code: &str) -> CatalogEvent {
    CatalogEvent::ItemRetired {
        implementation_code: code.to_owned(),
        version: 1,
        reason: "事项取消".to_owned(),
    }
}

#[test]
fn defining_a_bundle_records_version_1_of_the_cleaned_spec() {
    let mut submitted = bundle(&[REGISTRATION, SEAL]);
    submitted.name = " 企业开办一件事 ".to_owned();
    submitted.item_codes[1] = format!("{SEAL} ");
    catalog()
        .given(three_items())
        .when(CatalogCommand::DefineBundle { spec: submitted })
        .then_expect_events(vec![CatalogEvent::BundleDefined {
            spec: bundle(&[REGISTRATION, SEAL]),
            version: 1,
        }]);
}

#[test]
fn defining_a_code_twice_is_refused() {
    catalog()
        .given(with_bundle())
        .when(CatalogCommand::DefineBundle {
            spec: bundle(&[SEAL, PLANNING]),
        })
        .then_expect_error(DomainError::AlreadyExists(format!(
            "bundle {BUNDLE} was already defined"
        )));
}

#[test]
fn a_retired_bundle_code_is_never_defined_again() {
    let mut events = with_bundle();
    events.push(bundle_retired());
    catalog()
        .given(events)
        .when(CatalogCommand::DefineBundle {
            spec: bundle(&[REGISTRATION, SEAL]),
        })
        .then_expect_error(DomainError::AlreadyExists(format!(
            "bundle {BUNDLE} was already defined"
        )));
}

#[test]
fn a_bundle_of_an_unknown_item_is_refused() {
    catalog()
        .given(vec![published(REGISTRATION), published(SEAL)])
        .when(CatalogCommand::DefineBundle {
            spec: bundle(&[REGISTRATION, PLANNING]),
        })
        .then_expect_error(DomainError::NotFound {
            what: format!("catalog item {PLANNING}"),
        });
}

#[test]
fn a_bundle_of_a_retired_item_is_refused() {
    let mut events = three_items();
    events.push(item_retired(SEAL));
    catalog()
        .given(events)
        .when(CatalogCommand::DefineBundle {
            spec: bundle(&[REGISTRATION, SEAL]),
        })
        .then_expect_error(DomainError::not_allowed(format!(
            "catalog item {SEAL} is retired"
        )));
}

#[test]
fn a_bundle_listing_an_item_twice_is_refused() {
    catalog()
        .given(three_items())
        .when(CatalogCommand::DefineBundle {
            spec: bundle(&[REGISTRATION, SEAL, REGISTRATION]),
        })
        .then_expect_error(DomainError::invalid(
            "item_codes",
            ValueError::Rule(format!("catalog item {REGISTRATION} is listed twice")),
        ));
}

#[test]
fn a_bundle_of_one_item_is_refused() {
    catalog()
        .given(three_items())
        .when(CatalogCommand::DefineBundle {
            spec: bundle(&[REGISTRATION]),
        })
        .then_expect_error(DomainError::invalid(
            "item_codes",
            ValueError::OutOfRange {
                min: 2,
                max: 100,
                actual: 1,
            },
        ));
}

#[test]
fn revising_a_bundle_records_the_next_version() {
    catalog()
        .given(with_bundle())
        .when(CatalogCommand::ReviseBundle {
            spec: bundle(&[REGISTRATION, SEAL, PLANNING]),
        })
        .then_expect_events(vec![CatalogEvent::BundleRevised {
            spec: bundle(&[REGISTRATION, SEAL, PLANNING]),
            version: 2,
        }]);
}

#[test]
fn revising_an_unknown_bundle_is_refused() {
    catalog()
        .given(three_items())
        .when(CatalogCommand::ReviseBundle {
            spec: bundle(&[REGISTRATION, SEAL]),
        })
        .then_expect_error(DomainError::NotFound {
            what: format!("bundle {BUNDLE}"),
        });
}

#[test]
fn revising_a_retired_bundle_is_refused() {
    let mut events = with_bundle();
    events.push(bundle_retired());
    catalog()
        .given(events)
        .when(CatalogCommand::ReviseBundle {
            spec: bundle(&[REGISTRATION, PLANNING]),
        })
        .then_expect_error(DomainError::not_allowed(format!(
            "bundle {BUNDLE} is retired"
        )));
}

#[test]
fn an_identical_bundle_revision_is_refused() {
    catalog()
        .given(with_bundle())
        .when(CatalogCommand::ReviseBundle {
            spec: bundle(&[REGISTRATION, SEAL]),
        })
        .then_expect_error(DomainError::not_allowed(format!(
            "bundle {BUNDLE}: the revision is identical to version 1"
        )));
}

#[test]
fn a_bundle_revision_adding_a_retired_item_is_refused() {
    let mut events = with_bundle();
    events.push(item_retired(PLANNING));
    catalog()
        .given(events)
        .when(CatalogCommand::ReviseBundle {
            spec: bundle(&[REGISTRATION, SEAL, PLANNING]),
        })
        .then_expect_error(DomainError::not_allowed(format!(
            "catalog item {PLANNING} is retired"
        )));
}

#[test]
fn retiring_a_bundle_records_its_last_version() {
    catalog()
        .given(with_bundle())
        .when(retire())
        .then_expect_events(vec![bundle_retired()]);
}

#[test]
fn retiring_a_bundle_needs_a_reason() {
    catalog()
        .given(with_bundle())
        .when(CatalogCommand::RetireBundle {
            code: BUNDLE.to_owned(),
            reason: String::new(),
        })
        .then_expect_error(DomainError::invalid("reason", ValueError::Empty));
}

#[test]
fn retiring_an_unknown_bundle_is_refused() {
    catalog()
        .given(three_items())
        .when(retire())
        .then_expect_error(DomainError::NotFound {
            what: format!("bundle {BUNDLE}"),
        });
}

#[test]
fn retiring_a_bundle_twice_is_refused() {
    let mut events = with_bundle();
    events.push(bundle_retired());
    catalog()
        .given(events)
        .when(retire())
        .then_expect_error(DomainError::not_allowed(format!(
            "bundle {BUNDLE} is retired"
        )));
}
