//! The staff's pages of 办不成事 reports over HTTP: the division's queue and the report page
//! show the phone masked; the reveal is a deliberate POST recorded in the access log; the forms
//! refuse in Chinese naming the field (a blank answer, an assignee outside the division), a
//! form without its token does nothing, staff of another division are told nothing, and a
//! steward assigns while the leader signs the answer off, which the public status page shows.

use guanjia_demo::people::LEADER;
use guanjia_store::Backend;
use reqwest::StatusCode;

use super::client::{hidden, location, Client};
use super::report::post_report;
use crate::site::{Site, PASSWORD};

const PHONE: &str = "13755550789";

/// A report made at /banbucheng; its tracking code.
async fn a_report(site: &Site) -> String {
    let mut public = Client::new(&site.base);
    let page = public
        .get("/banbucheng")
        .await
        .text()
        .await
        .expect("a page");
    let sent = post_report(&mut public, &hidden(&page, "csrf"), PHONE).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    location(&sent)
        .strip_prefix("/banbucheng/received?code=")
        .expect("the receipt page")
        .to_owned()
}

async fn text(response: reqwest::Response) -> String {
    response.text().await.expect("a page")
}

#[tokio::test]
async fn staff_handle_a_report_on_its_page_with_the_phone_masked_and_the_reveal_recorded() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let site = Site::start(backend).await;
        let code = a_report(&site).await;
        let page_of = format!("/reports/{code}");

        // The queue of the district: the report, masked, linking to its page
        let mut steward = Client::new(&site.base);
        steward.sign_in("wang.lei", PASSWORD).await;
        let queue = text(steward.get("/reports").await).await;
        assert!(queue.contains(&format!("href=\"{page_of}\"")), "{queue}");
        assert!(queue.contains("137****0789") && !queue.contains(PHONE));
        let answered = text(steward.get("/reports?status=resolved").await).await;
        assert!(!answered.contains(&code), "not answered yet");
        let bench = text(steward.get("/").await).await;
        assert!(
            bench.contains(&format!("href=\"{page_of}\"")),
            "the workbench links it"
        );

        // Its page: masked until the deliberate reveal
        let page = text(steward.get(&page_of).await).await;
        assert!(page.contains("137****0789") && !page.contains(PHONE));
        assert!(page.contains("部门：区住建局") && page.contains("待分办"));
        let csrf = hidden(&page, "csrf");
        let forged = steward
            .post(&format!("{page_of}/reveal"), &[("csrf", "x")])
            .await;
        assert_eq!(forged.status(), StatusCode::FORBIDDEN);
        let shown = steward
            .post(&format!("{page_of}/reveal"), &[("csrf", &csrf)])
            .await;
        assert_eq!(shown.status(), StatusCode::OK);
        let shown = text(shown).await;
        assert!(shown.contains(PHONE) && shown.contains("已记录在个人信息访问日志"));
        let mut auditor = Client::new(&site.base);
        auditor.sign_in("audit.li", PASSWORD).await;
        let log = text(auditor.get("/audit").await).await;
        let section = log
            .split("id=\"access-log\"")
            .nth(1)
            .expect("the access log");
        assert!(
            section.contains(&code) && section.contains("王磊"),
            "the reveal is logged"
        );

        // Staff of a town are told nothing
        let mut town = Client::new(&site.base);
        town.sign_in("zhao.min", PASSWORD).await;
        assert_eq!(town.get(&page_of).await.status(), StatusCode::NOT_FOUND);
        assert!(!text(town.get("/reports").await).await.contains(&code));
        let town_page = text(town.get("/").await).await;
        let outsider = town
            .post(
                &format!("{page_of}/act/assign"),
                &[
                    ("csrf", &hidden(&town_page, "csrf")),
                    ("assignee", "zhao.min"),
                ],
            )
            .await;
        assert_eq!(outsider.status(), StatusCode::NOT_FOUND);

        // A form without its token does nothing; an assignee outside the division is refused
        let act = |step: &str| format!("{page_of}/act/{step}");
        let forged = steward
            .post(&act("assign"), &[("assignee", "wang.lei")])
            .await;
        assert_eq!(forged.status(), StatusCode::FORBIDDEN);
        let elsewhere = steward
            .post(&act("assign"), &[("csrf", &csrf), ("assignee", "liu.yang")])
            .await;
        assert_eq!(elsewhere.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = text(elsewhere).await;
        assert!(
            body.contains("承办人的用户名：此人不属于受理本反映的单位，只能指定本单位的人员承办。"),
            "{body}"
        );
        assert!(body.contains("请更正以下问题") && body.contains("待分办"));
        let nobody = steward
            .post(&act("assign"), &[("csrf", &csrf), ("assignee", "no.body")])
            .await;
        assert!(text(nobody)
            .await
            .contains("承办人的用户名：没有这个在用的账户"));

        // The steward assigns it (POST-redirect-GET); the answer is the leader's to sign off
        let assigned = steward
            .post(&act("assign"), &[("csrf", &csrf), ("assignee", "wang.lei")])
            .await;
        assert_eq!(assigned.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&assigned), format!("{page_of}?done=assign"));
        let page = text(steward.get(&location(&assigned)).await).await;
        assert!(page.contains("已完成：指定承办人") && page.contains("办理中"));
        assert!(page.contains("指定承办人：王磊"), "the history");
        assert!(page.contains("答复须由本单位领导签发") && !page.contains("/act/resolve"));
        let not_leader = steward
            .post(&act("resolve"), &[("csrf", &csrf), ("answer", "已办结")])
            .await;
        assert_eq!(not_leader.status(), StatusCode::FORBIDDEN);
        assert!(text(not_leader)
            .await
            .contains("办不成事的答复须由本单位领导签发"));

        let mut leader = Client::new(&site.base);
        leader.sign_in(LEADER.0, PASSWORD).await;
        let page = text(leader.get(&page_of).await).await;
        assert!(page.contains("/act/resolve"));
        let csrf = hidden(&page, "csrf");
        let blank = leader
            .post(&act("resolve"), &[("csrf", &csrf), ("answer", "  ")])
            .await;
        assert_eq!(blank.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(text(blank).await.contains("请填写答复内容。"));
        let done = leader
            .post(
                &act("resolve"),
                &[("csrf", &csrf), ("answer", "已协调住建局三日内办结")],
            )
            .await;
        assert_eq!(done.status(), StatusCode::SEE_OTHER);
        let page = text(leader.get(&location(&done)).await).await;
        assert!(page.contains("已答复") && page.contains("由张伟签发"));
        assert!(text(leader.get("/reports?status=resolved").await)
            .await
            .contains(&code));
        let again = leader
            .post(&act("resolve"), &[("csrf", &csrf), ("answer", "再答复")])
            .await;
        assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(text(again)
            .await
            .contains("当前状态下不能答复反映人：该反映已经答复。"));

        // The reporter sees the answer
        let mut public = Client::new(&site.base);
        let status = text(
            public
                .get(&format!("/banbucheng/status?code={code}&phone4=0789"))
                .await,
        )
        .await;
        assert!(status.contains("已答复") && status.contains("已协调住建局三日内办结"));
        site.stop().await;
    }
}
