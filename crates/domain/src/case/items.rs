//! Service items (办件): one catalog procedure handled for the case, with its statutory clock.
//! The deadline itself is computed by the calendar from these events, not stored, so that a
//! holiday arrangement published later corrects provisional deadlines.

use chrono::NaiveDate;

use super::commands::CaseCommand;
use super::dates::not_before;
use super::events::{BundleRef, CaseEvent};
use super::guards::Now;
use super::model::{CaseState, HandlingMode};
use super::state::{EnterpriseCase, ItemState, ItemStatus};
use super::team::user_id;
use crate::catalog::CatalogItemFacts;
use crate::error::{DomainError, ValueError};
use crate::values::text::{self, BODY_MAX, LABEL_MAX};

/// Upper bound of one extension, in working days.
const MAX_EXTENSION_DAYS: u32 = 365;
/// Upper bound of materials or trips recorded at conclusion; above it is a typing error.
const MAX_COUNT: u32 = 1000;

pub(super) fn decide(
    case: &EnterpriseCase,
    command: CaseCommand,
    now: Now,
) -> Result<Vec<CaseEvent>, DomainError> {
    use CaseCommand as C;
    case.require_not_closed()?;
    let event = match command {
        C::RequestServiceItem {
            catalog,
            mode,
            requested_on,
        } => {
            return request(
                case,
                vec![catalog],
                None,
                mode,
                now.date("requested_on", requested_on)?,
            );
        }
        C::RequestBundle {
            bundle,
            items,
            mode,
            requested_on,
        } => {
            if items.len() < 2 {
                return Err(DomainError::invalid(
                    "items",
                    ValueError::Rule("a bundle has at least two items".to_owned()),
                ));
            }
            return request(
                case,
                items,
                Some(bundle),
                mode,
                now.date("requested_on", requested_on)?,
            );
        }
        C::AcceptServiceItem {
            item_no,
            accepted_on,
            receipt_no,
            use_statutory_limit,
        } => {
            let item = item_in(case, item_no, &[ItemStatus::Requested])?;
            let accepted_on = now.date("accepted_on", accepted_on)?;
            not_before("accepted_on", accepted_on, item.requested_on, "the request")?;
            let limit_days = if use_statutory_limit {
                item.catalog.statutory_limit_days
            } else {
                item.catalog.promised_limit_days
            };
            let receipt_no = text::optional("receipt_no", receipt_no.as_deref(), LABEL_MAX)?;
            CaseEvent::ServiceItemAccepted {
                item_no,
                accepted_on,
                limit_days,
                receipt_no,
            }
        }
        C::SuspendServiceItem {
            item_no,
            reason,
            suspended_on,
            note,
        } => {
            let item = item_in(case, item_no, &[ItemStatus::Accepted])?;
            let suspended_on = now.date("suspended_on", suspended_on)?;
            not_before(
                "suspended_on",
                suspended_on,
                item.last_step_on,
                "the item's last step",
            )?;
            let note = text::optional("note", note.as_deref(), BODY_MAX)?;
            CaseEvent::ServiceItemSuspended {
                item_no,
                reason,
                suspended_on,
                note,
            }
        }
        C::ResumeServiceItem {
            item_no,
            resumed_on,
        } => {
            let item = item_in(case, item_no, &[ItemStatus::Suspended])?;
            let resumed_on = now.date("resumed_on", resumed_on)?;
            not_before(
                "resumed_on",
                resumed_on,
                item.last_step_on,
                "the suspension",
            )?;
            CaseEvent::ServiceItemResumed {
                item_no,
                resumed_on,
            }
        }
        C::ExtendServiceItem {
            item_no,
            days,
            approver,
            reason,
        } => {
            item_in(
                case,
                item_no,
                &[ItemStatus::Accepted, ItemStatus::Suspended],
            )?;
            if !(1..=MAX_EXTENSION_DAYS).contains(&days) {
                return Err(DomainError::invalid(
                    "days",
                    ValueError::OutOfRange {
                        min: 1,
                        max: i64::from(MAX_EXTENSION_DAYS),
                        actual: i64::from(days),
                    },
                ));
            }
            CaseEvent::ServiceItemExtended {
                item_no,
                days,
                approver: user_id("approver", &approver)?,
                reason: text::required("reason", &reason, BODY_MAX)?,
            }
        }
        C::ConcludeServiceItem {
            item_no,
            outcome,
            concluded_on,
            result_reference,
            materials_submitted,
            onsite_trips,
        } => {
            let item = item_in(
                case,
                item_no,
                &[ItemStatus::Accepted, ItemStatus::Suspended],
            )?;
            let concluded_on = now.date("concluded_on", concluded_on)?;
            not_before(
                "concluded_on",
                concluded_on,
                item.last_step_on,
                "the item's last step",
            )?;
            count("materials_submitted", materials_submitted)?;
            count("onsite_trips", onsite_trips)?;
            CaseEvent::ServiceItemConcluded {
                item_no,
                outcome,
                concluded_on,
                result_reference: text::optional(
                    "result_reference",
                    result_reference.as_deref(),
                    LABEL_MAX,
                )?,
                materials_submitted,
                onsite_trips,
            }
        }
        C::RejectServiceItem {
            item_no,
            reason,
            rejected_on,
        } => {
            let item = item_in(
                case,
                item_no,
                &[ItemStatus::Requested, ItemStatus::Accepted],
            )?;
            let rejected_on = now.date("rejected_on", rejected_on)?;
            not_before(
                "rejected_on",
                rejected_on,
                item.last_step_on,
                "the item's last step",
            )?;
            CaseEvent::ServiceItemRejected {
                item_no,
                reason: text::required("reason", &reason, BODY_MAX)?,
                rejected_on,
            }
        }
        _ => return Err(super::misrouted()),
    };
    Ok(vec![event])
}

fn request(
    case: &EnterpriseCase,
    items: Vec<CatalogItemFacts>,
    bundle: Option<BundleRef>,
    mode: HandlingMode,
    requested_on: NaiveDate,
) -> Result<Vec<CaseEvent>, DomainError> {
    match case.state {
        CaseState::Signed | CaseState::InService => {}
        CaseState::OnHold => {
            return Err(DomainError::not_allowed(
                "the case is on hold: resume it first",
            ))
        }
        _ => {
            return Err(DomainError::not_allowed(
                "service items are handled under a signed agreement: sign it first",
            ))
        }
    }
    case.dates.in_work("requested_on", requested_on)?;
    let first = case.items.keys().next_back().map_or(1, |n| n + 1);
    let mut events = Vec::with_capacity(items.len());
    for (item_no, catalog) in (first..).zip(items) {
        check_facts(&catalog)?;
        events.push(CaseEvent::ServiceItemRequested {
            item_no,
            catalog,
            bundle: bundle.clone(),
            mode,
            requested_on,
        });
    }
    Ok(events)
}

/// The facts come from our own catalog, but a promise longer than the law allows must never
/// reach the log, whoever built the command.
fn check_facts(catalog: &CatalogItemFacts) -> Result<(), DomainError> {
    if catalog.implementation_code.trim().is_empty() {
        return Err(DomainError::invalid(
            "catalog.implementation_code",
            ValueError::Empty,
        ));
    }
    if catalog.promised_limit_days > catalog.statutory_limit_days {
        return Err(DomainError::invalid(
            "catalog.promised_limit_days",
            ValueError::Rule(format!(
                "promised limit {} exceeds statutory limit {}",
                catalog.promised_limit_days, catalog.statutory_limit_days
            )),
        ));
    }
    Ok(())
}

fn item_in<'a>(
    case: &'a EnterpriseCase,
    item_no: u32,
    allowed: &[ItemStatus],
) -> Result<&'a ItemState, DomainError> {
    let item = case
        .items
        .get(&item_no)
        .ok_or_else(|| DomainError::NotFound {
            what: format!("service item {item_no}"),
        })?;
    if allowed.contains(&item.status) {
        return Ok(item);
    }
    let why = match item.status {
        ItemStatus::Requested => "was never accepted",
        ItemStatus::Accepted => "is accepted and not suspended",
        ItemStatus::Suspended => "is suspended",
        ItemStatus::Concluded => "is already concluded",
        ItemStatus::Rejected => "was rejected",
    };
    Err(DomainError::not_allowed(format!(
        "service item {item_no} {why}"
    )))
}

fn count(field: &'static str, value: u32) -> Result<(), DomainError> {
    if value > MAX_COUNT {
        return Err(DomainError::invalid(
            field,
            ValueError::OutOfRange {
                min: 0,
                max: i64::from(MAX_COUNT),
                actual: i64::from(value),
            },
        ));
    }
    Ok(())
}
