//! Issuing a link: the logic of the `issueRatingLink` mutation, behind its GraphQL types.
//!
//! Who may issue a link for which target is the application layer's decision
//! (`App::check_rating_link`: only the case's team, only for a target that can be rated now);
//! this module checks its own inputs, signs the link and hands out its addresses. Issuing
//! appends nothing to the log (the link is self-contained); it is logged with the issuer and the
//! link's nonce, which the rating's event metadata repeats (`causation_id`).

use chrono::{DateTime, Duration, Utc};
use guanjia_domain::case::model::RatingTarget;

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

/// A link handed to the steward.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedLink {
    /// The page the enterprise contact opens.
    pub url: String,
    pub expires_at: DateTime<Utc>,
    /// The link's QR code as SVG and PNG (public, like the page).
    pub qr_svg_url: String,
    pub qr_png_url: String,
}

/// Issues a link to rate `target` of the case `case_id`, on behalf of `actor`.
pub async fn issue_link(
    state: &AppState,
    actor: &Actor,
    case_id: &str,
    target: RatingTarget,
    channel: LinkChannel,
    ttl_hours: Option<u32>,
) -> Result<IssuedLink, ApiError> {
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
    state.app.check_rating_link(actor, case_id, target).await?;
    let now = state.clock.now();
    let expires_at = now + Duration::hours(i64::from(ttl_hours));
    let links = &state.rating_links;
    let (token, link) = links
        .signer()
        .issue(case_id, target, channel, now, expires_at)?;
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
        url,
        expires_at,
    })
}
