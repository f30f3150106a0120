//! The staff's pages of 办不成事 reports from the public: the receiving division's queue
//! (`/reports`, filtered by status, oldest first) and one report's page (`/reports/{code}`:
//! what was reported, its status and history, the phone masked with a deliberate, recorded
//! reveal, and the forms of the steps the viewer may take).
//!
//! No rule lives here: who reads a report and who takes which step are the application
//! layer's (`guanjia_app::reports`), asked to show only the forms that will be accepted and
//! checked again by each use case; a refusal is said in Chinese naming the field (`forms.rs`).
//! `queue.rs` is the queue, `view.rs` the report page, `forms.rs` its forms and their POST.

mod forms;
mod queue;
mod view;

use axum::extract::{Path, Query, State};
use axum::response::Response;
use guanjia_app::reports::can_read_reports;
use guanjia_read::reports::ReportView;

pub(crate) use self::queue::show as queue;
use crate::session::{CsrfForm, Session, Viewer};
use crate::Web;

/// The query of the report page: `done` names the step a form just took.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct ShowQuery {
    #[serde(default)]
    done: Option<String>,
}

/// `GET /reports/{code}`.
pub(crate) async fn show(
    State(web): State<Web>,
    Viewer(session): Viewer,
    Path(code): Path<String>,
    Query(query): Query<ShowQuery>,
) -> Response {
    let done = query.done.as_deref().and_then(forms::done_message);
    view::page(&web, &session, &code, None, None, done)
}

/// `POST /reports/{code}/reveal`: the report page with the reporter's phone whole, asked of
/// the API's `problemReportPhone`, which answers only those who may read the report and
/// records the read in the access log before it answers (as the case page's reveal does).
pub(crate) async fn reveal(
    State(web): State<Web>,
    Viewer(session): Viewer,
    extensions: axum::http::Extensions,
    Path(code): Path<String>,
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
            "query($c: String!) { problemReportPhone(trackingCode: $c) }",
            serde_json::json!({"c": code.trim()}),
        )
        .await;
    let revealed = answer
        .ok()
        .and_then(|data| data["problemReportPhone"].as_str().map(str::to_owned))
        .filter(|shown| !shown.is_empty() && !shown.contains('*'));
    view::page(&web, &session, &code, revealed, None, None)
}

/// `POST /reports/{code}/act/{action}`: one step on the report (`forms.rs`), answered by a
/// redirect to its page, the page drawn again with the form's errors (422), or the page that
/// says no.
pub(crate) async fn act(
    State(web): State<Web>,
    Viewer(session): Viewer,
    extensions: axum::http::Extensions,
    Path((code, action)): Path<(String, String)>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Response {
    match forms::run(&web, &session, &extensions, &code, &action, pairs).await {
        forms::Acted::Answer(response) => response,
        forms::Acted::Redraw { code, failed } => {
            view::page(&web, &session, &code, None, Some(failed), None)
        }
    }
}

/// The report `code` as this node reads it, if the viewer may read it; `None` otherwise
/// (unknown, malformed and out-of-scope codes alike).
fn readable(web: &Web, session: &Session, code: &str) -> Option<ReportView> {
    let code = guanjia_app::reports::normalise_code(code).ok()?;
    let report = web.state().read.read(|m| m.problem_report(&code))?;
    can_read_reports(&session.actor, &report.division).then_some(report)
}

/// Where a report stands, in the words the public status page uses.
pub(crate) fn status_word(status: guanjia_domain::report::ReportStatus) -> &'static str {
    use guanjia_domain::report::ReportStatus;
    match status {
        ReportStatus::None | ReportStatus::Lodged => "待分办",
        ReportStatus::Assigned => "办理中",
        ReportStatus::Resolved => "已答复",
        ReportStatus::Referred => "已转办",
    }
}
