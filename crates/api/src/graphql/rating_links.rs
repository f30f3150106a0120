//! `issueRatingLink`: a one-time, expiring link (and its QR code) through which the enterprise
//! contact rates a conducted visit or a concluded service item without an account. The logic
//! lives in [`crate::rating_link`]; this module is its GraphQL face.

use async_graphql::{Context, Enum, Object, OneofObject, SimpleObject, ID};
use chrono::{DateTime, Utc};
use guanjia_domain::case::model::RatingTarget;

use super::context::{actor, command_context, state};
use crate::error::ApiError;
use crate::rating_link::{issue_link, IssuedLink, LinkChannel, LinkRequest};

/// What a link rates: exactly one of a visit or a service item, by its number in the case.
#[derive(OneofObject)]
pub enum RatingLinkTarget {
    /// A conducted visit (一次一评).
    Visit(u32),
    /// A concluded service item (一事一评).
    Item(u32),
}

impl From<RatingLinkTarget> for RatingTarget {
    fn from(target: RatingLinkTarget) -> Self {
        match target {
            RatingLinkTarget::Visit(no) => Self::Visit(no),
            RatingLinkTarget::Item(no) => Self::Item(no),
        }
    }
}

/// How the link reaches the enterprise; recorded as the rating's channel.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum RatingLinkChannel {
    /// 二维码: printed or shown on a screen.
    QrCode,
    /// 短信: sent as a text message.
    Sms,
}

impl From<RatingLinkChannel> for LinkChannel {
    fn from(channel: RatingLinkChannel) -> Self {
        match channel {
            RatingLinkChannel::QrCode => Self::QrCode,
            RatingLinkChannel::Sms => Self::Sms,
        }
    }
}

/// A rating link. Anyone holding the URL can submit the one rating until it expires: hand it
/// to the enterprise contact only.
#[derive(SimpleObject)]
pub struct RatingLink {
    /// The link's id on the record (`ratingLinks`, `revokeRatingLink`).
    pub link_id: ID,
    /// The public page (no sign-in).
    pub url: String,
    pub expires_at: DateTime<Utc>,
    /// The link's QR code, SVG (for print).
    pub qr_svg_url: String,
    /// The link's QR code, PNG.
    pub qr_png_url: String,
}

impl From<IssuedLink> for RatingLink {
    fn from(link: IssuedLink) -> Self {
        Self {
            link_id: ID(link.link_id),
            url: link.url,
            expires_at: link.expires_at,
            qr_svg_url: link.qr_svg_url,
            qr_png_url: link.qr_png_url,
        }
    }
}

/// Rating link mutations.
#[derive(Default)]
pub struct RatingLinkMutation;

#[Object]
impl RatingLinkMutation {
    /// Issues a one-time rating link for a conducted visit or a concluded service item of a
    /// case (the case's team only). Valid for `ttlHours` (default 72, at most 720); spent by
    /// the rating it brings in. Recorded as `RatingLinkIssued` in the case's `rating_links`
    /// stream, the issuer in the metadata; revocable with `revokeRatingLink`.
    async fn issue_rating_link(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        target: RatingLinkTarget,
        channel: RatingLinkChannel,
        ttl_hours: Option<u32>,
    ) -> Result<RatingLink, ApiError> {
        let actor = actor(ctx)?;
        let state = state(ctx)?;
        let context = command_context(ctx, actor, None)?;
        let request = LinkRequest {
            case_id: case_id.as_str(),
            target: target.into(),
            channel: channel.into(),
            ttl_hours,
        };
        let link = issue_link(state, actor, request, context).await?;
        Ok(link.into())
    }
}
