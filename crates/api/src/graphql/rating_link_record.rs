//! `ratingLinks` and `revokeRatingLink`: the rating links of a case on the record, with where
//! each stands, and revoking one. The rules are the application layer's
//! (`guanjia_app::cases::rating_link_record`: the case's team, or an admin of the case's
//! division); issuing is `issueRatingLink` ([`super::rating_links`]). A link on the record
//! carries no token and no address: the log never hands out a usable link.

use async_graphql::{Context, Enum, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};
use guanjia_app::cases::rating_link_record::{RatingLinkStatus, RatingLinkView};
use guanjia_domain::case::model::RatingTarget;

use super::context::{actor, command_context, state};
use super::enums::RatingTargetKind;
use super::rating_links::RatingLinkChannel;
use crate::error::ApiError;

/// Where a rating link stands.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "RatingLinkStatus")]
pub enum LinkStatus {
    /// Takes its rating now.
    Live,
    /// Its visit or item is rated (through it or otherwise): spent.
    Used,
    /// Past its expiry.
    Expired,
    /// Revoked before it was used.
    Revoked,
}

impl From<RatingLinkStatus> for LinkStatus {
    fn from(status: RatingLinkStatus) -> Self {
        match status {
            RatingLinkStatus::Live => Self::Live,
            RatingLinkStatus::Used => Self::Used,
            RatingLinkStatus::Expired => Self::Expired,
            RatingLinkStatus::Revoked => Self::Revoked,
        }
    }
}

/// A rating link of a case as recorded when it was issued. Who issued or revoked it is in the
/// case's history (the events' metadata).
#[derive(SimpleObject)]
pub struct RatingLinkRecord {
    pub link_id: ID,
    pub target_kind: RatingTargetKind,
    pub target_no: u32,
    pub channel: RatingLinkChannel,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoke_reason: Option<String>,
    pub status: LinkStatus,
}

impl From<RatingLinkView> for RatingLinkRecord {
    fn from(link: RatingLinkView) -> Self {
        let (target_kind, target_no) = match link.target {
            RatingTarget::Visit(no) => (RatingTargetKind::Visit, no),
            RatingTarget::Item(no) => (RatingTargetKind::Item, no),
        };
        Self {
            link_id: ID(link.link_id),
            target_kind,
            target_no,
            channel: match link.channel {
                guanjia_domain::rating_links::RatingLinkChannel::QrCode => {
                    RatingLinkChannel::QrCode
                }
                guanjia_domain::rating_links::RatingLinkChannel::Sms => RatingLinkChannel::Sms,
            },
            issued_at: link.issued_at,
            expires_at: link.expires_at,
            revoked_at: link.revoked_at,
            revoke_reason: link.revoke_reason,
            status: link.status.into(),
        }
    }
}

/// The rating links of a case.
#[derive(Default)]
pub struct RatingLinkRecordQuery;

#[Object]
impl RatingLinkRecordQuery {
    /// Every rating link of a case on the record, newest first, with its status; for whoever
    /// may read the case and for an admin of its division. Links issued before links were
    /// recorded are not listed.
    async fn rating_links(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
    ) -> Result<Vec<RatingLinkRecord>, ApiError> {
        let actor = actor(ctx)?;
        let state = state(ctx)?;
        let links = state.app.rating_links(actor, case_id.as_str()).await?;
        Ok(links.into_iter().map(Into::into).collect())
    }
}

/// Revoking rating links.
#[derive(Default)]
pub struct RatingLinkRecordMutation;

#[Object]
impl RatingLinkRecordMutation {
    /// Revokes a live rating link of a case, for `reason` (the case's team, or an admin of the
    /// case's division): from now on the link takes no rating, on every node (410,
    /// `LINK_REVOKED`). A link already revoked, expired or spent is refused.
    async fn revoke_rating_link(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        link_id: ID,
        reason: String,
    ) -> Result<RatingLinkRecord, ApiError> {
        let actor = actor(ctx)?;
        let state = state(ctx)?;
        let context = command_context(ctx, actor, None)?;
        let revoked = state
            .app
            .revoke_rating_link(actor, case_id.as_str(), link_id.as_str(), &reason, context)
            .await?;
        tracing::info!(
            revoker = %actor.username,
            case_id = %case_id.as_str(),
            link_id = %revoked.link_id,
            "rating link revoked"
        );
        Ok(revoked.into())
    }
}
