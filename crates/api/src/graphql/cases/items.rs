//! Service items (办件): request one item or a bundle, then accept, suspend, resume, extend,
//! conclude or reject it.
//!
//! A request names the catalog item by its implementation code; the current version's facts
//! are looked up here (`ServiceCatalog::current_item`) and copied into the case's event, so the
//! case's history does not change when the catalog does.

use async_graphql::{Context, InputObject, Object, ID};
use chrono::NaiveDate;
use guanjia_domain::case::events::BundleRef;
use guanjia_domain::case::CaseCommand;
use guanjia_domain::catalog::{ServiceCatalog, DEFAULT_CATALOG_ID};

use super::{late, send, CaseCommandResult};
use crate::error::ApiError;
use crate::graphql::context::{actor, state};
use crate::graphql::enums::{HandlingMode, ItemOutcome, SuspensionReason};

/// A catalog item to handle for the enterprise.
#[derive(InputObject)]
pub struct RequestServiceItemInput {
    /// 实施编码 of a live catalog item.
    pub implementation_code: String,
    pub mode: HandlingMode,
    pub requested_on: Option<NaiveDate>,
}

/// A bundle (一件事一次办): one service item per catalog item of the bundle.
#[derive(InputObject)]
pub struct RequestBundleInput {
    pub bundle_code: String,
    pub mode: HandlingMode,
    pub requested_on: Option<NaiveDate>,
}

/// Intake (受理): the clock starts.
#[derive(InputObject)]
pub struct AcceptServiceItemInput {
    pub item_no: u32,
    pub accepted_on: Option<NaiveDate>,
    pub receipt_no: Option<String>,
    /// Count against the statutory rather than the promised limit.
    #[graphql(default)]
    pub use_statutory_limit: bool,
}

/// The clock stops (补正, hearing, inspection, expert review).
#[derive(InputObject)]
pub struct SuspendServiceItemInput {
    pub item_no: u32,
    pub reason: SuspensionReason,
    pub suspended_on: Option<NaiveDate>,
    pub note: Option<String>,
}

/// The clock runs again.
#[derive(InputObject)]
pub struct ResumeServiceItemInput {
    pub item_no: u32,
    pub resumed_on: Option<NaiveDate>,
}

/// More working days, with the approver.
#[derive(InputObject)]
pub struct ExtendServiceItemInput {
    pub item_no: u32,
    pub days: u32,
    pub approver: String,
    pub reason: String,
}

/// 办结.
#[derive(InputObject)]
pub struct ConcludeServiceItemInput {
    pub item_no: u32,
    pub outcome: ItemOutcome,
    pub concluded_on: Option<NaiveDate>,
    /// Licence or result number.
    pub result_reference: Option<String>,
    pub materials_submitted: u32,
    pub onsite_trips: u32,
}

/// 不予受理.
#[derive(InputObject)]
pub struct RejectServiceItemInput {
    pub item_no: u32,
    pub reason: String,
    pub rejected_on: Option<NaiveDate>,
}

/// Service item mutations.
#[derive(Default)]
pub struct ItemMutation;

#[Object]
impl ItemMutation {
    /// Requests a service item for the current version of a catalog item.
    async fn request_service_item(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: RequestServiceItemInput,
        client_key: Option<String>,
        #[graphql(
            desc = "The reason of a late entry (补录): required when the step is dated more than the configured working days (default 3) before today."
        )]
        late_reason: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let code = input.implementation_code.trim();
        let catalog = catalog(ctx).await?;
        let facts = catalog
            .current_item(code)
            .ok_or_else(|| ApiError::NotFound {
                what: format!("catalog item {code}"),
            })?;
        let command = CaseCommand::RequestServiceItem {
            catalog: facts,
            mode: input.mode.into(),
            requested_on: input.requested_on,
        };
        send(ctx, case_id, late(command, late_reason), client_key).await
    }

    /// Requests every item of a live bundle.
    async fn request_bundle(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: RequestBundleInput,
        client_key: Option<String>,
        #[graphql(
            desc = "The reason of a late entry (补录): required when the step is dated more than the configured working days (default 3) before today."
        )]
        late_reason: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let code = input.bundle_code.trim();
        let catalog = catalog(ctx).await?;
        let bundle = catalog
            .current_bundle(code)
            .ok_or_else(|| ApiError::NotFound {
                what: format!("bundle {code}"),
            })?;
        let command = CaseCommand::RequestBundle {
            bundle: BundleRef {
                code: bundle.code,
                version: bundle.version,
                name: bundle.name,
            },
            items: bundle.items,
            mode: input.mode.into(),
            requested_on: input.requested_on,
        };
        send(ctx, case_id, late(command, late_reason), client_key).await
    }

    /// Records intake (受理); the deadline starts.
    async fn accept_service_item(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: AcceptServiceItemInput,
        client_key: Option<String>,
        #[graphql(
            desc = "The reason of a late entry (补录): required when the step is dated more than the configured working days (default 3) before today."
        )]
        late_reason: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let command = CaseCommand::AcceptServiceItem {
            item_no: input.item_no,
            accepted_on: input.accepted_on,
            receipt_no: input.receipt_no,
            use_statutory_limit: input.use_statutory_limit,
        };
        send(ctx, case_id, late(command, late_reason), client_key).await
    }

    /// Stops the clock of an item.
    async fn suspend_service_item(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: SuspendServiceItemInput,
        client_key: Option<String>,
        #[graphql(
            desc = "The reason of a late entry (补录): required when the step is dated more than the configured working days (default 3) before today."
        )]
        late_reason: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let command = CaseCommand::SuspendServiceItem {
            item_no: input.item_no,
            reason: input.reason.into(),
            suspended_on: input.suspended_on,
            note: input.note,
        };
        send(ctx, case_id, late(command, late_reason), client_key).await
    }

    /// Restarts the clock of a suspended item.
    async fn resume_service_item(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: ResumeServiceItemInput,
        client_key: Option<String>,
        #[graphql(
            desc = "The reason of a late entry (补录): required when the step is dated more than the configured working days (default 3) before today."
        )]
        late_reason: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let command = CaseCommand::ResumeServiceItem {
            item_no: input.item_no,
            resumed_on: input.resumed_on,
        };
        send(ctx, case_id, late(command, late_reason), client_key).await
    }

    /// Extends an item's limit by working days.
    async fn extend_service_item(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: ExtendServiceItemInput,
        client_key: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let command = CaseCommand::ExtendServiceItem {
            item_no: input.item_no,
            days: input.days,
            approver: input.approver,
            reason: input.reason,
        };
        send(ctx, case_id, command, client_key).await
    }

    /// Concludes an item (granted, refused or withdrawn).
    async fn conclude_service_item(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: ConcludeServiceItemInput,
        client_key: Option<String>,
        #[graphql(
            desc = "The reason of a late entry (补录): required when the step is dated more than the configured working days (default 3) before today."
        )]
        late_reason: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let command = CaseCommand::ConcludeServiceItem {
            item_no: input.item_no,
            outcome: input.outcome.into(),
            concluded_on: input.concluded_on,
            result_reference: input.result_reference,
            materials_submitted: input.materials_submitted,
            onsite_trips: input.onsite_trips,
        };
        send(ctx, case_id, late(command, late_reason), client_key).await
    }

    /// Records that an item was not accepted (不予受理).
    async fn reject_service_item(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: RejectServiceItemInput,
        client_key: Option<String>,
        #[graphql(
            desc = "The reason of a late entry (补录): required when the step is dated more than the configured working days (default 3) before today."
        )]
        late_reason: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let command = CaseCommand::RejectServiceItem {
            item_no: input.item_no,
            reason: input.reason,
            rejected_on: input.rejected_on,
        };
        send(ctx, case_id, late(command, late_reason), client_key).await
    }
}

/// The catalog as the log has it now, for a signed-in caller: an anonymous request is refused
/// before anything is looked up (schemathesis found it told anonymous callers which catalog
/// items and bundles exist).
async fn catalog(ctx: &Context<'_>) -> Result<ServiceCatalog, ApiError> {
    actor(ctx)?;
    let store = &state(ctx)?.store;
    Ok(store
        .load::<ServiceCatalog>(DEFAULT_CATALOG_ID)
        .await?
        .state)
}
