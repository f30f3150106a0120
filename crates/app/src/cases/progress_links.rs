//! 办件进度 links, the team's side: issue one for the enterprise (at signing, or later),
//! list them, revoke one. Only the case's team issues and revokes, like rating links
//! ([`super::rating_links::authorize_team`]); whoever may read the case may see the list.
//! The public side — opening a link, or looking a case up by number — is `crate::progress`.
//!
//! The link's id is chosen here, at random: the front door signs a token naming the case and
//! this id, so the log holds no usable link and a revocation is one event.

use chrono::{DateTime, Utc};
use guanjia_domain::case::model::CaseState;
use guanjia_domain::case::EnterpriseCase;
use guanjia_domain::progress::{LinkState, ProgressChannel, ProgressLinkCommand, ProgressLinks};
use guanjia_store::{CommandContext, Committed};

use super::rating_links::authorize_team;
use crate::{authz, Actor, App, AppError};

/// A link as the team's list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressLinkView {
    pub link_id: String,
    pub channel: ProgressChannel,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// Opens the case now (neither revoked nor expired).
    pub live: bool,
}

/// A link just issued (or revoked), and the log position of its event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedProgressLink {
    pub case_id: String,
    pub link: ProgressLinkView,
    pub committed: Committed,
}

impl App {
    /// Issues a progress link of the case `case_id` valid for `ttl_hours`, on behalf of
    /// `actor` (only the case's team). A case not registered reads as not found; a closed case
    /// gets no new links (its enterprise has nothing left to follow).
    pub async fn issue_progress_link(
        &self,
        actor: &Actor,
        case_id: &str,
        ttl_hours: u32,
        channel: ProgressChannel,
        context: CommandContext,
    ) -> Result<IssuedProgressLink, AppError> {
        let case_id = case_id.trim();
        let case = self.store().load::<EnterpriseCase>(case_id).await?.state;
        authorize_team(actor, &case, "progress links")?;
        if case.state == CaseState::Closed {
            return Err(AppError::bad_input(
                "caseId",
                "case_closed",
                "the case is closed: issue no new progress links for it",
            ));
        }
        let link_id = uuid::Uuid::new_v4().simple().to_string();
        let command = ProgressLinkCommand::Issue {
            case_id: case_id.to_owned(),
            link_id: link_id.clone(),
            ttl_hours,
            channel,
        };
        let committed = self
            .store()
            .execute::<ProgressLinks>(case_id, command, self.services(), context)
            .await?;
        let link = self.link_view(case_id, &link_id).await?;
        Ok(IssuedProgressLink {
            case_id: case_id.to_owned(),
            link,
            committed,
        })
    }

    /// Revokes the progress link `link_id` of the case `case_id`: from this event on it opens
    /// nothing, on every node. Only the case's team.
    pub async fn revoke_progress_link(
        &self,
        actor: &Actor,
        case_id: &str,
        link_id: &str,
        context: CommandContext,
    ) -> Result<IssuedProgressLink, AppError> {
        let case_id = case_id.trim();
        let link_id = link_id.trim();
        let case = self.store().load::<EnterpriseCase>(case_id).await?.state;
        authorize_team(actor, &case, "progress links")?;
        let command = ProgressLinkCommand::Revoke {
            link_id: link_id.to_owned(),
        };
        let committed = self
            .store()
            .execute::<ProgressLinks>(case_id, command, self.services(), context)
            .await?;
        let link = self.link_view(case_id, link_id).await?;
        Ok(IssuedProgressLink {
            case_id: case_id.to_owned(),
            link,
            committed,
        })
    }

    /// One link of the case as the list shows it, read back from the log.
    async fn link_view(&self, case_id: &str, link_id: &str) -> Result<ProgressLinkView, AppError> {
        let now = self.services().clock.now();
        let links = self.store().load::<ProgressLinks>(case_id).await?.state;
        let link = links.links.get(link_id).ok_or_else(|| AppError::NotFound {
            what: format!("progress link {link_id}"),
        })?;
        Ok(view(link_id, link, now))
    }

    /// Every progress link of the case `case_id`, newest first, for whoever may read the case.
    pub async fn progress_links(
        &self,
        actor: &Actor,
        case_id: &str,
    ) -> Result<Vec<ProgressLinkView>, AppError> {
        let case_id = case_id.trim();
        let case = self.store().load::<EnterpriseCase>(case_id).await?.state;
        match (&case.state, &case.enterprise) {
            (CaseState::Unregistered, _) | (_, None) => return Err(authz::case_not_found()),
            (_, Some(enterprise)) => authz::authorize_case_read(actor, &enterprise.division)?,
        }
        let now = self.services().clock.now();
        let links = self.store().load::<ProgressLinks>(case_id).await?.state;
        let mut views: Vec<ProgressLinkView> = links
            .links
            .iter()
            .map(|(link_id, link)| view(link_id, link, now))
            .collect();
        views.sort_by(|a, b| {
            b.issued_at
                .cmp(&a.issued_at)
                .then(a.link_id.cmp(&b.link_id))
        });
        Ok(views)
    }
}

fn view(link_id: &str, link: &LinkState, now: DateTime<Utc>) -> ProgressLinkView {
    ProgressLinkView {
        link_id: link_id.to_owned(),
        channel: link.channel,
        issued_at: link.issued_at,
        expires_at: link.expires_at,
        revoked_at: link.revoked_at,
        live: link.is_live(now),
    }
}
