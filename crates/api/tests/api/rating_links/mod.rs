//! Public rating links and rate limits (issue 7 items 3 and 4): the fixture shared by
//! `links.rs` (issue, open, rate once, refusals, QR codes) and `limits.rs` (sign-in and the
//! public routes on the real server) and `revocation.rs` (links on the record, revoked).
//!
//! The schema runs on a `TestApp` (fixed clock) and the public routes are served from the same
//! state on port 0, so that expiry can be tested by moving the clock.

mod limits;
mod links;
mod revocation;

use std::net::SocketAddr;

use serde_json::{json, Value};

use crate::helpers::*;

const VILLAGE: &str = "610902100201";
pub const ENTERPRISE: &str = "安康恒口新材料有限公司";
const PHONE: &str = "13812345678";
pub const ISSUE: &str = "mutation($c: ID!, $t: RatingLinkTarget!, $ch: RatingLinkChannel!, $h: Int) { issueRatingLink(caseId: $c, target: $t, channel: $ch, ttlHours: $h) { url expiresAt qrSvgUrl qrPngUrl } }";

/// A case registered by li.ming (lead steward), with visit 1 conducted and visit 2 scheduled.
pub struct Fixture {
    pub app: TestApp,
    pub steward: String,
    pub case_id: String,
    /// The public routes of `app`, served on port 0.
    pub base: String,
    _server: Served,
}

/// Registers the case and runs it up to one conducted visit, as a team would.
pub async fn case_with_conducted_visit(
    run: impl AsyncFn(&str, Value, &str) -> Value,
    steward: &str,
    leader: &str,
) -> String {
    let enterprise = json!({"name": ENTERPRISE, "division": VILLAGE,
                            "contactName": "王经理", "contactPhone": PHONE});
    let registered = run(
        // Registered two weeks back: a late entry (补录), with its reason.
        r#"mutation($i: RegisterCaseInput!) { registerCase(input: $i, lateReason: "纸质台账补录") { caseId } }"#,
        json!({"i": {"enterprise": enterprise, "leadSource": "INVESTMENT_PROMOTION", "stage": "ESTABLISHMENT", "registeredOn": "2024-03-01"}}),
        steward,
    )
    .await;
    let case_id = registered["data"]["registerCase"]["caseId"]
        .as_str()
        .unwrap_or_else(|| panic!("registration failed: {registered}"))
        .to_owned();
    let steps = [
        (
            leader,
            r#"mutation($c: ID!) { assignLeadSteward(caseId: $c, input: {steward: "li.ming", tier: TOWN}) { events } }"#,
        ),
        (
            steward,
            r#"mutation($c: ID!) { scheduleVisit(caseId: $c, input: {scheduledAt: "2024-03-14T01:00:00Z", place: "恒口示范区", purpose: "了解用地需求", plannedParticipants: ["李明"]}) { events } }"#,
        ),
        (
            steward,
            r#"mutation($c: ID!) { conductVisit(caseId: $c, lateReason: "纸质台账补录", input: {visitNo: 1, conductedAt: "2024-03-14T02:00:00Z", participants: ["李明", "王经理"], notes: "王经理 13812345678 提出用地问题", issuesRaised: [], followUps: []}) { events } }"#,
        ),
        (
            steward,
            r#"mutation($c: ID!) { scheduleVisit(caseId: $c, input: {scheduledAt: "2024-03-20T01:00:00Z", place: "恒口示范区", purpose: "回访", plannedParticipants: ["李明"]}) { events } }"#,
        ),
    ];
    for (token, query) in steps {
        let response = run(query, json!({"c": case_id}), token).await;
        assert!(response["errors"].is_null(), "{query}: {response}");
    }
    case_id
}

pub async fn fixture() -> Fixture {
    fixture_on(spawn_schema().await).await
}

/// The fixture on `app` (a schema of either backend).
pub async fn fixture_on(app: TestApp) -> Fixture {
    let steward = app.user("li.ming", "STEWARD", TOWN).await;
    let leader = app.user("chen.jun", "LEADER", DISTRICT).await;
    let run = async |query: &str, variables: Value, token: &str| {
        app.run(query, variables, Some(token)).await
    };
    let case_id = case_with_conducted_visit(run, &steward, &leader).await;
    let server = serve(&app).await;
    Fixture {
        base: server.base.clone(),
        _server: server,
        app,
        steward,
        case_id,
    }
}

/// The rating routes of a test app, served until dropped.
pub struct Served {
    pub base: String,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Served {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub async fn serve(app: &TestApp) -> Served {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port");
    let address = listener.local_addr().expect("bound");
    app.state
        .rating_links
        .serve_at(None, address)
        .expect("a base URL");
    let router: axum::Router = guanjia_api::rating_link::router(app.state.clone());
    let service = router.into_make_service_with_connect_info::<SocketAddr>();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, service).await;
    });
    Served {
        base: format!("http://{address}"),
        task,
    }
}

impl Fixture {
    /// Issues a link as the steward and returns `issueRatingLink`, or the whole response.
    pub async fn issue(&self, target: Value, channel: &str, ttl_hours: Option<u32>) -> Value {
        let response = self
            .app
            .run(
                ISSUE,
                json!({"c": self.case_id, "t": target, "ch": channel, "h": ttl_hours}),
                Some(&self.steward),
            )
            .await;
        if response["errors"].is_null() {
            response["data"]["issueRatingLink"].clone()
        } else {
            response
        }
    }

    pub async fn link(&self, target: Value, channel: &str) -> String {
        let issued = self.issue(target, channel, None).await;
        issued["url"]
            .as_str()
            .unwrap_or_else(|| panic!("no link issued: {issued}"))
            .to_owned()
    }
}

/// An HTML form submission of a rating.
pub async fn post_form(url: &str, body: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_owned())
        .send()
        .await
        .expect("the server answers")
}

pub async fn get_json(url: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .get(url)
        .header("accept", "application/json")
        .send()
        .await
        .expect("the server answers");
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON"))
}
