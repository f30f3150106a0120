//! Public rating links: who may issue one for which target, and whether a target can be rated
//! now. The link itself (signed, self-contained) is made by the front door that serves the
//! public page; this layer decides whether it may be made, and records the rating given
//! through it (`ratings.rs`, [`App::rate_through_link`]).
//!
//! The rules mirror the aggregate's (only a conducted visit or a concluded item, one rating per
//! target) so that a link is refused when it is issued, not when the enterprise opens it; the
//! aggregate still decides when the rating is submitted.

use guanjia_domain::case::model::{CaseState, RatingTarget};
use guanjia_domain::case::state::{ItemStatus, VisitStatus};
use guanjia_domain::case::EnterpriseCase;

use crate::{authz, Actor, App, AppError};

/// Whether a target can be rated now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Readiness {
    Ready,
    /// The case has no such visit or item.
    Missing,
    /// It exists but cannot be rated yet; the rule.
    NotReady(&'static str),
    /// Already rated, by this rating number.
    Rated(u32),
}

/// Where `target` stands in `case`.
pub fn readiness(case: &EnterpriseCase, target: RatingTarget) -> Readiness {
    if let Some(rating_no) = case.rated_targets.get(&target) {
        return Readiness::Rated(*rating_no);
    }
    match target {
        RatingTarget::Visit(no) => match case.visits.get(&no) {
            None => Readiness::Missing,
            Some(VisitStatus::Conducted) => Readiness::Ready,
            Some(_) => Readiness::NotReady("only a conducted visit can be rated"),
        },
        RatingTarget::Item(no) => match case.items.get(&no) {
            None => Readiness::Missing,
            Some(item) if item.status == ItemStatus::Concluded => Readiness::Ready,
            Some(_) => Readiness::NotReady("only a concluded service item can be rated"),
        },
    }
}

/// `visit 2`, `service item 3`: for messages.
pub fn describe(target: RatingTarget) -> String {
    match target {
        RatingTarget::Visit(no) => format!("visit {no}"),
        RatingTarget::Item(no) => format!("service item {no}"),
    }
}

impl App {
    /// May `actor` issue a link to rate `target` of the case `case_id` now? Only the case's
    /// team (`NOT_FOUND` for whom may not read the case, `FORBIDDEN` for the others), and only
    /// for a target that can be rated: one the case lacks is `NOT_FOUND`, one not rateable yet
    /// or already rated is refused with its rule. Issuing appends nothing to the log.
    pub async fn check_rating_link(
        &self,
        actor: &Actor,
        case_id: &str,
        target: RatingTarget,
    ) -> Result<(), AppError> {
        let case = self.store().load::<EnterpriseCase>(case_id).await?.state;
        authorize_team(actor, &case, "rating links")?;
        match readiness(&case, target) {
            Readiness::Ready => Ok(()),
            Readiness::Missing => Err(AppError::NotFound {
                what: describe(target),
            }),
            Readiness::NotReady(rule) => Err(AppError::bad_input(
                "target",
                "not_rateable",
                format!("{}: {rule}", describe(target)),
            )),
            Readiness::Rated(rating_no) => Err(AppError::bad_input(
                "target",
                "already_rated",
                format!(
                    "{} is already rated (rating {rating_no}): one rating per visit or item",
                    describe(target)
                ),
            )),
        }
    }
}

/// The team's check for handing out public links of a case (`what`: "rating links",
/// "progress links"): `NOT_FOUND` for a case the actor may not read (they are not told it
/// exists), `FORBIDDEN` for one they may read but not work on.
pub(crate) fn authorize_team(
    actor: &Actor,
    case: &EnterpriseCase,
    what: &str,
) -> Result<(), AppError> {
    let enterprise = match (&case.state, &case.enterprise) {
        (CaseState::Unregistered, _) | (_, None) => return Err(authz::case_not_found()),
        (_, Some(enterprise)) => enterprise,
    };
    if !authz::can_read_case(actor, &enterprise.division) {
        return Err(authz::case_not_found());
    }
    if !authz::can_write_case(actor, &enterprise.division, &authz::team_of(case)) {
        return Err(AppError::Forbidden(format!(
            "only the case's team may issue its {what} (you are a {} not on it)",
            actor.role
        )));
    }
    Ok(())
}
