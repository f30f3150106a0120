//! 办不成事 online over HTTP: the form refuses bad input with Chinese messages naming the field,
//! a report gives a tracking code, its progress answers only the code with the phone's last
//! four digits, the limits answer in Chinese with `Retry-After`, the division's queue on the
//! workbench shows the phone masked, and no public page ever holds a demo phone number or
//! contact name.

use guanjia_demo::people::LEADER;
use guanjia_domain::clock::china_date;
use guanjia_store::Backend;
use reqwest::StatusCode;

use super::client::{hidden, location, Client};
use crate::facts;
use crate::site::{Site, PASSWORD};

const PHONE: &str = "13755550123";

/// The demo's personal data: every contact's, rater's and complainant's phone and name.
pub fn demo_personal_data(site: &Site) -> Vec<String> {
    let today = china_date(site.state.clock.now());
    let all = facts::cases(site, None);
    let mut found = Vec::new();
    site.state.read.read(|m| {
        for case in &all {
            let Some(d) = m.case_detail(&case.id, today) else {
                continue;
            };
            found.extend(
                d.enterprise
                    .contact_phone
                    .as_ref()
                    .map(|p| p.as_str().to_owned()),
            );
            found.extend(d.enterprise.contact_name.clone());
            for r in &d.ratings {
                found.extend(r.rater.phone.as_ref().map(|p| p.as_str().to_owned()));
                found.extend(r.rater.name.clone());
            }
            for c in &d.complaints {
                found.extend(c.complainant.phone.as_ref().map(|p| p.as_str().to_owned()));
                found.extend(c.complainant.name.clone());
            }
        }
    });
    found.retain(|v| v.chars().count() >= 2);
    found.sort();
    found.dedup();
    assert!(found.len() > 10, "the demo has personal data: {found:?}");
    found
}

fn assert_clean(body: &str, personal: &[String], what: &str) {
    for value in personal {
        assert!(!body.contains(value.as_str()), "{what} holds {value}");
    }
    assert!(!body.contains(PHONE), "{what} holds the reporter's phone");
}

pub(super) async fn post_report(client: &mut Client, csrf: &str, phone: &str) -> reqwest::Response {
    client
        .post(
            "/banbucheng",
            &[
                ("csrf", csrf),
                ("about", "区住建局"),
                ("item_code", ""),
                ("account", "施工许可材料三次被退回，每次说法不同"),
                ("phone", phone),
            ],
        )
        .await
}

#[tokio::test]
async fn a_report_online_gets_a_code_is_followed_and_waits_masked_in_the_queue() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let site = Site::start(backend).await;
        let personal = demo_personal_data(&site);
        let mut public = Client::new(&site.base);
        let form = public.get("/banbucheng").await;
        assert_eq!(form.status(), StatusCode::OK);
        let page = form.text().await.expect("a page");
        assert!(page.contains("办不成事反映"));
        assert_clean(&page, &personal, "the form");
        let csrf = hidden(&page, "csrf");

        // Without the form's token nothing is recorded
        let forged = post_report(&mut Client::new(&site.base), "x", PHONE).await;
        assert_eq!(forged.status(), StatusCode::FORBIDDEN);
        // Blank fields and a bad phone are named, in Chinese
        let blank = public
            .post(
                "/banbucheng",
                &[
                    ("csrf", &csrf),
                    ("about", " "),
                    ("account", ""),
                    ("phone", ""),
                ],
            )
            .await;
        assert_eq!(blank.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = blank.text().await.expect("a page");
        for message in [
            "请填写办不成的事项或部门名称",
            "请写明遇到的问题",
            "请填写联系电话",
        ] {
            assert!(body.contains(message), "{message}");
        }
        assert!(body.contains("href=\"#about\""));
        let bad_phone = post_report(&mut public, &csrf, "12345").await;
        assert_eq!(bad_phone.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad_phone
            .text()
            .await
            .expect("a page")
            .contains("联系电话格式不正确"));
        let long = "慢".repeat(1001);
        let too_long = public
            .post(
                "/banbucheng",
                &[
                    ("csrf", &csrf),
                    ("about", "区住建局"),
                    ("account", &long),
                    ("phone", PHONE),
                ],
            )
            .await;
        assert_eq!(too_long.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(too_long
            .text()
            .await
            .expect("a page")
            .contains("问题描述最多 1000 字，您填写了 1001 字"));

        // A report gives its code
        let sent = post_report(&mut public, &csrf, PHONE).await;
        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
        let to = location(&sent);
        let code = to
            .strip_prefix("/banbucheng/received?code=")
            .expect("the receipt page")
            .to_owned();
        let receipt = public.get(&to).await.text().await.expect("a page");
        assert!(receipt.contains(&code));
        assert_clean(&receipt, &personal, "the receipt");

        // Following it: a malformed code, a wrong phone, then the right one
        let malformed = public.get("/banbucheng/status?code=XYZ&phone4=12").await;
        assert_eq!(malformed.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = malformed.text().await.expect("a page");
        assert!(body.contains("查询码格式不正确") && body.contains("电话号码的后四位数字"));
        let wrong = public
            .get(&format!("/banbucheng/status?code={code}&phone4=9999"))
            .await;
        assert_eq!(wrong.status(), StatusCode::NOT_FOUND);
        assert!(wrong.text().await.expect("a page").contains("未找到该反映"));
        let right = public
            .get(&format!(
                "/banbucheng/status?code={}&phone4=0123",
                code.to_lowercase()
            ))
            .await;
        assert_eq!(right.status(), StatusCode::OK);
        let body = right.text().await.expect("a page");
        assert!(body.contains("已受理，等待分办") && body.contains("部门：区住建局"));
        assert_clean(&body, &personal, "the progress page");

        // The district's leader sees it in the queue, the phone masked
        let mut leader = Client::new(&site.base);
        leader.sign_in(LEADER.0, PASSWORD).await;
        let bench = leader.get("/").await.text().await.expect("a page");
        assert!(bench.contains(&code), "the report is in the queue");
        assert!(bench.contains("137****0123"), "the phone is masked");
        assert!(!bench.contains(PHONE), "never whole");
        site.stop().await;
    }
}

#[tokio::test]
async fn reporting_and_following_are_rate_limited_in_chinese() {
    let site = Site::start_with(Backend::Sqlite, |config| {
        config.limits.rate.report_per_ip = 1;
        config.limits.rate.follow_per_ip = 2;
    })
    .await;
    let mut public = Client::new(&site.base);
    let page = public
        .get("/banbucheng")
        .await
        .text()
        .await
        .expect("a page");
    let csrf = hidden(&page, "csrf");
    assert_eq!(
        post_report(&mut public, &csrf, PHONE).await.status(),
        StatusCode::SEE_OTHER
    );
    let limited = post_report(&mut public, &csrf, PHONE).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.headers().contains_key("retry-after"));
    assert!(limited
        .text()
        .await
        .expect("a page")
        .contains("提交过于频繁，请在"));
    for _ in 0..2 {
        let guess = public
            .get("/banbucheng/status?code=BB23456789AB&phone4=1234")
            .await;
        assert_eq!(guess.status(), StatusCode::NOT_FOUND);
    }
    let limited = public
        .get("/banbucheng/status?code=BB23456789AB&phone4=1234")
        .await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(limited
        .text()
        .await
        .expect("a page")
        .contains("查询过于频繁，请在"));
    site.stop().await;
}
