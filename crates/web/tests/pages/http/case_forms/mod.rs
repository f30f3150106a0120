//! The case page's forms over HTTP, on both backends (one module a concern): every form
//! refuses a wrong CSRF token, a person off the team (403) and one who may not know the case
//! (404), and a date that is no date (`refusals.rs`); business dates out of order are refused
//! beside the field (`dates.rs`); the bad-rating loop (`ratings.rs`); a form sent twice records
//! once (`once.rs`). None of the refusals changes the case; a good form redirects back to the
//! case page, which shows the new state.

mod dates;
mod once;
mod rating_links;
mod ratings;
mod refusals;
mod steps;

use guanjia_domain::case::model::CaseState;
use guanjia_domain::clock::china_date;
use serde_json::json;

use super::client::{hidden, Client};
use crate::site::{Site, PASSWORD};

/// The town the test's case lies in: zhao.min's; liu.yang works in another town.
pub(super) const TOWN: &str = "610902100000";

/// Registers a case in [`TOWN`] dated `registered_on` (a late entry, with its reason) as the
/// district leader: its id.
pub(super) async fn a_case(site: &Site, registered_on: &str) -> String {
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

/// A case of [`a_case`] at work: the district leader made wang.lei its lead steward through
/// the page; both signed in.
pub(super) struct Led {
    pub id: String,
    pub leader: Client,
    pub steward: Client,
}

/// [`a_case`] with wang.lei as its lead steward, assigned by the leader on the page.
pub(super) async fn a_led_case(site: &Site, registered_on: &str) -> Led {
    let id = a_case(site, registered_on).await;
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
    Led {
        id,
        leader,
        steward,
    }
}

/// [`a_led_case`] registered on 2026-03-05, signed, and its visit 1 scheduled and conducted
/// that day by wang.lei on the page: a visit ready to be rated.
pub(super) async fn a_visited_case(site: &Site) -> Led {
    let mut led = a_led_case(site, "2026-03-05").await;
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
        let done = post(&mut led.steward, &led.id, action, fields).await;
        assert_eq!(done.status(), reqwest::StatusCode::SEE_OTHER, "{action}");
    }
    led
}

pub(super) fn state_of(site: &Site, id: &str) -> (CaseState, usize) {
    let today = china_date(site.state.clock.now());
    site.state.read.read(|m| {
        let d = m.case_detail(id, today).expect("the case");
        (d.state, d.timeline.len())
    })
}

/// Posts `fields` to the action with the CSRF token of the case page.
pub(super) async fn post(
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
