//! A form sent twice records once.

use guanjia_domain::clock::china_date;
use guanjia_store::Backend;
use reqwest::StatusCode;

use super::{a_led_case, Led};
use crate::http::client::hidden;
use crate::site::Site;

/// A form sent twice (a second press, the browser repeating the POST) records once; the same
/// drawing sent with other words is refused and records nothing.
async fn a_form_sent_twice_records_once(backend: Backend) {
    let site = Site::start(backend).await;
    let Led {
        id, mut steward, ..
    } = a_led_case(&site, "2026-03-05").await;
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
