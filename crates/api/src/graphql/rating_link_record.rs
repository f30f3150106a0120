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
        let (target_kind, target_no) = kind_and_no(link.target);
        Self {
            link_id: ID(link.link_id),
            target_kind,
            target_no,
            channel: channel(link.channel),
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

    /// The live rating links (neither revoked, expired nor used) of the cases in the admin's
    /// own division, soonest to expire first; admins only. Read from the read model: a link
    /// revoked a moment ago may still be listed on a node behind, but takes no rating.
    async fn live_rating_links(&self, ctx: &Context<'_>) -> Result<Vec<LiveRatingLink>, ApiError> {
        let actor = actor(ctx)?;
        let state = state(ctx)?;
        let scope = guanjia_app::admin::rating_link_scope(actor)?;
        let now = state.clock.now();
        let links = state.read.read(|m| m.live_rating_links(&scope, now));
        Ok(links.into_iter().map(Into::into).collect())
    }
}

/// A live rating link as an admin's list shows it: no personal data.
#[derive(SimpleObject)]
pub struct LiveRatingLink {
    pub case_id: ID,
    pub case_number: String,
    pub division: String,
    pub link_id: ID,
    pub target_kind: RatingTargetKind,
    pub target_no: u32,
    /// The rated item's catalog name; null for a visit.
    pub item_name: Option<String>,
    pub channel: RatingLinkChannel,
    /// The account that issued it.
    pub issuer: String,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl From<guanjia_read::rating_links::LiveRatingLink> for LiveRatingLink {
    fn from(link: guanjia_read::rating_links::LiveRatingLink) -> Self {
        let (target_kind, target_no) = kind_and_no(link.target);
        Self {
            case_id: ID(link.case_id),
            case_number: link.case_number.to_string(),
            division: link.division.to_string(),
            link_id: ID(link.link_id),
            target_kind,
            target_no,
            item_name: link.item_name,
            channel: channel(link.channel),
            issuer: link.issuer,
            issued_at: link.issued_at,
            expires_at: link.expires_at,
        }
    }
}

fn kind_and_no(target: RatingTarget) -> (RatingTargetKind, u32) {
    match target {
        RatingTarget::Visit(no) => (RatingTargetKind::Visit, no),
        RatingTarget::Item(no) => (RatingTargetKind::Item, no),
    }
}

fn channel(channel: guanjia_domain::rating_links::RatingLinkChannel) -> RatingLinkChannel {
    match channel {
        guanjia_domain::rating_links::RatingLinkChannel::QrCode => RatingLinkChannel::QrCode,
        guanjia_domain::rating_links::RatingLinkChannel::Sms => RatingLinkChannel::Sms,
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
            link_id = %revoked.link.link_id,
            "rating link revoked"
        );
        // Read-your-writes for the admins' list (`liveRatingLinks`); the link itself is
        // refused from the log already.
        let waited = state
            .read
            .wait_for(revoked.committed.position, state.limits.read_wait)
            .await;
        if let Err(error) = &waited {
            tracing::warn!(%error, "a rating link's revocation was not readable in time");
        }
        Ok(revoked.link.into())
    }
}
