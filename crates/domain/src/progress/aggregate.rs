//! The rules of a case's progress links: a link is issued once under a new id, with a validity
//! of 1 hour to [`MAX_TTL_HOURS`], at most [`MAX_LIVE_LINKS`] alive at once; only a live link
//! (not revoked, not expired) can be revoked; and a link opens the case only while it is live.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};

use super::{
    ProgressChannel, ProgressLinkCommand, ProgressLinkEvent, LINK_ID_MAX, MAX_LIVE_LINKS,
    MAX_TTL_HOURS,
};
use crate::case::CaseServices;
use crate::error::{DomainError, ValueError};
use crate::values::text::{self, LABEL_MAX};

/// One link as the rules and the team's list need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkState {
    pub channel: ProgressChannel,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl LinkState {
    /// Whether the link opens the case at `now`.
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && now < self.expires_at
    }
}

/// The progress links of one case (stream id: the case id).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressLinks {
    pub case_id: Option<String>,
    /// Every link ever issued, by id.
    pub links: BTreeMap<String, LinkState>,
}

/// Why a link does not open the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenRefusal {
    /// No such link of this case.
    Unknown,
    /// Its team revoked it.
    Revoked,
    /// Past its expiry.
    Expired,
}

impl ProgressLinks {
    /// The link `link_id` if it opens the case at `now`, else why not.
    pub fn open(&self, link_id: &str, now: DateTime<Utc>) -> Result<&LinkState, OpenRefusal> {
        let link = self.links.get(link_id).ok_or(OpenRefusal::Unknown)?;
        if link.revoked_at.is_some() {
            Err(OpenRefusal::Revoked)
        } else if now >= link.expires_at {
            Err(OpenRefusal::Expired)
        } else {
            Ok(link)
        }
    }

    fn decide(
        &self,
        command: ProgressLinkCommand,
        now: DateTime<Utc>,
    ) -> Result<ProgressLinkEvent, DomainError> {
        match command {
            ProgressLinkCommand::Issue {
                case_id,
                link_id,
                ttl_hours,
                channel,
            } => {
                let case_id = text::required("case_id", &case_id, LABEL_MAX)?;
                if self.case_id.as_ref().is_some_and(|known| *known != case_id) {
                    return Err(DomainError::NotAllowed(format!(
                        "these progress links belong to another case than {case_id}"
                    )));
                }
                let link_id = checked_link_id(&link_id)?;
                if self.links.contains_key(&link_id) {
                    return Err(DomainError::AlreadyExists(format!(
                        "progress link {link_id} already exists"
                    )));
                }
                if !(1..=MAX_TTL_HOURS).contains(&ttl_hours) {
                    return Err(DomainError::invalid(
                        "ttl_hours",
                        ValueError::OutOfRange {
                            min: 1,
                            max: MAX_TTL_HOURS.into(),
                            actual: ttl_hours.into(),
                        },
                    ));
                }
                let live = self.links.values().filter(|l| l.is_live(now)).count();
                if live >= MAX_LIVE_LINKS {
                    return Err(DomainError::NotAllowed(format!(
                        "the case has {live} live progress links, the most allowed: revoke one first"
                    )));
                }
                Ok(ProgressLinkEvent::ProgressLinkIssued {
                    case_id,
                    link_id,
                    channel,
                    issued_at: now,
                    expires_at: now + Duration::hours(i64::from(ttl_hours)),
                })
            }
            ProgressLinkCommand::Revoke { link_id } => {
                let link_id = link_id.trim().to_owned();
                match self.open(&link_id, now) {
                    Ok(_) => Ok(ProgressLinkEvent::ProgressLinkRevoked {
                        link_id,
                        revoked_at: now,
                    }),
                    Err(OpenRefusal::Unknown) => Err(DomainError::NotFound {
                        what: format!("progress link {link_id}"),
                    }),
                    Err(OpenRefusal::Revoked) => Err(DomainError::NotAllowed(format!(
                        "progress link {link_id} is already revoked"
                    ))),
                    Err(OpenRefusal::Expired) => Err(DomainError::NotAllowed(format!(
                        "progress link {link_id} has expired: it opens nothing already"
                    ))),
                }
            }
        }
    }
}

/// A link id: 1–[`LINK_ID_MAX`] letters, digits, `-` or `_` (it travels in URLs).
pub(crate) fn checked_link_id(link_id: &str) -> Result<String, DomainError> {
    let link_id = link_id.trim();
    if link_id.is_empty() {
        return Err(DomainError::invalid("link_id", ValueError::Empty));
    }
    let len = link_id.chars().count();
    if len > LINK_ID_MAX {
        return Err(DomainError::invalid(
            "link_id",
            ValueError::TooLong {
                max: LINK_ID_MAX,
                actual: len,
            },
        ));
    }
    if let Some((position, found)) = link_id
        .chars()
        .enumerate()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(DomainError::invalid(
            "link_id",
            ValueError::BadCharacter {
                position,
                found,
                allowed: "letters, digits, '-' and '_'",
            },
        ));
    }
    Ok(link_id.to_owned())
}

impl Aggregate for ProgressLinks {
    const TYPE: &'static str = "progress_links";
    type Command = ProgressLinkCommand;
    type Event = ProgressLinkEvent;
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
            ProgressLinkEvent::ProgressLinkIssued {
                case_id,
                link_id,
                channel,
                issued_at,
                expires_at,
            } => {
                self.case_id = Some(case_id);
                self.links.insert(
                    link_id,
                    LinkState {
                        channel,
                        issued_at,
                        expires_at,
                        revoked_at: None,
                    },
                );
            }
            ProgressLinkEvent::ProgressLinkRevoked {
                link_id,
                revoked_at,
            } => {
                if let Some(link) = self.links.get_mut(&link_id) {
                    link.revoked_at = Some(revoked_at);
                }
            }
        }
    }
}
