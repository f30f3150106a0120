//! The bench's clients: one keep-alive HTTP connection per writer or reader, each writer with
//! a case of its own, led by the bench's leader; and the count of what they got acknowledged.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use serde_json::{json, Value};

use crate::server::ADMIN_PASSWORD;

/// The signed-in leader and the cases the writers work on.
pub struct World {
    pub base: String,
    pub token: String,
    pub cases: Vec<String>,
    acknowledged: Arc<AtomicU64>,
}

/// One HTTP/1.1 connection, kept alive.
pub fn connection() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .http1_only()
        .build()
        .expect("an HTTP client")
}

/// Posts one GraphQL request; the answer's JSON.
pub async fn graphql(
    client: &reqwest::Client,
    base: &str,
    token: Option<&str>,
    query: &str,
    variables: Value,
) -> anyhow::Result<Value> {
    let mut request = client
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": query, "variables": variables }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    Ok(request.send().await?.json().await?)
}

/// The first error code of an answer, if it has one.
pub fn error_code(answer: &Value) -> Option<String> {
    answer.get("errors").map(|errors| {
        errors[0]["extensions"]["code"]
            .as_str()
            .unwrap_or("UNKNOWN")
            .to_owned()
    })
}

async fn ok(
    client: &reqwest::Client,
    base: &str,
    token: Option<&str>,
    query: &str,
    variables: Value,
) -> anyhow::Result<Value> {
    let answer = graphql(client, base, token, query, variables).await?;
    match error_code(&answer) {
        None => Ok(answer["data"].clone()),
        Some(_) => anyhow::bail!("{query}: {answer}"),
    }
}

impl World {
    /// Signs in, creates the leader, registers one case per writer led by the leader.
    pub async fn prepare(base: &str, writers: usize) -> anyhow::Result<Self> {
        let client = connection();
        let login =
            "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }";
        let admin = ok(
            &client,
            base,
            None,
            login,
            json!({"u": "admin", "p": ADMIN_PASSWORD}),
        )
        .await?;
        let admin = admin["login"]["token"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        ok(
            &client,
            base,
            Some(&admin),
            "mutation { createUser(input: {username: \"bench.lead\", displayName: \"压测\", \
             role: LEADER, division: \"610902000000\", password: \"bench-lead-password\"}) \
             { username } }",
            json!({}),
        )
        .await?;
        let lead = ok(
            &client,
            base,
            None,
            login,
            json!({"u": "bench.lead", "p": "bench-lead-password"}),
        )
        .await?;
        let token = lead["login"]["token"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let mut cases = Vec::with_capacity(writers);
        for n in 0..writers {
            let registered = ok(
                &client,
                base,
                Some(&token),
                "mutation($i: RegisterCaseInput!) { registerCase(input: $i) { caseId } }",
                json!({"i": {"enterprise": {"name": format!("压测企业{n}有限公司"),
                                            "division": "610902100201"},
                             "leadSource": "ENTERPRISE_REQUEST", "stage": "ESTABLISHMENT"}}),
            )
            .await?;
            let case = registered["registerCase"]["caseId"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            ok(
                &client,
                base,
                Some(&token),
                "mutation($c: ID!) { assignLeadSteward(caseId: $c, input: \
                 {steward: \"bench.lead\", tier: DISTRICT}) { position } }",
                json!({"c": case}),
            )
            .await?;
            cases.push(case);
        }
        Ok(Self {
            base: base.to_owned(),
            token,
            cases,
            acknowledged: Arc::default(),
        })
    }

    /// Counts one acknowledged mutation.
    pub fn acknowledge(&self) {
        self.acknowledged.fetch_add(1, Ordering::Relaxed);
    }

    pub fn acknowledged(&self) -> u64 {
        self.acknowledged.load(Ordering::Relaxed)
    }

    /// `NoteAdded` events in the log, counted in the database itself.
    pub async fn notes_in_log(&self, url: &str) -> anyhow::Result<u64> {
        let sql = "SELECT count(*) FROM events WHERE event_type = 'NoteAdded'";
        let count: i64 = if url.starts_with("postgres") {
            let pool = sqlx::PgPool::connect(url).await?;
            let count = sqlx::query_scalar(sql).fetch_one(&pool).await?;
            pool.close().await;
            count
        } else {
            let pool = sqlx::SqlitePool::connect(url).await?;
            let count = sqlx::query_scalar(sql).fetch_one(&pool).await?;
            pool.close().await;
            count
        };
        Ok(u64::try_from(count)?)
    }
}
