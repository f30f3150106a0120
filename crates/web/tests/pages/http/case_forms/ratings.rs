//! The bad-rating loop on the case page.

use guanjia_store::Backend;
use reqwest::StatusCode;

use super::{a_visited_case, post, Led};
use crate::http::client::location;
use crate::site::Site;

/// The bad-rating loop on the page: a visit rated 2 asks for the call-back, then the
/// rectification, each shown as done; a rated visit gets no second rating, nor a rating link.
async fn a_bad_rating_is_called_back_and_rectified(backend: Backend) {
    let site = Site::start(backend).await;
    let Led {
        id, mut steward, ..
    } = a_visited_case(&site).await;
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
