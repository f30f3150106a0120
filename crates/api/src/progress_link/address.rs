//! Issuing a progress link and the addresses of one: the logic of `issueProgressLink` and of
//! the team's list, behind the GraphQL types and the case page. Who may issue is the
//! application layer's decision; this module checks its own input (`ttlHours`), signs the
//! token and builds the page's and QR code's URLs on the public base address.

use chrono::{DateTime, Utc};
use guanjia_app::cases::progress_links::{IssuedProgressLink, ProgressLinkView};
use guanjia_domain::progress::{ProgressChannel, DEFAULT_TTL_HOURS, MAX_TTL_HOURS};
use guanjia_store::CommandContext;

use super::PATH;
use crate::auth::Actor;
use crate::error::ApiError;
use crate::state::AppState;

/// A progress link handed to the team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressLinkAddress {
    pub link_id: String,
    /// The page the enterprise opens.
    pub url: String,
    /// The link's QR code, SVG (public, like the page).
    pub qr_svg_url: String,
    pub expires_at: DateTime<Utc>,
}

/// Issues a progress link of the case `case_id` for `actor` (the case's team), valid for
/// `ttl_hours` (default [`DEFAULT_TTL_HOURS`], 1 to [`MAX_TTL_HOURS`]).
pub async fn issue(
    state: &AppState,
    actor: &Actor,
    case_id: &str,
    ttl_hours: Option<u32>,
    channel: ProgressChannel,
    context: CommandContext,
) -> Result<(IssuedProgressLink, ProgressLinkAddress), ApiError> {
    let ttl_hours = ttl_hours.unwrap_or(DEFAULT_TTL_HOURS);
    if !(1..=MAX_TTL_HOURS).contains(&ttl_hours) {
        return Err(ApiError::bad_input(
            "ttlHours",
            "out_of_range",
            format!("must be between 1 and {MAX_TTL_HOURS} hours, got {ttl_hours}"),
        ));
    }
    let issued = state
        .app
        .issue_progress_link(actor, case_id, ttl_hours, channel, context)
        .await?;
    tracing::info!(
        issuer = %actor.username,
        case_id = %issued.case_id,
        link_id = %issued.link.link_id,
        expires_at = %issued.link.expires_at,
        "progress link issued"
    );
    let address = address_of(state, &issued.case_id, &issued.link)?;
    Ok((issued, address))
}

/// The addresses of a link (live or not: the page says which).
pub fn address(
    state: &AppState,
    case_id: &str,
    link_id: &str,
    expires_at: DateTime<Utc>,
) -> Result<ProgressLinkAddress, ApiError> {
    let token = state.progress_links.sign(case_id, link_id, expires_at)?;
    let url = format!("{}{PATH}/{token}", state.rating_links.base_url());
    Ok(ProgressLinkAddress {
        link_id: link_id.to_owned(),
        qr_svg_url: format!("{url}/qr.svg"),
        url,
        expires_at,
    })
}

/// The address of a listed link.
pub fn address_of(
    state: &AppState,
    case_id: &str,
    link: &ProgressLinkView,
) -> Result<ProgressLinkAddress, ApiError> {
    address(state, case_id, &link.link_id, link.expires_at)
}
