//! The trusted path (feature `testing`): registering a case and running a case command
//! without asking who sends it. **Trusted**: nothing here checks a role, a division or a team;
//! the rules across cases (USCC claims, case numbers, erasure, closed periods) are kept, so
//! the log stays as consistent as the checked path would leave it.
//!
//! It exists for tests that need a case in a given state without building the people who
//! would put it there (the read model's, the api's snapshots, the binary's exports, the cross-
//! case tests of this crate), and for the demo loader's steps that no demo person may take
//! (`crates/demo/src/runner.rs` names them). The tests enable the feature in their
//! `[dev-dependencies]`, the demo in its own dependency; no front door (api, web) may use it.
//! Everyone else goes through [`crate::App::register_case`] and [`crate::App::on_case`].

use guanjia_domain::case::{CaseCommand, CaseServices, EnterpriseCase};
use guanjia_store::{CommandContext, Committed, Store};

use crate::cases::{register, CaseOutcome, CaseRegistration};
use crate::AppError;

/// Registers a case without asking who registers it (trusted; see the module). With an
/// idempotency key the case id is derived from the key, so a repeat returns the first outcome
/// and takes no second number.
pub async fn register_unchecked(
    store: &Store,
    registration: CaseRegistration,
    services: &CaseServices,
    context: CommandContext,
) -> Result<CaseOutcome, AppError> {
    register::register(store, registration, services, context).await
}

/// Runs `command` on the case `case_id` without asking who sends it (trusted; see the
/// module), keeping the rules across cases.
pub async fn run_unchecked(
    store: &Store,
    case_id: &str,
    command: CaseCommand,
    services: &CaseServices,
    context: CommandContext,
) -> Result<Committed, AppError> {
    let anyone = |_: &EnterpriseCase| Ok(());
    Ok(crate::cases::run_trusted(store, case_id, command, services, context, &anyone).await?)
}
