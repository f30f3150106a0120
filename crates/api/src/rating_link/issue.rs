//! Issuing a link: the logic of the `issueRatingLink` mutation, behind its GraphQL types.
//!
//! Who may issue a link for which target is the application layer's decision
//! (`App::check_rating_link`: only the case's team, only for a target that can be rated now);
//! this module checks its own inputs, signs the link, has it recorded
//! (`App::record_rating_link`: `RatingLinkIssued` under the token's nonce, the issuer in the
//! metadata) and hands out its addresses. A link whose record fails is never handed out. The
//! rating's event metadata repeats the nonce (`causation_id`).

use chrono::{DateTime, Duration, Utc};
use guanjia_app::cases::rating_link_record::NewRatingLink;
use guanjia_domain::case::model::RatingTarget;
use guanjia_store::CommandContext;

use super::subject::describe;
use super::LinkChannel;
use crate::auth::Actor;
use crate::error::ApiError;
use crate::state::AppState;

/// Validity of a link when none is asked for: three days.
pub const DEFAULT_TTL_HOURS: u32 = 72;
/// Longest validity a steward may give a link: 30 days.
pub const MAX_TTL_HOURS: u32 = 30 * 24;
/// Longest case id accepted, in characters (ours are UUIDs: 36).
const CASE_ID_MAX: usize = 64;

/// What a link is asked for: `target` of the case `case_id`, reaching the contact through
/// `channel`, valid for `ttl_hours` (default [`DEFAULT_TTL_HOURS`]).
#[derive(Debug, Clone, Copy)]
pub struct LinkRequest<'a> {
    pub case_id: &'a str,
    pub target: RatingTarget,
    pub channel: LinkChannel,
    pub ttl_hours: Option<u32>,
}

/// A link handed to the steward.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedLink {
    /// The link's id on the record: the token's nonce.
    pub link_id: String,
    /// The page the enterprise contact opens.
    pub url: String,
    pub expires_at: DateTime<Utc>,
    /// The link's QR code as SVG and PNG (public, like the page).
    pub qr_svg_url: String,
    pub qr_png_url: String,
}

/// Issues a link to rate `target` of the case `case_id`, on behalf of `actor` (whose request
/// `context` says who issued it on the record).
pub async fn issue_link(
    state: &AppState,
    actor: &Actor,
    request: LinkRequest<'_>,
    context: CommandContext,
) -> Result<IssuedLink, ApiError> {
    let LinkRequest {
        case_id,
        target,
        channel,
        ttl_hours,
    } = request;
    let ttl_hours = ttl_hours.unwrap_or(DEFAULT_TTL_HOURS);
    if !(1..=MAX_TTL_HOURS).contains(&ttl_hours) {
        return Err(ApiError::bad_input(
            "ttlHours",
            "out_of_range",
            format!("must be between 1 and {MAX_TTL_HOURS} hours, got {ttl_hours}"),
        ));
    }
    let case_id = case_id.trim();
    if case_id.is_empty() || case_id.chars().count() > CASE_ID_MAX {
        return Err(ApiError::bad_input(
            "caseId",
            "length",
            format!("must be 1-{CASE_ID_MAX} characters"),
        ));
    }
    let now = state.clock.now();
    let expires_at = now + Duration::hours(i64::from(ttl_hours));
    let links = &state.rating_links;
    let (token, link) = links
        .signer()
        .issue(case_id, target, channel, now, expires_at)?;
    let record = NewRatingLink {
        case_id: case_id.to_owned(),
        target,
        link_id: link.nonce.clone(),
        channel: channel.into(),
        expires_at,
    };
    state.app.record_rating_link(actor, record, context).await?;
    tracing::info!(
        issuer = %actor.username,
        case_id,
        target = %describe(target),
        ?channel,
        nonce = %link.nonce,
        %expires_at,
        "rating link issued"
    );
    let url = links.url_of(&token);
    Ok(IssuedLink {
        qr_svg_url: format!("{url}/qr.svg"),
        qr_png_url: format!("{url}/qr.png"),
        link_id: link.nonce,
        url,
        expires_at,
    })
}
