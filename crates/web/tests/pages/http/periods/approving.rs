//! Approving an entry into the month `closing.rs` closed: the refusals (another town's
//! leader, a case outside their scope, no reason, no such case, a period not closed), the
//! steward's signing refused beside its date until the district leader approves it, then
//! accepted once; the leader's case page links to the approval; the dashboard explains the
//! difference.

use guanjia_domain::case::model::CaseState;
use reqwest::StatusCode;

use super::{beside, refused, send, Scene};
use crate::http::case_forms::{post, state_of, TOWN};
use crate::http::client::location;

pub(super) async fn approving(s: &mut Scene) {
    // Another town's leader may not approve an entry of this town's case, neither under their
    // own town's closed month (the case is outside their scope) nor under this town's.
    let elsewhere = send(
        &mut s.other,
        "/periods/approve",
        &[
            ("case", &s.id),
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
        &mut s.other,
        "/periods/approve",
        &[
            ("case", &s.id),
            ("closed", &town_closure),
            ("reason", "补录"),
        ],
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
    let before_sign = state_of(&s.site, &s.id);
    let refused_sign = post(&mut s.steward, &s.id, "sign", &sign).await;
    assert_eq!(refused_sign.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = refused_sign.text().await.expect("a page");
    assert!(
        beside(&body, "sign-signed-on").contains("落在已封账的统计期间 2026-02"),
        "the steward is told why"
    );
    assert_eq!(state_of(&s.site, &s.id), before_sign);

    // The approval's own refusals: no reason, no such case, a period not closed.
    let number = s
        .site
        .state
        .read
        .read(|m| m.case_by_id(&s.id).map(|c| c.case_number.to_string()))
        .expect("the case's number");
    // The leader's case page links to the approval with the case filled in; the steward's not.
    let link = format!("/periods?case={number}#approve-form");
    let case_page = s
        .leader
        .get(&format!("/cases/{}", s.id))
        .await
        .text()
        .await
        .expect("a page");
    assert!(case_page.contains(&link), "the leader's link");
    let stewards = s
        .steward
        .get(&format!("/cases/{}", s.id))
        .await
        .text()
        .await
        .expect("a page");
    assert!(
        !stewards.contains("/periods?case="),
        "no link for the steward"
    );
    let prefilled = s
        .leader
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
        let answer = send(&mut s.leader, "/periods/approve", &borrowed).await;
        refused(answer, id_, words).await;
    }

    // The district leader approves by case number; the steward's signing is then accepted.
    let granted = send(
        &mut s.leader,
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
    let body = s.leader.get("/periods").await.text().await.expect("a page");
    assert!(body.contains("第 1 号") && body.contains("协议二月已签，纸质件后补"));
    let signed = post(&mut s.steward, &s.id, "sign", &sign).await;
    assert_eq!(signed.status(), StatusCode::SEE_OTHER, "the approved entry");
    assert_eq!(state_of(&s.site, &s.id).0, CaseState::Signed);

    // The approval let in one entry: the next step dated in February is refused again.
    let code = s.site.state.read.read(|m| {
        m.catalog()
            .items()
            .find(|e| e.current().is_some())
            .map(|e| e.code.clone())
            .expect("a catalog item")
    });
    let second = post(
        &mut s.steward,
        &s.id,
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
    let board = s
        .leader
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
}
