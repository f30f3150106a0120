//! The public side over plain HTTP, without signing in: the catalog, guides, bundles, print
//! views and their read API answer with ETags (304 on `If-None-Match`) and public cache
//! headers, refuse unknown filters and codes in Chinese naming the field, are rate-limited per
//! address in Chinese, and no public answer holds any of the demo's personal data.

use guanjia_store::Backend;
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH, RETRY_AFTER};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::facts;
use crate::site::{Site, ADMIN_PASSWORD};

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

/// The items listed on a catalog page (not the bundles below them).
fn listed(page: &str) -> Vec<String> {
    let items = page.split("id=\"bundle-list\"").next().unwrap_or_default();
    items
        .split("<li class=\"card\" data-code=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next().map(str::to_owned))
        .collect()
}

/// A long catalog is listed fifty items a page, the search kept from page to page; a page
/// number that is not one is named in Chinese, and a page past the end shows the last.
#[tokio::test]
async fn a_long_catalog_is_listed_a_page_at_a_time() {
    let site = Site::start(Backend::Sqlite).await;
    let admin = site.login("admin", ADMIN_PASSWORD).await;
    let before = listed(
        &get(&site, "/public/items")
            .await
            .text()
            .await
            .expect("a page"),
    )
    .len();
    assert!(before < 50, "the demo's catalog fits one page: {before}");
    let mut caught_up = false;
    for n in 0..60 {
        let input = json!({"basicCode": format!("P{n:011}"), "implementationCode": format!("PAGE-{n:02}"),
            "name": format!("翻页测试事项{n:02}"), "itemType": "ADMINISTRATIVE_LICENCE",
            "department": "区测试局", "statutoryLimitDays": 20, "promisedLimitDays": 10,
            "requiredMaterials": ["申请书"], "onsiteTrips": 1});
        let data = site
            .ok(
                &admin,
                "mutation($i: CatalogItemInput!) { publishCatalogItem(input: $i) { caughtUp } }",
                json!({"i": input}),
            )
            .await;
        caught_up = data["publishCatalogItem"]["caughtUp"] == json!(true);
    }
    assert!(caught_up, "the pages read the model after the last item");
    let total = before + 60;

    let first = get(&site, "/public/items")
        .await
        .text()
        .await
        .expect("a page");
    assert_eq!(listed(&first).len(), 50);
    assert!(first.contains(&format!("事项（{total} 项）")), "{first}");
    assert!(first.contains("第 1 页，共 2 页"));
    assert!(first.contains("rel=\"next\" href=\"/public/items?page=2\""));
    assert!(!first.contains("rel=\"prev\""));
    let second = get(&site, "/public/items?page=2")
        .await
        .text()
        .await
        .expect("a page");
    assert_eq!(listed(&second).len(), total - 50);
    assert!(second.contains("rel=\"prev\" href=\"/public/items?page=1\""));
    let mut both = listed(&first);
    both.extend(listed(&second));
    both.sort();
    both.dedup();
    assert_eq!(
        both.len(),
        total,
        "every item on one page or the other, once"
    );

    // A search keeps its words in the pages' links.
    let found = get(&site, "/public/items?q=翻页测试")
        .await
        .text()
        .await
        .expect("a page");
    assert_eq!(listed(&found).len(), 50);
    let next = "/public/items?q=%E7%BF%BB%E9%A1%B5%E6%B5%8B%E8%AF%95&page=2";
    // In the page's HTML the link's `&` is escaped (askama writes `&#38;`).
    assert!(
        ["&#38;", "&amp;"]
            .iter()
            .any(|amp| found.contains(&next.replace('&', amp))),
        "{found}"
    );
    let rest = get(&site, next).await.text().await.expect("a page");
    assert_eq!(listed(&rest).len(), 10);
    assert!(listed(&rest).iter().all(|code| code.starts_with("PAGE-")));

    // Past the end: the last page. Not a page number: said in Chinese, the first page shown.
    let past = get(&site, "/public/items?page=9")
        .await
        .text()
        .await
        .expect("a page");
    assert_eq!(listed(&past), listed(&second));
    for bad in ["abc", "0", "-1"] {
        let answer = get(&site, &format!("/public/items?page={bad}")).await;
        assert_eq!(answer.status(), StatusCode::OK);
        let text = answer.text().await.expect("a page");
        assert!(
            text.contains("error-summary") && text.contains("页码应为从 1 开始的整数"),
            "{bad}"
        );
        assert!(text.contains("href=\"#page\""), "{bad}");
        assert_eq!(listed(&text), listed(&first), "{bad}");
    }
    site.stop().await;
}
