//! The dashboard over HTTP: who may see it, the errors of a bad period or division (named in
//! Chinese, beside the field they concern), a division outside the leader's scope, and the
//! download's headers.

use guanjia_store::Backend;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use reqwest::StatusCode;

use super::client::Client;
use crate::site::{Site, PASSWORD};

#[tokio::test]
async fn only_leaders_see_the_dashboard_within_their_scope() {
    let site = Site::start(Backend::Sqlite).await;
    let mut steward = Client::new(&site.base);
    steward.sign_in("zhao.min", PASSWORD).await;
    let refused = steward.get("/dashboard").await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(refused
        .text()
        .await
        .expect("a page")
        .contains("领导看板仅供领导查看"));
    assert_eq!(
        steward.get("/dashboard.xlsx").await.status(),
        StatusCode::FORBIDDEN
    );

    let mut leader = Client::new(&site.base);
    leader.sign_in("zhang.wei", PASSWORD).await;
    let elsewhere = leader.get("/dashboard?division=610903000000").await;
    assert_eq!(elsewhere.status(), StatusCode::FORBIDDEN);
    assert!(elsewhere
        .text()
        .await
        .expect("a page")
        .contains("该区划不在您的查看范围内"));
    let ok = leader.get("/dashboard?from=2026-03-01&to=2026-03-31").await;
    assert_eq!(ok.status(), StatusCode::OK);
    let body = ok.text().await.expect("a page");
    assert!(body.contains("2026年3月") && body.contains("去年同期：2025年3月"));
    assert!(
        body.contains("/assets/echarts."),
        "the dashboard loads ECharts"
    );
    // The catalog's burden reductions, as the read model computes them from its history.
    let burden = site.state.read.read(|m| m.burden_reduction());
    for (figure, cut) in [
        ("申请材料", burden.materials_cut()),
        ("承诺时限", burden.promised_time_cut()),
    ] {
        let row = format!("<tr data-figure=\"{figure}\"><th scope=\"row\">{figure}</th>");
        let at = body.find(&row).expect("the burden row");
        let cell = format!("<td class=\"num\" data-this>{}</td>", cut.percent_text());
        assert!(body[at..].contains(&cell), "{figure}: {cell}");
    }
    assert_eq!(
        (
            burden.materials_cut().permille(),
            burden.promised_time_cut().permille()
        ),
        (Some(300), Some(500)),
        "the demo's catalog history gives the reported cuts"
    );
    let workbench = leader.get("/").await.text().await.expect("a page");
    assert!(
        !workbench.contains("/assets/echarts."),
        "only the dashboard loads ECharts"
    );
    site.stop().await;
}

#[tokio::test]
async fn a_bad_period_or_division_is_named_in_chinese() {
    let site = Site::start(Backend::Sqlite).await;
    let mut leader = Client::new(&site.base);
    leader.sign_in("zhang.wei", PASSWORD).await;
    for (query, field, message) in [
        (
            "from=2026-13-01&to=2026-03-31",
            "from",
            "开始日期不是有效的日期",
        ),
        (
            "from=2026-03-01&to=yesterday",
            "to",
            "结束日期不是有效的日期",
        ),
        (
            "from=2026-03-31&to=2026-03-01",
            "to",
            "结束日期不能早于开始日期",
        ),
        (
            "from=2000-01-01&to=2026-03-01",
            "to",
            "统计期间最长 3660 天",
        ),
        ("division=6109", "division", "区划代码应为 12 位数字"),
    ] {
        let page = leader.get(&format!("/dashboard?{query}")).await;
        assert_eq!(page.status(), StatusCode::BAD_REQUEST, "{query}");
        let body = page.text().await.expect("a page");
        assert!(body.contains(message), "{query}: {message}");
        assert!(
            body.contains(&format!("<a href=\"#{field}\">{message}")),
            "{query}: the summary links to {field}"
        );
        assert!(!body.contains("id=\"kpi-table\""), "{query}: no figures");
    }
    site.stop().await;
}

#[tokio::test]
async fn the_download_is_a_workbook_named_by_division_and_period() {
    let site = Site::start(Backend::Sqlite).await;
    let mut leader = Client::new(&site.base);
    leader.sign_in("zhang.wei", PASSWORD).await;
    let file = leader
        .get("/dashboard.xlsx?from=2026-01-01&to=2026-03-31&division=610902100000")
        .await;
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(
        file.headers()[CONTENT_TYPE],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert_eq!(
        file.headers()[CONTENT_DISPOSITION],
        "attachment; filename=\"dashboard-610902100000-2026-01-01-2026-03-31.xlsx\""
    );
    let bytes = file.bytes().await.expect("the file");
    assert!(bytes.starts_with(b"PK"), "an XLSX is a zip file");
    site.stop().await;
}

#[tokio::test]
async fn the_demos_closed_2023_shows_as_reported_and_now_and_the_late_entries() {
    let site = Site::start(Backend::Sqlite).await;
    let mut leader = Client::new(&site.base);
    leader.sign_in("zhang.wei", PASSWORD).await;
    let page = leader.get("/dashboard?from=2023-01-01&to=2023-12-31").await;
    assert_eq!(page.status(), StatusCode::OK);
    let body = page.text().await.expect("a page");
    assert!(body.contains("2023 封账数据：上报时与现在"), "{body}");
    assert!(body.contains("2024年1月10日 由 张伟 封账"), "{body}");
    for (figure, reported) in [("签约企业", 12), ("上门走访", 9), ("申请办件", 13)] {
        let row = format!(
            "<tr data-figure=\"{figure}\"><th scope=\"row\">{figure}</th><td class=\"num\" data-reported>{reported}</td><td class=\"num\" data-now>{reported}</td>"
        );
        assert!(body.contains(&row), "{figure}: {body}");
    }
    assert!(body.contains("封账后没有新增本期事项"));
    assert!(body.contains("本期数据中的补录"));
    site.stop().await;
}
