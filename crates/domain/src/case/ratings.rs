//! 好差评 ratings and the bad-rating loop (国办发〔2019〕51号): one rating per visit or item,
//! one follow-up; a bad rating gets a call-back, rectification, or an appeal that may void it.
//! Ratings are never edited or deleted, and they are accepted on a closed case too: the
//! enterprise keeps its voice after the file is closed.

use std::collections::BTreeMap;

use super::commands::{CaseCommand, PersonInput, RatingInput};
use super::dates::not_before;
use super::events::CaseEvent;
use super::guards::Now;
use super::lifecycle::parse_optional;
use super::model::{Channel, Person, RatingTarget};
use super::state::{EnterpriseCase, ItemStatus, RatingState, VisitStatus};
use super::team::user_id;
use crate::error::{DomainError, ValueError};
use crate::values::text::{self, BODY_MAX, LABEL_MAX};
use crate::values::{Phone, RatingLevel};

pub(super) fn decide(
    case: &EnterpriseCase,
    command: CaseCommand,
    now: Now,
) -> Result<Vec<CaseEvent>, DomainError> {
    use CaseCommand as C;
    let event = match command {
        C::Rate { target, rating } => {
            require_rateable(case, target)?;
            if let Some(existing) = case.rated_targets.get(&target) {
                return Err(DomainError::AlreadyExists(format!(
                    "{} is already rated (rating {existing}); one follow-up rating of it is allowed",
                    describe(target)
                )));
            }
            let target_on = target_date(case, target);
            recorded(case, target, None, rating, now, target_on)?
        }
        C::RateFollowUp { rating_no, rating } => {
            let original = rating_of(case, rating_no)?;
            if original.follow_up_of.is_some() {
                return Err(DomainError::not_allowed(format!(
                    "rating {rating_no} is itself a follow-up"
                )));
            }
            if original.followed_up {
                return Err(DomainError::AlreadyExists(format!(
                    "rating {rating_no} already has its follow-up rating"
                )));
            }
            if original.voided {
                return Err(DomainError::not_allowed(format!(
                    "rating {rating_no} was voided"
                )));
            }
            if original.level.is_bad() && !original.rectified {
                return Err(DomainError::not_allowed(format!(
                    "bad rating {rating_no} gets its follow-up after rectification"
                )));
            }
            let earliest = (original.last_step_on, "the rating it follows up");
            recorded(
                case,
                original.target,
                Some(rating_no),
                rating,
                now,
                earliest,
            )?
        }
        C::RecordCallBack {
            rating_no,
            called_on,
            confirmed,
            notes,
        } => {
            let rating = open_bad_rating(case, rating_no)?;
            if rating.called_back {
                return Err(DomainError::AlreadyExists(format!(
                    "rating {rating_no} already has its call-back"
                )));
            }
            let called_on = now.date("called_on", called_on)?;
            not_before("called_on", called_on, rating.rated_on, "the rating")?;
            CaseEvent::RatingCallBackRecorded {
                rating_no,
                called_on,
                confirmed,
                notes: text::required("notes", &notes, BODY_MAX)?,
            }
        }
        C::AppealRating { rating_no, reason } => {
            let rating = open_bad_rating(case, rating_no)?;
            if rating.appealed {
                return Err(DomainError::AlreadyExists(format!(
                    "rating {rating_no} was already appealed"
                )));
            }
            if rating.rectified {
                return Err(DomainError::not_allowed(format!(
                    "rating {rating_no} is already rectified"
                )));
            }
            CaseEvent::RatingAppealed {
                rating_no,
                reason: text::required("reason", &reason, BODY_MAX)?,
            }
        }
        C::DecideAppeal {
            rating_no,
            void,
            reviewer,
            reason,
        } => {
            let rating = rating_of(case, rating_no)?;
            if !rating.appeal_pending {
                return Err(DomainError::not_allowed(format!(
                    "rating {rating_no} has no pending appeal"
                )));
            }
            let reviewer = user_id("reviewer", &reviewer)?;
            let reason = text::required("reason", &reason, BODY_MAX)?;
            if void {
                CaseEvent::RatingVoided {
                    rating_no,
                    reviewer,
                    reason,
                }
            } else {
                CaseEvent::RatingAppealRejected {
                    rating_no,
                    reviewer,
                    reason,
                }
            }
        }
        C::RecordRectification {
            rating_no,
            rectified_on,
            measures,
        } => {
            let rating = open_bad_rating(case, rating_no)?;
            if rating.rectified {
                return Err(DomainError::AlreadyExists(format!(
                    "rating {rating_no} is already rectified"
                )));
            }
            if !rating.called_back {
                return Err(DomainError::not_allowed(format!(
                    "rating {rating_no} needs its call-back first"
                )));
            }
            if rating.appeal_pending {
                return Err(DomainError::not_allowed(format!(
                    "rating {rating_no} has a pending appeal"
                )));
            }
            let rectified_on = now.date("rectified_on", rectified_on)?;
            let called_on = rating.called_on.unwrap_or(rating.rated_on);
            not_before("rectified_on", rectified_on, called_on, "the call-back")?;
            CaseEvent::RatingRectified {
                rating_no,
                rectified_on,
                measures: text::required("measures", &measures, BODY_MAX)?,
            }
        }
        _ => return Err(super::misrouted()),
    };
    Ok(vec![event])
}

fn describe(target: RatingTarget) -> String {
    match target {
        RatingTarget::Visit(no) => format!("visit {no}"),
        RatingTarget::Item(no) => format!("service item {no}"),
    }
}

fn require_rateable(case: &EnterpriseCase, target: RatingTarget) -> Result<(), DomainError> {
    let ready = match target {
        RatingTarget::Visit(no) => match case.visits.get(&no) {
            None => {
                return Err(DomainError::NotFound {
                    what: describe(target),
                })
            }
            Some(status) => *status == VisitStatus::Conducted,
        },
        RatingTarget::Item(no) => match case.items.get(&no) {
            None => {
                return Err(DomainError::NotFound {
                    what: describe(target),
                })
            }
            Some(item) => item.status == ItemStatus::Concluded,
        },
    };
    if !ready {
        let rule = match target {
            RatingTarget::Visit(_) => "only a conducted visit can be rated",
            RatingTarget::Item(_) => "only a concluded service item can be rated",
        };
        return Err(DomainError::not_allowed(format!(
            "{}: {rule}",
            describe(target)
        )));
    }
    Ok(())
}

/// The day the rated visit was conducted or the rated item concluded: a rating is not before it.
/// Only called once [`require_rateable`] found the target conducted or concluded.
fn target_date(case: &EnterpriseCase, target: RatingTarget) -> (chrono::NaiveDate, &'static str) {
    let on = match target {
        RatingTarget::Visit(no) => case.dates.visits.get(&no).copied(),
        RatingTarget::Item(no) => case.items.get(&no).map(|i| i.last_step_on),
    };
    let step = match target {
        RatingTarget::Visit(_) => "the visit",
        RatingTarget::Item(_) => "the item's conclusion",
    };
    (on.unwrap_or(chrono::NaiveDate::MIN), step)
}

fn rating_of(case: &EnterpriseCase, rating_no: u32) -> Result<&RatingState, DomainError> {
    case.ratings
        .get(&rating_no)
        .ok_or_else(|| DomainError::NotFound {
            what: format!("rating {rating_no}"),
        })
}

/// A bad rating that has not been voided: the only kind the loop works on.
fn open_bad_rating(case: &EnterpriseCase, rating_no: u32) -> Result<&RatingState, DomainError> {
    let rating = rating_of(case, rating_no)?;
    if !rating.level.is_bad() {
        return Err(DomainError::not_allowed(format!(
            "rating {rating_no} is not a bad rating (level 1 or 2)"
        )));
    }
    if rating.voided {
        return Err(DomainError::not_allowed(format!(
            "rating {rating_no} was voided"
        )));
    }
    Ok(rating)
}

fn recorded(
    case: &EnterpriseCase,
    target: RatingTarget,
    follow_up_of: Option<u32>,
    input: RatingInput,
    now: Now,
    (earliest, step): (chrono::NaiveDate, &str),
) -> Result<CaseEvent, DomainError> {
    let level = RatingLevel::new(input.level).map_err(|e| DomainError::invalid("level", e))?;
    let recorded_by = match input.recorded_by.as_deref() {
        Some(username) => Some(staff_channel(input.channel, username)?),
        None => None,
    };
    let allowed = input.dimension_set.dimensions();
    let mut dimensions = BTreeMap::new();
    for (key, score) in input.dimensions {
        if !allowed.contains(&key.as_str()) {
            let rule = format!(
                "{key:?} is not a dimension of {:?} ({})",
                input.dimension_set,
                allowed.join(", ")
            );
            return Err(DomainError::invalid("dimensions", ValueError::Rule(rule)));
        }
        let score = RatingLevel::new(score).map_err(|e| DomainError::invalid("dimensions", e))?;
        if dimensions.insert(key.clone(), score).is_some() {
            return Err(DomainError::invalid(
                "dimensions",
                ValueError::Rule(format!("{key:?} is given twice")),
            ));
        }
    }
    let rated_at = input.rated_at.unwrap_or(now.at);
    if rated_at > now.at {
        return Err(DomainError::invalid(
            "rated_at",
            ValueError::Rule(format!("{rated_at} is in the future")),
        ));
    }
    not_before(
        "rated_at",
        crate::clock::china_date(rated_at),
        earliest,
        step,
    )?;
    Ok(CaseEvent::RatingRecorded {
        rating_no: case.ratings.keys().next_back().map_or(1, |n| n + 1),
        target,
        level,
        dimension_set: input.dimension_set,
        dimensions,
        channel: input.channel,
        comment: text::optional("comment", input.comment.as_deref(), BODY_MAX)?,
        rater: person("rater", input.rater)?,
        follow_up_of,
        rated_at,
        recorded_by,
    })
}

/// The rule of "channels that mean something": 二维码 and 短信 ratings are the ones a rater gave
/// through a one-time link (the link says which); a rating staff enter names the channel it
/// was given on (评价器, 评价卡, 12345, in person, …) and carries who entered it, so a team
/// cannot dress up its own entries as the enterprise's. Returns the recorder's username.
fn staff_channel(channel: Channel, username: &str) -> Result<String, DomainError> {
    let claimed = match channel {
        Channel::QrCode => Some("qr_code"),
        Channel::Sms => Some("sms"),
        _ => None,
    };
    if let Some(channel) = claimed {
        return Err(DomainError::invalid(
            "channel",
            ValueError::LinkOnlyChannel { channel },
        ));
    }
    user_id("recorded_by", username)
}

/// Parses a rater or complainant; `field` prefixes the field names in errors.
pub(super) fn person(field: &'static str, input: PersonInput) -> Result<Person, DomainError> {
    let (name_field, phone_field) = match field {
        "complainant" => ("complainant.name", "complainant.phone"),
        _ => ("rater.name", "rater.phone"),
    };
    Ok(Person {
        name: text::optional(name_field, input.name.as_deref(), LABEL_MAX)?,
        phone: parse_optional(input.phone.as_deref(), phone_field, Phone::parse)?,
    })
}
