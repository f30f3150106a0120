//! Service items (办件): request one item or a bundle, then accept, suspend, resume, extend,
//! conclude or reject it. A request names the catalog item by its implementation code; the
//! current version's facts are looked up in the catalog aggregate here and copied into the
//! case's event, so the case's history does not change when the catalog does.

use chrono::NaiveDate;
use guanjia_domain::case::events::BundleRef;
use guanjia_domain::case::model::{HandlingMode, ItemOutcome, SuspensionReason};
use guanjia_domain::case::CaseCommand;
use guanjia_domain::catalog::{ServiceCatalog, DEFAULT_CATALOG_ID};

use super::{CaseOutcome, OnCase};
use crate::AppError;

impl OnCase<'_> {
    /// Requests a service item for the current version of the catalog item `code`.
    pub async fn request_service_item(
        self,
        code: &str,
        mode: HandlingMode,
        requested_on: Option<NaiveDate>,
    ) -> Result<CaseOutcome, AppError> {
        let code = code.trim();
        let catalog = self.catalog().await?;
        let facts = catalog
            .current_item(code)
            .ok_or_else(|| AppError::NotFound {
                what: format!("catalog item {code}"),
            })?;
        self.send(CaseCommand::RequestServiceItem {
            catalog: facts,
            mode,
            requested_on,
        })
        .await
    }

    /// Requests every item of the live bundle `code` (一件事一次办).
    pub async fn request_bundle(
        self,
        code: &str,
        mode: HandlingMode,
        requested_on: Option<NaiveDate>,
    ) -> Result<CaseOutcome, AppError> {
        let code = code.trim();
        let catalog = self.catalog().await?;
        let bundle = catalog
            .current_bundle(code)
            .ok_or_else(|| AppError::NotFound {
                what: format!("bundle {code}"),
            })?;
        self.send(CaseCommand::RequestBundle {
            bundle: BundleRef {
                code: bundle.code,
                version: bundle.version,
                name: bundle.name,
            },
            items: bundle.items,
            mode,
            requested_on,
        })
        .await
    }

    /// Records intake (受理); the deadline starts (`use_statutory_limit`: against the
    /// statutory rather than the promised limit).
    pub async fn accept_service_item(
        self,
        item_no: u32,
        accepted_on: Option<NaiveDate>,
        receipt_no: Option<String>,
        use_statutory_limit: bool,
    ) -> Result<CaseOutcome, AppError> {
        self.send(CaseCommand::AcceptServiceItem {
            item_no,
            accepted_on,
            receipt_no,
            use_statutory_limit,
        })
        .await
    }

    /// Stops the clock of an item (补正, hearing, inspection, expert review).
    pub async fn suspend_service_item(
        self,
        item_no: u32,
        reason: SuspensionReason,
        suspended_on: Option<NaiveDate>,
        note: Option<String>,
    ) -> Result<CaseOutcome, AppError> {
        self.send(CaseCommand::SuspendServiceItem {
            item_no,
            reason,
            suspended_on,
            note,
        })
        .await
    }

    /// Restarts the clock of a suspended item.
    pub async fn resume_service_item(
        self,
        item_no: u32,
        resumed_on: Option<NaiveDate>,
    ) -> Result<CaseOutcome, AppError> {
        self.send(CaseCommand::ResumeServiceItem {
            item_no,
            resumed_on,
        })
        .await
    }

    /// Extends an item's limit by working days.
    pub async fn extend_service_item(
        self,
        item_no: u32,
        days: u32,
        approver: String,
        reason: String,
    ) -> Result<CaseOutcome, AppError> {
        self.send(CaseCommand::ExtendServiceItem {
            item_no,
            days,
            approver,
            reason,
        })
        .await
    }

    /// Concludes an item (granted, refused or withdrawn).
    pub async fn conclude_service_item(
        self,
        item_no: u32,
        outcome: ItemOutcome,
        concluded_on: Option<NaiveDate>,
        result_reference: Option<String>,
        materials_submitted: u32,
        onsite_trips: u32,
    ) -> Result<CaseOutcome, AppError> {
        self.send(CaseCommand::ConcludeServiceItem {
            item_no,
            outcome,
            concluded_on,
            result_reference,
            materials_submitted,
            onsite_trips,
        })
        .await
    }

    /// Records that an item was not accepted (不予受理).
    pub async fn reject_service_item(
        self,
        item_no: u32,
        reason: String,
        rejected_on: Option<NaiveDate>,
    ) -> Result<CaseOutcome, AppError> {
        self.send(CaseCommand::RejectServiceItem {
            item_no,
            reason,
            rejected_on,
        })
        .await
    }

    /// The catalog as the log has it now.
    async fn catalog(&self) -> Result<ServiceCatalog, AppError> {
        let store = self.app.store();
        Ok(store
            .load::<ServiceCatalog>(DEFAULT_CATALOG_ID)
            .await?
            .state)
    }
}
