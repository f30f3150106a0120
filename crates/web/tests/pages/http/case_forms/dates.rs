//! Business dates in order on the item, visit, complaint and closing forms.

use guanjia_domain::case::model::CaseState;
use guanjia_store::Backend;
use reqwest::StatusCode;

use super::{a_led_case, post, state_of, Led};
use crate::http::client::{location, Client};
use crate::site::Site;

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
    let Led {
        id,
        mut leader,
        mut steward,
    } = a_led_case(&site, "2026-02-20").await;
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
    // The answer is signed off by the leader off the team (complaint_sign_off).
    refused_out_of_order(
        &site,
        &mut leader,
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
        &mut leader,
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
    let reopened = post(
        &mut steward,
        &id,
        "reopen",
        &[("reason", "企业恢复项目"), ("reopened_on", "2026-03-05")],
    )
    .await;
    assert_eq!(reopened.status(), StatusCode::SEE_OTHER);
    assert_ne!(
        state_of(&site, &id).0,
        CaseState::Closed,
        "a new service term"
    );
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
