//! The rules of a case's rating links: a link is recorded once under its id, with an expiry
//! after its issue and at most [`MAX_TTL_HOURS`] away; only a live link (not revoked, not
//! expired) can be revoked, and only with a reason. Whether its target is rated already (the
//! link spent) is the case's, checked by the application layer.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};

use super::{RatingLinkChannel, RatingLinkCommand, RatingLinkEvent, MAX_TTL_HOURS, REASON_MAX};
use crate::case::model::RatingTarget;
use crate::case::CaseServices;
use crate::error::{DomainError, ValueError};
use crate::progress::aggregate::checked_link_id;
use crate::values::text::{self, LABEL_MAX};

/// One link as the rules and the lists need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingLinkState {
    pub target: RatingTarget,
    pub channel: RatingLinkChannel,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoke_reason: Option<String>,
}

/// The rating links of one case (stream id: the case id).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingLinks {
    pub case_id: Option<String>,
    /// Every link ever recorded, by id.
    pub links: BTreeMap<String, RatingLinkState>,
}

/// Why a recorded link takes no rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RatingLinkRefusal {
    /// Revoked by the team or an admin.
    Revoked,
    /// Past its expiry.
    Expired,
}

impl RatingLinks {
    /// Whether the recorded link `link_id` takes a rating at `now`: `None` for a link this
    /// stream does not hold (one issued before links were recorded, decided by the caller).
    pub fn standing(
        &self,
        link_id: &str,
        now: DateTime<Utc>,
    ) -> Option<Result<&RatingLinkState, RatingLinkRefusal>> {
        let link = self.links.get(link_id)?;
        Some(if link.revoked_at.is_some() {
            Err(RatingLinkRefusal::Revoked)
        } else if now >= link.expires_at {
            Err(RatingLinkRefusal::Expired)
        } else {
            Ok(link)
        })
    }

    fn decide(
        &self,
        command: RatingLinkCommand,
        now: DateTime<Utc>,
    ) -> Result<RatingLinkEvent, DomainError> {
        match command {
            RatingLinkCommand::Issue {
                case_id,
                link_id,
                target,
                channel,
                expires_at,
            } => {
                let case_id = text::required("case_id", &case_id, LABEL_MAX)?;
                if self.case_id.as_ref().is_some_and(|known| *known != case_id) {
                    return Err(DomainError::NotAllowed(format!(
                        "these rating links belong to another case than {case_id}"
                    )));
                }
                let link_id = checked_link_id(&link_id)?;
                if self.links.contains_key(&link_id) {
                    return Err(DomainError::AlreadyExists(format!(
                        "rating link {link_id} already exists"
                    )));
                }
                let hours = (expires_at - now).num_hours();
                if expires_at <= now || expires_at > now + Duration::hours(MAX_TTL_HOURS.into()) {
                    return Err(DomainError::invalid(
                        "expires_at",
                        ValueError::OutOfRange {
                            min: 1,
                            max: MAX_TTL_HOURS.into(),
                            actual: hours,
                        },
                    ));
                }
                Ok(RatingLinkEvent::RatingLinkIssued {
                    case_id,
                    link_id,
                    target,
                    channel,
                    issued_at: now,
                    expires_at,
                })
            }
            RatingLinkCommand::Revoke { link_id, reason } => {
                let link_id = link_id.trim().to_owned();
                match self.standing(&link_id, now) {
                    Some(Ok(_)) => {}
                    None => {
                        return Err(DomainError::NotFound {
                            what: format!("rating link {link_id}"),
                        })
                    }
                    Some(Err(RatingLinkRefusal::Revoked)) => {
                        return Err(DomainError::NotAllowed(format!(
                            "rating link {link_id} is already revoked"
                        )))
                    }
                    Some(Err(RatingLinkRefusal::Expired)) => {
                        return Err(DomainError::NotAllowed(format!(
                            "rating link {link_id} has expired: it takes no rating already"
                        )))
                    }
                }
                let reason = text::required("reason", &reason, REASON_MAX)?;
                Ok(RatingLinkEvent::RatingLinkRevoked {
                    link_id,
                    reason,
                    revoked_at: now,
                })
            }
        }
    }
}

impl Aggregate for RatingLinks {
    const TYPE: &'static str = "rating_links";
    type Command = RatingLinkCommand;
    type Event = RatingLinkEvent;
    type Error = DomainError;
    type Services = CaseServices;

    async fn handle(
        &mut self,
        command: Self::Command,
        services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let event = self.decide(command, services.clock.now())?;
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            RatingLinkEvent::RatingLinkIssued {
                case_id,
                link_id,
                target,
                channel,
                issued_at,
                expires_at,
            } => {
                self.case_id = Some(case_id);
                self.links.insert(
                    link_id,
                    RatingLinkState {
                        target,
                        channel,
                        issued_at,
                        expires_at,
                        revoked_at: None,
                        revoke_reason: None,
                    },
                );
            }
            RatingLinkEvent::RatingLinkRevoked {
                link_id,
                reason,
                revoked_at,
            } => {
                if let Some(link) = self.links.get_mut(&link_id) {
                    link.revoked_at = Some(revoked_at);
                    link.revoke_reason = Some(reason);
                }
            }
        }
    }
}
