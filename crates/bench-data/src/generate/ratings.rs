//! Ratings (好差评) and what a bad one sets off: usually a call-back the next working day and
//! a rectification within 15 working days (one in three late), then often a follow-up rating;
//! sometimes an appeal the leader upholds or rejects.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use guanjia_domain::case::model::{Channel, DimensionScores, DimensionSet, Person, RatingTarget};
use guanjia_domain::case::CaseEvent;
use guanjia_domain::values::RatingLevel;
use rand::Rng;

use super::derive::{day_of, weekday};
use super::sim::{Sim, Step};

impl Sim<'_> {
    /// Records a rating: `level` if given (a follow-up), else drawn — about one in twenty-five
    /// is bad (1 or 2).
    pub fn rate(
        &mut self,
        at: DateTime<Utc>,
        target: RatingTarget,
        follow_up_of: Option<u32>,
        level: Option<u8>,
    ) {
        self.ratings += 1;
        let rating_no = self.ratings;
        let level = level.unwrap_or_else(|| match self.rng.gen_range(0..1000) {
            0..=14 => 1,
            15..=39 => 2,
            40..=99 => 3,
            100..=329 => 4,
            _ => 5,
        });
        let channel = match target {
            RatingTarget::Visit(_) => [
                Channel::QrCode,
                Channel::EvaluatorDevice,
                Channel::PaperCard,
                Channel::InPerson,
            ][self.rng.gen_range(0..4)],
            RatingTarget::Item(_) => [
                Channel::Sms,
                Channel::Online,
                Channel::QrCode,
                Channel::SelfServiceTerminal,
                Channel::EvaluatorDevice,
            ][self.rng.gen_range(0..5)],
        };
        let dimension_set = if channel == Channel::Online {
            DimensionSet::Online2019
        } else {
            DimensionSet::Offline2019
        };
        let dimensions: DimensionScores = dimension_set
            .dimensions()
            .iter()
            .map(|d| {
                let score = (i16::from(level) + self.rng.gen_range(-1..=1)).clamp(1, 5);
                let score =
                    RatingLevel::new(u8::try_from(score).unwrap_or(3)).unwrap_or(RatingLevel::MAX);
                ((*d).to_owned(), score)
            })
            .collect();
        let bad = level <= 2;
        let public = self.g.public;
        self.record(
            at,
            public,
            CaseEvent::RatingRecorded {
                rating_no,
                target,
                level: RatingLevel::new(level).unwrap_or(RatingLevel::MAX),
                dimension_set,
                dimensions,
                channel,
                comment: bad.then(|| "办理时间太长，窗口答复不一致".to_owned()),
                rater: Person {
                    name: Some(self.contact.clone()),
                    phone: None,
                },
                follow_up_of,
                rated_at: at,
                recorded_by: None,
            },
        );
        if !bad || follow_up_of.is_some() {
            return;
        }
        let on = day_of(at);
        if self.rng.gen_bool(0.1) {
            let when = weekday(on + Duration::days(1));
            self.schedule(when, Step::Appeal { rating_no });
        } else if self.rng.gen_bool(0.93) {
            // Usually the next working day; sometimes late.
            let days = if self.rng.gen_bool(0.85) { 1 } else { 4 };
            let when = weekday(on + Duration::days(days));
            self.schedule(when, Step::CallBack { rating_no });
        }
        self.rated.push((rating_no, target));
    }

    /// What bad rating `rating_no` rated, for its follow-up.
    fn rated_target(&self, rating_no: u32) -> RatingTarget {
        self.rated
            .iter()
            .find(|(no, _)| *no == rating_no)
            .map_or(RatingTarget::Item(1), |(_, target)| *target)
    }

    pub fn call_back(&mut self, at: DateTime<Utc>, on: NaiveDate, rating_no: u32) {
        let lead = self.lead;
        self.record(
            at,
            lead,
            CaseEvent::RatingCallBackRecorded {
                rating_no,
                called_on: on,
                confirmed: true,
                notes: "电话回访，情况属实，已制定整改措施".to_owned(),
            },
        );
        // One rectification in three runs past the 15 working days.
        let days = if self.rng.gen_bool(0.33) {
            self.rng.gen_range(22..40)
        } else {
            self.rng.gen_range(3..18)
        };
        let target = self.rated_target(rating_no);
        self.schedule(
            weekday(on + Duration::days(days)),
            Step::Rectify { rating_no, target },
        );
    }

    /// Records the rectification; the enterprise often rates again, never badly.
    pub fn rectify(
        &mut self,
        at: DateTime<Utc>,
        on: NaiveDate,
        rating_no: u32,
        target: RatingTarget,
    ) {
        let lead = self.lead;
        self.record(
            at,
            lead,
            CaseEvent::RatingRectified {
                rating_no,
                rectified_on: on,
                measures: "优化材料清单，指定专人跟办，限时反馈".to_owned(),
            },
        );
        if self.rng.gen_bool(0.7) {
            let when = at + Duration::hours(self.rng.gen_range(2..48));
            let level = Some(self.rng.gen_range(3..=5));
            self.schedule_at(
                when,
                Step::Rate {
                    target,
                    follow_up_of: Some(rating_no),
                    level,
                },
            );
        }
    }

    pub fn appeal(&mut self, at: DateTime<Utc>, on: NaiveDate, rating_no: u32) {
        let lead = self.lead;
        self.record(
            at,
            lead,
            CaseEvent::RatingAppealed {
                rating_no,
                reason: "评价人误操作，已与企业核实".to_owned(),
            },
        );
        let when = weekday(on + Duration::days(self.rng.gen_range(2..10)));
        self.schedule(when, Step::Review { rating_no });
    }

    /// The leader's review of an appeal: the rating voided, or the appeal rejected.
    pub fn review(&mut self, at: DateTime<Utc>, rating_no: u32) {
        let reviewer = self.g.leader;
        let id = self.user_id(reviewer);
        let event = if self.rng.gen_bool(0.6) {
            CaseEvent::RatingVoided {
                rating_no,
                reviewer: id,
                reason: "企业书面确认误评".to_owned(),
            }
        } else {
            CaseEvent::RatingAppealRejected {
                rating_no,
                reviewer: id,
                reason: "申诉理由不成立".to_owned(),
            }
        };
        self.record(at, reviewer, event);
    }
}
