//! The pages over plain HTTP: status codes, headers and cookies, which a browser test does not
//! show — the policy and cache headers, 404 for a case outside the scope, idle expiry, the
//! sign-in rate limit, CSRF refusals, the CSP report endpoint, and a session made on one node
//! used on another.

use std::time::Duration;

use guanjia_store::Backend;
use reqwest::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use reqwest::StatusCode;

use self::client::{hidden, location, Client};

mod case_forms;
mod client;
mod dashboard;
mod desks;
mod periods;
mod progress;
mod public;
mod ratings_public;
mod register;
mod report;
mod report_desk;
mod weight;

use crate::facts;
use crate::site::{morning, Site, PASSWORD, TODAY};

#[tokio::test]
async fn pages_carry_the_policy_and_assets_are_cached_for_a_year() {
    let site = Site::start(Backend::Sqlite).await;
    let mut client = Client::new(&site.base);
    let home = client.get("/").await;
    assert_eq!(home.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&home), "/signin?next=/");
    let page = client.get("/signin").await;
    assert_eq!(page.status(), StatusCode::OK);
    let csp = page.headers()[CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap_or_default();
    assert!(
        csp.starts_with("default-src 'self';") && csp.contains("report-uri /csp-report"),
        "{csp}"
    );
    assert_eq!(page.headers()[CACHE_CONTROL], "no-store");
    assert_eq!(page.headers()["x-frame-options"], "DENY");
    let body = page.text().await.expect("a page");
    assert!(body.contains("<html lang=\"zh-CN\">"));
    let css = body
        .split("href=\"/assets/app.")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the stylesheet");
    let asset = client.get(&format!("/assets/app.{css}")).await;
    assert_eq!(asset.status(), StatusCode::OK);
    assert_eq!(
        asset.headers()[CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(asset.headers()[CONTENT_TYPE], "text/css; charset=utf-8");
    assert_eq!(
        client.get("/assets/app.0000000000.css").await.status(),
        StatusCode::NOT_FOUND
    );
    let missing = client.get("/no/such/page").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(missing.text().await.expect("a page").contains("未找到页面"));
    // The API is still beside the pages.
    assert_eq!(client.get("/graphql").await.status(), StatusCode::OK);
    site.stop().await;
}

#[tokio::test]
async fn a_case_outside_the_scope_is_404_like_one_that_does_not_exist() {
    let site = Site::start(Backend::Sqlite).await;
    let mut client = Client::new(&site.base);
    assert_eq!(
        client.sign_in("zhao.min", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    let elsewhere = facts::case_outside(&site, "610902100000");
    let hidden_case = client.get(&format!("/cases/{}", elsewhere.id)).await;
    assert_eq!(hidden_case.status(), StatusCode::NOT_FOUND);
    let hidden_body = hidden_case.text().await.expect("a page");
    assert!(!hidden_body.contains(&elsewhere.name));
    let absent = client.get("/cases/no-such-case").await;
    assert_eq!(absent.status(), StatusCode::NOT_FOUND);
    assert_eq!(absent.text().await.expect("a page"), hidden_body);
    // Admins do not read cases at all.
    let mut admin = Client::new(&site.base);
    admin.sign_in("admin", crate::site::ADMIN_PASSWORD).await;
    assert_eq!(
        admin
            .get(&format!("/cases/{}", elsewhere.id))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(admin.get("/cases").await.status(), StatusCode::FORBIDDEN);
    site.stop().await;
}

#[tokio::test]
async fn search_pages_through_every_case_once() {
    let site = Site::start(Backend::Sqlite).await;
    let mut client = Client::new(&site.base);
    client.sign_in("zhang.wei", PASSWORD).await;
    let all = facts::cases(&site, None);
    assert!(all.len() > 20, "the demo fills more than one page");
    let (mut seen, mut next) = (Vec::new(), Some("/cases".to_owned()));
    while let Some(path) = next.take() {
        let page = client.get(&path).await.text().await.expect("a page");
        assert!(page.contains(&format!("共找到 {} 个案件", all.len())));
        seen.extend(
            all.iter()
                .filter(|c| page.contains(&format!("href=\"/cases/{}\"", c.id)))
                .map(|c| c.id.clone()),
        );
        next = page
            .split("href=\"/cases?")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .find(|q| q.contains("after="))
            .map(|q| format!("/cases?{}", q.replace("&amp;", "&")));
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), all.len(), "every case on exactly one page");
    // A cursor that is not ours: a message, not an error page.
    let bad = client.get("/cases?after=nonsense").await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().await.expect("a page").contains("翻页链接已失效"));
    let bad_division = client.get("/cases?division=6109").await;
    assert_eq!(bad_division.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_division
        .text()
        .await
        .expect("a page")
        .contains("区划代码应为 12 位数字"));
    site.stop().await;
}

#[tokio::test]
async fn personal_data_is_masked_on_the_case_page() {
    let site = Site::start(Backend::Sqlite).await;
    let today = guanjia_domain::clock::china_date(site.state.clock.now());
    let cases = facts::cases(&site, None);
    let (id, phone, masked) = site.state.read.read(|m| {
        cases
            .iter()
            .filter_map(|c| m.case_detail(&c.id, today))
            .find_map(|d| {
                let phone = d.enterprise.contact_phone.clone()?;
                Some((d.id.clone(), phone.as_str().to_owned(), phone.masked()))
            })
            .expect("a demo case with a contact phone")
    });
    let mut client = Client::new(&site.base);
    client.sign_in("zhang.wei", PASSWORD).await;
    let page = client
        .get(&format!("/cases/{id}"))
        .await
        .text()
        .await
        .expect("a page");
    assert!(page.contains(&masked), "the masked phone {masked} is shown");
    assert!(!page.contains(&phone), "the phone itself is not");
    site.stop().await;
}

#[tokio::test]
async fn an_idle_session_ends_and_says_so() {
    let site = Site::start(Backend::Sqlite).await;
    let mut client = Client::new(&site.base);
    client.sign_in("wang.lei", PASSWORD).await;
    assert_eq!(client.get("/").await.status(), StatusCode::OK);
    // 29 minutes later the session still holds (and is refreshed), 31 after that it has idled.
    site.clock
        .set(morning(TODAY) + chrono::Duration::minutes(29));
    assert_eq!(client.get("/").await.status(), StatusCode::OK);
    site.clock
        .set(morning(TODAY) + chrono::Duration::minutes(29 + 31));
    let idle = client.get("/cases").await;
    assert_eq!(idle.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&idle), "/signin?next=/cases&why=idle");
    assert!(
        client.cookies.iter().all(|(k, _)| k != "gj_session"),
        "the cookie is deleted"
    );
    let page = client
        .get(&location(&idle))
        .await
        .text()
        .await
        .expect("a page");
    assert!(page.contains("分钟未操作"), "the sign-in page says why");
    site.stop().await;
}

#[tokio::test]
async fn forms_without_their_csrf_token_change_nothing() {
    let site = Site::start(Backend::Sqlite).await;
    let mut client = Client::new(&site.base);
    // Sign-in with a forged token, then with none and no pre-session cookie.
    client.get("/signin").await;
    let forged = client
        .post(
            "/signin",
            &[
                ("username", "wang.lei"),
                ("password", PASSWORD),
                ("csrf", "forged"),
            ],
        )
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert!(forged.text().await.expect("a page").contains("表单已失效"));
    let mut bare = Client::new(&site.base);
    let none = bare
        .post(
            "/signin",
            &[("username", "wang.lei"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(none.status(), StatusCode::FORBIDDEN);
    assert!(bare.cookies.iter().all(|(k, _)| k != "gj_session"));
    // Sign-out without the token keeps the session.
    client.sign_in("wang.lei", PASSWORD).await;
    assert_eq!(
        client.post("/signout", &[]).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(client.get("/").await.status(), StatusCode::OK);
    let page = client.get("/").await.text().await.expect("a page");
    let out = client
        .post("/signout", &[("csrf", &hidden(&page, "csrf"))])
        .await;
    assert_eq!(location(&out), "/signin?why=out");
    assert_eq!(client.get("/").await.status(), StatusCode::SEE_OTHER);
    site.stop().await;
}

#[tokio::test]
async fn sign_in_is_rate_limited_like_the_login_mutation() {
    let site = Site::start_with(Backend::Sqlite, |config| {
        config.limits.rate.login_per_user = 2;
    })
    .await;
    let mut client = Client::new(&site.base);
    for _ in 0..2 {
        assert_eq!(
            client.sign_in("wang.lei", "wrong-password").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let limited = client.sign_in("wang.lei", PASSWORD).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.headers().contains_key("retry-after"));
    assert!(limited
        .text()
        .await
        .expect("a page")
        .contains("登录尝试过于频繁"));
    // The limit is the API's: the login mutation is refused for the same user too.
    let answer = site
        .graphql(
            "mutation { login(username: \"wang.lei\", password: \"x\") { token } }",
            serde_json::json!({}),
            None,
        )
        .await;
    assert_eq!(answer["errors"][0]["extensions"]["code"], "RATE_LIMITED");
    site.stop().await;
}

#[tokio::test]
async fn csp_reports_are_recorded() {
    let site = Site::start(Backend::Sqlite).await;
    let client = reqwest::Client::new();
    let report = serde_json::json!({"csp-report": {
        "document-uri": format!("{}/", site.base), "violated-directive": "img-src",
        "blocked-uri": "http://example.invalid/x.png"}});
    let sent = client
        .post(format!("{}/csp-report", site.base))
        .header(CONTENT_TYPE, "application/csp-report")
        .body(report.to_string())
        .send()
        .await
        .expect("an answer");
    assert_eq!(sent.status(), StatusCode::NO_CONTENT);
    let reports = site.web.csp_reports().latest();
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].violated_directive, "img-src");
    let garbage = client
        .post(format!("{}/csp-report", site.base))
        .body("not json")
        .send()
        .await
        .expect("an answer");
    assert_eq!(garbage.status(), StatusCode::BAD_REQUEST);
    assert_eq!(site.web.csp_reports().total(), 1);
    site.stop().await;
}

/// Behind a load balancer: a session made on one node is good on another, and a revocation
/// made through either ends it on both.
#[tokio::test]
async fn a_session_from_one_node_works_on_another() {
    let site = Site::start(Backend::Postgres).await;
    let (_web, second, stop) = site.second_node(site.database_url()).await;
    let mut client = Client::new(&site.base);
    client.sign_in("wang.lei", PASSWORD).await;
    let mut other = Client::new(&second);
    other.cookies = client.cookies.clone();
    assert_eq!(other.get("/").await.status(), StatusCode::OK);
    let token = site.login("wang.lei", PASSWORD).await;
    site.ok(&token, "mutation { revokeMyTokens }", serde_json::json!({}))
        .await;
    // The second node learns of the revocation by following the log.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let answer = other.get("/").await;
        if answer.status() == StatusCode::SEE_OTHER {
            assert!(
                location(&answer).ends_with("why=changed"),
                "{}",
                location(&answer)
            );
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the second node still accepts the session"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let _ = stop.send(());
    site.stop().await;
}
