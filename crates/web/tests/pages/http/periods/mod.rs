//! 封账 on the page, over HTTP, on both backends: who may close and approve; every refusal of
//! the application layer said in Chinese beside the field it names, changing nothing; the
//! "check your answers" step closing nothing (`closing.rs`); a steward's entry dated in the
//! closed month refused until a leader approves it, accepted once, and the approval used up by
//! it (`approving.rs`). One scene per backend: the second part works on the month the first
//! closed.

mod approving;
mod closing;

use guanjia_domain::values::DivisionCode;
use guanjia_store::Backend;
use reqwest::StatusCode;

use super::case_forms::{a_led_case, TOWN};
use super::client::{hidden, Client};
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

/// The site and the people of the scene, signed in.
struct Scene {
    site: Site,
    /// The district leader, zhang.wei.
    leader: Client,
    /// The case's lead steward, wang.lei.
    steward: Client,
    /// A leader of [`OTHER_TOWN`].
    other: Client,
    /// The case, registered in [`TOWN`] on 2026-01-10.
    id: String,
}

/// The period and division fields of the close form.
fn close(period: &'static str, division: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![("period", period), ("division", division)]
}

async fn closing_and_approving(backend: Backend) {
    let site = Site::start(backend).await;
    let case = a_led_case(&site, "2026-01-10").await;
    let admin = site.login("admin", ADMIN_PASSWORD).await;
    site.create_user(&admin, "sun.li", "孙丽", "LEADER", OTHER_TOWN)
        .await;
    let mut other = Client::new(&site.base);
    other.sign_in("sun.li", PASSWORD).await;
    let mut scene = Scene {
        site,
        leader: case.leader,
        steward: case.steward,
        other,
        id: case.id,
    };
    closing::closing(&mut scene).await;
    approving::approving(&mut scene).await;
    scene.site.stop().await;
}

#[tokio::test]
async fn closing_and_approving_on_sqlite() {
    closing_and_approving(Backend::Sqlite).await;
}

#[tokio::test]
async fn closing_and_approving_on_postgres() {
    closing_and_approving(Backend::Postgres).await;
}
