//! Enterprise cases as the store's tests need them: registered straight on the case aggregate.
//! Case numbers and USCC claims are kept by the application layer (guanjia-app, tested there);
//! the store only appends, so here every case gets a fresh id and a number of its own.

use std::sync::atomic::{AtomicU32, Ordering};

use chrono::NaiveDate;
use guanjia_domain::case::commands::EnterpriseInput;
use guanjia_domain::case::model::{LeadSource, Stage};
use guanjia_domain::case::{CaseCommand, CaseServices, EnterpriseCase};
use guanjia_store::{CommandContext, Committed, Store, StoreError};

/// A new case as entered.
#[derive(Debug, Clone)]
pub struct CaseRegistration {
    pub enterprise: EnterpriseInput,
    pub lead_source: LeadSource,
    pub stage: Stage,
    pub registered_on: Option<NaiveDate>,
}

/// A registered case.
#[derive(Debug, Clone)]
pub struct RegisteredCase {
    pub case_id: String,
    pub committed: Committed,
}

/// Case commands on a [`Store`], for the tests.
#[allow(async_fn_in_trait)]
pub trait CaseStore {
    /// Registers a case under a fresh id.
    async fn register_case(
        &self,
        registration: CaseRegistration,
        services: &CaseServices,
        context: CommandContext,
    ) -> Result<RegisteredCase, StoreError>;

    /// Records the erasure of a case's personal data and shreds its keys, as the application
    /// layer does.
    async fn erase_personal_data(
        &self,
        case_id: &str,
        reason: String,
        services: &CaseServices,
        context: CommandContext,
    ) -> Result<Committed, StoreError>;

    /// Runs a command on an existing case.
    async fn execute_case(
        &self,
        case_id: &str,
        command: CaseCommand,
        services: &CaseServices,
        context: CommandContext,
    ) -> Result<Committed, StoreError>;
}

static NEXT_NUMBER: AtomicU32 = AtomicU32::new(1);

impl CaseStore for Store {
    async fn register_case(
        &self,
        registration: CaseRegistration,
        services: &CaseServices,
        context: CommandContext,
    ) -> Result<RegisteredCase, StoreError> {
        let case_id = uuid::Uuid::now_v7().to_string();
        let number = NEXT_NUMBER.fetch_add(1, Ordering::Relaxed);
        let command = CaseCommand::Register {
            case_number: format!("2024-{number:04}"),
            enterprise: registration.enterprise,
            lead_source: registration.lead_source,
            stage: registration.stage,
            registered_on: registration.registered_on,
        };
        let committed = self
            .execute::<EnterpriseCase>(&case_id, command, services, context)
            .await?;
        Ok(RegisteredCase { case_id, committed })
    }

    async fn erase_personal_data(
        &self,
        case_id: &str,
        reason: String,
        services: &CaseServices,
        context: CommandContext,
    ) -> Result<Committed, StoreError> {
        let command = CaseCommand::ErasePersonalData { reason };
        let committed = self
            .execute::<EnterpriseCase>(case_id, command, services, context)
            .await?;
        self.shred_personal_data::<EnterpriseCase>(case_id).await?;
        Ok(committed)
    }

    async fn execute_case(
        &self,
        case_id: &str,
        command: CaseCommand,
        services: &CaseServices,
        context: CommandContext,
    ) -> Result<Committed, StoreError> {
        self.execute::<EnterpriseCase>(case_id, command, services, context)
            .await
    }
}
