//! The two registries that keep rules across cases, each a small aggregate whose stream is the
//! unit of optimistic concurrency (`guanjia_domain::registry`), so two servers racing cannot
//! both win: the USCC claims (one open case per enterprise) and the case number books (numbers
//! unique per registration year, never reused). See docs/cross-case-rules.md.

use guanjia_domain::case::model::CaseState;
use guanjia_domain::case::{CaseServices, EnterpriseCase};
use guanjia_domain::registry::{
    CaseNumberBook, CaseNumberCommand, CheckedHolder, EnterpriseRegistry, HolderStatus,
    RegistryCommand,
};
use guanjia_domain::values::{CaseNumber, Uscc};
use guanjia_domain::DomainError;
use guanjia_store::{CommandContext, Store, StoreError};

/// How often a registration retries the race for a case number or a USCC claim. Every attempt
/// has a winner, so this bounds the wait under a burst of registrations, not correctness.
const RACE_ATTEMPTS: u32 = 40;

/// How long a claimant waits for a registration under way before it looks again.
const UNDER_WAY_PAUSE: std::time::Duration = std::time::Duration::from_millis(50);

/// Takes the USCC for `case_id`; true when this call took it (false: it already held it).
pub(super) async fn claim_uscc(
    store: &Store,
    uscc: &Uscc,
    case_id: &str,
    services: &CaseServices,
    plain: &CommandContext,
) -> Result<bool, StoreError> {
    let mut last_refusal = None;
    for _ in 0..RACE_ATTEMPTS {
        let registry = store.load::<EnterpriseRegistry>(uscc.as_str()).await?.state;
        let checked_holder = match registry.holder() {
            None => None,
            Some(holder) if holder == case_id => return Ok(false),
            Some(holder) => {
                let (status, number) = holder_status(store, holder, uscc).await?;
                if status == HolderStatus::Open {
                    let number = number.map(|n| n.to_string()).unwrap_or_default();
                    return Err(StoreError::Rejected(DomainError::AlreadyExists(format!(
                        "enterprise {uscc} already has an open case {number}"
                    ))));
                }
                Some(CheckedHolder {
                    case_id: holder.to_owned(),
                    status,
                })
            }
        };
        let claim = RegistryCommand::Claim {
            case_id: case_id.to_owned(),
            checked_holder,
        };
        match store
            .execute::<EnterpriseRegistry>(uscc.as_str(), claim, services, plain.clone())
            .await
        {
            Ok(committed) => return Ok(!committed.events.is_empty()),
            // The holder changed between our look and the claim: look again.
            Err(StoreError::Rejected(DomainError::AlreadyExists(_)))
            | Err(StoreError::Conflict { .. }) => {}
            // The holder's registration is under way; it usually lands within milliseconds,
            // after which the answer is a clear "already has an open case".
            Err(error @ StoreError::Rejected(DomainError::NotAllowed(_))) => {
                last_refusal = Some(error);
                tokio::time::sleep(UNDER_WAY_PAUSE).await;
            }
            Err(other) => return Err(other),
        }
    }
    Err(last_refusal.unwrap_or(StoreError::Conflict {
        attempts: RACE_ATTEMPTS,
    }))
}

/// Whether the case that holds a claim on `uscc` still needs it, and its number.
async fn holder_status(
    store: &Store,
    holder: &str,
    uscc: &Uscc,
) -> Result<(HolderStatus, Option<CaseNumber>), StoreError> {
    let loaded = store.load::<EnterpriseCase>(holder).await?;
    if loaded.sequence == 0 {
        return Ok((HolderStatus::NotRegistered, None));
    }
    let case = loaded.state;
    let holds = case.state != CaseState::Closed
        && case.enterprise.as_ref().and_then(|e| e.uscc.as_ref()) == Some(uscc);
    let status = if holds {
        HolderStatus::Open
    } else {
        HolderStatus::NoLongerHolding
    };
    Ok((status, case.case_number))
}

/// Best effort: a release that fails leaves a stale claim, which the next claimant recognises
/// (the holder is closed or has another USCC) and takes over.
pub(super) async fn release_uscc(
    store: &Store,
    uscc: &Uscc,
    case_id: &str,
    services: &CaseServices,
    plain: &CommandContext,
) {
    let release = RegistryCommand::Release {
        case_id: case_id.to_owned(),
    };
    if let Err(error) = store
        .execute::<EnterpriseRegistry>(uscc.as_str(), release, services, plain.clone())
        .await
    {
        tracing::warn!(%uscc, case_id, %error, detail = error.detail().unwrap_or_default(), "USCC release failed; it will be taken over as stale");
    }
}

/// The next case number of `year` for `case_id` (the one it already has, if any).
pub(super) async fn issue_number(
    store: &Store,
    year: i32,
    case_id: &str,
    services: &CaseServices,
    plain: &CommandContext,
) -> Result<CaseNumber, StoreError> {
    let book_id = year.to_string();
    let issue = CaseNumberCommand::Issue {
        year,
        case_id: case_id.to_owned(),
    };
    let mut attempt = 0;
    loop {
        attempt += 1;
        match store
            .execute::<CaseNumberBook>(&book_id, issue.clone(), services, plain.clone())
            .await
        {
            Ok(_) => break,
            Err(StoreError::Conflict { .. }) if attempt < RACE_ATTEMPTS => continue,
            Err(other) => return Err(other),
        }
    }
    let book = store.load::<CaseNumberBook>(&book_id).await?.state;
    book.number_of(case_id).ok_or_else(|| StoreError::Decode {
        detail: format!("case number book {book_id} has no number for case {case_id}"),
    })
}
