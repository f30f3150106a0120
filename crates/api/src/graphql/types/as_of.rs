//! A case as it stood at a past position or time, rebuilt by the store from the case's own
//! events (`Store::load_as_of`), never from the read model or a snapshot: the answer depends
//! on the log alone. It is the aggregate's state — what the rules saw at that moment — so it
//! shows states and statuses, not the read model's live figures.

use async_graphql::{SimpleObject, ID};
use chrono::{DateTime, NaiveDate, Utc};
use guanjia_domain::case::model::{AgreementScope, RatingTarget};
use guanjia_domain::case::EnterpriseCase;

use super::team::Milestone;
use super::values::{self, Money};
use crate::graphql::enums::{
    AgreementScopeKind, CaseState, ComplaintStatus, ItemStatus, RatingTargetKind, Stage, Tier,
    VisitStatus,
};

/// The state of a case at a point in its history.
#[derive(SimpleObject)]
pub struct CaseAsOf {
    pub case_id: ID,
    /// How many of the case's events the state includes (0: the case did not exist yet).
    pub sequence: u64,
    /// `UNREGISTERED` when the case did not exist yet.
    pub state: CaseState,
    pub case_number: Option<String>,
    pub stage: Option<Stage>,
    pub term: u32,
    pub registered_on: Option<NaiveDate>,
    pub enterprise_name: Option<String>,
    pub uscc: Option<String>,
    pub division: Option<String>,
    pub address: Option<String>,
    /// Personal data.
    pub contact_name: Option<String>,
    /// Personal data.
    pub contact_phone: Option<String>,
    pub agreement_scope: Option<AgreementScopeKind>,
    pub agreement_stage: Option<Stage>,
    pub lead_steward: Option<String>,
    pub members: Vec<MemberAsOf>,
    pub plan_version: Option<u32>,
    pub plan_text: Option<String>,
    pub planned_items: Vec<String>,
    pub milestones: Vec<Milestone>,
    pub projects: Vec<ProjectAsOf>,
    pub visits: Vec<VisitAsOf>,
    pub items: Vec<ItemAsOf>,
    pub ratings: Vec<RatingAsOf>,
    pub complaints: Vec<ComplaintAsOf>,
    /// Notes added so far.
    pub notes: u32,
    /// When the state was asked for: the position given.
    pub as_of_position: Option<String>,
    /// When the state was asked for: the time given.
    pub as_of_time: Option<DateTime<Utc>>,
}

/// A team member then.
#[derive(SimpleObject)]
pub struct MemberAsOf {
    pub username: String,
    pub role: String,
    pub tier: Tier,
}

/// A project then.
#[derive(SimpleObject)]
pub struct ProjectAsOf {
    pub code: String,
    pub name: String,
    pub investment: Money,
    pub key_project: bool,
}

/// A visit then.
#[derive(SimpleObject)]
pub struct VisitAsOf {
    pub visit_no: u32,
    pub status: VisitStatus,
}

/// A service item then.
#[derive(SimpleObject)]
pub struct ItemAsOf {
    pub item_no: u32,
    pub status: ItemStatus,
    pub implementation_code: String,
    pub name: String,
    pub catalog_version: u32,
    pub requested_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    pub suspended_on: Option<NaiveDate>,
    pub extension_days: u32,
}

/// A rating then.
#[derive(SimpleObject)]
pub struct RatingAsOf {
    pub rating_no: u32,
    pub target_kind: RatingTargetKind,
    pub target_no: u32,
    pub level: u8,
    pub rated_on: NaiveDate,
    pub follow_up_of: Option<u32>,
    pub called_back: bool,
    pub appeal_pending: bool,
    pub voided: bool,
    pub rectified: bool,
}

/// A complaint then.
#[derive(SimpleObject)]
pub struct ComplaintAsOf {
    pub complaint_no: u32,
    pub status: ComplaintStatus,
}

/// Where in the history the state was taken.
pub enum AsOfPoint {
    Position(String),
    Time(DateTime<Utc>),
}

impl CaseAsOf {
    /// The state of `case_id` after `sequence` events, personal data masked unless `personal`.
    pub fn new(
        case_id: &str,
        case: &EnterpriseCase,
        sequence: u64,
        point: AsOfPoint,
        personal: bool,
    ) -> Self {
        let e = case.enterprise.as_ref();
        let (agreement_scope, agreement_stage) = match case.agreement {
            Some(AgreementScope::Stage(s)) => (Some(AgreementScopeKind::Stage), Some(s.into())),
            Some(AgreementScope::FullLifecycle) => (Some(AgreementScopeKind::FullLifecycle), None),
            None => (None, None),
        };
        let plan = case.plan.as_ref();
        let (as_of_position, as_of_time) = match point {
            AsOfPoint::Position(p) => (Some(p), None),
            AsOfPoint::Time(t) => (None, Some(t)),
        };
        Self {
            case_id: ID::from(case_id),
            sequence,
            state: case.state.into(),
            case_number: case.case_number.map(|n| n.to_string()),
            stage: case.stage.map(Into::into),
            term: case.term,
            registered_on: case.registered_on,
            enterprise_name: e.map(|e| e.name.clone()),
            uscc: e
                .and_then(|e| e.uscc.as_ref())
                .map(|u| u.as_str().to_owned()),
            division: e.map(|e| e.division.as_str().to_owned()),
            address: e.and_then(|e| e.address.clone()),
            contact_name: e
                .and_then(|e| e.contact_name.as_deref())
                .map(|n| values::name(n, personal)),
            contact_phone: e
                .and_then(|e| e.contact_phone.as_ref())
                .map(|p| values::phone(p, personal)),
            agreement_scope,
            agreement_stage,
            lead_steward: case.lead_steward.clone(),
            members: case
                .members
                .values()
                .map(|m| MemberAsOf {
                    username: m.user_id.clone(),
                    role: m.role.clone(),
                    tier: m.tier.into(),
                })
                .collect(),
            plan_version: plan.map(|(version, _)| *version),
            plan_text: plan.map(|(_, p)| p.text.clone()),
            planned_items: plan
                .map(|(_, p)| p.planned_items.clone())
                .unwrap_or_default(),
            milestones: plan
                .map(|(_, p)| {
                    p.milestones
                        .iter()
                        .map(|m| Milestone {
                            name: m.name.clone(),
                            due_on: m.due_on,
                        })
                        .collect()
                })
                .unwrap_or_default(),
            projects: case
                .projects
                .values()
                .map(|(code, d)| ProjectAsOf {
                    code: code.as_str().to_owned(),
                    name: d.name.clone(),
                    investment: d.investment.into(),
                    key_project: d.key_project,
                })
                .collect(),
            visits: case
                .visits
                .iter()
                .map(|(no, status)| VisitAsOf {
                    visit_no: *no,
                    status: (*status).into(),
                })
                .collect(),
            items: case
                .items
                .iter()
                .map(|(no, i)| ItemAsOf {
                    item_no: *no,
                    status: i.status.into(),
                    implementation_code: i.catalog.implementation_code.clone(),
                    name: i.catalog.name.clone(),
                    catalog_version: i.catalog.version,
                    requested_on: i.requested_on,
                    accepted_on: i.accepted_on,
                    suspended_on: i.suspended_on,
                    extension_days: i.extension_days,
                })
                .collect(),
            ratings: case.ratings.iter().map(|(no, r)| rating(*no, r)).collect(),
            complaints: case
                .complaints
                .iter()
                .map(|(no, status)| ComplaintAsOf {
                    complaint_no: *no,
                    status: (*status).into(),
                })
                .collect(),
            notes: case.notes,
            as_of_position,
            as_of_time,
        }
    }
}

fn rating(no: u32, r: &guanjia_domain::case::state::RatingState) -> RatingAsOf {
    let (target_kind, target_no) = match r.target {
        RatingTarget::Visit(n) => (RatingTargetKind::Visit, n),
        RatingTarget::Item(n) => (RatingTargetKind::Item, n),
    };
    RatingAsOf {
        rating_no: no,
        target_kind,
        target_no,
        level: r.level.get(),
        rated_on: r.rated_on,
        follow_up_of: r.follow_up_of,
        called_back: r.called_back,
        appeal_pending: r.appeal_pending,
        voided: r.voided,
        rectified: r.rectified,
    }
}
