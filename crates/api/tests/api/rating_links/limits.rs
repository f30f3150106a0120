//! Rate limits (issue 7 item 4): sign-in per username through the schema, and on the real
//! server sign-in per client address and the public rating routes, which the server serves
//! beside `/graphql`.

use guanjia_api::throttle::RateLimits;
use serde_json::{json, Value};

use super::{fixture_on, Fixture, ENTERPRISE, ISSUE};
use crate::helpers::*;

#[tokio::test]
async fn sign_in_is_limited_per_username() {
    let app = TestApp::options()
        .config(|config| config.limits.rate.login_per_user = 3)
        .spawn()
        .await;
    let admin = app.admin().await;
    app.user(&admin, "li.ming", "STEWARD", TOWN).await; // one sign-in of li.ming
    for _ in 0..2 {
        let wrong = app
            .run(LOGIN, json!({"u": "li.ming", "p": "wrong-password"}), None)
            .await;
        assert_eq!(code(&wrong), "UNAUTHENTICATED");
    }
    let limited = app
        .run(LOGIN, json!({"u": "Li.Ming", "p": PASSWORD}), None)
        .await;
    assert_eq!(code(&limited), "RATE_LIMITED", "{limited}");
    let extensions = &limited["errors"][0]["extensions"];
    assert_eq!(extensions["retryable"], true);
    assert!(extensions["retryAfter"]
        .as_u64()
        .is_some_and(|s| (1..=20).contains(&s)));
    assert!(message(&limited).starts_with("too many requests"));
    // Others sign in as usual.
    app.user(&admin, "chen.jun", "LEADER", DISTRICT).await;
}

#[tokio::test]
async fn the_server_serves_rating_links_and_limits_per_address() {
    let rate = RateLimits {
        login_per_user: 0,
        login_per_ip: 6,
        rating_per_ip: 0,
        rating_per_link: 2,
        public_per_ip: 0,
        client_ip_header: None,
        ..RateLimits::default()
    };
    let options = TestApp::options().config(move |config| config.limits.rate = rate);
    // Three sign-ins: the admin, the steward and the leader of the fixture.
    let Fixture {
        app: server,
        steward,
        case_id,
    } = fixture_on(options.served().real_clock().spawn().await).await;
    let issued = server
        .run(
            ISSUE,
            json!({"c": case_id, "t": {"visit": 1}, "ch": "QR_CODE"}),
            Some(&steward),
        )
        .await;
    let url = issued["data"]["issueRatingLink"]["url"]
        .as_str()
        .unwrap_or_else(|| panic!("no link: {issued}"))
        .to_owned();
    assert!(
        url.starts_with(&format!("{}/rate/", server.base())),
        "{url}"
    );

    let page = server.client().get(&url).send().await.expect("the page");
    assert_eq!(page.status(), 200);
    assert!(page.headers().contains_key("x-request-id"));
    assert!(page.headers()["content-security-policy"]
        .to_str()
        .is_ok_and(|csp| csp.starts_with("default-src 'none'")));
    let html = page.text().await.expect("html");
    assert!(html.contains(ENTERPRISE));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "nothing external"
    );
    let png = server
        .client()
        .get(format!("{url}/qr.png"))
        .send()
        .await
        .expect("png");
    assert_eq!(png.headers()["content-type"], "image/png");
    let limited = server
        .client()
        .get(&url)
        .header("accept", "application/json")
        .send()
        .await
        .expect("answer");
    assert_eq!(limited.status(), 429);
    assert!(limited.headers().contains_key("retry-after"));
    let body: Value = limited.json().await.expect("JSON");
    assert_eq!(body["error"]["code"], "RATE_LIMITED");

    // Three sign-ins so far from this address; three more fail on the password, then the
    // address is refused whoever it names.
    for name in ["a.user", "b.user", "c.user"] {
        assert_eq!(
            code(
                &server
                    .run(LOGIN, json!({"u": name, "p": "wrong-password"}), None)
                    .await
            ),
            "UNAUTHENTICATED"
        );
    }
    let refused = server
        .run(LOGIN, json!({"u": "li.ming", "p": PASSWORD}), None)
        .await;
    assert_eq!(code(&refused), "RATE_LIMITED", "{refused}");
    server.stop().await;
}
