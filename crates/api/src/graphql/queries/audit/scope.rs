//! Which events an auditor's history holds: the GraphQL filter, the store filter it becomes
//! (a case named must be in the auditor's scope), and the scope check of each event read — a
//! case's event (and its progress links') by the case's division, a user's by the user's, a
//! read of personal data by the division of the case (or 办不成事 report) that was read, the
//! quarantine of a case's unreadable event by the
//! case's division, anything else for district auditors only.

use async_graphql::{Context, InputObject, ID};
use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use guanjia_domain::access::AccessLog;
use guanjia_domain::case::EnterpriseCase;
use guanjia_domain::periods::ReportingPeriods;
use guanjia_domain::progress::ProgressLinks;
use guanjia_domain::quarantine::Quarantine;
use guanjia_domain::rating_links::RatingLinks;
use guanjia_domain::user::User;
use guanjia_domain::values::DivisionCode;
use guanjia_store::{AuditFilter, StoredEvent};

use crate::auth::{authz, Actor};
use crate::error::ApiError;
use crate::graphql::context::{read, username};
use crate::state::AppState;

/// Which events: every field left out does not filter.
#[derive(InputObject, Default)]
pub struct AuditHistoryFilter {
    /// The events of one case.
    pub case_id: Option<ID>,
    /// Who read this case's personal data: the `PersonalDataRead` events of the access log
    /// (one stream per request, `aggregateId` `<reader>/<id>`) that name the case. Not
    /// together with `caseId`.
    pub personal_data_read_of: Option<ID>,
    /// `enterprise_case`, `user`, `service_catalog`, …
    pub aggregate_type: Option<String>,
    /// The username that appended them.
    pub actor: Option<String>,
    /// e.g. `ServiceItemAccepted`.
    pub event_type: Option<String>,
    /// Recorded at or after.
    pub from: Option<DateTime<Utc>>,
    /// Recorded strictly before.
    pub until: Option<DateTime<Utc>>,
}

/// The store's filter for `filter`; a case filter must name a case in the auditor's scope.
pub(super) fn store_filter(
    ctx: &Context<'_>,
    actor: &Actor,
    filter: AuditHistoryFilter,
) -> Result<AuditFilter, ApiError> {
    let mut aggregate_type = filter.aggregate_type;
    let (aggregate_id, read_of_case) = match (filter.case_id, filter.personal_data_read_of) {
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_input(
                "personalDataReadOf",
                "one_of",
                "give caseId (the case's events) or personalDataReadOf (who read its personal \
                 data), not both",
            ))
        }
        (Some(id), None) => {
            aggregate_type = Some(EnterpriseCase::TYPE.to_owned());
            (Some(audited_case(ctx, actor, &id)?), None)
        }
        (None, Some(id)) => {
            aggregate_type = Some(AccessLog::TYPE.to_owned());
            (None, Some(audited_case(ctx, actor, &id)?))
        }
        (None, None) => (None, None),
    };
    let actor_id = filter
        .actor
        .as_deref()
        .map(|name| username("actor", name).map(|n| n.to_string()))
        .transpose()?;
    Ok(AuditFilter {
        aggregate_type,
        aggregate_id,
        actor_id,
        event_type: filter.event_type,
        from: filter.from,
        until: filter.until,
        read_of_case,
    })
}

/// The id of a case in the auditor's scope, else `NOT_FOUND`.
fn audited_case(ctx: &Context<'_>, actor: &Actor, id: &ID) -> Result<String, ApiError> {
    let id = id.trim().to_owned();
    let division = read(ctx)?.read(|m| read_owner(m, &id));
    if division
        .as_ref()
        .is_some_and(|d| authz::can_audit(actor, d))
    {
        Ok(id)
    } else {
        Err(authz::case_not_found().into())
    }
}

/// Whether `actor` may see `event` (see the module documentation).
pub(super) fn visible(state: &AppState, actor: &Actor, event: &StoredEvent) -> bool {
    let case_of = |id: &str| state.read.read(|m| m.case_by_id(id)).map(|c| c.division);
    // A case's progress and rating links are kept in streams named by the case id: they are
    // the case's.
    let of_case = [EnterpriseCase::TYPE, ProgressLinks::TYPE, RatingLinks::TYPE]
        .contains(&event.aggregate_type.as_str());
    let division: Option<DivisionCode> = if of_case {
        match case_of(&event.aggregate_id) {
            Some(division) => Some(division),
            // Not a case this node knows: nobody's to see.
            None => return false,
        }
    } else if event.aggregate_type == AccessLog::TYPE {
        // A read belongs to the case (or 办不成事 report) that was read: its auditors answer
        // "who looked at it?".
        let read = event.payload.pointer("/PersonalDataRead/case_id");
        let owner = |id: &str| state.read.read(|m| read_owner(m, id));
        match read.and_then(|id| id.as_str()).and_then(owner) {
            Some(division) => Some(division),
            None => return false,
        }
    } else if event.aggregate_type == Quarantine::TYPE {
        // An unreadable event put aside belongs to the record it was part of.
        let row = event.payload.pointer("/EventQuarantined/row");
        let of_case = row
            .and_then(|row| row.get("aggregate_type"))
            .and_then(|kind| kind.as_str())
            == Some(EnterpriseCase::TYPE);
        let case = row
            .and_then(|row| row.get("aggregate_id"))
            .and_then(|id| id.as_str());
        case.filter(|_| of_case).and_then(case_of)
    } else if event.aggregate_type == ReportingPeriods::TYPE {
        // A division's closed periods and approvals belong to the division (the stream id).
        match DivisionCode::parse(&event.aggregate_id) {
            Ok(division) => Some(division),
            Err(_) => return false,
        }
    } else if event.aggregate_type == User::TYPE {
        state
            .auth
            .directory()
            .get(&event.aggregate_id)
            .map(|account| account.division)
    } else {
        None
    };
    authz::can_audit_event(actor, division.as_ref())
}

/// The division of what an access-log read names: a case, or a 办不成事 report (whose reporter's
/// phone is read under its tracking code).
fn read_owner(m: &guanjia_read::ReadModel, id: &str) -> Option<DivisionCode> {
    m.case_by_id(id)
        .map(|c| c.division)
        .or_else(|| m.problem_report(id).map(|r| r.division))
}
