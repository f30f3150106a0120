//! Ratings (好差评) and the bad-rating loop: rate, follow-up rating (追评), call-back (回访核实),
//! appeal and its review (申诉复核), rectification (整改).
//!
//! The reviewer of an appeal is the signed-in leader, not a free-text field: the decision is
//! theirs and the audit trail must say so.

use async_graphql::{Context, InputObject, Object, ID};
use chrono::{DateTime, NaiveDate, Utc};
use guanjia_domain::case::commands::{PersonInput, RatingInput};
use guanjia_domain::case::model::RatingTarget;

use super::{answer, on_case, CaseCommandResult};
use crate::error::ApiError;
use crate::graphql::enums::{Channel, DimensionSet, RatingTargetKind};

/// A rater or complainant (personal data).
#[derive(InputObject)]
pub struct PersonDetails {
    pub name: Option<String>,
    pub phone: Option<String>,
}

impl From<PersonDetails> for PersonInput {
    fn from(input: PersonDetails) -> Self {
        Self {
            name: input.name,
            phone: input.phone,
        }
    }
}

/// A score of one dimension.
#[derive(InputObject)]
pub struct DimensionScore {
    /// A key of the dimension set, e.g. `efficiency`.
    pub dimension: String,
    /// 1–5.
    pub level: u8,
}

/// A rating as given.
#[derive(InputObject)]
pub struct RatingDetails {
    /// 1 非常不满意 … 5 非常满意.
    pub level: u8,
    pub dimension_set: DimensionSet,
    pub dimensions: Vec<DimensionScore>,
    /// Where the rater gave it. 二维码 (`QR_CODE`) and 短信 (`SMS`) are refused here
    /// (`link_only_channel`): they are the channels of one-time rating links.
    pub channel: Channel,
    pub comment: Option<String>,
    pub rater: PersonDetails,
    pub rated_at: Option<DateTime<Utc>>,
}

impl From<RatingDetails> for RatingInput {
    fn from(input: RatingDetails) -> Self {
        Self {
            level: input.level,
            dimension_set: input.dimension_set.into(),
            dimensions: input
                .dimensions
                .into_iter()
                .map(|d| (d.dimension, d.level))
                .collect(),
            channel: input.channel.into(),
            comment: input.comment,
            rater: input.rater.into(),
            rated_at: input.rated_at,
            // Who enters it is the signed-in user, set by the application layer.
            recorded_by: None,
        }
    }
}

/// The rating of a conducted visit or a concluded item.
#[derive(InputObject)]
pub struct RateInput {
    pub target_kind: RatingTargetKind,
    /// The visit or item number within the case.
    pub target_no: u32,
    pub rating: RatingDetails,
}

/// The one follow-up rating of an earlier rating.
#[derive(InputObject)]
pub struct RateFollowUpInput {
    pub rating_no: u32,
    pub rating: RatingDetails,
}

/// The call-back check of a bad rating.
#[derive(InputObject)]
pub struct RecordCallBackInput {
    pub rating_no: u32,
    pub called_on: Option<NaiveDate>,
    pub confirmed: bool,
    pub notes: String,
}

/// An appeal of a bad rating.
#[derive(InputObject)]
pub struct AppealRatingInput {
    pub rating_no: u32,
    pub reason: String,
}

/// The decision on an appeal.
#[derive(InputObject)]
pub struct DecideAppealInput {
    pub rating_no: u32,
    /// True voids the rating.
    pub void: bool,
    pub reason: String,
}

/// Rectification done and fed back.
#[derive(InputObject)]
pub struct RecordRectificationInput {
    pub rating_no: u32,
    pub rectified_on: Option<NaiveDate>,
    pub measures: String,
}

/// Rating mutations.
#[derive(Default)]
pub struct RatingMutation;

#[Object]
impl RatingMutation {
    /// Records the rating of a visit or an item.
    async fn rate(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: RateInput,
        client_key: Option<String>,
        #[graphql(
            desc = "The reason of a late entry (补录): required when the step is dated more than the configured working days (default 3) before today."
        )]
        late_reason: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let target = match input.target_kind {
            RatingTargetKind::Visit => RatingTarget::Visit(input.target_no),
            RatingTargetKind::Item => RatingTarget::Item(input.target_no),
        };
        let case = on_case(ctx, &case_id, client_key)?.late_entry(late_reason);
        answer(ctx, case.rate(target, input.rating.into()).await).await
    }

    /// Records the follow-up rating (追评).
    async fn rate_follow_up(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: RateFollowUpInput,
        client_key: Option<String>,
        #[graphql(
            desc = "The reason of a late entry (补录): required when the step is dated more than the configured working days (default 3) before today."
        )]
        late_reason: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let case = on_case(ctx, &case_id, client_key)?.late_entry(late_reason);
        answer(
            ctx,
            case.rate_follow_up(input.rating_no, input.rating.into())
                .await,
        )
        .await
    }

    /// Records the call-back check of a bad rating (回访核实).
    async fn record_call_back(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: RecordCallBackInput,
        client_key: Option<String>,
        #[graphql(
            desc = "The reason of a late entry (补录): required when the step is dated more than the configured working days (default 3) before today."
        )]
        late_reason: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let case = on_case(ctx, &case_id, client_key)?.late_entry(late_reason);
        answer(
            ctx,
            case.record_call_back(
                input.rating_no,
                input.called_on,
                input.confirmed,
                input.notes,
            )
            .await,
        )
        .await
    }

    /// Appeals a bad rating as mistaken or malicious.
    async fn appeal_rating(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: AppealRatingInput,
        client_key: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let case = on_case(ctx, &case_id, client_key)?;
        answer(ctx, case.appeal_rating(input.rating_no, input.reason).await).await
    }

    /// Decides an appeal (leaders in scope); the signed-in leader is the reviewer.
    async fn decide_appeal(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: DecideAppealInput,
        client_key: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let case = on_case(ctx, &case_id, client_key)?;
        answer(
            ctx,
            case.decide_appeal(input.rating_no, input.void, input.reason)
                .await,
        )
        .await
    }

    /// Records the rectification of a bad rating (整改).
    async fn record_rectification(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: RecordRectificationInput,
        client_key: Option<String>,
        #[graphql(
            desc = "The reason of a late entry (补录): required when the step is dated more than the configured working days (default 3) before today."
        )]
        late_reason: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let case = on_case(ctx, &case_id, client_key)?.late_entry(late_reason);
        answer(
            ctx,
            case.record_rectification(input.rating_no, input.rectified_on, input.measures)
                .await,
        )
        .await
    }
}
