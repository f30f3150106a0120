//! The contact with the enterprise as the case detail shows it: on-site visits (上门服务),
//! ratings (好差评) with the bad-rating loop, and complaints (办不成事反映). Raters and
//! complainants are personal data, masked unless the viewer may see them.

use async_graphql::SimpleObject;
use chrono::{DateTime, NaiveDate, Utc};
use guanjia_domain::case::model::RatingTarget;
use guanjia_read::detail::{BadRatingLoop as ReadLoop, ComplaintView, RatingView, VisitView};

use super::values::{DueDay, Person};
use crate::graphql::enums::{
    Channel, ComplaintStatus, DimensionSet, LoopStage, RatingTargetKind, VisitStatus,
};

/// An on-site visit: as scheduled, and as conducted or cancelled.
#[derive(SimpleObject)]
pub struct Visit {
    pub visit_no: u32,
    pub status: VisitStatus,
    pub scheduled_at: DateTime<Utc>,
    pub place: String,
    pub purpose: String,
    pub planned_participants: Vec<String>,
    pub conducted_at: Option<DateTime<Utc>>,
    pub participants: Vec<String>,
    pub notes: Option<String>,
    pub issues_raised: Vec<String>,
    pub follow_ups: Vec<String>,
    pub cancel_reason: Option<String>,
}

impl From<&VisitView> for Visit {
    fn from(v: &VisitView) -> Self {
        Self {
            visit_no: v.visit_no,
            status: v.status.into(),
            scheduled_at: v.scheduled_at,
            place: v.place.clone(),
            purpose: v.purpose.clone(),
            planned_participants: v.planned_participants.clone(),
            conducted_at: v.conducted_at,
            participants: v.participants.clone(),
            notes: v.notes.clone(),
            issues_raised: v.issues_raised.clone(),
            follow_ups: v.follow_ups.clone(),
            cancel_reason: v.cancel_reason.clone(),
        }
    }
}

/// A rating (好差评). Ratings are never edited: a voided one stays, marked.
#[derive(SimpleObject)]
pub struct Rating {
    pub rating_no: u32,
    pub target_kind: RatingTargetKind,
    /// The visit or item number rated.
    pub target_no: u32,
    /// 1 非常不满意 … 5 非常满意; 1 and 2 are bad (差评).
    pub level: u8,
    pub dimension_set: DimensionSet,
    pub scores: Vec<RatingScore>,
    pub channel: Channel,
    pub comment: Option<String>,
    /// Personal data.
    pub rater: Person,
    /// The rating this one follows up (追评).
    pub follow_up_of: Option<u32>,
    pub followed_up_by: Option<u32>,
    pub rated_at: DateTime<Utc>,
    /// How it arrived: the username of the staff member who recorded it for the rater
    /// (工作人员录入), or null when the rater gave it through a one-time link (二维码 / 短信).
    pub recorded_by: Option<String>,
    pub voided: bool,
    /// For a bad rating: where its loop stands as of today.
    pub bad_rating_loop: Option<BadRatingLoop>,
}

/// The score of one dimension.
#[derive(SimpleObject)]
pub struct RatingScore {
    pub dimension: String,
    pub level: u8,
}

impl Rating {
    /// The rating, its rater masked unless `personal`.
    pub fn new(r: &RatingView, personal: bool) -> Self {
        let (target_kind, target_no) = match r.target {
            RatingTarget::Visit(no) => (RatingTargetKind::Visit, no),
            RatingTarget::Item(no) => (RatingTargetKind::Item, no),
        };
        Self {
            rating_no: r.rating_no,
            target_kind,
            target_no,
            level: r.level.get(),
            dimension_set: r.dimension_set.into(),
            scores: r
                .dimensions
                .iter()
                .map(|(dimension, level)| RatingScore {
                    dimension: dimension.clone(),
                    level: *level,
                })
                .collect(),
            channel: r.channel.into(),
            comment: r.comment.clone(),
            rater: Person::shown(&r.rater, personal),
            follow_up_of: r.follow_up_of,
            followed_up_by: r.followed_up_by,
            rated_at: r.rated_at,
            recorded_by: r.recorded_by.clone(),
            voided: r.voided,
            bad_rating_loop: r.bad_rating_loop.as_ref().map(BadRatingLoop::from),
        }
    }
}

/// The 差评 loop: call-back (回访核实), then rectification (整改), or an appeal (申诉复核).
#[derive(SimpleObject)]
pub struct BadRatingLoop {
    pub stage: LoopStage,
    pub call_back_due: DueDay,
    pub called_back_on: Option<NaiveDate>,
    pub call_back_confirmed: Option<bool>,
    pub rectification_due: DueDay,
    pub rectified_on: Option<NaiveDate>,
    pub appeal_reason: Option<String>,
    /// The step now required is past its due date.
    pub overdue: bool,
}

impl From<&ReadLoop> for BadRatingLoop {
    fn from(l: &ReadLoop) -> Self {
        Self {
            stage: l.stage.into(),
            call_back_due: l.call_back_due.into(),
            called_back_on: l.called_back_on,
            call_back_confirmed: l.call_back_confirmed,
            rectification_due: l.rectification_due.into(),
            rectified_on: l.rectified_on,
            appeal_reason: l.appeal_reason.clone(),
            overdue: l.overdue,
        }
    }
}

/// A complaint (办不成事) and how it was handled.
#[derive(SimpleObject)]
pub struct Complaint {
    pub complaint_no: u32,
    pub channel: Channel,
    pub content: String,
    /// Personal data.
    pub complainant: Person,
    pub lodged_on: NaiveDate,
    pub status: ComplaintStatus,
    /// The current assignee (username).
    pub assignee: Option<String>,
    pub resolved_on: Option<NaiveDate>,
    pub answer: Option<String>,
    /// The leader of the division who signed the answer off (username); null where sign-off
    /// was not required.
    pub signed_off_by: Option<String>,
    pub referred_to: Option<String>,
    pub referral_reason: Option<String>,
}

impl Complaint {
    /// The complaint, its complainant masked unless `personal`.
    pub fn new(c: &ComplaintView, personal: bool) -> Self {
        Self {
            complaint_no: c.complaint_no,
            channel: c.channel.into(),
            content: c.content.clone(),
            complainant: Person::shown(&c.complainant, personal),
            lodged_on: c.lodged_on,
            status: c.status.into(),
            assignee: c.assignee.clone(),
            resolved_on: c.resolved_on,
            answer: c.answer.clone(),
            signed_off_by: c.signed_off_by.clone(),
            referred_to: c.referred_to.clone(),
            referral_reason: c.referral_reason.clone(),
        }
    }
}
