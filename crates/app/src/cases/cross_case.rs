//! A command on an existing case, keeping the rules that cross cases: closing releases the
//! case's USCC, reopening and a USCC correction claim one first, erasure shreds the keys of the
//! case's personal data. The steps run in an order where a crash in between leaves only
//! harmless traces (a claim taken over after its holder closed; docs/cross-case-rules.md).
//! Every step is checked first against the closed periods of its case's division
//! (`crate::periods::check`).

use guanjia_domain::case::commands::EnterpriseCorrection;
use guanjia_domain::case::model::CaseState;
use guanjia_domain::case::{CaseCommand, CaseServices, EnterpriseCase};
use guanjia_domain::values::Uscc;
use guanjia_domain::DomainError;
use guanjia_store::{CommandContext, Committed, Guard, Source, Store, StoreError};

use super::registry::{claim_uscc, release_uscc};
use crate::periods::check::{self as periods, Basis};

/// Runs `command` on the case `case_id`, `guard` checking the case exactly as it is loaded for
/// the command. `Register` is refused here: registration allocates the number
/// (`super::register`).
pub(crate) async fn run(
    store: &Store,
    case_id: &str,
    command: CaseCommand,
    services: &CaseServices,
    context: CommandContext,
    guard: &Guard<'_, EnterpriseCase>,
) -> Result<Committed, StoreError> {
    // Every dated step is checked against the closed periods (封账) of the case's division,
    // prepared on the case as this node remembers it (no read of the log) and confirmed on
    // the case the command runs on; prepared again from the log when that was behind.
    let prepared = periods::prepare(store, case_id, command.clone(), services, Basis::Remembered);
    let outcome = run_prepared(
        store,
        case_id,
        prepared.await?,
        services,
        context.clone(),
        guard,
    );
    match outcome.await {
        Err(stale) if periods::is_stale(&stale) => {
            let prepared = periods::prepare(store, case_id, command, services, Basis::Log).await?;
            run_prepared(store, case_id, prepared, services, context, guard)
                .await
                .map_err(|error| match periods::is_stale(&error) {
                    // Changed again in between: a race like any other, for the caller to retry.
                    true => StoreError::Conflict { attempts: 2 },
                    false => error,
                })
        }
        outcome => outcome,
    }
}

/// [`run`] with the closed-period check prepared.
async fn run_prepared(
    store: &Store,
    case_id: &str,
    (command, prepared): (CaseCommand, periods::Prepared),
    services: &CaseServices,
    context: CommandContext,
    guard: &Guard<'_, EnterpriseCase>,
) -> Result<Committed, StoreError> {
    let checked = |case: &EnterpriseCase| -> Result<(), Source> {
        guard(case)?;
        prepared.confirm(case, case_id, services)
    };
    let guard: &Guard<'_, EnterpriseCase> = &checked;
    // The registries' own commands carry no idempotency key: the case's command has it.
    let plain = CommandContext::new(context.metadata.clone());
    let on = On {
        store,
        case_id,
        services,
        plain: &plain,
    };
    // Dispatched on the step itself: a late entry (补录) of a closure still releases the USCC.
    match command.step() {
        CaseCommand::Register { .. } => Err(StoreError::Rejected(DomainError::not_allowed(
            "register a case through registration, which allocates its number",
        ))),
        CaseCommand::ErasePersonalData { .. } => {
            let committed = store
                .execute_guarded::<EnterpriseCase>(case_id, command, services, context, guard)
                .await?;
            store.shred_personal_data::<EnterpriseCase>(case_id).await?;
            Ok(committed)
        }
        CaseCommand::Close { .. } => {
            let uscc = case_uscc(store, case_id).await?;
            let committed = store
                .execute_guarded::<EnterpriseCase>(case_id, command, services, context, guard)
                .await?;
            if let Some(uscc) = uscc {
                release_uscc(store, &uscc, case_id, services, &plain).await;
            }
            Ok(committed)
        }
        CaseCommand::Reopen { .. } => {
            let uscc = case_uscc(store, case_id).await?;
            on.with_claim(uscc, None, async {
                store
                    .execute_guarded::<EnterpriseCase>(case_id, command, services, context, guard)
                    .await
            })
            .await
        }
        CaseCommand::CorrectEnterpriseDetails { correction, .. } => {
            let correction = correction.clone();
            on.correct(correction, async {
                store
                    .execute_guarded::<EnterpriseCase>(case_id, command, services, context, guard)
                    .await
            })
            .await
        }
        _ => {
            store
                .execute_guarded::<EnterpriseCase>(case_id, command, services, context, guard)
                .await
        }
    }
}

/// The case a cross-case step is about, and what the registries' commands need.
struct On<'a> {
    store: &'a Store,
    case_id: &'a str,
    services: &'a CaseServices,
    plain: &'a CommandContext,
}

impl On<'_> {
    /// A correction that changes the USCC claims the new one first and releases the old one
    /// once the correction is recorded.
    async fn correct(
        &self,
        correction: EnterpriseCorrection,
        action: impl std::future::Future<Output = Result<Committed, StoreError>>,
    ) -> Result<Committed, StoreError> {
        let loaded = self.store.load::<EnterpriseCase>(self.case_id).await?.state;
        let current = loaded.enterprise.as_ref().and_then(|e| e.uscc.clone());
        let new = match correction.uscc.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Uscc::parse(text)
                .ok()
                .filter(|u| Some(u) != current.as_ref()),
        };
        // A closed case holds no USCC: its correction needs no claim.
        let new = new.filter(|_| loaded.state != CaseState::Closed);
        self.with_claim(new, current, action).await
    }

    /// Claims `uscc` (if any), runs `action`, and then releases `previous` on success or the
    /// new claim on failure.
    async fn with_claim(
        &self,
        uscc: Option<Uscc>,
        previous: Option<Uscc>,
        action: impl std::future::Future<Output = Result<Committed, StoreError>>,
    ) -> Result<Committed, StoreError> {
        let (store, case_id, services, plain) =
            (self.store, self.case_id, self.services, self.plain);
        let claimed = match &uscc {
            Some(uscc) => claim_uscc(store, uscc, case_id, services, plain).await?,
            None => false,
        };
        let outcome = action.await;
        match (&outcome, &uscc) {
            (Ok(_), Some(_)) => {
                if let Some(previous) = previous {
                    release_uscc(store, &previous, case_id, services, plain).await;
                }
            }
            (Err(_), Some(uscc)) if claimed => {
                release_uscc(store, uscc, case_id, services, plain).await
            }
            _ => {}
        }
        outcome
    }
}

async fn case_uscc(store: &Store, case_id: &str) -> Result<Option<Uscc>, StoreError> {
    let case = store.load::<EnterpriseCase>(case_id).await?.state;
    Ok(case.enterprise.and_then(|e| e.uscc))
}
