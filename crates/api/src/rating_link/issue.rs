//! Issuing a link: the logic of the `issueRatingLink` mutation, behind its GraphQL types.
//!
//! Only the case's team may issue (the write check of `auth::authz`, as for every command on
//! the case), and only for a target that can be rated now; a visit or item the case does not
//! have is `NOT_FOUND`, one that cannot be rated is `BAD_USER_INPUT` with the rule. Issuing
//! appends nothing to the log (the link is self-contained); it is logged with the issuer and the
//! link's nonce, which the rating's event metadata repeats (`causation_id`).

use chrono::{DateTime, Duration, Utc};
use guanjia_domain::case::model::{CaseState, RatingTarget};
use guanjia_domain::case::EnterpriseCase;

use super::subject::{describe, readiness, Readiness};
use super::LinkChannel;
use crate::auth::{authz, Actor};
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
    let case = state.store.load::<EnterpriseCase>(case_id).await?.state;
    authorize(actor, &case)?;
    match readiness(&case, target) {
        Readiness::Ready => {}
        Readiness::Missing => {
            return Err(ApiError::NotFound {
                what: describe(target),
            })
        }
        Readiness::NotReady(rule) => {
            return Err(ApiError::bad_input(
                "target",
                "not_rateable",
                format!("{}: {rule}", describe(target)),
            ))
        }
        Readiness::Rated(rating_no) => {
            return Err(ApiError::bad_input(
                "target",
                "already_rated",
                format!(
                    "{} is already rated (rating {rating_no}): one rating per visit or item",
                    describe(target)
                ),
            ))
        }
    }
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

/// The team's write check: `NOT_FOUND` for a case the actor may not read (they are not told
/// it exists), `FORBIDDEN` for one they may read but not work on.
fn authorize(actor: &Actor, case: &EnterpriseCase) -> Result<(), ApiError> {
    let not_found = || ApiError::NotFound {
        what: "case".to_owned(),
    };
    let enterprise = match (&case.state, &case.enterprise) {
        (CaseState::Unregistered, _) | (_, None) => return Err(not_found()),
        (_, Some(enterprise)) => enterprise,
    };
    if !authz::can_read_case(actor, &enterprise.division) {
        return Err(not_found());
    }
    if !authz::can_write_case(actor, &enterprise.division, &authz::team_of(case)) {
        return Err(ApiError::Forbidden(format!(
            "only the case's team may issue its rating links (you are a {} not on it)",
            actor.role
        )));
    }
    Ok(())
}
