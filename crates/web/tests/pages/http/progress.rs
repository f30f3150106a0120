//! 办件进度 over HTTP (issue 19): the lead steward issues a link on the case page and gets
//! its page and QR code; the enterprise opens it without an account and sees its items — and no
//! demo phone, contact or staff name; once revoked the link is refused (410) in Chinese, a
//! forged one is 404; the lookup by case number, USCC and phone digits refuses malformed input
//! beside the field and every wrong answer alike; guesses are rate-limited in Chinese.

use guanjia_store::Backend;
use reqwest::StatusCode;

use super::client::{assert_gone, hidden, location, Client};
use super::report::demo_personal_data;
use crate::facts::{self, followed_case};
use crate::site::{Site, PASSWORD};

fn assert_clean(body: &str, personal: &[String], what: &str) {
    for value in personal {
        assert!(!body.contains(value.as_str()), "{what} holds {value}");
    }
}

/// The progress link's URL and the list page's CSRF token, after issuing one on the case page.
async fn issue(steward: &mut Client, id: &str) -> (String, String) {
    let case = steward
        .get(&format!("/cases/{id}"))
        .await
        .text()
        .await
        .expect("a page");
    assert!(case.contains(&format!("action=\"/cases/{id}/act/progress-link\"")));
    let csrf = hidden(&case, "csrf");
    let issued = steward
        .post(
            &format!("/cases/{id}/act/progress-link"),
            &[("csrf", &csrf), ("ttl_days", "30")],
        )
        .await;
    assert_eq!(issued.status(), StatusCode::SEE_OTHER);
    let list = location(&issued);
    assert!(
        list.starts_with(&format!("/cases/{id}/progress-links?done=issued#link-")),
        "{list}"
    );
    let page = steward.get(&list).await.text().await.expect("a page");
    assert!(page.contains("已生成办件进度二维码"));
    let url = page
        .split("class=\"link-text progress-url\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .expect("the link's address")
        .to_owned();
    (url, hidden(&page, "csrf"))
}

async fn a_link_shows_the_items_until_revoked(backend: Backend) {
    let site = Site::start(backend).await;
    let personal = demo_personal_data(&site);
    let mut staff_names = facts::personal_data(&site);
    staff_names.retain(|n| !n.is_empty());
    let case = followed_case(&site);
    let mut steward = Client::new(&site.base);
    steward.sign_in(&case.lead, PASSWORD).await;
    let (url, csrf) = issue(&mut steward, &case.id).await;
    let path = url
        .strip_prefix(&site.base)
        .expect("a link to this site")
        .to_owned();

    // The enterprise opens it without an account: its items, not one person
    let mut public = Client::new(&site.base);
    let opened = public.get(&path).await;
    assert_eq!(opened.status(), StatusCode::OK);
    assert_eq!(opened.headers()["cache-control"], "no-store");
    let page = opened.text().await.expect("a page");
    assert!(page.contains(&case.number));
    for item in &case.items {
        assert!(page.contains(item.as_str()), "{item}");
    }
    assert!(page.contains("工作日"));
    assert_clean(&page, &personal, "the progress page");
    assert_clean(&page, &staff_names, "the progress page");
    let qr = public.get(&format!("{path}/qr.svg")).await;
    assert_eq!(qr.status(), StatusCode::OK);
    assert_eq!(qr.headers()["content-type"], "image/svg+xml");

    // A forged link is not found; a staff member off the team may not revoke
    let forged = public.get(&format!("{path}x")).await;
    assert_eq!(forged.status(), StatusCode::NOT_FOUND);
    assert!(forged
        .text()
        .await
        .expect("a page")
        .contains("此办件进度链接无效"));
    let link_id = steward
        .get(&format!("/cases/{}/progress-links", case.id))
        .await
        .text()
        .await
        .expect("a page")
        .split("name=\"link_id\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the revoke form")
        .to_owned();
    let revoke = [("csrf", csrf.as_str()), ("link_id", link_id.as_str())];
    let forged_csrf = steward
        .post(
            &format!("/cases/{}/act/progress-link-revoke", case.id),
            &[("csrf", "x"), ("link_id", &link_id)],
        )
        .await;
    assert_eq!(forged_csrf.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        public.get(&path).await.status(),
        StatusCode::OK,
        "still live"
    );

    // Revoked: refused at once, in Chinese
    let revoked = steward
        .post(
            &format!("/cases/{}/act/progress-link-revoke", case.id),
            &revoke,
        )
        .await;
    assert_eq!(revoked.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&revoked),
        format!("/cases/{}/progress-links?done=revoked", case.id)
    );
    let refused = public.get(&path).await;
    assert_gone(refused, "此办件进度链接已被作废", "revoked by the steward").await;
    let list = steward
        .get(&format!("/cases/{}/progress-links", case.id))
        .await
        .text()
        .await
        .expect("a page");
    assert!(list.contains("已作废") && !list.contains(&path));
    site.stop().await;
}

#[tokio::test]
async fn sqlite_a_link_shows_the_items_until_revoked() {
    a_link_shows_the_items_until_revoked(Backend::Sqlite).await;
}

#[tokio::test]
async fn postgres_a_link_shows_the_items_until_revoked() {
    a_link_shows_the_items_until_revoked(Backend::Postgres).await;
}

/// Two nodes on one PostgreSQL database, as behind a load balancer: a link issued on one
/// node opens on the other, and once revoked on the first it is refused on the second at
/// once — the link is checked against the log, not a node's read model.
#[tokio::test]
async fn postgres_a_link_revoked_on_one_node_is_refused_on_the_other_at_once() {
    let site = Site::start(Backend::Postgres).await;
    let (_second_web, second, stop_second) = site.second_node(site.database_url()).await;
    let case = followed_case(&site);
    let mut steward = Client::new(&site.base);
    steward.sign_in(&case.lead, PASSWORD).await;
    let (url, csrf) = issue(&mut steward, &case.id).await;
    let path = url
        .strip_prefix(&site.base)
        .expect("a link to this site")
        .to_owned();
    let mut on_second = Client::new(&second);
    let opened = on_second.get(&path).await;
    assert_eq!(opened.status(), StatusCode::OK, "opens on the other node");
    assert!(opened.text().await.expect("a page").contains(&case.number));

    let link_id = steward
        .get(&format!("/cases/{}/progress-links", case.id))
        .await
        .text()
        .await
        .expect("a page")
        .split("name=\"link_id\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the revoke form")
        .to_owned();
    let revoked = steward
        .post(
            &format!("/cases/{}/act/progress-link-revoke", case.id),
            &[("csrf", csrf.as_str()), ("link_id", link_id.as_str())],
        )
        .await;
    assert_eq!(revoked.status(), StatusCode::SEE_OTHER);
    let refused = on_second.get(&path).await;
    assert_gone(
        refused,
        "此办件进度链接已被作废",
        "refused on the other node",
    )
    .await;
    let _ = stop_second.send(());
    site.stop().await;
}

async fn look_up(
    client: &mut Client,
    csrf: &str,
    number: &str,
    uscc: &str,
    phone4: &str,
) -> reqwest::Response {
    client
        .post(
            "/progress",
            &[
                ("csrf", csrf),
                ("case_number", number),
                ("uscc", uscc),
                ("phone4", phone4),
            ],
        )
        .await
}

async fn the_lookup_finds_only_with_every_answer_right(backend: Backend) {
    let site = Site::start(backend).await;
    let personal = demo_personal_data(&site);
    let case = followed_case(&site);
    let last_four = &case.phone[case.phone.len() - 4..];
    let mut public = Client::new(&site.base);
    let home = public
        .get("/public/items")
        .await
        .text()
        .await
        .expect("a page");
    assert!(
        home.contains("href=\"/progress\""),
        "linked from the public side"
    );
    let form = public.get("/progress").await.text().await.expect("a page");
    assert!(form.contains("办件进度查询"));
    let csrf = hidden(&form, "csrf");

    // Without the form's token nothing is looked up
    let forged = look_up(
        &mut Client::new(&site.base),
        "x",
        &case.number,
        &case.uscc,
        last_four,
    )
    .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    // Malformed input is named beside its field, in Chinese
    for (number, uscc, phone4, message, anchor) in [
        (
            "2026-7",
            case.uscc.as_str(),
            last_four,
            "案件编号格式不正确",
            "#case_number",
        ),
        (
            case.number.as_str(),
            "9161",
            last_four,
            "统一社会信用代码格式不正确",
            "#uscc",
        ),
        (
            case.number.as_str(),
            case.uscc.as_str(),
            "12a4",
            "联系电话的后四位数字",
            "#phone4",
        ),
    ] {
        let refused = look_up(&mut public, &csrf, number, uscc, phone4).await;
        assert_eq!(
            refused.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{message}"
        );
        let body = refused.text().await.expect("a page");
        assert!(
            body.contains(message) && body.contains(&format!("href=\"{anchor}\"")),
            "{body}"
        );
    }
    // A wrong phone reads like an unknown case
    let wrong = if last_four == "0000" { "1111" } else { "0000" };
    let refused = look_up(&mut public, &csrf, &case.number, &case.uscc, wrong).await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    assert!(refused
        .text()
        .await
        .expect("a page")
        .contains("未找到该案件"));
    // Every answer right: the case's progress, without a person
    let found = look_up(&mut public, &csrf, &case.number, &case.uscc, last_four).await;
    assert_eq!(found.status(), StatusCode::OK);
    let page = found.text().await.expect("a page");
    for item in &case.items {
        assert!(page.contains(item.as_str()), "{item}");
    }
    assert_clean(&page, &personal, "the lookup's answer");
    site.stop().await;
}

#[tokio::test]
async fn sqlite_the_lookup_finds_only_with_every_answer_right() {
    the_lookup_finds_only_with_every_answer_right(Backend::Sqlite).await;
}

#[tokio::test]
async fn postgres_the_lookup_finds_only_with_every_answer_right() {
    the_lookup_finds_only_with_every_answer_right(Backend::Postgres).await;
}

#[tokio::test]
async fn guesses_are_rate_limited_in_chinese() {
    let site = Site::start_with(Backend::Sqlite, |config| {
        config.limits.rate.follow_per_ip = 2;
    })
    .await;
    let mut public = Client::new(&site.base);
    let form = public.get("/progress").await.text().await.expect("a page");
    let csrf = hidden(&form, "csrf");
    for _ in 0..2 {
        let guess = look_up(
            &mut public,
            &csrf,
            "2026-0001",
            "91610902MA0000000X",
            "1234",
        )
        .await;
        assert_ne!(guess.status(), StatusCode::TOO_MANY_REQUESTS);
    }
    let limited = look_up(
        &mut public,
        &csrf,
        "2026-0001",
        "91610902MA0000000X",
        "1234",
    )
    .await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.headers().contains_key("retry-after"));
    assert!(limited
        .text()
        .await
        .expect("a page")
        .contains("查询过于频繁，请在"));
    let link = public.get("/progress/p1.abc.def").await;
    assert_eq!(link.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(link.text().await.expect("a page").contains("查询过于频繁"));
    site.stop().await;
}
