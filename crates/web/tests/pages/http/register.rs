//! Registering a case on the page, over HTTP, on both backends: the USCC verdict as typed, the
//! server's own check on submit, a division outside the scope, a wrong token, a role that does
//! not register — each refused in Chinese beside the field, changing nothing — and a good
//! registration that lands on the new case.

use guanjia_store::Backend;
use reqwest::StatusCode;

use super::client::{hidden, location, Client};
use crate::facts;
use crate::site::{Site, PASSWORD};

fn form<'a>(
    csrf: &'a str,
    name: &'a str,
    uscc: &'a str,
    division: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("name", name),
        ("uscc", uscc),
        ("division", division),
        ("lead_source", "enterprise_request"),
        ("stage", "establishment"),
        ("registered_on", "2026-03-05"),
    ]
}

async fn registering(backend: Backend) {
    let site = Site::start(backend).await;
    let before = facts::cases(&site, None).len();
    let mut steward = Client::new(&site.base);
    steward.sign_in("zhao.min", PASSWORD).await;
    let page = steward.get("/cases/new").await;
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.expect("a page");
    assert!(
        page.contains("hx-get=\"/cases/new/uscc\""),
        "checked as typed"
    );
    assert!(
        page.contains("value=\"610902100000\""),
        "the steward's own division by default"
    );
    let csrf = hidden(&page, "csrf");

    let good = steward
        .get("/cases/new/uscc?uscc=91350100M000100Y43")
        .await
        .text()
        .await
        .expect("a fragment");
    assert!(
        good.contains("校验通过") && !good.contains("<html"),
        "{good}"
    );
    let bad = steward
        .get("/cases/new/uscc?uscc=91350100M000100Y4Z")
        .await
        .text()
        .await
        .expect("a fragment");
    assert!(
        bad.contains("校验位（第 18 位）是“Z”，按 GB 32100-2015 应为“3”"),
        "{bad}"
    );
    let short = steward
        .get("/cases/new/uscc?uscc=9135")
        .await
        .text()
        .await
        .expect("a fragment");
    assert!(
        short.contains("统一社会信用代码应为 18 位，现在是 4 位"),
        "{short}"
    );

    // The server checks again on submit.
    let refused = steward
        .post(
            "/cases/new",
            &form(
                &csrf,
                "校验测试有限公司",
                "91350100M000100Y4Z",
                "610902100000",
            ),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = refused.text().await.expect("a page");
    assert!(
        body.contains("id=\"register-uscc-error\""),
        "beside the field: {}",
        body.split("error-summary").nth(1).unwrap_or_default()
    );
    assert!(
        body.contains("href=\"#register-uscc\""),
        "the summary links to it"
    );
    assert!(
        body.contains("value=\"校验测试有限公司\""),
        "what was typed is kept"
    );
    let elsewhere = steward
        .post(
            "/cases/new",
            &form(&csrf, "外镇有限公司", "", "610902101000"),
        )
        .await;
    assert_eq!(elsewhere.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(elsewhere
        .text()
        .await
        .expect("a page")
        .contains("区划代码不在您的管辖范围内"));
    let no_name = steward
        .post("/cases/new", &form(&csrf, " ", "", "610902100000"))
        .await;
    assert!(no_name
        .text()
        .await
        .expect("a page")
        .contains("请填写企业（项目）名称。"));
    let early = steward
        .post(
            "/cases/new",
            &form(&csrf, "补录测试有限公司", "", "610902100000")
                .into_iter()
                .map(|(k, v)| {
                    (
                        k,
                        if k == "registered_on" {
                            "2026-02-20"
                        } else {
                            v
                        },
                    )
                })
                .collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(early.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.text().await.expect("a page").contains("属于补录"));
    let forged = steward
        .post(
            "/cases/new",
            &form("forged", "伪造有限公司", "", "610902100000"),
        )
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let mut auditor = Client::new(&site.base);
    auditor.sign_in("audit.li", PASSWORD).await;
    assert_eq!(
        auditor.get("/cases/new").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        facts::cases(&site, None).len(),
        before,
        "nothing was registered"
    );

    let done = steward
        .post(
            "/cases/new",
            &form(
                &csrf,
                "新登记茶叶有限公司",
                "91350100M000100Y43",
                "610902100000",
            ),
        )
        .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let target = location(&done);
    assert!(
        target.starts_with("/cases/") && target.ends_with("?done=register"),
        "{target}"
    );
    let page = steward.get(&target).await.text().await.expect("a page");
    assert!(page.contains("新登记茶叶有限公司") && page.contains("案件已登记"));
    // One open case per enterprise: the same USCC again is refused beside it.
    let again = steward
        .post(
            "/cases/new",
            &form(&csrf, "重复有限公司", "91350100M000100Y43", "610902100000"),
        )
        .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again
        .text()
        .await
        .expect("a page")
        .contains("该企业已有未结案的案件"));
    assert_eq!(facts::cases(&site, None).len(), before + 1);
    site.stop().await;
}

#[tokio::test]
async fn registering_on_sqlite() {
    registering(Backend::Sqlite).await;
}

#[tokio::test]
async fn registering_on_postgres() {
    registering(Backend::Postgres).await;
}
