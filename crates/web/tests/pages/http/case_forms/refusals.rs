//! Every form's refusals: a wrong or missing CSRF token, a date that is no date, people off the
//! team or outside the scope, a date before the registration, a late entry without its reason.

use guanjia_domain::case::model::CaseState;
use guanjia_store::Backend;
use reqwest::StatusCode;

use super::{a_case, post, state_of};
use crate::http::client::{location, Client};
use crate::site::{Site, ADMIN_PASSWORD, PASSWORD};

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
            // The answer to a complaint is the sign-off of a leader off the team.
            let who = if *action == "resolve-complaint" {
                &mut leader
            } else {
                &mut steward
            };
            let bad = post(who, &id, action, &[(field, "2026-02-30")]).await;
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
    // The team does not answer a complaint about itself: the form is refused with who signs.
    let own_answer = post(
        &mut steward,
        &id,
        "resolve-complaint",
        &[
            ("complaint_no", "1"),
            ("answer", "x"),
            ("resolved_on", "2026-03-05"),
        ],
    )
    .await;
    assert_eq!(own_answer.status(), StatusCode::FORBIDDEN);
    assert!(own_answer
        .text()
        .await
        .expect("a page")
        .contains("答复须由本区划不在服务团队中的领导签发"));
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
    // Admins do not handle cases (separation of duties): refused before anything is looked up.
    let mut admin = Client::new(&site.base);
    admin.sign_in("admin", ADMIN_PASSWORD).await;
    let page = admin.get("/").await.text().await.expect("a page");
    let csrf = crate::http::client::hidden(&page, "csrf");
    let by_admin = admin
        .post(
            &format!("/cases/{id}/act/note"),
            &[("csrf", csrf.as_str()), ("text", "x")],
        )
        .await;
    assert_eq!(by_admin.status(), StatusCode::FORBIDDEN);
    assert!(by_admin
        .text()
        .await
        .expect("a page")
        .contains("管理员不办理案件"));
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

    // The plan: a milestone that is no "name date" is named by its line; a good plan puts the
    // case into service.
    let signed = state_of(&site, &id);
    let text = ("text", "代办设立登记和施工许可");
    let bad = post(
        &mut steward,
        &id,
        "plan",
        &[text, ("milestones", "取得营业执照 2026-04-01\n开工")],
    )
    .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = bad.text().await.expect("a page");
    assert!(
        body.contains("里程碑第 2 行“开工”应为“名称 日期”"),
        "{body}"
    );
    assert_eq!(state_of(&site, &id), signed, "nothing was recorded");
    let planned = post(
        &mut steward,
        &id,
        "plan",
        &[text, ("milestones", "取得营业执照 2026-04-01")],
    )
    .await;
    assert_eq!(planned.status(), StatusCode::SEE_OTHER);
    let page = steward
        .get(&location(&planned))
        .await
        .text()
        .await
        .expect("a page");
    assert!(page.contains("一企一策（第 1 版") && page.contains("代办设立登记和施工许可"));
    assert_eq!(state_of(&site, &id).0, CaseState::InService);
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
