//! A demo step as the use case a person would run for it: each case command the demo sends
//! goes to its own method of `guanjia_app`'s `OnCase`, so the demo is checked like anyone
//! (who acts on which case, the people a step names, the closed periods).

use guanjia_app::{AppError, CaseOutcome, OnCase};
use guanjia_domain::case::events::BundleRef;
use guanjia_domain::case::CaseCommand;
use guanjia_domain::DomainError;

/// Runs `command` as the use case of the same name.
pub(crate) async fn send(on: OnCase<'_>, command: CaseCommand) -> Result<CaseOutcome, AppError> {
    use CaseCommand as C;
    match command {
        C::AssignLeadSteward {
            steward,
            tier,
            reason,
        } => on.assign_lead_steward(steward, tier, reason).await,
        C::AddTeamMember {
            user_id,
            role,
            tier,
        } => on.add_team_member(user_id, role, tier).await,
        C::SignAgreement {
            scope,
            signed_on,
            signatories,
        } => on.sign_agreement(scope, signed_on, signatories).await,
        C::AdoptPlan { plan } => on.adopt_plan(plan).await,
        C::AddProject { project } => on.add_project(project).await,
        C::ScheduleVisit {
            scheduled_at,
            place,
            purpose,
            planned_participants,
        } => {
            on.schedule_visit(scheduled_at, place, purpose, planned_participants)
                .await
        }
        C::ConductVisit {
            visit_no,
            conducted_at,
            participants,
            notes,
            issues_raised,
            follow_ups,
        } => {
            on.conduct_visit(
                visit_no,
                conducted_at,
                participants,
                notes,
                issues_raised,
                follow_ups,
            )
            .await
        }
        C::RequestServiceItem {
            catalog,
            mode,
            requested_on,
        } => {
            on.request_service_item(&catalog.implementation_code, mode, requested_on)
                .await
        }
        C::RequestBundle {
            bundle: BundleRef { code, .. },
            mode,
            requested_on,
            ..
        } => on.request_bundle(&code, mode, requested_on).await,
        C::AcceptServiceItem {
            item_no,
            accepted_on,
            receipt_no,
            use_statutory_limit,
        } => {
            on.accept_service_item(item_no, accepted_on, receipt_no, use_statutory_limit)
                .await
        }
        C::SuspendServiceItem {
            item_no,
            reason,
            suspended_on,
            note,
        } => {
            on.suspend_service_item(item_no, reason, suspended_on, note)
                .await
        }
        C::ResumeServiceItem {
            item_no,
            resumed_on,
        } => on.resume_service_item(item_no, resumed_on).await,
        C::ExtendServiceItem {
            item_no,
            days,
            approver,
            reason,
        } => {
            on.extend_service_item(item_no, days, approver, reason)
                .await
        }
        C::ConcludeServiceItem {
            item_no,
            outcome,
            concluded_on,
            result_reference,
            materials_submitted,
            onsite_trips,
        } => {
            on.conclude_service_item(
                item_no,
                outcome,
                concluded_on,
                result_reference,
                materials_submitted,
                onsite_trips,
            )
            .await
        }
        C::RecordCallBack {
            rating_no,
            called_on,
            confirmed,
            notes,
        } => {
            on.record_call_back(rating_no, called_on, confirmed, notes)
                .await
        }
        C::RecordRectification {
            rating_no,
            rectified_on,
            measures,
        } => {
            on.record_rectification(rating_no, rectified_on, measures)
                .await
        }
        C::LodgeComplaint {
            channel,
            content,
            complainant,
            lodged_on,
        } => {
            on.lodge_complaint(channel, content, complainant, lodged_on)
                .await
        }
        C::AssignComplaint {
            complaint_no,
            assignee,
        } => on.assign_complaint(complaint_no, assignee).await,
        // Answered by the team: the demo's district answers without a leader's sign-off
        // (`Runner::new`), as the history it tells was recorded.
        C::ResolveComplaint {
            complaint_no,
            answer,
            resolved_on,
            signed_off_by: None,
        } => {
            on.resolve_complaint(complaint_no, answer, resolved_on)
                .await
        }
        C::ReferComplaint {
            complaint_no,
            to_department,
            reason,
        } => {
            on.refer_complaint(complaint_no, to_department, reason)
                .await
        }
        C::Close {
            reason,
            summary,
            closed_on,
        } => on.close(reason, summary, closed_on).await,
        C::Reopen {
            reason,
            reopened_on,
        } => on.reopen(reason, reopened_on).await,
        other => Err(AppError::Rejected(DomainError::not_allowed(format!(
            "the demo has no use case for {other:?}"
        )))),
    }
}
