//! Service items: requesting one item or a bundle (一件事一次办), and the checks on the catalog
//! facts. Acceptance and outcome are in `items_outcome.rs`, the clock in `items_clock.rs`.

use super::*;
use crate::case::commands::CaseCommand;
use crate::case::events::BundleRef;

fn request(code: &str, requested_on: Option<NaiveDate>) -> CaseCommand {
    CaseCommand::RequestServiceItem {
        catalog: facts(code),
        mode: HandlingMode::Proxy,
        requested_on,
    }
}

fn requested(
    item_no: u32,
    code: &str,
    bundle: Option<BundleRef>,
    requested_on: NaiveDate,
) -> CaseEvent {
    CaseEvent::ServiceItemRequested {
        item_no,
        catalog: facts(code),
        bundle,
        mode: HandlingMode::Proxy,
        requested_on,
    }
}

fn bundle() -> BundleRef {
    BundleRef {
        code: "KB-001".to_owned(),
        version: 1,
        name: "我要开办企业".to_owned(),
    }
}

fn request_bundle(codes: &[&str]) -> CaseCommand {
    CaseCommand::RequestBundle {
        bundle: bundle(),
        items: codes.iter().map(|c| facts(c)).collect(),
        mode: HandlingMode::Proxy,
        requested_on: None,
    }
}

#[test]
fn requesting_an_item_copies_the_catalog_facts() {
    case()
        .given(in_service())
        .when(request("LIC-001", Some(date(2024, 3, 1))))
        .then_expect_events(item_requested().split_off(in_service().len()));
}

#[test]
fn items_are_numbered_and_requested_today_by_default() {
    case()
        .given(item_requested())
        .when(request("LIC-002", None))
        .then_expect_events(vec![requested(2, "LIC-002", None, today())]);
}

#[test]
fn items_are_requested_once_signed_even_before_the_plan() {
    case()
        .given(signed())
        .when(request("LIC-001", None))
        .then_expect_events(vec![requested(1, "LIC-001", None, today())]);
}

#[test]
fn requesting_before_signing_is_refused() {
    case()
        .given(registered())
        .when(request("LIC-001", None))
        .then_expect_error(not_allowed(
            "service items are handled under a signed agreement: sign it first",
        ));
}

#[test]
fn requesting_on_hold_is_refused() {
    let mut held = in_service();
    held.push(CaseEvent::CaseHeld {
        reason: "企业资金未到位".to_owned(),
        held_on: date(2024, 3, 1),
    });
    case()
        .given(held.clone())
        .when(request("LIC-001", None))
        .then_expect_error(not_allowed("the case is on hold: resume it first"));
    case()
        .given(held)
        .when(request_bundle(&["LIC-001", "LIC-002"]))
        .then_expect_error(not_allowed("the case is on hold: resume it first"));
}

#[test]
fn requesting_in_the_future_is_refused() {
    case()
        .given(in_service())
        .when(request("LIC-001", Some(date(2024, 3, 16))))
        .then_expect_error(invalid(
            "requested_on",
            "2024-03-16 is in the future (today is 2024-03-15)",
        ));
}

#[test]
fn a_promise_longer_than_the_statutory_limit_never_reaches_the_log() {
    let mut catalog = facts("LIC-001");
    catalog.promised_limit_days = 30;
    case()
        .given(in_service())
        .when(CaseCommand::RequestServiceItem {
            catalog: catalog.clone(),
            mode: HandlingMode::Assisted,
            requested_on: None,
        })
        .then_expect_error(invalid(
            "catalog.promised_limit_days",
            "promised limit 30 exceeds statutory limit 20",
        ));
    // Also when it hides in a bundle: nothing of the bundle is recorded.
    let CaseCommand::RequestBundle {
        bundle,
        mode,
        requested_on,
        ..
    } = request_bundle(&[])
    else {
        unreachable!()
    };
    case()
        .given(in_service())
        .when(CaseCommand::RequestBundle {
            bundle,
            items: vec![facts("LIC-002"), catalog],
            mode,
            requested_on,
        })
        .then_expect_error(invalid(
            "catalog.promised_limit_days",
            "promised limit 30 exceeds statutory limit 20",
        ));
}

#[test]
fn an_item_needs_an_implementation_code() {
    let mut catalog = facts("LIC-001");
    catalog.implementation_code = " ".to_owned();
    case()
        .given(in_service())
        .when(CaseCommand::RequestServiceItem {
            catalog,
            mode: HandlingMode::Proxy,
            requested_on: None,
        })
        .then_expect_error(DomainError::invalid(
            "catalog.implementation_code",
            ValueError::Empty,
        ));
}

#[test]
fn a_bundle_has_at_least_two_items() {
    for codes in [&[][..], &["LIC-001"][..]] {
        case()
            .given(in_service())
            .when(request_bundle(codes))
            .then_expect_error(invalid("items", "a bundle has at least two items"));
    }
}

#[test]
fn a_bundle_requests_one_numbered_item_per_catalog_item() {
    case()
        .given(item_requested())
        .when(request_bundle(&["REG-001", "TAX-001", "SEAL-001"]))
        .then_expect_events(vec![
            requested(2, "REG-001", Some(bundle()), today()),
            requested(3, "TAX-001", Some(bundle()), today()),
            requested(4, "SEAL-001", Some(bundle()), today()),
        ]);
}

#[test]
fn a_closed_case_refuses_service_items() {
    case()
        .given(closed())
        .when(request("LIC-001", None))
        .then_expect_error(not_allowed("case 2024-0007 is closed"));
}
