//! The server behind a reverse proxy (issue 15, defect 5): `public_base_url` and
//! `client_ip_header` given to the real binary — here by flag and by environment variable; the
//! file key and the layering are in the settings' own tests — reach the server: rating links and
//! their QR codes encode the public URL, and each client behind the proxy has its own sign-in
//! limit, keyed on the address the proxy appended.

use chrono::{Duration, Utc};
use guanjia_domain::clock::china_date;
use serde_json::{json, Value};

use crate::helpers::{Guanjia, Server, ADMIN_PASSWORD};

const PUBLIC: &str = "https://pj.example.gov.cn/guanjia";
const PASSWORD: &str = "a-password-for-tests";

/// Posts a GraphQL request as the holder of `token`, through a proxy that says the client is
/// `forwarded_for` when given.
async fn post(
    server: &Server,
    query: &str,
    variables: Value,
    token: Option<&str>,
    forwarded_for: Option<&str>,
) -> Value {
    let mut request = reqwest::Client::new()
        .post(format!("{}/graphql", server.base))
        .json(&json!({"query": query, "variables": variables}));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(address) = forwarded_for {
        request = request.header("x-forwarded-for", address);
    }
    let response = request.send().await.expect("the server answers");
    response.json().await.expect("JSON")
}

async fn ok(server: &Server, token: &str, query: &str, variables: Value) -> Value {
    let answer = post(server, query, variables, Some(token), None).await;
    assert!(answer["errors"].is_null(), "{query}: {answer}");
    answer["data"].clone()
}

#[tokio::test]
async fn rating_links_and_their_qr_codes_encode_the_public_base_url() {
    let guanjia = Guanjia::new();
    let server = guanjia.serve(&["--no-demo", "--public-base-url", &format!("{PUBLIC}/")]);
    let admin = server.login("admin", ADMIN_PASSWORD).await;
    let create = "mutation($i: CreateUserInput!) { createUser(input: $i) { username } }";
    for (name, role, division) in [
        ("li.ming", "STEWARD", "610902100000"),
        ("chen.jun", "LEADER", "610902000000"),
    ] {
        let input = json!({"username": name, "displayName": name, "role": role,
                           "division": division, "password": PASSWORD});
        ok(&server, &admin, create, json!({"i": input})).await;
    }
    let steward = server.login("li.ming", PASSWORD).await;
    let leader = server.login("chen.jun", PASSWORD).await;
    let enterprise = json!({"name": "恒口新材料", "division": "610902100201"});
    // Registered yesterday, so that a visit 90 minutes ago never falls before the registration.
    let yesterday = china_date(Utc::now()) - Duration::days(1);
    let registered = ok(
        &server,
        &steward,
        "mutation($i: RegisterCaseInput!) { registerCase(input: $i) { caseId } }",
        json!({"i": {"enterprise": enterprise, "leadSource": "INVESTMENT_PROMOTION", "stage": "ESTABLISHMENT",
                     "registeredOn": yesterday.to_string()}}),
    )
    .await;
    let case_id = registered["registerCase"]["caseId"].clone();
    let scheduled = (Utc::now() - Duration::minutes(90)).to_rfc3339();
    let conducted = (Utc::now() - Duration::minutes(30)).to_rfc3339();
    let steps = [
        (&leader, r#"mutation($c: ID!) { assignLeadSteward(caseId: $c, input: {steward: "li.ming", tier: TOWN}) { events } }"#.to_owned()),
        (&steward, format!(r#"mutation($c: ID!) {{ scheduleVisit(caseId: $c, input: {{scheduledAt: "{scheduled}", place: "厂区", purpose: "走访", plannedParticipants: []}}) {{ events }} }}"#)),
        (&steward, format!(r#"mutation($c: ID!) {{ conductVisit(caseId: $c, input: {{visitNo: 1, conductedAt: "{conducted}", participants: ["李明"], notes: "走访", issuesRaised: [], followUps: []}}) {{ events }} }}"#)),
    ];
    for (token, query) in steps {
        ok(&server, token, &query, json!({"c": case_id})).await;
    }
    let issued = ok(
        &server,
        &steward,
        "mutation($c: ID!) { issueRatingLink(caseId: $c, target: {visit: 1}, channel: QR_CODE) { url qrSvgUrl } }",
        json!({"c": case_id}),
    )
    .await;
    let url = issued["issueRatingLink"]["url"].as_str().expect("a url");
    let token = url
        .strip_prefix(&format!("{PUBLIC}/rate/"))
        .unwrap_or_else(|| panic!("the link does not start with the public URL: {url}"));
    assert_eq!(
        issued["issueRatingLink"]["qrSvgUrl"],
        format!("{PUBLIC}/rate/{token}/qr.svg")
    );
    // The QR code the server draws encodes the public link, exactly.
    let (status, svg) = server.get(&format!("/rate/{token}/qr.svg")).await;
    assert_eq!(status, 200);
    let expected = guanjia_api::rating_link::qr::svg(url).expect("a QR code");
    assert_eq!(svg, expected);
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_sign_in_limit() {
    let mut guanjia = Guanjia::new();
    guanjia
        .env
        .push(("GUANJIA_CLIENT_IP_HEADER".into(), "X-Forwarded-For".into()));
    let server = guanjia.serve(&["--no-demo"]);
    let login =
        "mutation($u: String!) { login(username: $u, password: \"wrong-password\") { token } }";
    let code = |answer: &Value| answer["errors"][0]["extensions"]["code"].clone();
    // The default limit per address is 20 a minute; a different name each time keeps the
    // per-user limit out of the way. The proxy appends the client's address last.
    for n in 0..20 {
        let answer = post(
            &server,
            login,
            json!({"u": format!("u{n}")}),
            None,
            Some("10.9.9.9, 203.0.113.7"),
        )
        .await;
        assert_eq!(code(&answer), "UNAUTHENTICATED", "attempt {n}: {answer}");
    }
    let limited = post(
        &server,
        login,
        json!({"u": "u20"}),
        None,
        Some("203.0.113.7"),
    )
    .await;
    assert_eq!(code(&limited), "RATE_LIMITED", "{limited}");
    // Another client behind the same proxy, and the proxy's own address, are not limited.
    let other = post(
        &server,
        login,
        json!({"u": "u21"}),
        None,
        Some("10.9.9.9, 203.0.113.8"),
    )
    .await;
    assert_eq!(code(&other), "UNAUTHENTICATED", "{other}");
    let direct = post(&server, login, json!({"u": "u22"}), None, None).await;
    assert_eq!(code(&direct), "UNAUTHENTICATED", "{direct}");
}
