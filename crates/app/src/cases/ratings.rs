//! Ratings (好差评) and the bad-rating loop: rate, follow-up rating (追评), call-back (回访核实),
//! appeal and its review (申诉复核), rectification (整改). The reviewer of an appeal is the
//! acting leader, never a free-text field: the decision is theirs and the audit trail says so.

use chrono::NaiveDate;
use guanjia_domain::case::commands::RatingInput;
use guanjia_domain::case::model::RatingTarget;
use guanjia_domain::case::{CaseCommand, EnterpriseCase};
use guanjia_domain::rating_links::RatingLinkRefusal;
use guanjia_store::CommandContext;

use super::{CaseOutcome, OnCase};
use crate::{App, AppError};

impl OnCase<'_> {
    /// Records the rating of a conducted visit or a concluded item, as the team enters it:
    /// the rating is "recorded by staff", by the acting user, and cannot claim a channel only
    /// a one-time link produces (二维码, 短信).
    pub async fn rate(
        self,
        target: RatingTarget,
        rating: RatingInput,
    ) -> Result<CaseOutcome, AppError> {
        let rating = self.entered_by_staff(rating);
        self.send(CaseCommand::Rate { target, rating }).await
    }

    /// Records the follow-up rating (追评) of an earlier rating, entered by staff like
    /// [`OnCase::rate`].
    pub async fn rate_follow_up(
        self,
        rating_no: u32,
        rating: RatingInput,
    ) -> Result<CaseOutcome, AppError> {
        let rating = self.entered_by_staff(rating);
        self.send(CaseCommand::RateFollowUp { rating_no, rating })
            .await
    }

    /// The recorder of a staff-entered rating is whoever acts, whatever the input said.
    fn entered_by_staff(&self, rating: RatingInput) -> RatingInput {
        RatingInput {
            recorded_by: Some(self.actor.username.to_string()),
            ..rating
        }
    }

    /// Records the call-back check of a bad rating (回访核实).
    pub async fn record_call_back(
        self,
        rating_no: u32,
        called_on: Option<NaiveDate>,
        confirmed: bool,
        notes: String,
    ) -> Result<CaseOutcome, AppError> {
        self.send(CaseCommand::RecordCallBack {
            rating_no,
            called_on,
            confirmed,
            notes,
        })
        .await
    }

    /// Appeals a bad rating as mistaken or malicious.
    pub async fn appeal_rating(
        self,
        rating_no: u32,
        reason: String,
    ) -> Result<CaseOutcome, AppError> {
        self.send(CaseCommand::AppealRating { rating_no, reason })
            .await
    }

    /// Decides an appeal (leaders in scope); the acting leader is the reviewer.
    pub async fn decide_appeal(
        self,
        rating_no: u32,
        void: bool,
        reason: String,
    ) -> Result<CaseOutcome, AppError> {
        let reviewer = self.actor.username.to_string();
        self.send(CaseCommand::DecideAppeal {
            rating_no,
            void,
            reviewer,
            reason,
        })
        .await
    }

    /// Records the rectification of a bad rating (整改).
    pub async fn record_rectification(
        self,
        rating_no: u32,
        rectified_on: Option<NaiveDate>,
        measures: String,
    ) -> Result<CaseOutcome, AppError> {
        self.send(CaseCommand::RecordRectification {
            rating_no,
            rectified_on,
            measures,
        })
        .await
    }
}

impl App {
    /// Records the rating an enterprise contact gave through the public rating link `link_id`
    /// (its nonce). No one is signed in: the link is the authority, checked by the front door
    /// (signed, unexpired, for this case and target); one rating per target keeps a link from
    /// being used twice, and its record in the log refuses it once revoked
    /// ([`super::rating_link_record::LINK_REVOKED`]).
    pub async fn rate_through_link(
        &self,
        case_id: &str,
        link_id: &str,
        target: RatingTarget,
        rating: RatingInput,
        context: CommandContext,
    ) -> Result<CaseOutcome, AppError> {
        if let Some(refusal) = self.rating_link_refusal(case_id, link_id).await? {
            return Err(AppError::bad_input(
                "link",
                match refusal {
                    RatingLinkRefusal::Revoked => super::rating_link_record::LINK_REVOKED,
                    RatingLinkRefusal::Expired => "link_expired",
                },
                match refusal {
                    RatingLinkRefusal::Revoked => format!("rating link {link_id} is revoked"),
                    RatingLinkRefusal::Expired => format!("rating link {link_id} has expired"),
                },
            ));
        }
        // The rater gave it themselves: no recorder, and the link's channel stands.
        let rating = RatingInput {
            recorded_by: None,
            ..rating
        };
        let command = CaseCommand::Rate { target, rating };
        let anyone = |_: &EnterpriseCase| Ok(());
        let store = self.store();
        let committed =
            super::cross_case::run(store, case_id, command, self.services(), context, &anyone)
                .await?;
        Ok(CaseOutcome {
            case_id: case_id.to_owned(),
            case_number: None,
            committed,
        })
    }
}
