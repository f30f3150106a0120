//! Case commands that cross cases: registration (case numbers, one open case per USCC),
//! closing, reopening and USCC corrections. Everything else goes straight to [`Store::execute`].
//!
//! Each rule is kept by a small aggregate whose stream is the unit of optimistic concurrency
//! (`guanjia_domain::registry`), so two servers racing cannot both win. The steps are run in
//! an order where a crash in between leaves only harmless traces: a claim whose case never
//! came (taken over after a lease), or a case number that was issued but never used (a gap —
//! numbers are never reused, not necessarily dense). See docs/cross-case-rules.md.

use chrono::{Datelike, NaiveDate};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use guanjia_domain::case::commands::{EnterpriseCorrection, EnterpriseInput};
use guanjia_domain::case::model::{CaseState, LeadSource, Stage};
use guanjia_domain::case::{CaseCommand, CaseEvent, CaseServices, EnterpriseCase};
use guanjia_domain::clock::china_date;
use guanjia_domain::registry::{
    CaseNumberBook, CaseNumberCommand, CheckedHolder, EnterpriseRegistry, HolderStatus,
    RegistryCommand,
};
use guanjia_domain::values::{CaseNumber, Uscc};
use guanjia_domain::DomainError;
use uuid::Uuid;

use crate::{CommandContext, Committed, Guard, Store, StoreError};

/// How often a registration retries the race for a case number or a USCC claim. Every attempt
/// has a winner, so this bounds the wait under a burst of registrations, not correctness.
const RACE_ATTEMPTS: u32 = 40;

/// How long a claimant waits for a registration under way before it looks again.
const UNDER_WAY_PAUSE: std::time::Duration = std::time::Duration::from_millis(50);

/// Namespace of case ids derived from an idempotency key, so that a registration sent twice
/// with the same key names the same case.
const CASE_ID_NAMESPACE: Uuid = Uuid::from_u128(0x6775_616e_6a69_6121_a9e3_0c5b_2f1d_7e44);

/// A new case as the user entered it; the store gives it an id and a case number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRegistration {
    pub enterprise: EnterpriseInput,
    pub lead_source: LeadSource,
    pub stage: Stage,
    pub registered_on: Option<NaiveDate>,
    /// The reason of a late entry (补录): needed when `registered_on` lies more than the
    /// configured working days back.
    pub late_reason: Option<String>,
}

/// The outcome of a registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredCase {
    pub case_id: String,
    pub case_number: CaseNumber,
    pub committed: Committed,
}

impl Store {
    /// Registers a case: validates it, claims its USCC (if it has one), takes the next case
    /// number of its registration year, and records `CaseRegistered`.
    ///
    /// With an idempotency key the case id is derived from the key, so a repeat returns the
    /// first outcome and takes no second number.
    pub async fn register_case(
        &self,
        registration: CaseRegistration,
        services: &CaseServices,
        context: CommandContext,
    ) -> Result<RegisteredCase, StoreError> {
        let case_id = match &context.command_key {
            Some(key) => Uuid::new_v5(&CASE_ID_NAMESPACE, key.as_bytes()).to_string(),
            None => Uuid::now_v7().to_string(),
        };
        // Decide once against an empty case with a stand-in number, so that bad input is refused
        // before anything is claimed or numbered.
        let year = registration
            .registered_on
            .unwrap_or_else(|| china_date(services.clock.now()))
            .year();
        let probe = register_command(&registration, format!("{year}-0001"));
        // The registration itself: a late entry's record may come first.
        let decided = decide_new(probe, services).await?;
        let uscc = decided.iter().find_map(|event| match event {
            CaseEvent::CaseRegistered { enterprise, .. } => enterprise.uscc.clone(),
            _ => None,
        });
        let plain = CommandContext::new(context.metadata.clone());
        let claimed = match &uscc {
            Some(uscc) => self.claim_uscc(uscc, &case_id, services, &plain).await?,
            None => false,
        };
        let outcome = async {
            let case_number = self.issue_number(year, &case_id, services, &plain).await?;
            let command = register_command(&registration, case_number.to_string());
            let committed = self
                .execute::<EnterpriseCase>(&case_id, command, services, context)
                .await?;
            Ok(RegisteredCase {
                case_id: case_id.clone(),
                case_number,
                committed,
            })
        }
        .await;
        if outcome.is_err() && claimed {
            if let Some(uscc) = &uscc {
                self.release_uscc(uscc, &case_id, services, &plain).await;
            }
        }
        outcome
    }

    /// Runs a command on an existing case, keeping the cross-case rules: closing releases the
    /// USCC, reopening and a USCC correction claim one first. `Register` is refused here: use
    /// [`Store::register_case`], which allocates the number.
    pub async fn execute_case(
        &self,
        case_id: &str,
        command: CaseCommand,
        services: &CaseServices,
        context: CommandContext,
    ) -> Result<Committed, StoreError> {
        self.execute_case_guarded(case_id, command, services, context, &|_| Ok(()))
            .await
    }

    /// [`Self::execute_case`] with a `guard` run on the case as loaded for the command
    /// (authorisation on exactly the state the command is decided on, in one load).
    pub async fn execute_case_guarded(
        &self,
        case_id: &str,
        command: CaseCommand,
        services: &CaseServices,
        context: CommandContext,
        guard: &Guard<'_, EnterpriseCase>,
    ) -> Result<Committed, StoreError> {
        let plain = CommandContext::new(context.metadata.clone());
        // Dispatched on the step itself: a late entry (补录) of a closure still releases the USCC.
        match command.step() {
            CaseCommand::Register { .. } => Err(StoreError::Rejected(DomainError::not_allowed(
                "register a case with register_case, which allocates its number",
            ))),
            CaseCommand::ErasePersonalData { reason } => {
                self.erase_guarded(case_id, reason.clone(), services, context, guard)
                    .await
            }
            CaseCommand::Close { .. } => {
                let uscc = self.case_uscc(case_id).await?;
                let committed = self
                    .execute_guarded::<EnterpriseCase>(case_id, command, services, context, guard)
                    .await?;
                if let Some(uscc) = uscc {
                    self.release_uscc(&uscc, case_id, services, &plain).await;
                }
                Ok(committed)
            }
            CaseCommand::Reopen { .. } => {
                let uscc = self.case_uscc(case_id).await?;
                self.with_claim(uscc, case_id, services, &plain, None, async {
                    self.execute_guarded::<EnterpriseCase>(
                        case_id,
                        command.clone(),
                        services,
                        context,
                        guard,
                    )
                    .await
                })
                .await
            }
            CaseCommand::CorrectEnterpriseDetails { correction, .. } => {
                self.correct(
                    case_id,
                    correction.clone(),
                    command.clone(),
                    services,
                    context,
                    (&plain, guard),
                )
                .await
            }
            _ => {
                self.execute_guarded::<EnterpriseCase>(case_id, command, services, context, guard)
                    .await
            }
        }
    }

    async fn correct(
        &self,
        case_id: &str,
        correction: EnterpriseCorrection,
        command: CaseCommand,
        services: &CaseServices,
        context: CommandContext,
        (plain, guard): (&CommandContext, &Guard<'_, EnterpriseCase>),
    ) -> Result<Committed, StoreError> {
        let loaded = self.load::<EnterpriseCase>(case_id).await?.state;
        let current = loaded.enterprise.as_ref().and_then(|e| e.uscc.clone());
        let new = match correction.uscc.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Uscc::parse(text)
                .ok()
                .filter(|u| Some(u) != current.as_ref()),
        };
        // A closed case holds no USCC: its correction needs no claim.
        let new = new.filter(|_| loaded.state != CaseState::Closed);
        self.with_claim(new, case_id, services, plain, current, async {
            self.execute_guarded::<EnterpriseCase>(case_id, command, services, context, guard)
                .await
        })
        .await
    }

    /// Claims `uscc` (if any) for `case_id`, runs `action`, and then releases `previous` on
    /// success or the new claim on failure.
    async fn with_claim(
        &self,
        uscc: Option<Uscc>,
        case_id: &str,
        services: &CaseServices,
        plain: &CommandContext,
        previous: Option<Uscc>,
        action: impl std::future::Future<Output = Result<Committed, StoreError>>,
    ) -> Result<Committed, StoreError> {
        let claimed = match &uscc {
            Some(uscc) => self.claim_uscc(uscc, case_id, services, plain).await?,
            None => false,
        };
        let outcome = action.await;
        match (&outcome, &uscc) {
            (Ok(_), Some(_)) => {
                if let Some(previous) = previous {
                    self.release_uscc(&previous, case_id, services, plain).await;
                }
            }
            (Err(_), Some(uscc)) if claimed => {
                self.release_uscc(uscc, case_id, services, plain).await
            }
            _ => {}
        }
        outcome
    }

    async fn case_uscc(&self, case_id: &str) -> Result<Option<Uscc>, StoreError> {
        let case = self.load::<EnterpriseCase>(case_id).await?.state;
        Ok(case.enterprise.and_then(|e| e.uscc))
    }

    /// Takes the USCC for `case_id`; true when this call took it (false: it already held it).
    async fn claim_uscc(
        &self,
        uscc: &Uscc,
        case_id: &str,
        services: &CaseServices,
        plain: &CommandContext,
    ) -> Result<bool, StoreError> {
        let mut last_refusal = None;
        for _ in 0..RACE_ATTEMPTS {
            let registry = self.load::<EnterpriseRegistry>(uscc.as_str()).await?.state;
            let checked_holder = match registry.holder() {
                None => None,
                Some(holder) if holder == case_id => return Ok(false),
                Some(holder) => {
                    let status = self.holder_status(holder, uscc).await?;
                    if status.0 == HolderStatus::Open {
                        let number = status.1.map(|n| n.to_string()).unwrap_or_default();
                        return Err(StoreError::Rejected(DomainError::AlreadyExists(format!(
                            "enterprise {uscc} already has an open case {number}"
                        ))));
                    }
                    Some(CheckedHolder {
                        case_id: holder.to_owned(),
                        status: status.0,
                    })
                }
            };
            let claim = RegistryCommand::Claim {
                case_id: case_id.to_owned(),
                checked_holder,
            };
            match self
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

    async fn holder_status(
        &self,
        holder: &str,
        uscc: &Uscc,
    ) -> Result<(HolderStatus, Option<CaseNumber>), StoreError> {
        let loaded = self.load::<EnterpriseCase>(holder).await?;
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

    /// Best effort: a release that fails leaves a stale claim, which the next claimant
    /// recognises (the holder is closed or has another USCC) and takes over.
    async fn release_uscc(
        &self,
        uscc: &Uscc,
        case_id: &str,
        services: &CaseServices,
        plain: &CommandContext,
    ) {
        let release = RegistryCommand::Release {
            case_id: case_id.to_owned(),
        };
        if let Err(error) = self
            .execute::<EnterpriseRegistry>(uscc.as_str(), release, services, plain.clone())
            .await
        {
            tracing::warn!(%uscc, case_id, %error, detail = error.detail().unwrap_or_default(), "USCC release failed; it will be taken over as stale");
        }
    }

    async fn issue_number(
        &self,
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
            match self
                .execute::<CaseNumberBook>(&book_id, issue.clone(), services, plain.clone())
                .await
            {
                Ok(_) => break,
                Err(StoreError::Conflict { .. }) if attempt < RACE_ATTEMPTS => continue,
                Err(other) => return Err(other),
            }
        }
        let book = self.load::<CaseNumberBook>(&book_id).await?.state;
        book.number_of(case_id).ok_or_else(|| StoreError::Decode {
            detail: format!("case number book {book_id} has no number for case {case_id}"),
        })
    }
}

fn register_command(registration: &CaseRegistration, case_number: String) -> CaseCommand {
    let command = CaseCommand::Register {
        case_number,
        enterprise: registration.enterprise.clone(),
        lead_source: registration.lead_source,
        stage: registration.stage,
        registered_on: registration.registered_on,
    };
    match &registration.late_reason {
        Some(reason) => CaseCommand::LateEntry {
            reason: reason.clone(),
            command: Box::new(command),
        },
        None => command,
    }
}

/// Decides `command` on a case with no history, without storing anything.
async fn decide_new(
    command: CaseCommand,
    services: &CaseServices,
) -> Result<Vec<CaseEvent>, StoreError> {
    let mut case = EnterpriseCase::default();
    let sink = EventSink::<EnterpriseCase>::default();
    case.handle(command, services, &sink).await?;
    Ok(sink.collect().await)
}
