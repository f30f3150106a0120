//! 好差评公开 over HTTP: the year's figures as the dashboard computes them, per department and
//! item, bad periods refused in Chinese, and no personal data in the page.

use chrono::NaiveDate;
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
