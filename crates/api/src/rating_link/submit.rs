//! Opening a link and recording its one rating.
//!
//! [`open`] checks the token (signature, audience, expiry), the link's record in the log
//! (revoked: refused at once, on every node; no record: a link issued before links were
//! recorded, taken until it expires), loads the case and refuses a spent link; [`record`] sends `CaseCommand::Rate` for the link's target with the link's channel
//! (二维码 or 短信) and the offline dimension set (服务效率, 服务水平, 服务态度). The contact
//! stays anonymous: no name or phone is asked for or stored. The events say who and how:
//! actor `enterprise-contact` (role `enterprise_contact`), channel `rating_link`, and the
//! link's nonce as causation id, which ties the rating to the issuing log line.

use guanjia_app::cases::rating_link_record::LINK_REVOKED;
use guanjia_app::AppError;
use guanjia_domain::case::commands::{PersonInput, RatingInput};
use guanjia_domain::case::model::{CaseState, DimensionSet};
use guanjia_domain::case::{CaseEvent, EnterpriseCase};
use guanjia_domain::rating_links::RatingLinkRefusal;
use guanjia_domain::DomainError;
use guanjia_store::{CommandContext, EventMetadata, LogPosition, StoreError};
use serde::Deserialize;

use super::refusal::Refusal;
use super::subject::{readiness, subject, Readiness, Subject};
use super::token::{Link, LinkError};
use super::{ACTOR_ID, ACTOR_ROLE, CHANNEL};
use crate::error::camel_case;
use crate::state::AppState;

/// The dimensions of the offline set, as the form names them.
pub const DIMENSIONS: [&str; 3] = ["efficiency", "quality", "attitude"];

/// A link that may be used now, and what it rates.
#[derive(Debug, Clone)]
pub struct Opened {
    pub link: Link,
    pub subject: Subject,
}

/// The link of `token`, if it can be used now.
pub async fn open(state: &AppState, token: &str) -> Result<Opened, Refusal> {
    let link = state
        .rating_links
        .signer()
        .verify(token, state.clock.now())
        .map_err(|error| match error {
            LinkError::Forged => Refusal::Forged,
            LinkError::Expired => Refusal::Expired,
        })?;
    match state
        .app
        .rating_link_refusal(&link.case_id, &link.nonce)
        .await
        .map_err(Refusal::internal)?
    {
        None => {}
        Some(RatingLinkRefusal::Revoked) => return Err(Refusal::Revoked),
        Some(RatingLinkRefusal::Expired) => return Err(Refusal::Expired),
    }
    let case = state
        .store
        .load::<EnterpriseCase>(&link.case_id)
        .await
        .map_err(Refusal::internal)?
        .state;
    // A genuine link for a case or target this database lacks (a restored backup, another
    // deployment with the same key): not a link of this server, as far as anyone is told.
    if case.state == CaseState::Unregistered || case.enterprise.is_none() {
        return Err(Refusal::Forged);
    }
    match readiness(&case, link.target) {
        Readiness::Ready => {}
        Readiness::Rated(_) => return Err(Refusal::Used),
        Readiness::Missing => return Err(Refusal::Forged),
        Readiness::NotReady(rule) => {
            return Err(Refusal::NotRateable {
                rule: rule.to_owned(),
            })
        }
    }
    let subject = subject(&state.store, &link.case_id, &case, link.target)
        .await
        .map_err(Refusal::internal)?;
    Ok(Opened { link, subject })
}

/// A form field: a string from an HTML form, a number or a string from JSON.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Field {
    Number(i64),
    Text(String),
}

/// The rating as submitted (HTML form or JSON, the same names). Unknown fields are ignored.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RatingForm {
    pub level: Option<Field>,
    pub efficiency: Option<Field>,
    pub quality: Option<Field>,
    pub attitude: Option<Field>,
    pub comment: Option<String>,
}

/// A rating recorded through a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recorded {
    pub rating_no: u32,
    /// The log position of the rating's event: a later read can wait for it
    /// (`case(id:, atLeast:)`), as after a mutation.
    pub position: LogPosition,
    /// Whether this node's read model had applied the rating before the answer (as a
    /// mutation's `caughtUp`): if so, the next read on this node shows it without waiting.
    pub caught_up: bool,
}

/// Records the rating of an opened link.
pub async fn record(
    state: &AppState,
    opened: &Opened,
    form: RatingForm,
    request_id: &str,
) -> Result<Recorded, Refusal> {
    let rating = rating_input(&opened.link, form)?;
    let link = &opened.link;
    let metadata = EventMetadata {
        actor_id: ACTOR_ID.to_owned(),
        actor_role: ACTOR_ROLE.to_owned(),
        correlation_id: request_id.to_owned(),
        causation_id: format!("rating-link:{}", link.nonce),
        request_id: request_id.to_owned(),
        channel: CHANNEL.to_owned(),
    };
    let committed = state
        .app
        .rate_through_link(
            &link.case_id,
            &link.nonce,
            link.target,
            rating,
            CommandContext::new(metadata),
        )
        .await
        .map_err(refusal_of)?
        .committed;
    let rating_no = committed
        .events
        .iter()
        .find_map(
            |event| match serde_json::from_value::<CaseEvent>(event.payload.clone()) {
                Ok(CaseEvent::RatingRecorded { rating_no, .. }) => Some(rating_no),
                _ => None,
            },
        )
        .ok_or_else(|| Refusal::internal("the rating command recorded no rating"))?;
    tracing::info!(case_id = %link.case_id, rating_no, nonce = %link.nonce, "rating recorded through a link");
    // Read-your-writes, as after a mutation: the rating is committed either way, so a read
    // model that lags only turns `caught_up` false.
    let position = committed.position;
    let waited = state.read.wait_for(position, state.limits.read_wait).await;
    if let Err(error) = &waited {
        tracing::warn!(%error, %position, "a link's rating was not readable in time");
    }
    Ok(Recorded {
        rating_no,
        position,
        caught_up: waited.is_ok(),
    })
}

fn rating_input(link: &Link, form: RatingForm) -> Result<RatingInput, Refusal> {
    let level = score("level", form.level)?.ok_or_else(|| Refusal::Invalid {
        field: "level".to_owned(),
        message: "choose a level from 1 (非常不满意) to 5 (非常满意)".to_owned(),
    })?;
    let mut dimensions = Vec::new();
    for (key, value) in DIMENSIONS
        .into_iter()
        .zip([form.efficiency, form.quality, form.attitude])
    {
        if let Some(score) = score(key, value)? {
            dimensions.push((key.to_owned(), score));
        }
    }
    let comment = form
        .comment
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty());
    Ok(RatingInput {
        level,
        dimension_set: DimensionSet::Offline2019,
        dimensions,
        channel: link.channel.into(),
        comment,
        // Anonymous on purpose: the page asks for no personal data.
        rater: PersonInput {
            name: None,
            phone: None,
        },
        rated_at: None,
        recorded_by: None,
    })
}

/// A score of 1–5, or `None` when left blank.
fn score(field: &str, value: Option<Field>) -> Result<Option<u8>, Refusal> {
    let invalid = || Refusal::Invalid {
        field: field.to_owned(),
        message: "must be a whole number from 1 to 5".to_owned(),
    };
    let number = match value {
        None => return Ok(None),
        Some(Field::Number(n)) => n,
        Some(Field::Text(text)) if text.trim().is_empty() => return Ok(None),
        Some(Field::Text(text)) => text.trim().parse().map_err(|_| invalid())?,
    };
    match u8::try_from(number) {
        Ok(score @ 1..=5) => Ok(Some(score)),
        _ => Err(invalid()),
    }
}

/// What the aggregate's answer means to the person holding the link.
fn refusal_of(error: AppError) -> Refusal {
    match error {
        // Revoked between the opening and the rating: the record decides.
        AppError::BadInput { rule, .. } if rule == LINK_REVOKED => Refusal::Revoked,
        AppError::BadInput {
            rule: "link_expired",
            ..
        } => Refusal::Expired,
        // One rating per target: a second one through this (or any) link is the replay.
        AppError::Rejected(DomainError::AlreadyExists(_)) => Refusal::Used,
        AppError::Rejected(DomainError::Invalid { field, source }) => Refusal::Invalid {
            field: camel_case(field),
            message: source.to_string(),
        },
        AppError::Rejected(DomainError::NotFound { .. }) => Refusal::Forged,
        AppError::Rejected(other) => Refusal::NotRateable {
            rule: other.to_string(),
        },
        AppError::Store(StoreError::Conflict { .. }) => Refusal::Conflict,
        AppError::Store(other) => {
            Refusal::internal(format!("{other}: {}", other.detail().unwrap_or_default()))
        }
        other => Refusal::internal(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_are_whole_numbers_from_one_to_five_or_blank() {
        let text = |s: &str| Some(Field::Text(s.to_owned()));
        assert_eq!(score("level", text(" 4 ")), Ok(Some(4)));
        assert_eq!(score("level", Some(Field::Number(5))), Ok(Some(5)));
        assert_eq!(score("quality", text("")), Ok(None));
        assert_eq!(score("quality", None), Ok(None));
        for bad in [
            text("0"),
            text("6"),
            text("4.5"),
            text("五"),
            Some(Field::Number(-1)),
        ] {
            assert!(
                matches!(score("attitude", bad), Err(Refusal::Invalid { ref field, .. }) if field == "attitude")
            );
        }
    }

    #[test]
    fn a_link_revoked_before_its_rating_is_refused_as_revoked() {
        let revoked = AppError::bad_input("link", LINK_REVOKED, "rating link n is revoked");
        assert_eq!(refusal_of(revoked), Refusal::Revoked);
    }

    #[test]
    fn a_second_rating_is_the_link_used_again() {
        let again = AppError::Rejected(DomainError::AlreadyExists(
            "visit 1 is already rated".to_owned(),
        ));
        assert_eq!(refusal_of(again), Refusal::Used);
        assert_eq!(
            refusal_of(AppError::Store(StoreError::Conflict { attempts: 3 })),
            Refusal::Conflict
        );
    }
}
