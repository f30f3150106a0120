//! The forms not walked through elsewhere, each doing what it says: a 一件事 bundle asked for,
//! an item suspended, resumed and extended, the service held and resumed, a member added, a
//! case closed and reopened — each shown on the case page afterwards.

use guanjia_domain::case::model::CaseState;
use guanjia_domain::case::state::ItemStatus;
use guanjia_domain::clock::china_date;
use guanjia_store::Backend;
use reqwest::StatusCode;

use super::{a_case, post, state_of};
use crate::http::client::{location, Client};
use crate::site::{Site, PASSWORD};

async fn every_other_form_does_what_it_says(backend: Backend) {
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
    let member = post(
        &mut leader,
        &id,
        "add-member",
        &[
            ("user_id", "zhao.min"),
            ("role", "镇代办员"),
            ("tier", "town"),
        ],
    )
    .await;
    assert_eq!(member.status(), StatusCode::SEE_OTHER);
    let mut steward = Client::new(&site.base);
    steward.sign_in("wang.lei", PASSWORD).await;
    let page = steward
        .get(&format!("/cases/{id}"))
        .await
        .text()
        .await
        .expect("a page");
    assert!(page.contains("镇代办员"), "the member is on the team");
    let bundle = site.state.read.read(|m| {
        m.catalog()
            .bundles()
            .find(|b| b.current().is_some())
            .map(|b| b.code.clone())
            .expect("a bundle in the demo's catalog")
    });
    let today = china_date(site.state.clock.now());
    let items = |site: &Site| {
        site.state.read.read(|m| {
            let d = m.case_detail(&id, today).expect("the case");
            d.items
                .iter()
                .map(|i| (i.status, i.extension_days))
                .collect::<Vec<_>>()
        })
    };
    let steps: &[(&str, &[(&str, &str)])] = &[
        (
            "sign",
            &[
                ("scope", "full"),
                ("signed_on", "2026-03-05"),
                ("signatories", "王磊"),
            ],
        ),
        ("plan", &[("text", "全程代办")]),
        (
            "request-bundle",
            &[
                ("code", &bundle),
                ("mode", "proxy"),
                ("requested_on", "2026-03-05"),
            ],
        ),
        (
            "accept-item",
            &[("item_no", "1"), ("accepted_on", "2026-03-05")],
        ),
        (
            "suspend-item",
            &[
                ("item_no", "1"),
                ("reason", "correction"),
                ("suspended_on", "2026-03-05"),
                ("note", "补正土地证明"),
            ],
        ),
    ];
    for (action, fields) in steps {
        let done = post(&mut steward, &id, action, fields).await;
        assert_eq!(done.status(), StatusCode::SEE_OTHER, "{action}");
    }
    let now = items(&site);
    assert!(now.len() > 1, "the bundle brings its items: {now:?}");
    assert_eq!(now[0].0, ItemStatus::Suspended);
    for (action, fields) in [
        (
            "resume-item",
            vec![("item_no", "1"), ("resumed_on", "2026-03-05")],
        ),
        (
            "extend-item",
            vec![
                ("item_no", "1"),
                ("days", "5"),
                ("approver", "张伟"),
                ("reason", "需专家评审"),
            ],
        ),
    ] {
        let done = post(&mut steward, &id, action, &fields).await;
        assert_eq!(done.status(), StatusCode::SEE_OTHER, "{action}");
    }
    assert_eq!(items(&site)[0], (ItemStatus::Accepted, 5));
    let bad_days = post(
        &mut steward,
        &id,
        "extend-item",
        &[
            ("item_no", "1"),
            ("days", "五"),
            ("approver", "张伟"),
            ("reason", "x"),
        ],
    )
    .await;
    assert_eq!(bad_days.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_days
        .text()
        .await
        .expect("a page")
        .contains("延长工作日数应为不小于 0 的整数，现在是“五”"));

    let held = post(
        &mut steward,
        &id,
        "hold",
        &[("reason", "企业资金调整"), ("held_on", "2026-03-05")],
    )
    .await;
    assert_eq!(held.status(), StatusCode::SEE_OTHER);
    assert_eq!(state_of(&site, &id).0, CaseState::OnHold);
    let resumed = post(&mut steward, &id, "resume", &[("resumed_on", "2026-03-05")]).await;
    assert_eq!(resumed.status(), StatusCode::SEE_OTHER);
    assert_eq!(state_of(&site, &id).0, CaseState::InService);
    let page = steward
        .get(&location(&resumed))
        .await
        .text()
        .await
        .expect("a page");
    assert!(page.contains("暂停服务：企业资金调整") && page.contains("恢复服务"));
    site.stop().await;
}

#[tokio::test]
async fn every_other_form_does_what_it_says_on_sqlite() {
    every_other_form_does_what_it_says(Backend::Sqlite).await;
}

#[tokio::test]
async fn every_other_form_does_what_it_says_on_postgres() {
    every_other_form_does_what_it_says(Backend::Postgres).await;
}
