//! The audit desk and administration over HTTP: who is refused (403 before anything is looked
//! up), forms without their CSRF token (refused, nothing done), and the big screen for roles
//! other than a display or a leader; ending an account's sessions.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use guanjia_store::Backend;
use reqwest::StatusCode;

use super::client::{location, Client};
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
    // The history's download: the events of the filter, one a row.
    let file = auditor
        .get("/audit/history.xlsx?event=CaseRegistered")
        .await;
    assert_eq!(file.status(), StatusCode::OK);
    let bytes = file.bytes().await.expect("the file").to_vec();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("a workbook");
    let sheet = book.worksheet_range("事件记录").expect("the sheet");
    let rows: Vec<_> = sheet.rows().skip(1).collect();
    assert!(!rows.is_empty(), "registrations are listed");
    assert!(rows
        .iter()
        .all(|r| r.get(1) == Some(&Data::String("CaseRegistered".to_owned()))));
    assert_eq!(
        steward.get("/audit/history.xlsx").await.status(),
        StatusCode::FORBIDDEN
    );
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

#[tokio::test]
async fn revealing_the_contact_on_the_case_page_is_deliberate_and_recorded() {
    let site = Site::start(Backend::Sqlite).await;
    let (id, _lead, phone) = crate::facts::case_with_lead_and_phone(&site);
    let mut leader = Client::new(&site.base);
    leader.sign_in("zhang.wei", PASSWORD).await;
    let page = leader
        .get(&format!("/cases/{id}"))
        .await
        .text()
        .await
        .expect("a page");
    assert!(!page.contains(&phone), "masked until revealed");
    assert!(page.contains("显示完整联系方式（将记录访问日志）"));
    let csrf = super::client::hidden(&page, "csrf");
    let shown = leader
        .post(&format!("/cases/{id}/reveal"), &[("csrf", &csrf)])
        .await;
    assert_eq!(shown.status(), StatusCode::OK);
    let shown = shown.text().await.expect("a page");
    assert!(shown.contains(&phone) && shown.contains("已记录在个人信息访问日志"));
    // The read is in the access log, by the leader, of this case.
    let mut auditor = Client::new(&site.base);
    auditor.sign_in("audit.li", PASSWORD).await;
    let log = auditor.get("/audit").await.text().await.expect("a page");
    let section = log
        .split("id=\"access-log\"")
        .nth(1)
        .expect("the access log");
    assert!(
        section.contains(&id) && section.contains("张伟"),
        "the reveal is logged"
    );
    // Filtered on the case, the access log holds that case's reads only.
    let of_case = auditor
        .get(&format!("/audit?case={id}"))
        .await
        .text()
        .await
        .expect("a page");
    let section = of_case
        .split("id=\"access-log\"")
        .nth(1)
        .expect("the case's access log");
    assert!(section.contains(&id) && section.contains("张伟"));
    // Without its token, nothing is shown.
    let refused = leader
        .post(&format!("/cases/{id}/reveal"), &[("csrf", "forged")])
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    site.stop().await;
}

#[tokio::test]
async fn an_admin_ends_the_sessions_of_an_account_and_leaves_it_active() {
    let site = Site::start(Backend::Sqlite).await;
    let mut steward = Client::new(&site.base);
    steward.sign_in("liu.yang", PASSWORD).await;
    assert_eq!(steward.get("/").await.status(), StatusCode::OK);
    let mut admin = Client::new(&site.base);
    admin.sign_in("admin", ADMIN_PASSWORD).await;
    let page = admin
        .get("/admin/users/liu.yang")
        .await
        .text()
        .await
        .expect("a page");
    assert!(page.contains("使全部登录失效"));
    let csrf = super::client::hidden(&page, "csrf");
    let ended = admin
        .post("/admin/users/liu.yang/revoke", &[("csrf", &csrf)])
        .await;
    assert_eq!(ended.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&ended), "/admin/users/liu.yang?done=revoked");
    let told = admin
        .get("/admin/users/liu.yang?done=revoked")
        .await
        .text()
        .await
        .expect("a page");
    assert!(told.contains("该账户的登录已全部失效，账户本身未变"));

    let signed_out = steward.get("/").await;
    assert_eq!(location(&signed_out), "/signin?next=/&why=changed");
    assert!(site
        .state
        .auth
        .directory()
        .get("liu.yang")
        .is_some_and(|a| a.is_active()));
    let mut again = Client::new(&site.base);
    let signed_in = again.sign_in("liu.yang", PASSWORD).await;
    assert_eq!(location(&signed_in), "/");
    site.stop().await;
}

#[tokio::test]
async fn the_case_page_flags_a_late_entry_with_its_reason() {
    let site = Site::start(Backend::Sqlite).await;
    let token = site.login("zhao.min", PASSWORD).await;
    // The site's today is 2026-03-05: a month back is a late entry.
    let back = "2026-02-02";
    let registered = site
        .ok(
            &token,
            "mutation($i: RegisterCaseInput!) { registerCase(input: $i, lateReason: \"纸质台账事后补录\") { caseId } }",
            serde_json::json!({"i": {"enterprise": {"name": "安康补录测试有限公司", "division": "610902100000"},
                                     "leadSource": "INVESTMENT_PROMOTION", "stage": "ESTABLISHMENT",
                                     "registeredOn": back}}),
        )
        .await;
    let id = registered["registerCase"]["caseId"]
        .as_str()
        .expect("a case id")
        .to_owned();
    let mut leader = Client::new(&site.base);
    leader.sign_in("zhang.wei", PASSWORD).await;
    let page = leader
        .get(&format!("/cases/{id}"))
        .await
        .text()
        .await
        .expect("a page");
    // The record says it in its summary, the registration it covers in a badge.
    assert!(page.contains("理由：纸质台账事后补录"), "{page}");
    assert!(
        page.contains("<span class=\"badge badge-warning\">补录</span>补录（晚 "),
        "{page}"
    );
    site.stop().await;
}
