//! The rating links on the record, for the admins' list (issue 18): every link issued
//! (`RatingLinkIssued` of the `rating_links` streams) with its case, target, channel, issuer and
//! times, and whether it was revoked. Kept in the model and its snapshots like every other
//! projection; the links of a case are few, so a list walks them all.
//!
//! This is a list, not the authority: whether a link takes a rating is decided from the log
//! (`App::rate_through_link`), so a revocation holds on every node before this index has it.
//! Whether a link is used is read from the case's ratings at query time, as is its case's
//! division (a corrected division moves its links with it). Nothing here is personal: the
//! issuer is a staff account, the target a visit number or a catalog item.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use guanjia_domain::case::model::RatingTarget;
use guanjia_domain::rating_links::{RatingLinkChannel, RatingLinkEvent};
use guanjia_domain::values::{CaseNumber, DivisionCode};
use serde::{Deserialize, Serialize};

use crate::ReadModel;

/// One recorded link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct LinkRow {
    #[serde(with = "crate::snapshot_serde::rating_target")]
    target: RatingTarget,
    channel: RatingLinkChannel,
    issuer: String,
    #[serde(with = "crate::snapshot_serde::instant")]
    issued_at: DateTime<Utc>,
    #[serde(with = "crate::snapshot_serde::instant")]
    expires_at: DateTime<Utc>,
    revoked: bool,
}

/// Every recorded link, by case id and link id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingLinkBook {
    links: BTreeMap<(String, String), LinkRow>,
}

impl RatingLinkBook {
    /// Applies an event of the case `case_id`'s stream, recorded by `actor`.
    pub(crate) fn apply(&mut self, case_id: &str, event: RatingLinkEvent, actor: &str) {
        match event {
            RatingLinkEvent::RatingLinkIssued {
                link_id,
                target,
                channel,
                issued_at,
                expires_at,
                ..
            } => {
                let row = LinkRow {
                    target,
                    channel,
                    issuer: actor.to_owned(),
                    issued_at,
                    expires_at,
                    revoked: false,
                };
                self.links.insert((case_id.to_owned(), link_id), row);
            }
            RatingLinkEvent::RatingLinkRevoked { link_id, .. } => {
                if let Some(row) = self.links.get_mut(&(case_id.to_owned(), link_id)) {
                    row.revoked = true;
                }
            }
        }
    }
}

/// A live link as the admins' list shows it: no personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiveRatingLink {
    pub case_id: String,
    pub case_number: CaseNumber,
    pub division: DivisionCode,
    pub link_id: String,
    pub target: RatingTarget,
    /// The rated item's catalog name; `None` for a visit.
    pub item_name: Option<String>,
    pub channel: RatingLinkChannel,
    /// The account that issued it.
    pub issuer: String,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl ReadModel {
    /// The links live at `now` (neither revoked, nor expired, nor spent by a rating of their
    /// target) of the cases in `scope`, soonest to expire first. Who may ask for which scope is
    /// the application layer's decision.
    pub fn live_rating_links(
        &self,
        scope: &DivisionCode,
        now: DateTime<Utc>,
    ) -> Vec<LiveRatingLink> {
        let today = guanjia_domain::clock::china_date(now);
        let mut live = Vec::new();
        let mut case_links = self.rating_links.links.iter().peekable();
        while let Some(((case_id, _), _)) = case_links.peek() {
            let case_id = case_id.clone();
            let mut of_case = Vec::new();
            while let Some((key, row)) = case_links.next_if(|((c, _), _)| *c == case_id) {
                if !row.revoked && now < row.expires_at {
                    of_case.push((key.1.clone(), row));
                }
            }
            if of_case.is_empty() {
                continue;
            }
            let Some(summary) = self.case_by_id(&case_id) else {
                continue;
            };
            if !scope.contains(&summary.division) {
                continue;
            }
            let Some(detail) = self.case_detail(&case_id, today) else {
                continue;
            };
            for (link_id, row) in of_case {
                if detail.ratings.iter().any(|r| r.target == row.target) {
                    continue;
                }
                let item_name = match row.target {
                    RatingTarget::Item(no) => detail
                        .items
                        .iter()
                        .find(|i| i.item_no == no)
                        .map(|i| i.catalog.name.clone()),
                    RatingTarget::Visit(_) => None,
                };
                live.push(LiveRatingLink {
                    case_id: case_id.clone(),
                    case_number: summary.case_number,
                    division: summary.division.clone(),
                    link_id,
                    target: row.target,
                    item_name,
                    channel: row.channel,
                    issuer: row.issuer.clone(),
                    issued_at: row.issued_at,
                    expires_at: row.expires_at,
                });
            }
        }
        live.sort_by(|a, b| {
            a.expires_at
                .cmp(&b.expires_at)
                .then_with(|| a.link_id.cmp(&b.link_id))
        });
        live
    }
}
