//! The fuzzer's side of the wire: an HTTP client of the server under test, and the records
//! it creates first (users, a catalog item, a case led by the steward) so that generated ids
//! and names can hit real data and get past the first checks.

use serde_json::json;

use super::operations::Body;
use crate::helpers::{TestApp, DISTRICT, TOWN};
use crate::world::{enterprise, VILLAGE};

/// A client of the server under test that sends raw bodies too.
pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
}

/// What the server answered.
pub struct Answer {
    pub status: u16,
    pub text: String,
}

impl Client {
    pub async fn send(&self, body: &Body, token: Option<&str>) -> Answer {
        let text = match body {
            Body::Json(value) => value.to_string(),
            Body::Raw(text) => text.clone(),
        };
        let mut request = self
            .http
            .post(format!("{}/graphql", self.base))
            .header("content-type", "application/json")
            .body(text);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        Answer {
            status,
            text: response.text().await.expect("a body"),
        }
    }
}

/// Users, a catalog item and a case led by the steward, so that generated ids can hit real
/// records. Returns the admin's and the steward's tokens and the pool of strings.
pub async fn setup(app: &TestApp) -> (String, String, Vec<String>) {
    let admin = app.admin().await;
    let steward = app.user(&admin, "fuzz.steward", "STEWARD", TOWN).await;
    let leader = app.user(&admin, "fuzz.leader", "LEADER", DISTRICT).await;
    app.user(&admin, "fuzz.target", "STEWARD", TOWN).await;
    let publish = "mutation($i: CatalogItemInput!) { publishCatalogItem(input: $i) { events } }";
    let item = crate::catalog::item("QYSL-001", 1);
    app.ok(publish, json!({"i": item}), &admin).await;
    let input = json!({"enterprise": enterprise("恒口新材料", 1, VILLAGE),
                       "leadSource": "INVESTMENT_PROMOTION", "stage": "ESTABLISHMENT"});
    let registered = app
        .ok(crate::world::REGISTER, json!({"i": input}), &steward)
        .await;
    let case = &registered["registerCase"];
    let assign = "mutation($c: ID!) { assignLeadSteward(caseId: $c, input: {steward: \"fuzz.steward\", tier: TOWN}) { events } }";
    app.ok(assign, json!({"c": case["caseId"]}), &leader).await;
    let mut pool: Vec<String> = [&case["caseId"], &case["caseNumber"], &case["position"]]
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    pool.extend(
        [
            "fuzz.target",
            "no.such.user",
            "QYSL-001",
            "000117001000",
            "91350100M000100Y43",
            "91350100M000100Y4Z",
            "9135010OM000100Y43",
            "610902100000",
            "610902100201",
            "61090210000",
            "999999999999",
            "13812345678",
            "0915-3214567",
            "+86 138 1234 5678",
            "2024-0001",
            "9999-99999",
            "0-1",
            "18446744073709551615-1",
            "-1--1",
            "123456789012345678901234",
            "2024-03-15",
            "r1.AAAA.BBBB",
            "Bearer x",
            "guanjia-chain-head/1 0-1 1 00",
            "' OR '1'='1",
            "<script>alert(1)</script>",
            "%s%n%x",
            "../../etc/passwd",
            "${jndi:ldap://x}",
            "ＡＢＣ１２３",
            "恒口",
        ]
        .map(str::to_owned),
    );
    (admin, steward, pool)
}
