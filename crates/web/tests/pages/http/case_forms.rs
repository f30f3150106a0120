//! The case page's forms over HTTP, on both backends: every form refuses a wrong CSRF token, a
//! person off the team (403) and one who may not know the case (404), and a date that is no
//! date; dates out of order and a late entry without its reason are refused with the Chinese
//! message beside the field; none of these changes the case. A good form redirects back to the
//! case page, which shows the new state.

use guanjia_domain::case::model::CaseState;
use guanjia_domain::clock::china_date;
use guanjia_store::Backend;
use reqwest::StatusCode;
use serde_json::json;

use super::client::{hidden, location, Client};
use crate::site::{Site, PASSWORD};

/// The town the test's case lies in: zhao.min's; liu.yang works in another town.
const TOWN: &str = "610902100000";

/// Every action of the case page with its date field (and that field's label), if any.
const ACTIONS: &[(&str, Option<(&str, &str)>)] = &[
    ("sign", Some(("signed_on", "签约日期"))),
    ("plan", None),
    ("revise-plan", None),
    ("hold", Some(("held_on", "暂停日期"))),
    ("resume", Some(("resumed_on", "恢复日期"))),
    ("close", Some(("closed_on", "结案日期"))),
    ("reopen", Some(("reopened_on", "重新开启日期"))),
    ("note", None),
    ("schedule-visit", Some(("scheduled_at", "走访日期"))),
    ("conduct-visit", Some(("conducted_at", "实际走访日期"))),
    ("cancel-visit", None),
    ("request-item", Some(("requested_on", "申请日期"))),
    ("request-bundle", Some(("requested_on", "申请日期"))),
    ("accept-item", Some(("accepted_on", "受理日期"))),
    ("suspend-item", Some(("suspended_on", "暂停日期"))),
    ("resume-item", Some(("resumed_on", "恢复日期"))),
    ("extend-item", None),
    ("conclude-item", Some(("concluded_on", "办结日期"))),
    ("rate", None),
    ("call-back", Some(("called_on", "回访日期"))),
    ("rectify", Some(("rectified_on", "整改日期"))),
    ("lodge-complaint", Some(("lodged_on", "反映日期"))),
    ("assign-complaint", None),
    ("resolve-complaint", Some(("resolved_on", "答复日期"))),
    ("assign-lead", None),
    ("add-member", None),
    ("rating-link", None),
];

/// Registers a case in [`TOWN`] dated `registered_on` (a late entry, with its reason) as the
/// district leader, and makes wang.lei its lead steward: (id, the leader's token).
async fn a_case(site: &Site, registered_on: &str) -> String {
    let leader = site.login("zhang.wei", PASSWORD).await;
    let data = site
        .ok(
            &leader,
            "mutation($i: RegisterCaseInput!, $r: String) { registerCase(input: $i, lateReason: $r) { caseId } }",
            json!({"i": {"enterprise": {"name": "表单测试茶业有限公司", "division": TOWN},
                         "leadSource": "ENTERPRISE_REQUEST", "stage": "ESTABLISHMENT",
                         "registeredOn": registered_on},
                   "r": "纸质登记，事后补录"}),
        )
        .await;
    data["registerCase"]["caseId"]
        .as_str()
        .expect("a case id")
        .to_owned()
}

fn state_of(site: &Site, id: &str) -> (CaseState, usize) {
    let today = china_date(site.state.clock.now());
    site.state.read.read(|m| {
        let d = m.case_detail(id, today).expect("the case");
        (d.state, d.timeline.len())
    })
}

/// Posts `fields` to the action with the CSRF token of the case page.
async fn post(
    client: &mut Client,
    id: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let page = client
        .get(&format!("/cases/{id}"))
        .await
        .text()
        .await
        .expect("a page");
    let csrf = hidden(&page, "csrf");
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    client
        .post(&format!("/cases/{id}/act/{action}"), &form)
        .await
}

async fn every_form_refuses_what_it_must(backend: Backend) {
    let site = Site::start(backend).await;
    let id = a_case(&site, "2026-02-20").await;
    let mut leader = Client::new(&site.base);
    leader.sign_in("zhang.wei", PASSWORD).await;
    // The leader sees the team's forms only: the team's work is not theirs.
    let page = leader
        .get(&format!("/cases/{id}"))
        .await
        .text()
        .await
        .expect("a page");
    assert!(page.contains(&format!("action=\"/cases/{id}/act/assign-lead\"")));
    assert!(!page.contains(&format!("action=\"/cases/{id}/act/sign\"")));
    let assigned = post(
        &mut leader,
        &id,
        "assign-lead",
        &[("steward", "wang.lei"), ("tier", "district")],
    )
    .await;
    assert_eq!(assigned.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&assigned), format!("/cases/{id}?done=assign-lead"));
    let before = state_of(&site, &id);
    assert_eq!(before.0, CaseState::Registered);

    let mut steward = Client::new(&site.base);
    steward.sign_in("wang.lei", PASSWORD).await;
    let mut off_team = Client::new(&site.base);
    off_team.sign_in("zhao.min", PASSWORD).await;
    let mut elsewhere = Client::new(&site.base);
    elsewhere.sign_in("liu.yang", PASSWORD).await;
    let page = steward
        .get(&format!("/cases/{id}"))
        .await
        .text()
        .await
        .expect("a page");
    assert!(
        page.contains(&format!("action=\"/cases/{id}/act/sign\"")),
        "the lead steward may sign"
    );
    let town_page = off_team
        .get(&format!("/cases/{id}"))
        .await
        .text()
        .await
        .expect("a page");
    assert!(
        !town_page.contains("/act/"),
        "a steward off the team sees no forms"
    );

    for (action, date) in ACTIONS {
        let path = format!("/cases/{id}/act/{action}");
        let forged = steward.post(&path, &[("csrf", "forged")]).await;
        assert_eq!(
            forged.status(),
            StatusCode::FORBIDDEN,
            "{action}: forged token"
        );
        assert!(
            forged.text().await.expect("a page").contains("表单已失效"),
            "{action}"
        );
        let none = steward.post(&path, &[]).await;
        assert_eq!(none.status(), StatusCode::FORBIDDEN, "{action}: no token");
        if let Some((field, label)) = date {
            let bad = post(&mut steward, &id, action, &[(field, "2026-02-30")]).await;
            assert_eq!(
                bad.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "{action}: bad date"
            );
            let body = bad.text().await.expect("a page");
            assert!(
                body.contains(&format!("{label}不是有效的日期")),
                "{action}: {label}"
            );
            assert!(body.contains("error-summary"), "{action}: the summary");
        }
    }
    // Off the team (in scope): refused with why; out of scope: not found, as for no case.
    for action in ["sign", "note", "schedule-visit", "rating-link"] {
        let refused = post(
            &mut off_team,
            &id,
            action,
            &[("text", "x"), ("target", "visit-1")],
        )
        .await;
        assert_eq!(
            refused.status(),
            StatusCode::FORBIDDEN,
            "{action}: off the team"
        );
        let hidden_case = post(
            &mut elsewhere,
            &id,
            action,
            &[("text", "x"), ("target", "visit-1")],
        )
        .await;
        assert_eq!(
            hidden_case.status(),
            StatusCode::NOT_FOUND,
            "{action}: out of scope"
        );
    }
    let managed = post(
        &mut steward,
        &id,
        "assign-lead",
        &[("steward", "zhao.min"), ("tier", "town")],
    )
    .await;
    assert_eq!(
        managed.status(),
        StatusCode::FORBIDDEN,
        "a steward does not manage the team"
    );
    assert_eq!(state_of(&site, &id), before, "nothing was recorded");

    // Dates out of order, and a late entry without its reason: beside the date, typed input kept.
    let early = post(
        &mut steward,
        &id,
        "sign",
        &[
            ("scope", "full"),
            ("signed_on", "2026-02-19"),
            ("signatories", "王磊、陈总"),
        ],
    )
    .await;
    assert_eq!(early.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = early.text().await.expect("a page");
    assert!(
        body.contains("签约日期（2026-02-19）不能早于登记日期（2026-02-20）"),
        "{body}"
    );
    assert!(
        body.contains("id=\"sign-signed-on-error\""),
        "the message is beside the field"
    );
    assert!(
        body.contains("value=\"王磊、陈总\""),
        "what was typed is kept"
    );
    let late = post(
        &mut steward,
        &id,
        "sign",
        &[
            ("scope", "full"),
            ("signed_on", "2026-02-23"),
            ("signatories", "王磊"),
        ],
    )
    .await;
    assert_eq!(late.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = late.text().await.expect("a page");
    assert!(
        body.contains("属于补录：请在“补录原因”中说明原因"),
        "{body}"
    );
    assert!(body.contains("id=\"sign-signed-on-error\""));
    let future = post(
        &mut steward,
        &id,
        "sign",
        &[
            ("scope", "full"),
            ("signed_on", "2026-03-06"),
            ("signatories", "王磊"),
        ],
    )
    .await;
    assert_eq!(future.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(future
        .text()
        .await
        .expect("a page")
        .contains("签约日期不符合规则：日期不能晚于今天"));
    let empty = post(&mut steward, &id, "note", &[("text", "  ")]).await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty
        .text()
        .await
        .expect("a page")
        .contains("请填写备注内容。"));
    assert_eq!(state_of(&site, &id), before, "nothing was recorded");

    // With the reason, the late signing is recorded, and the page shows it at once.
    let signed = post(
        &mut steward,
        &id,
        "sign",
        &[
            ("scope", "full"),
            ("signed_on", "2026-02-23"),
            ("signatories", "王磊、陈总"),
            ("late_reason", "协议纸本签订，事后补录"),
        ],
    )
    .await;
    assert_eq!(signed.status(), StatusCode::SEE_OTHER);
    let page = steward
        .get(&location(&signed))
        .await
        .text()
        .await
        .expect("a page");
    assert!(page.contains("已完成：签订服务协议"));
    assert!(
        page.contains("全程代办，2026年2月23日签订，签约人：王磊、陈总"),
        "{page}"
    );
    assert_eq!(state_of(&site, &id).0, CaseState::Signed);
    site.stop().await;
}

#[tokio::test]
async fn every_form_refuses_what_it_must_on_sqlite() {
    every_form_refuses_what_it_must(Backend::Sqlite).await;
}

#[tokio::test]
async fn every_form_refuses_what_it_must_on_postgres() {
    every_form_refuses_what_it_must(Backend::Postgres).await;
}

/// Posts `fields` and checks the refusal: 422, the message beside `field` of `action` saying
/// the date may not come before an earlier step, and nothing recorded.
async fn refused_out_of_order(
    site: &Site,
    client: &mut Client,
    id: &str,
    action: &str,
    field: &str,
    fields: &[(&str, &str)],
) {
    let before = state_of(site, id);
    let answer = post(client, id, action, fields).await;
    assert_eq!(
        answer.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "{action}"
    );
    let body = answer.text().await.expect("a page");
    let beside = format!("id=\"{action}-{}-error\">", field.replace('_', "-"));
    let message = body
        .split(&beside)
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap_or_else(|| {
            let summary = body.split("<ul>").nth(1).unwrap_or_default();
            panic!(
                "{action}: no message beside {field}: {}",
                &summary[..summary.len().min(400)]
            )
        });
    assert!(message.contains("不能早于"), "{action}: {message}");
    assert_eq!(state_of(site, id), before, "{action}: nothing recorded");
}

/// Business dates in order on the visit, item, complaint and closing forms, each refusal beside
/// its date and changing nothing; state rules said in Chinese; the case closed at the end.
async fn visit_and_item_dates_keep_their_order(backend: Backend) {
    let site = Site::start(backend).await;
    let id = a_case(&site, "2026-02-20").await;
    let mut leader = Client::new(&site.base);
    leader.sign_in("zhang.wei", PASSWORD).await;
    post(
        &mut leader,
        &id,
        "assign-lead",
        &[("steward", "wang.lei"), ("tier", "district")],
    )
    .await;
    let mut steward = Client::new(&site.base);
    steward.sign_in("wang.lei", PASSWORD).await;
    let late = ("late_reason", "纸质记录，事后补录");
    let signed = post(
        &mut steward,
        &id,
        "sign",
        &[
            ("scope", "full"),
            ("signed_on", "2026-02-24"),
            ("signatories", "王磊"),
            late,
        ],
    )
    .await;
    assert_eq!(signed.status(), StatusCode::SEE_OTHER);

    // An item asked for before the signing, accepted before it was asked for, concluded before
    // it was accepted: each refused beside its date.
    let code = site.state.read.read(|m| {
        m.catalog()
            .items()
            .find(|e| e.current().is_some())
            .map(|e| e.code.clone())
            .expect("a catalog item")
    });
    refused_out_of_order(
        &site,
        &mut steward,
        &id,
        "request-item",
        "requested_on",
        &[
            ("code", &code),
            ("mode", "proxy"),
            ("requested_on", "2026-02-23"),
            late,
        ],
    )
    .await;
    let requested = post(
        &mut steward,
        &id,
        "request-item",
        &[
            ("code", &code),
            ("mode", "proxy"),
            ("requested_on", "2026-03-02"),
        ],
    )
    .await;
    assert_eq!(requested.status(), StatusCode::SEE_OTHER);
    refused_out_of_order(
        &site,
        &mut steward,
        &id,
        "accept-item",
        "accepted_on",
        &[("item_no", "1"), ("accepted_on", "2026-02-27"), late],
    )
    .await;
    let accepted = post(
        &mut steward,
        &id,
        "accept-item",
        &[("item_no", "1"), ("accepted_on", "2026-03-03")],
    )
    .await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    refused_out_of_order(
        &site,
        &mut steward,
        &id,
        "conclude-item",
        "concluded_on",
        &[
            ("item_no", "1"),
            ("outcome", "granted"),
            ("concluded_on", "2026-03-02"),
        ],
    )
    .await;
    refused_out_of_order(
        &site,
        &mut steward,
        &id,
        "suspend-item",
        "suspended_on",
        &[
            ("item_no", "1"),
            ("reason", "correction"),
            ("suspended_on", "2026-03-02"),
        ],
    )
    .await;

    // A visit recorded as made before the day it was planned for, or before the signing.
    let scheduled = post(
        &mut steward,
        &id,
        "schedule-visit",
        &[
            ("scheduled_at", "2026-03-04"),
            ("scheduled_time", "09:00"),
            ("place", "厂区"),
            ("purpose", "了解需求"),
        ],
    )
    .await;
    assert_eq!(scheduled.status(), StatusCode::SEE_OTHER);
    refused_out_of_order(
        &site,
        &mut steward,
        &id,
        "conduct-visit",
        "conducted_at",
        &[
            ("visit_no", "1"),
            ("conducted_at", "2026-02-23"),
            ("conducted_time", "10:00"),
            ("notes", "记录"),
            late,
        ],
    )
    .await;
    // A complaint answered before it was lodged.
    let lodged = post(
        &mut steward,
        &id,
        "lodge-complaint",
        &[
            ("channel", "in_person"),
            ("content", "审批材料反复补正"),
            ("lodged_on", "2026-03-04"),
        ],
    )
    .await;
    assert_eq!(lodged.status(), StatusCode::SEE_OTHER);
    let assigned = post(
        &mut steward,
        &id,
        "assign-complaint",
        &[("complaint_no", "1"), ("assignee", "wang.lei")],
    )
    .await;
    assert_eq!(assigned.status(), StatusCode::SEE_OTHER);
    refused_out_of_order(
        &site,
        &mut steward,
        &id,
        "resolve-complaint",
        "resolved_on",
        &[
            ("complaint_no", "1"),
            ("answer", "已协调"),
            ("resolved_on", "2026-03-03"),
        ],
    )
    .await;
    // Closing with an item open is refused in Chinese; once it is concluded, closing before
    // the latest step is refused beside the date.
    let open_item = post(
        &mut steward,
        &id,
        "close",
        &[
            ("reason", "enterprise_withdrew"),
            ("summary", "企业撤回"),
            ("closed_on", "2026-03-05"),
        ],
    )
    .await;
    assert_eq!(open_item.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(open_item
        .text()
        .await
        .expect("a page")
        .contains("当前状态下不能结案：仍有事项未办结"));
    let concluded = post(
        &mut steward,
        &id,
        "conclude-item",
        &[
            ("item_no", "1"),
            ("outcome", "granted"),
            ("concluded_on", "2026-03-04"),
        ],
    )
    .await;
    assert_eq!(concluded.status(), StatusCode::SEE_OTHER);
    let cancelled = post(
        &mut steward,
        &id,
        "cancel-visit",
        &[("visit_no", "1"), ("reason", "企业改期")],
    )
    .await;
    assert_eq!(cancelled.status(), StatusCode::SEE_OTHER);
    let resolved = post(
        &mut steward,
        &id,
        "resolve-complaint",
        &[
            ("complaint_no", "1"),
            ("answer", "已协调办结"),
            ("resolved_on", "2026-03-04"),
        ],
    )
    .await;
    assert_eq!(resolved.status(), StatusCode::SEE_OTHER);
    refused_out_of_order(
        &site,
        &mut steward,
        &id,
        "close",
        "closed_on",
        &[
            ("reason", "enterprise_withdrew"),
            ("summary", "企业撤回"),
            ("closed_on", "2026-03-03"),
        ],
    )
    .await;
    let closed = post(
        &mut steward,
        &id,
        "close",
        &[
            ("reason", "enterprise_withdrew"),
            ("summary", "企业撤回"),
            ("closed_on", "2026-03-05"),
        ],
    )
    .await;
    assert_eq!(closed.status(), StatusCode::SEE_OTHER);
    assert_eq!(state_of(&site, &id).0, CaseState::Closed);
    let page = steward
        .get(&location(&closed))
        .await
        .text()
        .await
        .expect("a page");
    assert!(
        page.contains(&format!("action=\"/cases/{id}/act/reopen\"")),
        "a closed case may be reopened"
    );
    assert!(!page.contains(&format!("action=\"/cases/{id}/act/close\"")));
    site.stop().await;
}

#[tokio::test]
async fn visit_and_item_dates_keep_their_order_on_sqlite() {
    visit_and_item_dates_keep_their_order(Backend::Sqlite).await;
}

#[tokio::test]
async fn visit_and_item_dates_keep_their_order_on_postgres() {
    visit_and_item_dates_keep_their_order(Backend::Postgres).await;
}

/// A form sent twice (a second press, the browser repeating the POST) records once; the same
/// drawing sent with other words is refused and records nothing.
async fn a_form_sent_twice_records_once(backend: Backend) {
    let site = Site::start(backend).await;
    let id = a_case(&site, "2026-03-05").await;
    let mut leader = Client::new(&site.base);
    leader.sign_in("zhang.wei", PASSWORD).await;
    post(
        &mut leader,
        &id,
        "assign-lead",
        &[("steward", "wang.lei"), ("tier", "district")],
    )
    .await;
    let mut steward = Client::new(&site.base);
    steward.sign_in("wang.lei", PASSWORD).await;
    let page = steward
        .get(&format!("/cases/{id}"))
        .await
        .text()
        .await
        .expect("a page");
    let (csrf, key) = (hidden(&page, "csrf"), hidden(&page, "key"));
    let notes = |site: &Site| {
        let today = china_date(site.state.clock.now());
        site.state
            .read
            .read(|m| m.case_detail(&id, today).map(|d| d.notes.len()))
    };
    let path = format!("/cases/{id}/act/note");
    let form = [
        ("csrf", csrf.as_str()),
        ("key", key.as_str()),
        ("text", "企业来电咨询用地手续"),
    ];
    for _ in 0..2 {
        let sent = steward.post(&path, &form).await;
        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    }
    assert_eq!(notes(&site), Some(1), "recorded once");
    let other = steward
        .post(
            &path,
            &[
                ("csrf", csrf.as_str()),
                ("key", key.as_str()),
                ("text", "另一条备注"),
            ],
        )
        .await;
    assert_eq!(other.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(other
        .text()
        .await
        .expect("a page")
        .contains("这份表单已经提交过"));
    assert_eq!(notes(&site), Some(1), "nothing more recorded");
    site.stop().await;
}

#[tokio::test]
async fn a_form_sent_twice_records_once_on_sqlite() {
    a_form_sent_twice_records_once(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_form_sent_twice_records_once_on_postgres() {
    a_form_sent_twice_records_once(Backend::Postgres).await;
}

/// The bad-rating loop on the page: a visit rated 2 asks for the call-back, then the
/// rectification, each shown as done; a rated visit gets no second rating, nor a rating link.
async fn a_bad_rating_is_called_back_and_rectified(backend: Backend) {
    let site = Site::start(backend).await;
    let id = a_case(&site, "2026-03-05").await;
    let mut leader = Client::new(&site.base);
    leader.sign_in("zhang.wei", PASSWORD).await;
    post(
        &mut leader,
        &id,
        "assign-lead",
        &[("steward", "wang.lei"), ("tier", "district")],
    )
    .await;
    let mut steward = Client::new(&site.base);
    steward.sign_in("wang.lei", PASSWORD).await;
    let steps: &[(&str, &[(&str, &str)])] = &[
        (
            "sign",
            &[
                ("scope", "full"),
                ("signed_on", "2026-03-05"),
                ("signatories", "王磊"),
            ],
        ),
        (
            "schedule-visit",
            &[
                ("scheduled_at", "2026-03-05"),
                ("scheduled_time", "09:00"),
                ("place", "厂区"),
                ("purpose", "回访"),
            ],
        ),
        (
            "conduct-visit",
            &[
                ("visit_no", "1"),
                ("conducted_at", "2026-03-05"),
                ("conducted_time", "09:30"),
                ("participants", "王磊"),
                ("notes", "了解办理进度"),
            ],
        ),
    ];
    for (action, fields) in steps {
        let done = post(&mut steward, &id, action, fields).await;
        assert_eq!(done.status(), StatusCode::SEE_OTHER, "{action}");
    }
    let page = steward
        .get(&format!("/cases/{id}"))
        .await
        .text()
        .await
        .expect("a page");
    assert!(page.contains(&format!("action=\"/cases/{id}/act/rating-link\"")));
    let rated = post(
        &mut steward,
        &id,
        "rate",
        &[
            ("target", "visit-1"),
            ("level", "2"),
            ("efficiency", "2"),
            ("quality", "3"),
            ("attitude", "2"),
            ("channel", "in_person"),
            ("comment", "材料要求说明不清"),
        ],
    )
    .await;
    assert_eq!(rated.status(), StatusCode::SEE_OTHER);
    let page = steward
        .get(&location(&rated))
        .await
        .text()
        .await
        .expect("a page");
    assert!(
        page.contains("待回访核实"),
        "the loop starts with the call-back"
    );
    assert!(page.contains(&format!("action=\"/cases/{id}/act/call-back\"")));
    assert!(
        !page.contains(&format!("action=\"/cases/{id}/act/rate\"")),
        "nothing left to rate"
    );
    let again = post(
        &mut steward,
        &id,
        "rate",
        &[
            ("target", "visit-1"),
            ("level", "5"),
            ("efficiency", "5"),
            ("quality", "5"),
            ("attitude", "5"),
            ("channel", "in_person"),
        ],
    )
    .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY, "一次一评");
    let link = post(&mut steward, &id, "rating-link", &[("target", "visit-1")]).await;
    assert_eq!(link.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(link
        .text()
        .await
        .expect("a page")
        .contains("已经评价过（一次一评、一事一评）"));
    let called = post(
        &mut steward,
        &id,
        "call-back",
        &[
            ("rating_no", "1"),
            ("called_on", "2026-03-05"),
            ("confirmed", "on"),
            ("notes", "情况属实"),
        ],
    )
    .await;
    assert_eq!(called.status(), StatusCode::SEE_OTHER);
    let page = steward
        .get(&location(&called))
        .await
        .text()
        .await
        .expect("a page");
    assert!(page.contains("待整改"), "then the rectification");
    let rectified = post(
        &mut steward,
        &id,
        "rectify",
        &[
            ("rating_no", "1"),
            ("rectified_on", "2026-03-05"),
            ("measures", "编制材料清单明白纸"),
        ],
    )
    .await;
    assert_eq!(rectified.status(), StatusCode::SEE_OTHER);
    let page = steward
        .get(&location(&rectified))
        .await
        .text()
        .await
        .expect("a page");
    assert!(page.contains("已整改"), "the loop is closed");
    assert!(!page.contains(&format!("action=\"/cases/{id}/act/rectify\"")));
    site.stop().await;
}

#[tokio::test]
async fn a_bad_rating_is_called_back_and_rectified_on_sqlite() {
    a_bad_rating_is_called_back_and_rectified(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_bad_rating_is_called_back_and_rectified_on_postgres() {
    a_bad_rating_is_called_back_and_rectified(Backend::Postgres).await;
}
