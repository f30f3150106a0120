//! `issueProgressLink`, `revokeProgressLink` and `progressLinks`: the 办件进度 links through
//! which an enterprise follows its own case without an account. The rules are the
//! application layer's (`guanjia_app::cases::progress_links`); the token and addresses are
//! [`crate::progress_link`]'s; this module is their GraphQL face.

use async_graphql::{Context, Enum, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};
use guanjia_app::cases::progress_links::ProgressLinkView;
use guanjia_domain::progress::ProgressChannel;

use super::context::{actor, command_context, state};
use crate::error::ApiError;
use crate::progress_link::{address_of, issue};
use crate::state::AppState;

/// How a progress link reaches the enterprise.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum ProgressLinkChannel {
    /// 二维码: shown or printed at signing.
    QrCode,
    /// 短信: sent as a text message.
    Sms,
}

impl From<ProgressLinkChannel> for ProgressChannel {
    fn from(channel: ProgressLinkChannel) -> Self {
        match channel {
            ProgressLinkChannel::QrCode => Self::QrCode,
            ProgressLinkChannel::Sms => Self::Sms,
        }
    }
}

impl From<ProgressChannel> for ProgressLinkChannel {
    fn from(channel: ProgressChannel) -> Self {
        match channel {
            ProgressChannel::QrCode => Self::QrCode,
            ProgressChannel::Sms => Self::Sms,
        }
    }
}

/// A progress link of a case. Anyone holding a live link's URL sees the case's progress (no
/// personal data) until it expires or is revoked: hand it to the enterprise only.
#[derive(SimpleObject)]
pub struct ProgressLink {
    pub link_id: ID,
    pub channel: ProgressLinkChannel,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// Opens the case now: neither revoked nor expired.
    pub live: bool,
    /// The public page (no sign-in); only while the link is live.
    pub url: Option<String>,
    /// The link's QR code, SVG; only while the link is live.
    pub qr_svg_url: Option<String>,
}

impl ProgressLink {
    fn of(state: &AppState, case_id: &str, link: &ProgressLinkView) -> Result<Self, ApiError> {
        let address = link
            .live
            .then(|| address_of(state, case_id, link))
            .transpose()?;
        Ok(Self {
            link_id: ID(link.link_id.clone()),
            channel: link.channel.into(),
            issued_at: link.issued_at,
            expires_at: link.expires_at,
            revoked_at: link.revoked_at,
            live: link.live,
            url: address.as_ref().map(|a| a.url.clone()),
            qr_svg_url: address.map(|a| a.qr_svg_url),
        })
    }
}

/// The progress links of a case.
#[derive(Default)]
pub struct ProgressLinkQuery;

#[Object]
impl ProgressLinkQuery {
    /// Every progress link of a case, newest first, for whoever may read the case.
    async fn progress_links(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
    ) -> Result<Vec<ProgressLink>, ApiError> {
        let actor = actor(ctx)?;
        let state = state(ctx)?;
        let links = state.app.progress_links(actor, case_id.as_str()).await?;
        links
            .iter()
            .map(|link| ProgressLink::of(state, case_id.as_str(), link))
            .collect()
    }
}

/// Issuing and revoking progress links.
#[derive(Default)]
pub struct ProgressLinkMutation;

#[Object]
impl ProgressLinkMutation {
    /// Issues a progress link of a case (the case's team only; not for a closed case), valid
    /// for `ttlHours` (default 720, i.e. 30 days; at most 4320). At most 20 links of a case
    /// are live at once.
    async fn issue_progress_link(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        ttl_hours: Option<u32>,
        #[graphql(default_with = "ProgressLinkChannel::QrCode")] channel: ProgressLinkChannel,
    ) -> Result<ProgressLink, ApiError> {
        let actor = actor(ctx)?;
        let state = state(ctx)?;
        let context = command_context(ctx, actor, None)?;
        let (issued, _) = issue(
            state,
            actor,
            case_id.as_str(),
            ttl_hours,
            channel.into(),
            context,
        )
        .await?;
        ProgressLink::of(state, &issued.case_id, &issued.link)
    }

    /// Revokes a live progress link of a case (the case's team only): from now on it opens
    /// nothing, on every node.
    async fn revoke_progress_link(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        link_id: ID,
    ) -> Result<ProgressLink, ApiError> {
        let actor = actor(ctx)?;
        let state = state(ctx)?;
        let context = command_context(ctx, actor, None)?;
        let revoked = state
            .app
            .revoke_progress_link(actor, case_id.as_str(), link_id.as_str(), context)
            .await?;
        tracing::info!(
            revoker = %actor.username,
            case_id = %revoked.case_id,
            link_id = %revoked.link.link_id,
            "progress link revoked"
        );
        ProgressLink::of(state, &revoked.case_id, &revoked.link)
    }
}
