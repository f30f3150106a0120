//! The only place where case commands reach the store: through the store's cross-case
//! wrappers, which keep case numbers unique and at most one open case per USCC
//! (docs/cross-case-rules.md).

use guanjia_domain::case::{CaseCommand, CaseServices, EnterpriseCase};
use guanjia_store::{
    CaseRegistration, CommandContext, Committed, Guard, RegisteredCase, Store, StoreError,
};

/// Runs a command on an existing case, `guard` checking the case as loaded for it.
pub(super) async fn execute_case(
    store: &Store,
    case_id: &str,
    command: CaseCommand,
    services: &CaseServices,
    context: CommandContext,
    guard: &Guard<'_, EnterpriseCase>,
) -> Result<Committed, StoreError> {
    store
        .execute_case_guarded(case_id, command, services, context, guard)
        .await
}

/// Registers a new case; the store gives it its id and number. The store derives the case id
/// from the idempotency key, so the key is scoped to the actor here: two users who happen to
/// pick the same key must not land on the same case.
pub(super) async fn register_case(
    store: &Store,
    actor: &str,
    registration: CaseRegistration,
    services: &CaseServices,
    mut context: CommandContext,
) -> Result<RegisteredCase, StoreError> {
    context.command_key = context
        .command_key
        .map(|key| format!("register/{actor}/{key}"));
    store.register_case(registration, services, context).await
}
