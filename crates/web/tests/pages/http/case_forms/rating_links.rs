//! Rating links on the record over HTTP: the team issues a link on the case page; an admin of
//! the case's town lists it on `/admin/rating-links` (an admin of another town sees nothing of
//! it and is refused in Chinese), is refused without the CSRF token or without a reason (beside
//! the field), revokes it with one, and the contact's scan is refused at once — on PostgreSQL
//! on a second node too. The team revokes the link it just issued from the link's page.

use guanjia_store::Backend;
use reqwest::StatusCode;

use super::{a_visited_case, post, Led};
use crate::http::client::{assert_gone, hidden, location, Client};
use crate::site::{Site, ADMIN_PASSWORD, PASSWORD};

const OTHER_TOWN: &str = "610902101000";

/// A led case whose visit 1 is conducted and a rating link for it the steward issued on the
/// case page: (the case id, its number, the link's path).
async fn a_link_issued_on_the_case_page(site: &Site) -> (String, String, String) {
    let (id, number, path, _, _) = issued_by_the_steward(site).await;
    (id, number, path)
}

/// [`a_link_issued_on_the_case_page`], with the steward signed in and the page of the link.
async fn issued_by_the_steward(site: &Site) -> (String, String, String, Client, String) {
    let Led {
        id, mut steward, ..
    } = a_visited_case(site).await;
    let issued = post(&mut steward, &id, "rating-link", &[("target", "visit-1")]).await;
    assert_eq!(issued.status(), StatusCode::OK);
    let page = issued.text().await.expect("a page");
    let path = page
        .split("/rate/")
        .nth(1)
        .and_then(|rest| rest.split(['<', '"', '/']).next())
        .map(|token| format!("/rate/{token}"))
        .expect("the link on the page");
    let number = site
        .state
        .read
        .read(|m| m.case_by_id(&id))
        .expect("the case")
        .case_number
        .to_string();
    (id, number, path, steward, page)
}

/// Signs in a new admin of `division`.
async fn an_admin(site: &Site, username: &str, division: &str) -> Client {
    let admin = site.login("admin", ADMIN_PASSWORD).await;
    site.create_user(&admin, username, "管理员", "ADMIN", division)
        .await;
    let mut client = Client::new(&site.base);
    client.sign_in(username, PASSWORD).await;
    client
}

async fn an_admin_revokes_a_live_link_of_its_town(backend: Backend) {
    let site = Site::start(backend).await;
    let (id, number, path) = a_link_issued_on_the_case_page(&site).await;
    let mut town = an_admin(&site, "admin.hk", super::TOWN).await;
    let mut other = an_admin(&site, "admin.other", OTHER_TOWN).await;

    // The other town's admin sees nothing of it, and is refused in Chinese
    let elsewhere = other.get("/admin/rating-links").await;
    assert_eq!(elsewhere.status(), StatusCode::OK);
    let elsewhere = elsewhere.text().await.expect("a page");
    assert!(
        !elsewhere.contains(&number),
        "another town's case is listed"
    );
    assert!(elsewhere.contains("没有仍然有效的评价链接"));
    let other_csrf = hidden(
        &other.get("/admin").await.text().await.expect("a page"),
        "csrf",
    );

    // The town's admin sees it: case number, target, channel and issuer, no personal data
    let page = town
        .get("/admin/rating-links")
        .await
        .text()
        .await
        .expect("a page");
    assert!(page.contains(&number), "{page}");
    for shown in ["第 1 次走访", "二维码", "wang.lei", "作废原因"] {
        assert!(page.contains(shown), "the list lacks {shown}");
    }
    assert!(!page.contains("王磊"), "no personal data");
    let csrf = hidden(&page, "csrf");
    let row_link = first_listed_link(&page);
    assert!(!row_link.is_empty());

    // Without the CSRF token nothing is revoked
    let forged = town
        .post(
            "/admin/rating-links/revoke",
            &[
                ("case_id", id.as_str()),
                ("link_id", &row_link),
                ("reason", "x"),
            ],
        )
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert!(forged.text().await.expect("a page").contains("表单已失效"));
    // Without a reason: refused beside the field
    let blank = revoke_listed(&mut town, &csrf, &id, &row_link, " ").await;
    assert_eq!(blank.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let blank = blank.text().await.expect("a page");
    assert!(
        blank.contains(&format!("id=\"reason-{row_link}-error\">请填写作废原因")),
        "{blank}"
    );
    // The other town's admin: not found, in Chinese
    let refused = revoke_listed(&mut other, &other_csrf, &id, &row_link, "越权").await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    assert!(refused
        .text()
        .await
        .expect("a page")
        .contains("不在您的管理范围内"));
    let mut contact = Client::new(&site.base);
    assert_eq!(
        contact.get(&path).await.status(),
        StatusCode::OK,
        "still live"
    );

    // With a reason it is revoked, gone from the list, and the scan is refused at once
    let revoked = revoke_listed(&mut town, &csrf, &id, &row_link, "企业反映二维码被他人拍走").await;
    assert_eq!(revoked.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&revoked), "/admin/rating-links?done=revoked");
    let after = town
        .get("/admin/rating-links?done=revoked")
        .await
        .text()
        .await
        .expect("a page");
    assert!(after.contains("评价链接已作废"));
    assert!(!after.contains(&number), "a revoked link is not live");
    assert_gone(
        contact.get(&path).await,
        "此评价链接已作废",
        "revoked by the admin",
    )
    .await;
    site.stop().await;
}

#[tokio::test]
async fn an_admin_revokes_a_live_link_of_its_town_on_sqlite() {
    an_admin_revokes_a_live_link_of_its_town(Backend::Sqlite).await;
}

#[tokio::test]
async fn an_admin_revokes_a_live_link_of_its_town_on_postgres() {
    an_admin_revokes_a_live_link_of_its_town(Backend::Postgres).await;
}

#[tokio::test]
async fn postgres_a_rating_link_revoked_on_one_node_is_refused_on_the_other_at_once() {
    let site = Site::start(Backend::Postgres).await;
    let (_second_web, second, stop_second) = site.second_node(site.database_url()).await;
    let (id, _, path) = a_link_issued_on_the_case_page(&site).await;
    let mut on_second = Client::new(&second);
    assert_eq!(
        on_second.get(&path).await.status(),
        StatusCode::OK,
        "opens on the other node"
    );
    let mut town = an_admin(&site, "admin.hk", super::TOWN).await;
    let page = town
        .get("/admin/rating-links")
        .await
        .text()
        .await
        .expect("a page");
    let link_id = first_listed_link(&page);
    let revoked = revoke_listed(&mut town, &hidden(&page, "csrf"), &id, &link_id, "发错").await;
    assert_eq!(revoked.status(), StatusCode::SEE_OTHER);
    let refused = on_second.get(&path).await;
    assert_gone(refused, "此评价链接已作废", "refused on the other node").await;
    let _ = stop_second.send(());
    site.stop().await;
}

async fn the_team_revokes_the_link_it_just_issued(backend: Backend) {
    let site = Site::start(backend).await;
    let (id, _, path, mut steward, page) = issued_by_the_steward(&site).await;
    let action = format!("/cases/{id}/act/rating-link-revoke");
    assert!(page.contains(&format!("action=\"{action}\"")), "{page}");
    let csrf = hidden(&page, "csrf");
    let link_id = hidden(&page, "link_id");
    // Without a reason: refused in Chinese, the link still live
    let blank = steward
        .post(
            &action,
            &[
                ("csrf", csrf.as_str()),
                ("link_id", &link_id),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(blank.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(blank
        .text()
        .await
        .expect("a page")
        .contains("请填写作废原因"));
    let mut contact = Client::new(&site.base);
    assert_eq!(contact.get(&path).await.status(), StatusCode::OK);
    // With one: back to the case, and the scan is refused at once
    let revoked = steward
        .post(
            &action,
            &[
                ("csrf", csrf.as_str()),
                ("link_id", &link_id),
                ("reason", "发错了人"),
            ],
        )
        .await;
    assert_eq!(revoked.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&revoked), format!("/cases/{id}#ratings"));
    assert_gone(
        contact.get(&path).await,
        "此评价链接已作废",
        "revoked by the team",
    )
    .await;
    // Twice: refused in Chinese
    let again = steward
        .post(
            &action,
            &[
                ("csrf", csrf.as_str()),
                ("link_id", &link_id),
                ("reason", "再次"),
            ],
        )
        .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text().await.expect("a page").contains("该链接已作废"));
    site.stop().await;
}

#[tokio::test]
async fn the_team_revokes_the_link_it_just_issued_on_sqlite() {
    the_team_revokes_the_link_it_just_issued(Backend::Sqlite).await;
}

#[tokio::test]
async fn the_team_revokes_the_link_it_just_issued_on_postgres() {
    the_team_revokes_the_link_it_just_issued(Backend::Postgres).await;
}

/// The admins' revoke form for one listed link, posted by `client` with the page's `csrf`.
async fn revoke_listed(
    client: &mut Client,
    csrf: &str,
    case_id: &str,
    link_id: &str,
    reason: &str,
) -> reqwest::Response {
    client
        .post(
            "/admin/rating-links/revoke",
            &[
                ("csrf", csrf),
                ("case_id", case_id),
                ("link_id", link_id),
                ("reason", reason),
            ],
        )
        .await
}

/// The id of the first link in the admins' list of live links.
fn first_listed_link(page: &str) -> String {
    page.split("name=\"link_id\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the revoke form")
        .to_owned()
}
