//! The audit desk and administration over HTTP: who is refused (403 before anything is looked
//! up), forms without their CSRF token (refused, nothing done), and the big screen for roles
//! other than a display or a leader.

use guanjia_store::Backend;
use reqwest::StatusCode;

use super::client::Client;
use crate::site::{Site, ADMIN_PASSWORD, PASSWORD};

#[tokio::test]
async fn each_desk_is_for_its_role() {
    let site = Site::start(Backend::Sqlite).await;
    let mut steward = Client::new(&site.base);
    steward.sign_in("zhao.min", PASSWORD).await;
    for (path, words) in [
        ("/audit", "审计页面仅供审计人员使用"),
        ("/audit/cases/anything", "审计页面仅供审计人员使用"),
        ("/admin", "管理页面仅供管理员使用"),
        ("/admin/catalog", "管理页面仅供管理员使用"),
        ("/screen", "大屏仅供大厅显示屏账户和领导使用"),
    ] {
        let page = steward.get(path).await;
        assert_eq!(page.status(), StatusCode::FORBIDDEN, "{path}");
        assert!(page.text().await.expect("a page").contains(words), "{path}");
    }
    let mut leader = Client::new(&site.base);
    leader.sign_in("zhang.wei", PASSWORD).await;
    assert_eq!(leader.get("/admin").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        leader.get("/screen").await.status(),
        StatusCode::OK,
        "leaders may look at their screen"
    );
    let mut auditor = Client::new(&site.base);
    auditor.sign_in("audit.li", PASSWORD).await;
    assert_eq!(
        auditor.get("/audit/cases/no-such-case").await.status(),
        StatusCode::NOT_FOUND
    );
    let bad = auditor.get("/audit?from=2026-02-30").await;
    assert!(bad
        .text()
        .await
        .expect("a page")
        .contains("开始日期不是有效的日期"));
    site.stop().await;
}

#[tokio::test]
async fn forms_of_the_desks_need_their_csrf_token() {
    let site = Site::start(Backend::Sqlite).await;
    let mut auditor = Client::new(&site.base);
    auditor.sign_in("audit.li", PASSWORD).await;
    let verify = auditor.post("/audit/verify", &[("csrf", "forged")]).await;
    assert_eq!(verify.status(), StatusCode::FORBIDDEN);
    assert!(verify.text().await.expect("a page").contains("表单已失效"));
    let mut admin = Client::new(&site.base);
    admin.sign_in("admin", ADMIN_PASSWORD).await;
    let create = admin
        .post(
            "/admin/users",
            &[
                ("username", "no.token"),
                ("display_name", "无令牌"),
                ("role", "STEWARD"),
                ("division", "610902100000"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(create.status(), StatusCode::FORBIDDEN);
    assert!(
        site.state.auth.directory().get("no.token").is_none(),
        "nothing was created"
    );
    let disable = admin
        .post("/admin/users/zhao.min/disable", &[("reason", "x")])
        .await;
    assert_eq!(disable.status(), StatusCode::FORBIDDEN);
    assert!(site
        .state
        .auth
        .directory()
        .get("zhao.min")
        .is_some_and(|a| a.is_active()));
    site.stop().await;
}
