//! Rate limits (issue 7 item 4): sign-in per username through the schema, and on the real
//! server sign-in per client address and the public rating routes, which the server serves
//! beside `/graphql`.

use std::time::Duration;

use guanjia_api::throttle::RateLimits;
use guanjia_api::{AppConfig, Application};
use guanjia_store::testing::TestDatabase;
use serde_json::{json, Value};

use super::{case_with_conducted_visit, ENTERPRISE, ISSUE};
use crate::helpers::*;

const LOGIN: &str =
    "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }";

#[tokio::test]
async fn sign_in_is_limited_per_username() {
    let app = spawn_schema_with(|config| config.limits.rate.login_per_user = 3).await;
    app.user("li.ming", "STEWARD", TOWN).await; // one sign-in of li.ming
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
    app.user("chen.jun", "LEADER", DISTRICT).await;
}

struct Server {
    base: String,
    client: reqwest::Client,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    _db: TestDatabase,
}

impl Server {
    async fn start(rate: RateLimits) -> Self {
        let db = TestDatabase::sqlite();
        let mut config = AppConfig::for_tests(db.url());
        config.store = TestDatabase::options();
        config.limits.rate = rate;
        let app = Application::build(config).await.expect("the server starts");
        let base = format!("http://{}", app.address());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(app.run_until_stopped(async move {
            let _ = stopped.await;
        }));
        Self {
            base,
            client: reqwest::Client::new(),
            stop,
            task,
            _db: db,
        }
    }

    async fn graphql(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        let mut request = self
            .client
            .post(format!("{}/graphql", self.base))
            .json(&json!({"query": query, "variables": variables}));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("the server answers");
        assert_eq!(response.status(), 200, "GraphQL answers are HTTP 200");
        response.json().await.expect("JSON")
    }

    async fn login(&self, username: &str, password: &str) -> Value {
        self.graphql(LOGIN, json!({"u": username, "p": password}), None)
            .await
    }

    async fn user(&self, admin: &str, username: &str, role: &str, division: &str) -> String {
        let created = self
            .graphql(
                "mutation($i: CreateUserInput!) { createUser(input: $i) { username } }",
                json!({"i": {"username": username, "displayName": username, "role": role,
                             "division": division, "password": PASSWORD}}),
                Some(admin),
            )
            .await;
        assert_eq!(
            created["data"]["createUser"]["username"], username,
            "{created}"
        );
        let login = self.login(username, PASSWORD).await;
        login["data"]["login"]["token"]
            .as_str()
            .expect("a token")
            .to_owned()
    }

    async fn stop(self) {
        let _ = self.stop.send(());
        let stopped = tokio::time::timeout(Duration::from_secs(10), self.task).await;
        assert!(matches!(stopped, Ok(Ok(Ok(())))), "{stopped:?}");
    }
}

#[tokio::test]
async fn the_server_serves_rating_links_and_limits_per_address() {
    let server = Server::start(RateLimits {
        login_per_user: 0,
        login_per_ip: 6,
        rating_per_ip: 0,
        rating_per_link: 2,
        public_per_ip: 0,
        client_ip_header: None,
        ..RateLimits::default()
    })
    .await;
    let admin = server.login("admin", ADMIN_PASSWORD).await;
    let admin = admin["data"]["login"]["token"]
        .as_str()
        .expect("a token")
        .to_owned();
    let steward = server.user(&admin, "li.ming", "STEWARD", TOWN).await;
    let leader = server.user(&admin, "chen.jun", "LEADER", DISTRICT).await;
    let run = async |query: &str, variables: Value, token: &str| {
        server.graphql(query, variables, Some(token)).await
    };
    let case_id = case_with_conducted_visit(run, &steward, &leader).await;
    let issued = server
        .graphql(
            ISSUE,
            json!({"c": case_id, "t": {"visit": 1}, "ch": "QR_CODE"}),
            Some(&steward),
        )
        .await;
    let url = issued["data"]["issueRatingLink"]["url"]
        .as_str()
        .unwrap_or_else(|| panic!("no link: {issued}"))
        .to_owned();
    assert!(url.starts_with(&format!("{}/rate/", server.base)), "{url}");

    let page = server.client.get(&url).send().await.expect("the page");
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
        .client
        .get(format!("{url}/qr.png"))
        .send()
        .await
        .expect("png");
    assert_eq!(png.headers()["content-type"], "image/png");
    let limited = server
        .client
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
            code(&server.login(name, "wrong-password").await),
            "UNAUTHENTICATED"
        );
    }
    let refused = server.login("li.ming", PASSWORD).await;
    assert_eq!(code(&refused), "RATE_LIMITED", "{refused}");
    server.stop().await;
}
