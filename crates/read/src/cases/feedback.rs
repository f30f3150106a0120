//! What rating (好差评) and complaint (办不成事) events do to their rows: the enterprise's voice,
//! accepted on closed cases too. Ratings are never edited: a call-back, appeal decision or
//! rectification is added beside the rating, so the loop's history stays readable.

use guanjia_domain::case::state::ComplaintStatus;
use guanjia_domain::case::CaseEvent;
use guanjia_domain::clock::china_date;

use super::timeline::{index, Mark};
use super::CaseStore;
use super::PushExact;
use super::{Appeal, AppealDecision, CallBack, CaseIx, ComplaintRow, RatingRow};
use crate::symbols::Symbols;

impl CaseStore {
    pub(super) fn apply_rating(
        &mut self,
        case: CaseIx,
        event: CaseEvent,
        symbols: &mut Symbols,
    ) -> Option<Mark> {
        use CaseEvent as E;
        let voided = matches!(event, E::RatingVoided { .. });
        match event {
            E::RatingRecorded {
                rating_no,
                target,
                level,
                dimension_set,
                dimensions,
                channel,
                comment,
                rater,
                follow_up_of,
                rated_at,
                recorded_by,
            } => {
                let mut scores = [0u8; 4];
                for (slot, key) in scores.iter_mut().zip(dimension_set.dimensions()) {
                    *slot = dimensions.get(*key).map_or(0, |level| level.get());
                }
                if let Some(original) = follow_up_of {
                    if let Some(row) = self.rating_mut(case, original) {
                        row.followed_up_by = Some(rating_no);
                    }
                }
                let row = RatingRow {
                    case,
                    rating_no,
                    target,
                    level,
                    dimension_set,
                    scores,
                    channel,
                    comment: comment.map(Into::into),
                    rater,
                    follow_up_of,
                    followed_up_by: None,
                    rated_at,
                    recorded_by: recorded_by.map(|name| symbols.intern(&name)),
                    lead: self.lead_of(case),
                    call_back: None,
                    appeal: None,
                    rectification: None,
                    due: None,
                };
                let ix = index(self.ratings.len());
                self.ratings.push(row);
                self.cases.get_mut(case as usize)?.ratings.push(ix);
                Some(Mark::on(china_date(rated_at), rating_no))
            }
            E::RatingCallBackRecorded {
                rating_no,
                called_on,
                confirmed,
                notes,
            } => {
                self.rating_mut(case, rating_no)?.call_back = Some(Box::new(CallBack {
                    called_on,
                    confirmed,
                    notes: notes.into(),
                }));
                Some(Mark::on(called_on, rating_no))
            }
            E::RatingAppealed { rating_no, reason } => {
                self.rating_mut(case, rating_no)?.appeal = Some(Box::new(Appeal {
                    reason: reason.into(),
                    decision: None,
                }));
                Some(Mark::about(rating_no))
            }
            E::RatingVoided {
                rating_no,
                reviewer,
                reason,
            }
            | E::RatingAppealRejected {
                rating_no,
                reviewer,
                reason,
            } => {
                let reviewer = symbols.intern(&reviewer);
                let row = self.rating_mut(case, rating_no)?;
                // A decision without an appeal cannot come from the aggregate; keep it anyway
                // under an empty appeal, so that a voiding is never lost.
                let appeal = row.appeal.get_or_insert_with(|| {
                    Box::new(Appeal {
                        reason: "".into(),
                        decision: None,
                    })
                });
                appeal.decision = Some(AppealDecision {
                    voided,
                    reviewer,
                    reason: reason.into(),
                });
                Some(Mark::about(rating_no))
            }
            E::RatingRectified {
                rating_no,
                rectified_on,
                measures,
            } => {
                self.rating_mut(case, rating_no)?.rectification =
                    Some(Box::new((rectified_on, measures.into())));
                Some(Mark::on(rectified_on, rating_no))
            }
            _ => None,
        }
    }

    pub(super) fn apply_complaint(
        &mut self,
        case: CaseIx,
        event: CaseEvent,
        symbols: &mut Symbols,
    ) -> Option<Mark> {
        use CaseEvent as E;
        match event {
            E::ComplaintLodged {
                complaint_no,
                channel,
                content,
                complainant,
                lodged_on,
            } => {
                let row = ComplaintRow {
                    case,
                    complaint_no,
                    channel,
                    content: content.into(),
                    complainant,
                    lodged_on,
                    lead: self.lead_of(case),
                    assignees: Vec::new(),
                    status: ComplaintStatus::Lodged,
                    resolution: None,
                    referral: None,
                    signed_off_by: None,
                };
                let ix = index(self.complaints.len());
                self.complaints.push(row);
                self.cases.get_mut(case as usize)?.complaints.push(ix);
                Some(Mark::on(lodged_on, complaint_no))
            }
            E::ComplaintAssigned {
                complaint_no,
                assignee,
            } => {
                let assignee = symbols.intern(&assignee);
                let complaint = self.complaint_mut(case, complaint_no)?;
                complaint.status = ComplaintStatus::Assigned;
                complaint.assignees.push_exact(assignee);
                Some(Mark::about(complaint_no).with_detail(complaint.assignees.len() - 1))
            }
            E::ComplaintResolved {
                complaint_no,
                answer,
                resolved_on,
                signed_off_by,
            } => {
                let signer = signed_off_by.map(|name| symbols.intern(&name));
                let complaint = self.complaint_mut(case, complaint_no)?;
                complaint.status = ComplaintStatus::Resolved;
                complaint.signed_off_by = signer;
                complaint.resolution = Some(Box::new((resolved_on, answer.into())));
                Some(Mark::on(resolved_on, complaint_no))
            }
            E::ComplaintReferred {
                complaint_no,
                to_department,
                reason,
            } => {
                let complaint = self.complaint_mut(case, complaint_no)?;
                complaint.status = ComplaintStatus::Referred;
                complaint.referral = Some(Box::new((to_department.into(), reason.into())));
                Some(Mark::about(complaint_no))
            }
            _ => None,
        }
    }
}
