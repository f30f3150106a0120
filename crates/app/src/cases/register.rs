//! Registering a case: who may, and the process across aggregates — decide once on a blank
//! case so bad input is refused before anything is claimed or numbered, claim the USCC (if
//! any), take the next case number of the registration year, record `CaseRegistered`. A crash
//! in between leaves a claim whose case never came (taken over after a while) or a number that
//! was issued but never used (a gap: numbers are never reused, not necessarily dense).

use chrono::{Datelike, NaiveDate};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use guanjia_domain::case::commands::EnterpriseInput;
use guanjia_domain::case::dates::business_date;
use guanjia_domain::case::model::{LeadSource, Stage};
use guanjia_domain::case::{CaseCommand, CaseEvent, CaseServices, EnterpriseCase};
use guanjia_domain::clock::china_date;
use guanjia_domain::values::{CaseNumber, DivisionCode};
use guanjia_domain::DomainError;
use guanjia_store::{CommandContext, Store};
use uuid::Uuid;

use super::registry::{claim_uscc, issue_number, release_uscc};
use super::CaseOutcome;
use crate::periods::check::ClosedPeriods;
use crate::{authz, Actor, App, AppError};

/// Namespace of case ids derived from an idempotency key, so that a registration sent twice
/// with the same key names the same case.
const CASE_ID_NAMESPACE: Uuid = Uuid::from_u128(0x6775_616e_6a69_6121_a9e3_0c5b_2f1d_7e44);

/// A new case as the user entered it; registration gives it an id and a case number.
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

impl App {
    /// Registers a case for `actor` (stewards and leaders, for an enterprise in their
    /// division). With an idempotency key, sending the same registration again returns the
    /// first outcome and takes no second number; the key is the actor's own, so two users who
    /// pick the same key do not land on the same case.
    pub async fn register_case(
        &self,
        actor: &Actor,
        registration: CaseRegistration,
        mut context: CommandContext,
    ) -> Result<CaseOutcome, AppError> {
        let division = DivisionCode::parse(&registration.enterprise.division)
            .map_err(|e| DomainError::invalid("division", e))?;
        if !authz::can_register_case(actor, &division) {
            return Err(AppError::Forbidden(format!(
                "a {} may not register a case in division {division}",
                actor.role
            )));
        }
        context.command_key = context
            .command_key
            .map(|key| format!("register/{}/{key}", actor.username));
        register(self.store(), registration, self.services(), context).await
    }
}

/// Registers a case without asking who registers it: the process behind
/// [`App::register_case`], once the actor is checked (and the trusted path of tests,
/// `crate::testing`, feature `testing`).
///
/// With an idempotency key the case id is derived from the key, so a repeat returns the first
/// outcome and takes no second number.
pub(crate) async fn register(
    store: &Store,
    registration: CaseRegistration,
    services: &CaseServices,
    context: CommandContext,
) -> Result<CaseOutcome, AppError> {
    let case_id = match &context.command_key {
        Some(key) => Uuid::new_v5(&CASE_ID_NAMESPACE, key.as_bytes()).to_string(),
        None => Uuid::now_v7().to_string(),
    };
    let year = registration
        .registered_on
        .unwrap_or_else(|| china_date(services.clock.now()))
        .year();
    // Decided once against a blank case with a stand-in number, so that bad input is refused
    // before anything is claimed or numbered.
    let probe = register_command(&registration, format!("{year}-0001"));
    // The registration itself: a late entry's record may come first.
    let decided = decide_new(probe, services).await?;
    // A registration dated inside a closed period (封账) is refused: no approval can name a
    // case that does not exist yet (crate::periods::check).
    if let Some(division) = decided.iter().find_map(|event| match event {
        CaseEvent::CaseRegistered { enterprise, .. } => Some(enterprise.division.clone()),
        _ => None,
    }) {
        let dates: Vec<NaiveDate> = decided.iter().filter_map(business_date).collect();
        ClosedPeriods::load(store, &division)
            .await?
            .refuse_any(&dates)?;
    }
    let uscc = decided.iter().find_map(|event| match event {
        CaseEvent::CaseRegistered { enterprise, .. } => enterprise.uscc.clone(),
        _ => None,
    });
    let plain = CommandContext::new(context.metadata.clone());
    let claimed = match &uscc {
        Some(uscc) => claim_uscc(store, uscc, &case_id, services, &plain).await?,
        None => false,
    };
    let outcome = async {
        let case_number = issue_number(store, year, &case_id, services, &plain).await?;
        let command = register_command(&registration, case_number.to_string());
        let committed = store
            .execute::<EnterpriseCase>(&case_id, command, services, context)
            .await?;
        Ok::<_, guanjia_store::StoreError>((case_number, committed))
    }
    .await;
    if outcome.is_err() && claimed {
        if let Some(uscc) = &uscc {
            release_uscc(store, uscc, &case_id, services, &plain).await;
        }
    }
    let (case_number, committed): (CaseNumber, _) = outcome?;
    Ok(CaseOutcome {
        case_id,
        case_number: Some(case_number),
        committed,
    })
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
) -> Result<Vec<CaseEvent>, DomainError> {
    let mut case = EnterpriseCase::default();
    let sink = EventSink::<EnterpriseCase>::default();
    case.handle(command, services, &sink).await?;
    Ok(sink.collect().await)
}
