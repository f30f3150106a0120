//! What a link rates: whether its target can be rated now, and what the public page shows
//! about it.
//!
//! Whether a target can be rated is the application layer's rule
//! (`guanjia_app::cases::rating_links`), used here again when a link is opened.
//!
//! The page shows the enterprise's name and the visit's date and purpose or the item's name
//! and department — nothing about people (no contact, phone, participants or notes): the
//! link may be forwarded, photographed or opened on a shared phone. The visit's date and
//! purpose are not in the aggregate's state, so they are read from the case's own events in the
//! log (not from the read model: the page must agree with the aggregate that decides).

use chrono::NaiveDate;
use cqrs_es::Aggregate;
use guanjia_domain::case::model::RatingTarget;
use guanjia_domain::case::{CaseEvent, EnterpriseCase};
use guanjia_domain::clock::china_date;
use guanjia_store::{AuditFilter, LogPosition, Store, StoreError};
use serde::Serialize;

/// Events read per page while looking for a visit's events.
const PAGE: usize = 200;

pub use guanjia_app::cases::rating_links::{describe, readiness, Readiness};

/// What the page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Subject {
    pub enterprise: String,
    pub target: What,
}

/// The visit or item rated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum What {
    Visit {
        no: u32,
        /// The day it was conducted (Beijing time).
        date: Option<NaiveDate>,
        purpose: Option<String>,
    },
    Item {
        no: u32,
        name: String,
        department: String,
    },
}

/// The subject of `target` in the case `case_id`, whose state is `case`.
pub async fn subject(
    store: &Store,
    case_id: &str,
    case: &EnterpriseCase,
    target: RatingTarget,
) -> Result<Subject, StoreError> {
    let enterprise = case
        .enterprise
        .as_ref()
        .map(|e| e.name.clone())
        .unwrap_or_default();
    let target = match target {
        RatingTarget::Visit(no) => {
            let (date, purpose) = visit_facts(store, case_id, no).await?;
            What::Visit { no, date, purpose }
        }
        RatingTarget::Item(no) => {
            let (name, department) = case
                .items
                .get(&no)
                .map(|item| (item.catalog.name.clone(), item.catalog.department.clone()))
                .unwrap_or_default();
            What::Item {
                no,
                name,
                department,
            }
        }
    };
    Ok(Subject { enterprise, target })
}

/// The conducted date and the purpose of visit `no`, from the case's events.
async fn visit_facts(
    store: &Store,
    case_id: &str,
    no: u32,
) -> Result<(Option<NaiveDate>, Option<String>), StoreError> {
    let mut date = None;
    let mut purpose = None;
    for event_type in ["VisitScheduled", "VisitConducted"] {
        let filter = AuditFilter {
            aggregate_type: Some(EnterpriseCase::TYPE.to_owned()),
            aggregate_id: Some(case_id.to_owned()),
            event_type: Some(event_type.to_owned()),
            ..AuditFilter::default()
        };
        let mut after = LogPosition::START;
        'pages: loop {
            let page = store.audit(&filter, after, PAGE).await?;
            let Some(last) = page.last() else { break };
            after = last.position;
            for event in &page {
                match serde_json::from_value::<CaseEvent>(event.payload.clone()) {
                    Ok(CaseEvent::VisitScheduled {
                        visit_no,
                        purpose: p,
                        ..
                    }) if visit_no == no => {
                        purpose = Some(p);
                        break 'pages;
                    }
                    Ok(CaseEvent::VisitConducted {
                        visit_no,
                        conducted_at,
                        ..
                    }) if visit_no == no => {
                        date = Some(china_date(conducted_at));
                        break 'pages;
                    }
                    _ => {}
                }
            }
        }
    }
    Ok((date, purpose))
}
