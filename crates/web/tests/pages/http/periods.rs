//! 封账 on the page, over HTTP, on both backends: who may close and approve; every refusal of
//! the application layer said in Chinese beside the field it names, changing nothing; the
//! "check your answers" step closing nothing; a steward's entry dated in the closed month
//! refused until a leader approves it, accepted once, and the approval used up by it.

use guanjia_domain::case::model::CaseState;
use guanjia_domain::values::DivisionCode;
use guanjia_store::Backend;
use reqwest::StatusCode;

use super::case_forms::{a_led_case, post, state_of, TOWN};
use super::client::{hidden, location, Client};
use crate::site::{Site, ADMIN_PASSWORD, PASSWORD};

/// Another town, with a leader of its own.
const OTHER_TOWN: &str = "610902101000";

/// The closed periods of [`TOWN`] (and above) in the read model: (division, period).
fn closed(site: &Site) -> Vec<(String, String)> {
    let town = DivisionCode::parse(TOWN).expect("a division");
    site.state.read.read(|m| {
        m.closed_periods_touching(&town)
            .into_iter()
            .map(|c| (c.division.as_str().to_owned(), c.period.to_string()))
            .collect()
    })
}

/// The message beside the field `id` on `body`.
fn beside(body: &str, id: &str) -> String {
    let marker = format!("id=\"{id}-error\">");
    body.split(&marker)
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap_or_else(|| panic!("no message beside {id}"))
        .to_owned()
}

/// Posts `fields` to `path` with the CSRF token of the workbench.
async fn send(client: &mut Client, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let page = client.get("/").await.text().await.expect("a page");
    let csrf = hidden(&page, "csrf");
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    client.post(path, &form).await
}

/// A refusal: 422 and the message beside `id`, which must contain `words`.
async fn refused(answer: reqwest::Response, id: &str, words: &str) {
    assert_eq!(answer.status(), StatusCode::UNPROCESSABLE_ENTITY, "{id}");
    let body = answer.text().await.expect("a page");
    let message = beside(&body, id);
    assert!(message.contains(words), "{id}: {message}");
    assert!(body.contains("请更正以下问题"), "the summary at the top");
}

async fn closing_and_approving(backend: Backend) {
    let site = Site::start(backend).await;
    let case = a_led_case(&site, "2026-01-10").await;
    let (mut leader, mut steward, id) = (case.leader, case.steward, case.id);
    let close = |period: &'static str, division: &'static str| {
        vec![("period", period), ("division", division)]
    };
    let before = closed(&site);

    // A steward may neither see the page nor close nor approve: the application layer says no.
    let page = steward.get("/periods").await;
    assert_eq!(page.status(), StatusCode::FORBIDDEN);
    assert!(page
        .text()
        .await
        .expect("a page")
        .contains("封账仅由领导办理"));
    let by_steward = send(
        &mut steward,
        "/periods/close/confirm",
        &close("2026-02", TOWN),
    )
    .await;
    assert_eq!(by_steward.status(), StatusCode::FORBIDDEN);
    assert!(by_steward
        .text()
        .await
        .expect("a page")
        .contains("由领导办理"));
    let by_steward = send(
        &mut steward,
        "/periods/approve",
        &[
            ("case", &id),
            ("closed", "610902000000/2023"),
            ("reason", "自己批准"),
        ],
    )
    .await;
    assert_eq!(by_steward.status(), StatusCode::FORBIDDEN);
    assert_eq!(closed(&site), before, "nothing closed by a steward");

    // The leader's page lists the demo's closed 2023 and links from the dashboard.
    let page = leader.get("/periods").await;
    assert_eq!(page.status(), StatusCode::OK);
    let body = page.text().await.expect("a page");
    assert!(body.contains("2023年 · 610902000000"), "the demo's 2023");
    assert!(body.contains("由 张伟 封账"));
    let board = leader.get("/dashboard").await.text().await.expect("a page");
    assert!(board.contains("href=\"/periods\""));

    // The check step shows the answers and closes nothing; without the token nothing either.
    let check = send(&mut leader, "/periods/close", &close("2026-02", TOWN)).await;
    assert_eq!(check.status(), StatusCode::OK);
    let body = check.text().await.expect("a page");
    assert!(body.contains("核对后封账") && body.contains("2026年2月"));
    assert!(body.contains("封账不能撤销"));
    assert_eq!(closed(&site), before, "checking closes nothing");
    let forged = leader
        .post(
            "/periods/close/confirm",
            &[
                ("csrf", "forged"),
                ("period", "2026-02"),
                ("division", TOWN),
            ],
        )
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(closed(&site), before);

    // A period not over, a division outside the leader's scope, nonsense: beside the field.
    let future = send(
        &mut leader,
        "/periods/close/confirm",
        &close("2026-03", TOWN),
    )
    .await;
    refused(future, "close-period", "2026年3月尚未结束").await;
    let unreadable = send(&mut leader, "/periods/close", &close("2026-13", TOWN)).await;
    refused(unreadable, "close-period", "请从列表中选择").await;
    let outside = send(
        &mut leader,
        "/periods/close/confirm",
        &close("2026-02", "610903000000"),
    )
    .await;
    refused(outside, "close-division", "不在您的管理范围内").await;
    assert_eq!(closed(&site), before, "no refusal closed anything");

    // Closed; the list shows it; closing it again is refused.
    let done = send(
        &mut leader,
        "/periods/close/confirm",
        &close("2026-02", TOWN),
    )
    .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&done), "/periods?done=closed");
    let body = leader
        .get("/periods?done=closed")
        .await
        .text()
        .await
        .expect("a page");
    assert!(body.contains("已封账。"));
    assert!(body.contains(&format!("2026年2月 · {TOWN}")));
    assert!(closed(&site).contains(&(TOWN.to_owned(), "2026-02".to_owned())));
    let again = send(
        &mut leader,
        "/periods/close/confirm",
        &close("2026-02", TOWN),
    )
    .await;
    refused(again, "close-period", "已经为区划 610902100000 封账").await;

    // Another town's leader may not close this town, nor approve its case.
    let admin = site.login("admin", ADMIN_PASSWORD).await;
    site.create_user(&admin, "sun.li", "孙丽", "LEADER", OTHER_TOWN)
        .await;
    let mut other = Client::new(&site.base);
    other.sign_in("sun.li", PASSWORD).await;
    let outside = send(
        &mut other,
        "/periods/close/confirm",
        &close("2026-02", TOWN),
    )
    .await;
    refused(outside, "close-division", "不在您的管理范围内").await;
    let own = send(
        &mut other,
        "/periods/close/confirm",
        &close("2026-02", OTHER_TOWN),
    )
    .await;
    assert_eq!(
        own.status(),
        StatusCode::SEE_OTHER,
        "a town leader closes their own town"
    );
    let elsewhere = send(
        &mut other,
        "/periods/approve",
        &[
            ("case", &id),
            ("closed", "610902101000/2026-02"),
            ("reason", "补录"),
        ],
    )
    .await;
    refused(
        elsewhere,
        "approve-case",
        "找不到该案件，或不在您的管理范围内",
    )
    .await;
    let town_closure = format!("{TOWN}/2026-02");
    let by_other = send(
        &mut other,
        "/periods/approve",
        &[("case", &id), ("closed", &town_closure), ("reason", "补录")],
    )
    .await;
    refused(by_other, "approve-closed", "须由封账区划的领导批准").await;

    // The steward's signing dated in February is refused beside its date.
    let sign = [
        ("scope", "full"),
        ("signed_on", "2026-02-16"),
        ("signatories", "王磊"),
        ("late_reason", "纸质协议，事后补录"),
    ];
    let before_sign = state_of(&site, &id);
    let refused_sign = post(&mut steward, &id, "sign", &sign).await;
    assert_eq!(refused_sign.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = refused_sign.text().await.expect("a page");
    assert!(
        beside(&body, "sign-signed-on").contains("落在已封账的统计期间 2026-02"),
        "the steward is told why"
    );
    assert_eq!(state_of(&site, &id), before_sign);

    // The approval's own refusals: no reason, no such case, a period not closed.
    let number = site
        .state
        .read
        .read(|m| m.case_by_id(&id).map(|c| c.case_number.to_string()))
        .expect("the case's number");
    // The leader's case page links to the approval with the case filled in; the steward's not.
    let link = format!("/periods?case={number}#approve-form");
    let case_page = leader
        .get(&format!("/cases/{id}"))
        .await
        .text()
        .await
        .expect("a page");
    assert!(case_page.contains(&link), "the leader's link");
    let stewards = steward
        .get(&format!("/cases/{id}"))
        .await
        .text()
        .await
        .expect("a page");
    assert!(
        !stewards.contains("/periods?case="),
        "no link for the steward"
    );
    let prefilled = leader
        .get(&format!("/periods?case={number}"))
        .await
        .text()
        .await
        .expect("a page");
    assert!(prefilled.contains(&format!("name=\"case\" value=\"{number}\"")));
    let approve = |case: &str, closed: &str, reason: &str| {
        vec![
            ("case", case.to_owned()),
            ("closed", closed.to_owned()),
            ("reason", reason.to_owned()),
        ]
    };
    for (pairs, id_, words) in [
        (
            approve(&number, &town_closure, "  "),
            "approve-reason",
            "请填写批准原因",
        ),
        (
            approve("2026-9999", &town_closure, "补录"),
            "approve-case",
            "找不到该案件",
        ),
        (
            approve("", &town_closure, "补录"),
            "approve-case",
            "请填写案件编号",
        ),
        (
            approve(&number, &format!("{TOWN}/2026-01"), "补录"),
            "approve-closed",
            "尚未封账这一期间",
        ),
    ] {
        let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let answer = send(&mut leader, "/periods/approve", &borrowed).await;
        refused(answer, id_, words).await;
    }

    // The district leader approves by case number; the steward's signing is then accepted.
    let granted = send(
        &mut leader,
        "/periods/approve",
        &[
            ("case", &number),
            ("closed", &town_closure),
            ("reason", "协议二月已签，纸质件后补"),
        ],
    )
    .await;
    assert_eq!(granted.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&granted), "/periods?done=approved");
    let body = leader.get("/periods").await.text().await.expect("a page");
    assert!(body.contains("第 1 号") && body.contains("协议二月已签，纸质件后补"));
    let signed = post(&mut steward, &id, "sign", &sign).await;
    assert_eq!(signed.status(), StatusCode::SEE_OTHER, "the approved entry");
    assert_eq!(state_of(&site, &id).0, CaseState::Signed);

    // The approval let in one entry: the next step dated in February is refused again.
    let code = site.state.read.read(|m| {
        m.catalog()
            .items()
            .find(|e| e.current().is_some())
            .map(|e| e.code.clone())
            .expect("a catalog item")
    });
    let second = post(
        &mut steward,
        &id,
        "request-item",
        &[
            ("code", &code),
            ("mode", "proxy"),
            ("requested_on", "2026-02-20"),
            ("late_reason", "纸质记录，事后补录"),
        ],
    )
    .await;
    assert_eq!(second.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = second.text().await.expect("a page");
    assert!(beside(&body, "request-item-requested-on").contains("已封账"));

    // The town's February on the dashboard: as reported and now, the approved entry listed.
    let board = leader
        .get(&format!(
            "/dashboard?from=2026-02-01&to=2026-02-28&division={TOWN}"
        ))
        .await
        .text()
        .await
        .expect("a page");
    assert!(
        board.contains("2026-02 封账数据：上报时与现在"),
        "the closed month"
    );
    assert!(
        board.contains("协议二月已签，纸质件后补"),
        "the approval explains the change"
    );
    site.stop().await;
}

#[tokio::test]
async fn closing_and_approving_on_sqlite() {
    closing_and_approving(Backend::Sqlite).await;
}

#[tokio::test]
async fn closing_and_approving_on_postgres() {
    closing_and_approving(Backend::Postgres).await;
}
