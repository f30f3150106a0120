//! `POST /cases/{id}/reveal`: the deliberate reveal of a case's contact on the case page. The
//! contact is asked of the API's `case` query, which unmasks it only for those who may see it
//! (the team, the leaders above it, the auditors) and records the read in the access log before
//! it answers; a masked answer is not a reveal, and the page says nothing was recorded.

use axum::extract::{Path, State};
use axum::response::Response;

use crate::session::{CsrfForm, Viewer};
use crate::Web;

/// `POST /cases/{id}/reveal`: the case page with the contact unmasked, asked of the API's
/// `case` query, which shows it only to those who may see it and records the read in the
/// access log before it answers.
pub(crate) async fn reveal(
    State(web): State<Web>,
    Viewer(session): Viewer,
    extensions: axum::http::Extensions,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<CsrfForm>,
) -> Response {
    if !session.csrf_matches(&web, &form.csrf) {
        return super::csrf_refused(Some(&session));
    }
    let request = super::audit::request_id(&extensions);
    let answer = web
        .api()
        .run(
            &session,
            &request,
            "query($id: ID!) { case(id: $id) { enterprise { contactName contactPhone } } }",
            serde_json::json!({"id": id.trim()}),
        )
        .await;
    // The API unmasks only for those who may see; a masked answer was not a reveal.
    let revealed = answer
        .ok()
        .map(|data| {
            let e = &data["case"]["enterprise"];
            let name = super::audit::text(e, "contactName");
            let phone = super::audit::text(e, "contactPhone");
            format!("{name} {phone}").trim().to_owned()
        })
        .filter(|shown| !shown.is_empty() && !shown.contains('*'));
    super::case::page(&web, &session, &id, revealed, None, None)
}
