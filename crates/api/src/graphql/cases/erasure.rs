//! Erasure of a case's personal data on a lawful request (PIPL art. 47): a mutation of its own
//! because it is no work on the case but an operation on the people in it, allowed to admins
//! only (`auth::admin::authorize_erasure`; docs/security.md, "Who may erase").

use async_graphql::{Context, Object, ID};

use super::{answer, on_case, CaseCommandResult};
use crate::error::ApiError;

/// The erasure mutation.
#[derive(Default)]
pub struct ErasureMutation;

#[Object]
impl ErasureMutation {
    /// Erases the personal data of a case — the enterprise contact's name and phone, every
    /// rater's and complainant's — on a lawful request. Admins whose division holds the case
    /// only. `reason` (required, at most 4,000 characters) names the request, e.g. its file
    /// number; it goes into the audit trail with who erased and when, so it must not repeat the
    /// personal data. The events stay and the hash chain stays intact; the fields read as
    /// empty everywhere from then on, and `Case.personalDataErased` is true. Erasing again is
    /// harmless. Admins do not read cases, so `case` is null in the answer.
    async fn erase_personal_data(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        reason: String,
        client_key: Option<String>,
    ) -> Result<CaseCommandResult, ApiError> {
        let case = on_case(ctx, &case_id, client_key)?;
        answer(ctx, case.erase_personal_data(reason).await).await
    }
}
