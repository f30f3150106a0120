//! The fuzzer's side of the wire: an HTTP client of the server under test, and the records
//! it creates first (users, a catalog item, a case led by the steward) so that generated ids
//! and names can hit real data and get past the first checks.

use serde_json::{json, Value};

use super::operations::Body;
use crate::helpers::{ADMIN_PASSWORD, DISTRICT, PASSWORD, TOWN};
use crate::world::{enterprise, VILLAGE};

/// A client of the server under test.
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

    /// Runs a request that must succeed; returns its `data`.
    pub async fn ok(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        let body = Body::Json(json!({"query": query, "variables": variables}));
        let answer = self.send(&body, token).await;
        let value: Value = serde_json::from_str(&answer.text).expect("JSON");
        assert!(value["errors"].is_null(), "{query}: {value}");
        value["data"].clone()
    }

    async fn login(&self, username: &str, password: &str) -> String {
        let data = self
            .ok(
                "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }",
                json!({"u": username, "p": password}),
                None,
            )
            .await;
        data["login"]["token"].as_str().expect("a token").to_owned()
    }
}

/// Users, a catalog item and a case led by the steward, so that generated ids can hit real
/// records. Returns the admin's and the steward's tokens and the pool of strings.
pub async fn setup(client: &Client) -> (String, String, Vec<String>) {
    let admin = client.login("admin", ADMIN_PASSWORD).await;
    let create = "mutation($i: CreateUserInput!) { createUser(input: $i) { username } }";
    for (name, role, division) in [
        ("fuzz.steward", "STEWARD", TOWN),
        ("fuzz.leader", "LEADER", DISTRICT),
        ("fuzz.target", "STEWARD", TOWN),
    ] {
        let input = json!({"username": name, "displayName": name, "role": role,
                           "division": division, "password": PASSWORD});
        client.ok(create, json!({"i": input}), Some(&admin)).await;
    }
    let publish = "mutation($i: CatalogItemInput!) { publishCatalogItem(input: $i) { events } }";
    let item = crate::catalog::item("QYSL-001", 1);
    client.ok(publish, json!({"i": item}), Some(&admin)).await;
    let steward = client.login("fuzz.steward", PASSWORD).await;
    let leader = client.login("fuzz.leader", PASSWORD).await;
    let input = json!({"enterprise": enterprise("恒口新材料", 1, VILLAGE),
                       "leadSource": "INVESTMENT_PROMOTION", "stage": "ESTABLISHMENT"});
    let registered = client
        .ok(crate::world::REGISTER, json!({"i": input}), Some(&steward))
        .await;
    let case = &registered["registerCase"];
    let assign = "mutation($c: ID!) { assignLeadSteward(caseId: $c, input: {steward: \"fuzz.steward\", tier: TOWN}) { events } }";
    client
        .ok(assign, json!({"c": case["caseId"]}), Some(&leader))
        .await;
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
