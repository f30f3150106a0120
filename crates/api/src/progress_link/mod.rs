//! 办件进度 links (issue 19): the team issues a revocable, expiring link (and its QR code)
//! through which the enterprise follows its own case without an account. The rules — who
//! issues and revokes, whether a link is live, what is recorded when it is opened — are the
//! application layer's (`guanjia_app::cases::progress_links`, `guanjia_app::progress`); this
//! module signs the token that carries the case and the link id ([`token`]) and hands out the
//! addresses. The public page at `/progress/{token}` is the web crate's.
//!
//! Why a signed token rather than the link id alone: the link ids are in the log (every
//! auditor reads them) and in the team's list; only the server's key turns one into a link.

mod token;

use chrono::{DateTime, Utc};
use guanjia_app::cases::progress_links::{IssuedProgressLink, ProgressLinkView};
use guanjia_domain::progress::{ProgressChannel, DEFAULT_TTL_HOURS, MAX_TTL_HOURS};
use guanjia_store::CommandContext;

pub use token::{ProgressSigner, ProgressToken, TokenError, KEY_LABEL};

use crate::auth::Actor;
use crate::error::ApiError;
use crate::state::AppState;

/// The path of the public page of a token, and of the lookup form.
pub const PATH: &str = "/progress";

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
