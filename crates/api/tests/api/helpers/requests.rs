//! Talking to a [`TestApp`]: one method set, each with one signature — the query, its
//! variables, then who asks. `run`, `ok`, `login`, `admin` and `user` go over HTTP when the
//! app is served and through `graphql::execute` otherwise; `context`, `run_in` and
//! `run_with_timeout` always run in process, for the tests that need a request context or a
//! timeout of their own.

use std::time::Duration;

use async_graphql::{Request, Variables};
use guanjia_api::graphql::{self, RequestContext};
use serde_json::{json, Value};

use super::{TestApp, ADMIN_PASSWORD, LOGIN, PASSWORD};

impl TestApp {
    /// Runs a query as the holder of `token` (or anonymously) and returns the JSON response.
    pub async fn run(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        match &self.server {
            Some(server) => post(&server.client, &server.base, query, variables, token).await,
            None => {
                self.run_with_timeout(query, variables, token, self.timeout)
                    .await
            }
        }
    }

    /// Runs a query that must succeed and returns its `data`; panics with the errors.
    pub async fn ok(&self, query: &str, variables: Value, token: &str) -> Value {
        let response = self.run(query, variables, Some(token)).await;
        assert!(
            response["errors"].is_null(),
            "{query}\nfailed: {}",
            response["errors"]
        );
        response["data"].clone()
    }

    /// Signs in and returns the token; panics with the response on failure.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let response = self
            .run(LOGIN, json!({"u": username, "p": password}), None)
            .await;
        response["data"]["login"]["token"]
            .as_str()
            .unwrap_or_else(|| panic!("login of {username} failed: {response}"))
            .to_owned()
    }

    /// The bootstrap admin's token (the password of `AppConfig::for_tests`).
    pub async fn admin(&self) -> String {
        self.login("admin", ADMIN_PASSWORD).await
    }

    /// Creates a user through `createUser` as `admin` (a token) with the test password and
    /// returns their token.
    pub async fn user(&self, admin: &str, username: &str, role: &str, division: &str) -> String {
        let created = self
            .ok(
                "mutation($i: CreateUserInput!) { createUser(input: $i) { username role division } }",
                json!({"i": {"username": username, "displayName": username, "role": role,
                             "division": division, "password": PASSWORD}}),
                admin,
            )
            .await;
        assert_eq!(
            created["createUser"],
            json!({"username": username, "role": role, "division": division})
        );
        self.login(username, PASSWORD).await
    }

    /// A context authenticated as the holder of `token`, for [`Self::run_in`] and for
    /// executing a subscription.
    pub async fn context(&self, token: &str) -> RequestContext {
        self.context_of(Some(&format!("Bearer {token}"))).await
    }

    async fn context_of(&self, header: Option<&str>) -> RequestContext {
        RequestContext {
            request_id: uuid::Uuid::new_v4().to_string(),
            correlation_id: "test-correlation".to_owned(),
            auth: self.state.auth.authenticate_header(header).await,
        }
    }

    /// [`Self::run`] in process with another timeout than the configured one.
    pub async fn run_with_timeout(
        &self,
        query: &str,
        variables: Value,
        token: Option<&str>,
        timeout: Duration,
    ) -> Value {
        let header = token.map(|t| format!("Bearer {t}"));
        let context = self.context_of(header.as_deref()).await;
        self.run_in(context, query, Variables::from_json(variables), timeout)
            .await
    }

    /// Runs a query in process in a context authenticated earlier (see [`Self::context`]):
    /// for tests where what happens after sign-in must not touch the token check again.
    pub async fn run_in(
        &self,
        context: RequestContext,
        query: &str,
        variables: Variables,
        timeout: Duration,
    ) -> Value {
        let request = Request::new(query).variables(variables);
        let response = graphql::execute(&self.schema, request, context, timeout).await;
        serde_json::to_value(response).expect("a response serialises")
    }
}

/// Posts one GraphQL request to `{base}/graphql` with `client` (another client than the
/// app's own acts as a second browser) and returns the JSON answer. GraphQL answers are HTTP
/// 200, errors too.
pub async fn post(
    client: &reqwest::Client,
    base: &str,
    query: &str,
    variables: Value,
    token: Option<&str>,
) -> Value {
    let mut request = client
        .post(format!("{base}/graphql"))
        .json(&json!({"query": query, "variables": variables}));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("the server answers");
    assert_eq!(response.status(), 200, "GraphQL answers are HTTP 200");
    response.json().await.expect("a JSON answer")
}
