//! Service items (办件) as the case detail shows them: the catalog facts they were requested
//! under, their clock (deadline in working days, suspensions, extensions) and its status as of
//! today, and how they ended.

use async_graphql::SimpleObject;
use chrono::NaiveDate;
use guanjia_domain::calendar::Deadline;
use guanjia_domain::case::events::BundleRef;
use guanjia_domain::catalog::CatalogItemFacts;
use guanjia_read::detail::{ItemView, SuspensionView};

use crate::graphql::enums::{
    HandlingMode, ItemOutcome, ItemStatus, ItemType, SuspensionReason, TimeStatus,
};

/// A service item of a case.
#[derive(SimpleObject)]
pub struct ServiceItem {
    pub item_no: u32,
    /// The catalog version it was requested under (later catalog changes do not touch it).
    pub catalog: CatalogFacts,
    /// The bundle (一件事一次办) it was requested with.
    pub bundle: Option<BundleUsed>,
    pub mode: HandlingMode,
    pub status: ItemStatus,
    pub requested_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    pub receipt_no: Option<String>,
    /// The limit counted (promised or statutory), in working days.
    pub limit_days: u32,
    pub extension_days: u32,
    pub suspensions: Vec<Suspension>,
    /// While the clock runs: as of today; once concluded: as of the conclusion.
    pub deadline: Option<ItemDeadline>,
    /// On time, warning or overdue as of today, while the clock runs.
    pub time_status: Option<TimeStatus>,
    /// Net working days used (as of today while running, else to the conclusion).
    pub used_days: Option<u32>,
    pub outcome: Option<ItemOutcome>,
    pub concluded_on: Option<NaiveDate>,
    /// Licence or result number.
    pub result_reference: Option<String>,
    pub materials_submitted: Option<u32>,
    pub onsite_trips: Option<u32>,
    /// Concluded on or before its deadline.
    pub concluded_on_time: Option<bool>,
    pub rejected_on: Option<NaiveDate>,
    pub rejection_reason: Option<String>,
}

impl From<&ItemView> for ServiceItem {
    fn from(i: &ItemView) -> Self {
        Self {
            item_no: i.item_no,
            catalog: CatalogFacts::from(&i.catalog),
            bundle: i.bundle.as_ref().map(BundleUsed::from),
            mode: i.mode.into(),
            status: i.status.into(),
            requested_on: i.requested_on,
            accepted_on: i.accepted_on,
            receipt_no: i.receipt_no.clone(),
            limit_days: i.limit_days,
            extension_days: i.extension_days,
            suspensions: i.suspensions.iter().map(Into::into).collect(),
            deadline: i.deadline.map(ItemDeadline::from),
            time_status: i.time_status.map(Into::into),
            used_days: i.used_days,
            outcome: i.outcome.map(Into::into),
            concluded_on: i.concluded_on,
            result_reference: i.result_reference.clone(),
            materials_submitted: i.materials_submitted,
            onsite_trips: i.onsite_trips,
            concluded_on_time: i.concluded_on_time,
            rejected_on: i.rejected_on,
            rejection_reason: i.rejection_reason.clone(),
        }
    }
}

/// The facts of the catalog version an item was requested under.
#[derive(SimpleObject)]
pub struct CatalogFacts {
    /// 实施编码
    pub implementation_code: String,
    /// 基本编码
    pub basic_code: String,
    pub version: u32,
    pub name: String,
    pub item_type: ItemType,
    pub department: String,
    /// 法定时限, working days.
    pub statutory_limit_days: u32,
    /// 承诺时限, working days.
    pub promised_limit_days: u32,
    pub required_materials_count: u32,
    pub onsite_trips: u32,
}

impl From<&CatalogItemFacts> for CatalogFacts {
    fn from(f: &CatalogItemFacts) -> Self {
        Self {
            implementation_code: f.implementation_code.clone(),
            basic_code: f.basic_code.clone(),
            version: f.version,
            name: f.name.clone(),
            item_type: f.item_type.into(),
            department: f.department.clone(),
            statutory_limit_days: f.statutory_limit_days,
            promised_limit_days: f.promised_limit_days,
            required_materials_count: f.required_materials_count,
            onsite_trips: f.onsite_trips,
        }
    }
}

/// The bundle version an item was requested with.
#[derive(SimpleObject)]
pub struct BundleUsed {
    pub code: String,
    pub version: u32,
    pub name: String,
}

impl From<&BundleRef> for BundleUsed {
    fn from(b: &BundleRef) -> Self {
        Self {
            code: b.code.clone(),
            version: b.version,
            name: b.name.clone(),
        }
    }
}

/// An item's deadline.
#[derive(SimpleObject)]
pub struct ItemDeadline {
    /// The last working day on which concluding is on time.
    pub date: NaiveDate,
    /// The count crossed a year whose holidays are not yet published: the date may move.
    pub provisional: bool,
    /// The item is suspended: the deadline moves while it stays so.
    pub suspended: bool,
}

impl From<Deadline> for ItemDeadline {
    fn from(d: Deadline) -> Self {
        Self {
            date: d.date,
            provisional: d.provisional,
            suspended: d.suspended,
        }
    }
}

/// A period the item's clock stood still.
#[derive(SimpleObject)]
pub struct Suspension {
    pub reason: SuspensionReason,
    pub from: NaiveDate,
    /// Null while it still does.
    pub until: Option<NaiveDate>,
    pub note: Option<String>,
}

impl From<&SuspensionView> for Suspension {
    fn from(s: &SuspensionView) -> Self {
        Self {
            reason: s.reason.into(),
            from: s.from,
            until: s.until,
            note: s.note.clone(),
        }
    }
}
