//! Closing a period on the page: a steward is refused by the application layer (403, nothing
//! closed); the leader's list; the check step, which closes nothing; a forged token; a period
//! not over, unreadable, outside the scope, closed already — each said beside its field; a
//! town leader closes only their own town.

use reqwest::StatusCode;

use super::{close, closed, refused, send, Scene, OTHER_TOWN};
use crate::http::case_forms::TOWN;
use crate::http::client::location;

pub(super) async fn closing(s: &mut Scene) {
    let before = closed(&s.site);

    // A steward may neither see the page nor close nor approve: the application layer says no.
    let page = s.steward.get("/periods").await;
    assert_eq!(page.status(), StatusCode::FORBIDDEN);
    assert!(page
        .text()
        .await
        .expect("a page")
        .contains("封账仅由领导办理"));
    let check = send(&mut s.steward, "/periods/close", &close("2026-02", TOWN)).await;
    assert_eq!(
        check.status(),
        StatusCode::FORBIDDEN,
        "no check step for a steward"
    );
    let by_steward = send(
        &mut s.steward,
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
        &mut s.steward,
        "/periods/approve",
        &[
            ("case", &s.id),
            ("closed", "610902000000/2023"),
            ("reason", "自己批准"),
        ],
    )
    .await;
    assert_eq!(by_steward.status(), StatusCode::FORBIDDEN);
    assert_eq!(closed(&s.site), before, "nothing closed by a steward");

    // The leader's page lists the demo's closed 2023 and links from the dashboard.
    let page = s.leader.get("/periods").await;
    assert_eq!(page.status(), StatusCode::OK);
    let body = page.text().await.expect("a page");
    assert!(body.contains("2023年 · 610902000000"), "the demo's 2023");
    assert!(body.contains("由 张伟 封账"));
    let board = s
        .leader
        .get("/dashboard")
        .await
        .text()
        .await
        .expect("a page");
    assert!(board.contains("href=\"/periods\""));

    // The check step shows the answers and closes nothing; without the token nothing either.
    let check = send(&mut s.leader, "/periods/close", &close("2026-02", TOWN)).await;
    assert_eq!(check.status(), StatusCode::OK);
    let body = check.text().await.expect("a page");
    assert!(body.contains("核对后封账") && body.contains("2026年2月"));
    assert!(body.contains("封账不能撤销"));
    assert_eq!(closed(&s.site), before, "checking closes nothing");
    let forged = s
        .leader
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
    assert_eq!(closed(&s.site), before);

    // A period not over, a division outside the leader's scope, nonsense: beside the field.
    let future = send(
        &mut s.leader,
        "/periods/close/confirm",
        &close("2026-03", TOWN),
    )
    .await;
    refused(future, "close-period", "2026年3月尚未结束").await;
    let unreadable = send(&mut s.leader, "/periods/close", &close("2026-13", TOWN)).await;
    refused(unreadable, "close-period", "请从列表中选择").await;
    let outside = send(
        &mut s.leader,
        "/periods/close/confirm",
        &close("2026-02", "610903000000"),
    )
    .await;
    refused(outside, "close-division", "不在您的管理范围内").await;
    assert_eq!(closed(&s.site), before, "no refusal closed anything");

    // Closed; the list shows it; closing it again is refused.
    let done = send(
        &mut s.leader,
        "/periods/close/confirm",
        &close("2026-02", TOWN),
    )
    .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&done), "/periods?done=closed");
    let body = s
        .leader
        .get("/periods?done=closed")
        .await
        .text()
        .await
        .expect("a page");
    assert!(body.contains("已封账。"));
    assert!(body.contains(&format!("2026年2月 · {TOWN}")));
    assert!(closed(&s.site).contains(&(TOWN.to_owned(), "2026-02".to_owned())));
    let again = send(
        &mut s.leader,
        "/periods/close/confirm",
        &close("2026-02", TOWN),
    )
    .await;
    refused(again, "close-period", "已经为区划 610902100000 封账").await;

    // Another town's leader may not close this town, only their own.
    let outside = send(
        &mut s.other,
        "/periods/close/confirm",
        &close("2026-02", TOWN),
    )
    .await;
    refused(outside, "close-division", "不在您的管理范围内").await;
    let own = send(
        &mut s.other,
        "/periods/close/confirm",
        &close("2026-02", OTHER_TOWN),
    )
    .await;
    assert_eq!(
        own.status(),
        StatusCode::SEE_OTHER,
        "a town leader closes their own town"
    );
}
