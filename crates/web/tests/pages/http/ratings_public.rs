//! 好差评公开 over HTTP: the year's figures as the dashboard computes them, per department and
//! item, the bad ratings listed with their call-back and rectification status in words (the
//! page and its JSON twin alike), bad periods refused in Chinese, and no personal data — no
//! rater, no staff, not even the rated enterprise's name — in either.

use chrono::{Datelike, NaiveDate};
use guanjia_domain::clock::china_date;
use guanjia_read::DashboardQuery;
use guanjia_store::Backend;
use reqwest::StatusCode;

use super::client::Client;
use super::report::demo_personal_data;
use crate::site::Site;

#[tokio::test]
async fn the_ratings_of_a_period_are_public_without_personal_data() {
    let site = Site::start(Backend::Sqlite).await;
    let personal = demo_personal_data(&site);
    let today = china_date(site.state.clock.now());
    let day = |m, d| NaiveDate::from_ymd_opt(2023, m, d).expect("a date");
    let year = site
        .state
        .read
        .read(|m| {
            m.dashboard(&DashboardQuery {
                from: day(1, 1),
                to: day(12, 31),
                today,
                division: None,
                group_by: None,
                monthly: false,
            })
        })
        .expect("a dashboard")
        .period;
    assert!(year.ratings > 0, "the demo's 2023 has ratings");
    let mut public = Client::new(&site.base);
    let page = public.get("/haochaping?year=2023").await;
    assert_eq!(page.status(), StatusCode::OK);
    let body = page.text().await.expect("a page");
    let total = format!(
        "评价 {} 件，好评率 {}；差评 {} 件",
        year.ratings,
        year.good_rating_rate.percent_text(),
        year.bad_ratings
    );
    assert!(body.contains(&total), "{total} in {body}");
    assert!(body.contains("id=\"departments\""));
    for value in &personal {
        assert!(!body.contains(value.as_str()), "the page holds {value}");
    }
    // The bad ratings, each with its rectification status in words, as the read model lists them
    let (bad_year, listed) = crate::facts::year_with_bad_ratings(&site, today);
    let body = public
        .get(&format!("/haochaping?year={bad_year}"))
        .await
        .text()
        .await
        .expect("a page");
    let figures = site
        .state
        .read
        .read(|m| {
            m.dashboard(&DashboardQuery {
                from: NaiveDate::from_ymd_opt(bad_year, 1, 1).expect("a date"),
                to: NaiveDate::from_ymd_opt(bad_year, 12, 31).expect("a date"),
                today,
                division: None,
                group_by: None,
                monthly: false,
            })
        })
        .expect("a dashboard")
        .period;
    assert_eq!(
        listed.len() as u64,
        figures.bad_ratings,
        "every bad rating listed"
    );
    let list = body
        .split("id=\"bad-ratings\"")
        .nth(1)
        .expect("the list of bad ratings");
    assert_eq!(list.matches("整改：").count(), listed.len());
    let first = &listed[0];
    let when = format!(
        "{}年{}月{}日 · {}",
        first.rated_on.year(),
        first.rated_on.month(),
        first.rated_on.day(),
        first.level.label_zh()
    );
    assert!(list.contains(&when), "{when} in {list}");
    assert!(
        ["已整改（", "整改中（", "逾期未整改（", "申诉复核中"]
            .iter()
            .any(|words| list.contains(words)),
        "a rectification status in words: {list}"
    );
    // Not even the rated enterprises' names
    let enterprises = rated_enterprises(&site, today);
    assert!(!enterprises.is_empty());
    for name in &enterprises {
        assert!(!body.contains(name.as_str()), "the page names {name}");
    }

    // The JSON twin: the same list, with an ETag; a bad period is 400 naming the field
    let api = public
        .get(&format!("/public/api/ratings?year={bad_year}"))
        .await;
    assert_eq!(api.status(), StatusCode::OK);
    assert!(api.headers().contains_key("etag"));
    let text = api.text().await.expect("JSON");
    for value in personal.iter().chain(&enterprises) {
        assert!(!text.contains(value.as_str()), "the API holds {value}");
    }
    let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(json["period"], format!("{bad_year}年"));
    let bad = json["badRatings"].as_array().expect("a list");
    assert_eq!(bad.len(), listed.len());
    assert_eq!(bad[0]["ratedOn"], first.rated_on.to_string());
    assert!(bad[0]["rectificationZh"]
        .as_str()
        .is_some_and(|w| !w.is_empty()));
    assert!(bad[0].get("rater").is_none() && bad[0].get("enterprise").is_none());
    let refused = public.get("/public/api/ratings?year=2023&month=13").await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let refused: serde_json::Value = refused.json().await.expect("JSON");
    assert_eq!(refused["error"]["field"], "month");
    assert_eq!(
        refused["error"]["messageZh"],
        "月份应为 1 至 12 之间的数字，或留空查看全年"
    );

    let march = public.get("/haochaping?year=2023&month=3").await;
    assert_eq!(march.status(), StatusCode::OK);
    assert!(march.text().await.expect("a page").contains("2023年3月"));
    let bad = public.get("/haochaping?year=23&month=13").await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = bad.text().await.expect("a page");
    assert!(body.contains("年份应为 2000 至 2099 之间的四位数字"));
    assert!(body.contains("月份应为 1 至 12 之间的数字"));
    site.stop().await;
}

/// The names of the enterprises whose cases hold a bad rating.
fn rated_enterprises(site: &Site, today: NaiveDate) -> Vec<String> {
    let all = crate::facts::cases(site, None);
    site.state.read.read(|m| {
        all.iter()
            .filter_map(|c| m.case_detail(&c.id, today))
            .filter(|d| d.ratings.iter().any(|r| r.level.is_bad()))
            .map(|d| d.enterprise.name.clone())
            .collect()
    })
}
