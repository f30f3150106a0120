//! What team events do to a case: the lead steward and members, each as a spell with a start
//! and (once over) an end, dated by when the event was recorded. The current lead is also
//! kept on the record, since every counted fact reads it to credit the right steward.

use chrono::{DateTime, Utc};
use guanjia_domain::case::CaseEvent;
use guanjia_domain::values::Tier;

use super::PushExact;
use super::{index, CaseRecord, Mark, TeamSpell};
use crate::symbols::Symbols;

/// Applies a lead-steward or member event recorded at `at`.
pub(super) fn apply(
    record: &mut CaseRecord,
    at: DateTime<Utc>,
    event: CaseEvent,
    symbols: &mut Symbols,
) -> Option<Mark> {
    use CaseEvent as E;
    match event {
        E::LeadStewardAssigned { steward, tier } => {
            Some(start_lead(record, symbols, &steward, tier, at, None))
        }
        E::LeadStewardReplaced {
            steward,
            tier,
            reason,
            ..
        } => Some(start_lead(
            record,
            symbols,
            &steward,
            tier,
            at,
            Some(reason),
        )),
        E::TeamMemberAdded { member } => {
            record.team.push_exact(TeamSpell {
                user: symbols.intern(&member.user_id),
                role: Some(member.role.into()),
                tier: member.tier,
                from: at,
                to: None,
                end_reason: None,
            });
            Some(Mark::about(index(record.team.len() - 1)))
        }
        E::TeamMemberRemoved { user_id, reason } => {
            let user = symbols.intern(&user_id);
            let (ordinal, spell) = record
                .team
                .iter_mut()
                .enumerate()
                .rev()
                .find(|(_, s)| s.user == user && s.role.is_some() && s.to.is_none())?;
            spell.to = Some(at);
            spell.end_reason = reason.map(Into::into);
            Some(Mark::about(index(ordinal)))
        }
        _ => None,
    }
}

/// Ends the open lead spell (if any) and starts one for `steward`.
fn start_lead(
    record: &mut CaseRecord,
    symbols: &mut Symbols,
    steward: &str,
    tier: Tier,
    at: DateTime<Utc>,
    reason: Option<String>,
) -> Mark {
    if let Some(open) = record
        .team
        .iter_mut()
        .find(|s| s.role.is_none() && s.to.is_none())
    {
        open.to = Some(at);
        open.end_reason = reason.map(Into::into);
    }
    let user = symbols.intern(steward);
    record.lead = Some(user);
    record.team.push_exact(TeamSpell {
        user,
        role: None,
        tier,
        from: at,
        to: None,
        end_reason: None,
    });
    Mark::about(index(record.team.len() - 1))
}
