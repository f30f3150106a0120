//! Public rating links and rate limits (issue 7 items 3 and 4): the fixture shared by
//! `links.rs` (issue, open, rate once, refusals, QR codes) and `limits.rs` (sign-in and the
//! public routes on the real server) and `revocation.rs` (links on the record, revoked).
//!
//! The app is served (the public routes on port 0) on the fixed clock, so that expiry can be
//! tested by moving the clock.

mod limits;
mod links;
mod revocation;

use serde_json::{json, Value};

use crate::helpers::*;

const VILLAGE: &str = "610902100201";
pub const ENTERPRISE: &str = "安康恒口新材料有限公司";
const PHONE: &str = "13812345678";
pub const ISSUE: &str = "mutation($c: ID!, $t: RatingLinkTarget!, $ch: RatingLinkChannel!, $h: Int) { issueRatingLink(caseId: $c, target: $t, channel: $ch, ttlHours: $h) { url expiresAt qrSvgUrl qrPngUrl } }";

/// A case registered by li.ming (lead steward), with visit 1 conducted and visit 2 scheduled,
/// on a served app: the rating routes on a real port, the clock the test's.
pub struct Fixture {
    pub app: TestApp,
    pub steward: String,
    pub case_id: String,
}

/// Registers the case and runs it up to one conducted visit, as a team would.
async fn case_with_conducted_visit(app: &TestApp, steward: &str, leader: &str) -> String {
    let enterprise = json!({"name": ENTERPRISE, "division": VILLAGE,
                            "contactName": "王经理", "contactPhone": PHONE});
    let registered = app.run(
        // Registered two weeks back: a late entry (补录), with its reason.
        r#"mutation($i: RegisterCaseInput!) { registerCase(input: $i, lateReason: "纸质台账补录") { caseId } }"#,
        json!({"i": {"enterprise": enterprise, "leadSource": "INVESTMENT_PROMOTION", "stage": "ESTABLISHMENT", "registeredOn": "2024-03-01"}}),
        Some(steward),
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
        let response = app.run(query, json!({"c": case_id}), Some(token)).await;
        assert!(response["errors"].is_null(), "{query}: {response}");
    }
    case_id
}

/// The fixture on a served SQLite app.
pub async fn fixture() -> Fixture {
    fixture_on(TestApp::options().served().spawn().await).await
}

/// The fixture on `app`; served (`both_backends!(name, |app| app.served())`) for the tests
/// that open the links.
pub async fn fixture_on(app: TestApp) -> Fixture {
    let admin = app.admin().await;
    let steward = app.user(&admin, "li.ming", "STEWARD", TOWN).await;
    let leader = app.user(&admin, "chen.jun", "LEADER", DISTRICT).await;
    let case_id = case_with_conducted_visit(&app, &steward, &leader).await;
    Fixture {
        app,
        steward,
        case_id,
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
