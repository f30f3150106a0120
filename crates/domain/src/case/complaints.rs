//! 办不成事 complaints: lodged, assigned, then resolved with an answer or referred elsewhere.
//! Like ratings they are accepted on a closed case.

use super::commands::CaseCommand;
use super::dates::not_before;
use super::events::CaseEvent;
use super::guards::Now;
use super::ratings::person;
use super::state::{ComplaintStatus, EnterpriseCase};
use super::team::user_id;
use crate::error::DomainError;
use crate::values::text::{self, BODY_MAX, LABEL_MAX};

pub(super) fn decide(
    case: &EnterpriseCase,
    command: CaseCommand,
    now: Now,
) -> Result<Vec<CaseEvent>, DomainError> {
    use CaseCommand as C;
    let event = match command {
        C::LodgeComplaint {
            channel,
            content,
            complainant,
            lodged_on,
        } => {
            let lodged_on = now.date("lodged_on", lodged_on)?;
            // A complaint may concern an earlier term, but never a time before the case existed.
            if let Some(registered_on) = case.registered_on {
                not_before("lodged_on", lodged_on, registered_on, "the registration")?;
            }
            CaseEvent::ComplaintLodged {
                complaint_no: case.complaints.keys().next_back().map_or(1, |n| n + 1),
                channel,
                content: text::required("content", &content, BODY_MAX)?,
                complainant: person("complainant", complainant)?,
                lodged_on,
            }
        }
        C::AssignComplaint {
            complaint_no,
            assignee,
        } => {
            open_complaint(case, complaint_no)?;
            CaseEvent::ComplaintAssigned {
                complaint_no,
                assignee: user_id("assignee", &assignee)?,
            }
        }
        C::ResolveComplaint {
            complaint_no,
            answer,
            resolved_on,
            signed_off_by,
        } => {
            if open_complaint(case, complaint_no)? != ComplaintStatus::Assigned {
                return Err(DomainError::not_allowed(format!(
                    "complaint {complaint_no} must be assigned before it is resolved"
                )));
            }
            let resolved_on = now.date("resolved_on", resolved_on)?;
            if let Some(lodged_on) = case.dates.complaints.get(&complaint_no) {
                not_before("resolved_on", resolved_on, *lodged_on, "the complaint")?;
            }
            let signed_off_by = match signed_off_by {
                Some(leader) => Some(signer_off_the_team(case, complaint_no, &leader)?),
                None => None,
            };
            CaseEvent::ComplaintResolved {
                complaint_no,
                answer: text::required("answer", &answer, BODY_MAX)?,
                resolved_on,
                signed_off_by,
            }
        }
        C::ReferComplaint {
            complaint_no,
            to_department,
            reason,
        } => {
            open_complaint(case, complaint_no)?;
            CaseEvent::ComplaintReferred {
                complaint_no,
                to_department: text::required("to_department", &to_department, LABEL_MAX)?,
                reason: text::required("reason", &reason, BODY_MAX)?,
            }
        }
        _ => return Err(super::misrouted()),
    };
    Ok(vec![event])
}

/// A 办不成事 complaint is about the case's team: the one who signs its answer off is not on it.
fn signer_off_the_team(
    case: &EnterpriseCase,
    complaint_no: u32,
    signer: &str,
) -> Result<String, DomainError> {
    let signer = user_id("signed_off_by", signer)?;
    let on_team =
        case.lead_steward.as_deref() == Some(signer.as_str()) || case.members.contains_key(&signer);
    if on_team {
        return Err(DomainError::not_allowed(format!(
            "complaint {complaint_no} is about this case's team, so {signer}, who is on it, \
             cannot sign off its answer: a leader of the division outside the team does"
        )));
    }
    Ok(signer)
}

/// A complaint that is still being handled, with its status.
fn open_complaint(
    case: &EnterpriseCase,
    complaint_no: u32,
) -> Result<ComplaintStatus, DomainError> {
    match case.complaints.get(&complaint_no) {
        None => Err(DomainError::NotFound {
            what: format!("complaint {complaint_no}"),
        }),
        Some(ComplaintStatus::Resolved) => Err(DomainError::not_allowed(format!(
            "complaint {complaint_no} is already resolved"
        ))),
        Some(ComplaintStatus::Referred) => Err(DomainError::not_allowed(format!(
            "complaint {complaint_no} was referred"
        ))),
        Some(status) => Ok(*status),
    }
}
