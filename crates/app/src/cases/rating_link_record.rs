//! Rating links on the record (issue 18): recording a link the front door signed, listing a
//! case's links with where each stands, revoking one, and the public side's check that a link
//! still takes a rating.
//!
//! Who may: the case's team issues ([`super::rating_links::authorize_team`]) and revokes its
//! case's links; an admin whose division holds the case's revokes them too (an admin of another
//! division is told the case is not found, as for erasure). Whoever may read the case sees
//! its list. A link is checked against the case's `RatingLinks` stream in the log, not a read
//! model, so a revocation holds at once on every node. A genuine link the stream does not hold
//! was issued before links were recorded: it is accepted until it expires, as it always was.

use chrono::{DateTime, Utc};
use guanjia_domain::case::model::{CaseState, RatingTarget};
use guanjia_domain::case::EnterpriseCase;
use guanjia_domain::rating_links::{
    RatingLinkChannel, RatingLinkCommand, RatingLinkRefusal, RatingLinkState, RatingLinks,
};
use guanjia_store::{CommandContext, Committed};

use super::rating_links::{authorize_team, describe};
use crate::{admin, authz, Actor, App, AppError};

/// Where a rating link stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RatingLinkStatus {
    /// Takes its rating now.
    Live,
    /// Its target is rated (through it or another way): spent.
    Used,
    /// Past its expiry.
    Expired,
    /// Revoked before it was used.
    Revoked,
}

/// A rating link as the lists show it; no personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingLinkView {
    pub link_id: String,
    pub target: RatingTarget,
    pub channel: RatingLinkChannel,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoke_reason: Option<String>,
    pub status: RatingLinkStatus,
}

/// A link just revoked, and the log position of its revocation (for read-your-writes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokedRatingLink {
    pub link: RatingLinkView,
    pub committed: Committed,
}

/// A rating link the front door signed, to be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRatingLink {
    pub case_id: String,
    pub target: RatingTarget,
    /// The token's nonce.
    pub link_id: String,
    pub channel: RatingLinkChannel,
    /// As signed in the token.
    pub expires_at: DateTime<Utc>,
}

/// Where a link stands, from its record and whether its target is rated.
pub fn status_of(link: &RatingLinkState, rated: bool, now: DateTime<Utc>) -> RatingLinkStatus {
    if link.revoked_at.is_some() {
        RatingLinkStatus::Revoked
    } else if rated {
        RatingLinkStatus::Used
    } else if now >= link.expires_at {
        RatingLinkStatus::Expired
    } else {
        RatingLinkStatus::Live
    }
}

/// The rule name (`AppError::BadInput`'s) of a rating through a revoked link.
pub const LINK_REVOKED: &str = "link_revoked";

impl App {
    /// Records the rating link `link` that `actor` issues: the same checks as
    /// [`App::check_rating_link`], then the `RatingLinkIssued` event, the issuer in its metadata.
    pub async fn record_rating_link(
        &self,
        actor: &Actor,
        link: NewRatingLink,
        context: CommandContext,
    ) -> Result<Committed, AppError> {
        let case_id = link.case_id.trim().to_owned();
        self.check_rating_link(actor, &case_id, link.target).await?;
        let command = RatingLinkCommand::Issue {
            case_id: case_id.clone(),
            link_id: link.link_id,
            target: link.target,
            channel: link.channel,
            expires_at: link.expires_at,
        };
        Ok(self
            .store()
            .execute::<RatingLinks>(&case_id, command, self.services(), context)
            .await?)
    }

    /// Revokes the rating link `link_id` of the case `case_id` for `reason`: from this event on
    /// it takes no rating, on every node. The case's team, or an admin whose division holds
    /// the case. A link whose target is rated is spent, and refused as such.
    pub async fn revoke_rating_link(
        &self,
        actor: &Actor,
        case_id: &str,
        link_id: &str,
        reason: &str,
        context: CommandContext,
    ) -> Result<RevokedRatingLink, AppError> {
        let case_id = case_id.trim();
        let link_id = link_id.trim();
        let case = self.store().load::<EnterpriseCase>(case_id).await?.state;
        authorize_revocation(actor, &case)?;
        let links = self.store().load::<RatingLinks>(case_id).await?.state;
        if let Some(link) = links.links.get(link_id) {
            if link.revoked_at.is_none() && case.rated_targets.contains_key(&link.target) {
                return Err(AppError::bad_input(
                    "linkId",
                    "link_used",
                    format!(
                        "rating link {link_id} is spent: {} is rated already",
                        describe(link.target)
                    ),
                ));
            }
        }
        let command = RatingLinkCommand::Revoke {
            link_id: link_id.to_owned(),
            reason: reason.to_owned(),
        };
        let committed = self
            .store()
            .execute::<RatingLinks>(case_id, command, self.services(), context)
            .await?;
        let now = self.services().clock.now();
        let links = self.store().load::<RatingLinks>(case_id).await?.state;
        let link = links.links.get(link_id).ok_or_else(|| AppError::NotFound {
            what: format!("rating link {link_id}"),
        })?;
        Ok(RevokedRatingLink {
            link: view(link_id, link, &case, now),
            committed,
        })
    }

    /// Every rating link of the case `case_id` on the record, newest first, with where each
    /// stands, for whoever may read the case or revoke its links.
    pub async fn rating_links(
        &self,
        actor: &Actor,
        case_id: &str,
    ) -> Result<Vec<RatingLinkView>, AppError> {
        let case_id = case_id.trim();
        let case = self.store().load::<EnterpriseCase>(case_id).await?.state;
        let division = match (&case.state, &case.enterprise) {
            (CaseState::Unregistered, _) | (_, None) => return Err(authz::case_not_found()),
            (_, Some(enterprise)) => &enterprise.division,
        };
        if !admin::can_revoke_rating_links(actor, division) {
            authz::authorize_case_read(actor, division)?;
        }
        let now = self.services().clock.now();
        let links = self.store().load::<RatingLinks>(case_id).await?.state;
        let mut views: Vec<RatingLinkView> = links
            .links
            .iter()
            .map(|(link_id, link)| view(link_id, link, &case, now))
            .collect();
        views.sort_by(|a, b| {
            b.issued_at
                .cmp(&a.issued_at)
                .then(a.link_id.cmp(&b.link_id))
        });
        Ok(views)
    }

    /// Whether the genuine, unexpired link `link_id` of the case `case_id` is refused by its
    /// record: `Some(Revoked)` once revoked (or `Expired` if its record says so), `None` when it
    /// stands — or when it has no record (issued before links were recorded).
    pub async fn rating_link_refusal(
        &self,
        case_id: &str,
        link_id: &str,
    ) -> Result<Option<RatingLinkRefusal>, AppError> {
        let links = self.store().load::<RatingLinks>(case_id).await?.state;
        let now = self.services().clock.now();
        Ok(links.standing(link_id, now).and_then(Result::err))
    }
}

/// The check for revoking a case's rating links: an admin whose division holds the case, or
/// the case's team; an admin elsewhere is told the case is not found.
fn authorize_revocation(actor: &Actor, case: &EnterpriseCase) -> Result<(), AppError> {
    let division = case.enterprise.as_ref().map(|e| &e.division);
    if division.is_some_and(|d| admin::can_revoke_rating_links(actor, d)) {
        return Ok(());
    }
    if actor.role == guanjia_domain::user::Role::Admin {
        return Err(authz::case_not_found());
    }
    authorize_team(actor, case, "rating links").map_err(|error| match error {
        AppError::Forbidden(_) => AppError::Forbidden(format!(
            "only the case's team or an admin of its division may revoke its rating links (you \
             are a {} not on it)",
            actor.role
        )),
        other => other,
    })
}

fn view(
    link_id: &str,
    link: &RatingLinkState,
    case: &EnterpriseCase,
    now: DateTime<Utc>,
) -> RatingLinkView {
    let rated = case.rated_targets.contains_key(&link.target);
    RatingLinkView {
        link_id: link_id.to_owned(),
        target: link.target,
        channel: link.channel,
        issued_at: link.issued_at,
        expires_at: link.expires_at,
        revoked_at: link.revoked_at,
        revoke_reason: link.revoke_reason.clone(),
        status: status_of(link, rated, now),
    }
}
