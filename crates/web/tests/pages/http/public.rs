//! The public side over plain HTTP, without signing in: the catalog, guides, bundles, print
//! views and their read API answer with ETags (304 on `If-None-Match`) and public cache
//! headers, refuse unknown filters and codes in Chinese naming the field, are rate-limited per
//! address in Chinese, and no public answer holds any of the demo's personal data.

use guanjia_store::Backend;
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH, RETRY_AFTER};
use reqwest::StatusCode;
use serde_json::Value;

use crate::facts;
use crate::site::Site;

async fn get(site: &Site, path: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(format!("{}{path}", site.base))
        .send()
        .await
        .expect("the site answers")
}

async fn json(site: &Site, path: &str) -> Value {
    let response = get(site, path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.json().await.expect("JSON")
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

/// The public pages and API need no sign-in, carry an ETag and public cache headers, and a
/// client holding the tag gets 304 without a body.
async fn answers_are_cacheable(backend: Backend) {
    let site = Site::start(backend).await;
    for path in [
        "/public/items",
        "/public/items/610902-ZJ-001",
        "/public/bundles/YJS-KBQY/print",
        "/public/items/610902-ZJ-001/qr.svg",
        "/public/api/catalog",
        "/public/api/items/610902-ZJ-001",
        "/public/api/bundles/YJS-GCJS",
        "/haochaping?year=2023",
        "/public/api/ratings?year=2023&month=3",
    ] {
        let first = get(&site, path).await;
        assert_eq!(first.status(), StatusCode::OK, "{path}");
        assert_eq!(
            first.headers()[CACHE_CONTROL],
            "public, max-age=300",
            "{path}"
        );
        let tag = first.headers()[ETAG].clone();
        let again = reqwest::Client::new()
            .get(format!("{}{path}", site.base))
            .header(IF_NONE_MATCH, tag.clone())
            .send()
            .await
            .expect("the site answers");
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path}");
        assert_eq!(again.headers()[ETAG], tag);
        assert!(again.bytes().await.expect("a body").is_empty());
        let stale = reqwest::Client::new()
            .get(format!("{}{path}", site.base))
            .header(IF_NONE_MATCH, "\"an-older-catalog\"")
            .send()
            .await
            .expect("the site answers");
        assert_eq!(stale.status(), StatusCode::OK, "{path}");
    }
    let page = get(&site, "/public/items").await;
    assert!(page.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap_or_default()
        .starts_with("text/html"));
    assert!(page.headers().contains_key("content-security-policy"));
    site.stop().await;
}

#[tokio::test]
async fn sqlite_public_answers_are_cacheable() {
    answers_are_cacheable(Backend::Sqlite).await;
}

#[tokio::test]
async fn postgres_public_answers_are_cacheable() {
    answers_are_cacheable(Backend::Postgres).await;
}

#[tokio::test]
async fn the_read_api_searches_and_says_what_changed_and_what_a_bundle_saves() {
    let site = Site::start(Backend::Sqlite).await;
    let all = json(&site, "/public/api/catalog").await;
    let items = all["items"].as_array().cloned().unwrap_or_default();
    let live = site.state.read.read(|m| {
        m.catalog()
            .items()
            .filter(|e| e.current().is_some())
            .count()
    });
    assert_eq!(items.len(), live);
    assert_eq!(all["bundles"].as_array().map(Vec::len), Some(13));

    // Keyword: any part of the name, Chinese included; stage and channel narrow it.
    let found = json(
        &site,
        "/public/api/catalog?q=%E8%AE%B8%E5%8F%AF&stage=construction",
    )
    .await;
    let found = found["items"].as_array().cloned().unwrap_or_default();
    assert!(!found.is_empty());
    for item in &found {
        assert!(item["name"].as_str().unwrap_or_default().contains("许可"));
        assert_eq!(item["lifeStage"], "建设");
    }
    let mobile = json(&site, "/public/api/catalog?channel=mobile").await;
    for item in mobile["items"].as_array().into_iter().flatten() {
        assert!(strings(&item["channels"]).contains(&"掌上办".to_owned()));
    }

    // A guide says what its revision cut, as the zone says it.
    let guide = json(&site, "/public/api/items/610902-SCJG-001").await;
    assert_eq!(guide["version"], 2);
    let summary = guide["changes"][0]["summary"].as_str().unwrap_or_default();
    assert!(
        summary.starts_with("材料由 5 项减为 4 项，承诺时限由 5 个工作日减为 3 个"),
        "{summary}"
    );
    assert_eq!(guide["changes"][1]["summary"], "首次发布");

    // A bundle lists each material once: the union of its items' materials.
    let bundle = json(&site, "/public/api/bundles/YJS-KCG").await;
    let names: Vec<String> = bundle["materials"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m["name"].as_str().map(str::to_owned))
        .collect();
    let mut union: Vec<String> = Vec::new();
    let mut one_by_one = 0;
    for item in bundle["items"].as_array().into_iter().flatten() {
        let code = item["code"].as_str().unwrap_or_default();
        let guide = json(&site, &format!("/public/api/items/{code}")).await;
        for material in guide["materials"].as_array().into_iter().flatten() {
            one_by_one += 1;
            let name = material["name"].as_str().unwrap_or_default().to_owned();
            if !union.contains(&name) {
                union.push(name);
            }
        }
    }
    assert_eq!(names, union);
    assert!(names.len() < one_by_one, "the bundle shares materials");
    assert_eq!(bundle["materialsOneByOne"], one_by_one);
    let licence = bundle["materials"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|m| m["name"] == "营业执照")
        .cloned()
        .unwrap_or_default();
    assert!(strings(&licence["forItems"]).len() >= 2, "{licence}");
    site.stop().await;
}

#[tokio::test]
async fn unknown_filters_and_codes_are_refused_in_chinese() {
    let site = Site::start(Backend::Sqlite).await;
    let bad = get(&site, "/public/api/catalog?stage=later").await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let body: Value = bad.json().await.expect("JSON");
    assert_eq!(body["error"]["code"], "BAD_USER_INPUT");
    assert_eq!(body["error"]["field"], "stage");
    assert!(body["error"]["messageZh"]
        .as_str()
        .unwrap_or_default()
        .contains("办理阶段"));
    let page = get(&site, "/public/items?channel=fax").await;
    assert_eq!(page.status(), StatusCode::OK);
    let text = page.text().await.expect("a page");
    assert!(text.contains("error-summary") && text.contains("“办理渠道”只能是"));
    assert!(text.contains("href=\"#channel\""));
    let missing = get(&site, "/public/items/NO-SUCH-ITEM").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(missing.text().await.expect("a page").contains("未找到事项"));
    let missing = get(&site, "/public/api/bundles/NO-SUCH").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let body: Value = missing.json().await.expect("JSON");
    assert_eq!(body["error"]["code"], "NOT_FOUND");
    site.stop().await;
}

#[tokio::test]
async fn the_public_side_is_rate_limited_per_address_in_chinese() {
    let site = Site::start_with(Backend::Sqlite, |config| {
        config.limits.rate.public_per_ip = 3;
    })
    .await;
    for _ in 0..3 {
        assert_eq!(get(&site, "/public/items").await.status(), StatusCode::OK);
    }
    let page = get(&site, "/public/items/610902-ZJ-001").await;
    assert_eq!(page.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(page.headers().contains_key(RETRY_AFTER));
    assert!(page.text().await.expect("a page").contains("请求过于频繁"));
    let ratings = get(&site, "/haochaping").await;
    assert_eq!(
        ratings.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "好差评公开 too"
    );
    let api = get(&site, "/public/api/catalog").await;
    assert_eq!(api.status(), StatusCode::TOO_MANY_REQUESTS);
    let body: Value = api.json().await.expect("JSON");
    assert_eq!(body["error"]["code"], "RATE_LIMITED");
    assert!(body["error"]["messageZh"]
        .as_str()
        .unwrap_or_default()
        .contains("秒后再试"));
    site.stop().await;
}

#[tokio::test]
async fn no_public_answer_holds_personal_data() {
    let site = Site::start(Backend::Sqlite).await;
    let personal = facts::personal_data(&site);
    assert!(
        personal.len() > 20,
        "the demo's contacts and staff: {personal:?}"
    );
    let (items, bundles) = site.state.read.read(|m| {
        (
            m.catalog()
                .items()
                .map(|e| e.code.clone())
                .collect::<Vec<_>>(),
            m.catalog()
                .bundles()
                .map(|e| e.code.clone())
                .collect::<Vec<_>>(),
        )
    });
    let mut paths = vec!["/public/items".to_owned(), "/public/api/catalog".to_owned()];
    // 好差评公开 and its JSON twin, for every year of the demo and each month of one.
    for year in 2022..=2026 {
        paths.push(format!("/haochaping?year={year}"));
        paths.push(format!("/public/api/ratings?year={year}"));
    }
    for month in 1..=12 {
        paths.push(format!("/haochaping?year=2023&month={month}"));
    }
    for code in &items {
        for path in [
            "/public/items/{}",
            "/public/items/{}/print",
            "/public/api/items/{}",
        ] {
            paths.push(path.replace("{}", code));
        }
    }
    for code in &bundles {
        for path in [
            "/public/bundles/{}",
            "/public/bundles/{}/print",
            "/public/api/bundles/{}",
        ] {
            paths.push(path.replace("{}", code));
        }
    }
    for path in &paths {
        let response = get(&site, path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let body = response.text().await.expect("a body");
        for datum in &personal {
            assert!(!body.contains(datum.as_str()), "{path} shows {datum}");
        }
    }
    site.stop().await;
}

/// Someone who reached the staff's sign-in page finds the public side from there.
#[tokio::test]
async fn the_sign_in_page_leads_to_the_public_catalog() {
    let site = Site::start(Backend::Sqlite).await;
    let page = get(&site, "/signin").await.text().await.expect("a page");
    assert!(
        page.contains(r#"<a href="/public/items">查看公开事项清单和办事指南</a>"#),
        "{page}"
    );
    let catalog = get(&site, "/public/items").await;
    assert_eq!(catalog.status(), StatusCode::OK);
    assert!(catalog
        .text()
        .await
        .expect("a page")
        .contains("公开事项清单"));
    site.stop().await;
}
