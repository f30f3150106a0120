//! Rating links on the record: the team lists and revokes its case's links, an admin of the
//! case's town revokes one with a reason, and a revoked link is refused at once (410 in Chinese
//! on the page, `LINK_REVOKED` in JSON); an admin of another town, a steward off the team, a
//! second revocation, an unknown link and a spent one are refused with their own errors.

use serde_json::{json, Value};

use super::*;
use crate::helpers::*;

const LIST: &str = "query($c: ID!) { ratingLinks(caseId: $c) { linkId targetKind targetNo channel issuedAt expiresAt revokedAt revokeReason status } }";
const REVOKE: &str = "mutation($c: ID!, $l: ID!, $r: String!) { revokeRatingLink(caseId: $c, linkId: $l, reason: $r) { linkId status revokeReason } }";
const LIVE: &str = "{ liveRatingLinks { caseId caseNumber division linkId targetKind targetNo itemName channel issuer issuedAt expiresAt } }";
const ISSUE_ID: &str = "mutation($c: ID!) { issueRatingLink(caseId: $c, target: {visit: 1}, channel: SMS) { linkId url } }";

fn code(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code: {response}"))
}

/// Issues a link for visit 1 by SMS: (its id, its URL).
async fn issued(f: &Fixture) -> (String, String) {
    let data = f
        .app
        .ok(ISSUE_ID, json!({"c": f.case_id}), &f.steward)
        .await;
    let link = &data["issueRatingLink"];
    (
        link["linkId"].as_str().expect("linkId").to_owned(),
        link["url"].as_str().expect("url").to_owned(),
    )
}

async fn revoke(f: &Fixture, token: &str, link_id: &str, reason: &str) -> Value {
    f.app
        .run(
            REVOKE,
            json!({"c": f.case_id, "l": link_id, "r": reason}),
            Some(token),
        )
        .await
}

both_backends!(
    the_team_revokes_a_link_on_the_record_and_it_is_refused_at_once,
    |app| app.served()
);
async fn the_team_revokes_a_link_on_the_record_and_it_is_refused_at_once(app: TestApp) {
    // Given a link the lead steward issued, on the record as live
    let f = fixture_on(app).await;
    let (link_id, url) = issued(&f).await;
    let token = url.rsplit('/').next().expect("a token");
    assert!(url.contains("/rate/r1."), "{url}");
    let listed = f.app.ok(LIST, json!({"c": f.case_id}), &f.steward).await;
    let links = listed["ratingLinks"].as_array().expect("a list");
    assert_eq!(links.len(), 1);
    assert_eq!(links[0]["linkId"], link_id.as_str());
    assert_eq!(links[0]["targetKind"], "VISIT");
    assert_eq!(links[0]["targetNo"], 1);
    assert_eq!(links[0]["channel"], "SMS");
    assert_eq!(links[0]["status"], "LIVE");
    assert_eq!(links[0]["expiresAt"], "2024-03-18T02:00:00+00:00");
    assert!(
        !listed.to_string().contains(token),
        "the list hands out no token"
    );
    assert_eq!(get_json(&url).await.0, 200);
    // When the team revokes it
    let revoked = f
        .app
        .ok(
            REVOKE,
            json!({"c": f.case_id, "l": link_id, "r": "短信发错了号码"}),
            &f.steward,
        )
        .await;
    assert_eq!(revoked["revokeRatingLink"]["status"], "REVOKED");
    assert_eq!(
        revoked["revokeRatingLink"]["revokeReason"],
        "短信发错了号码"
    );
    // Then the page answers 410 in Chinese, JSON says LINK_REVOKED, and a rating is refused
    let page = reqwest::get(&url).await.expect("the page");
    assert_eq!(page.status(), 410);
    let html = page.text().await.expect("html");
    assert!(html.contains("此评价链接已作废"), "{html}");
    let (status, body) = get_json(&url).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (410, Some("LINK_REVOKED"))
    );
    let posted = post_form(&url, "level=5").await;
    assert_eq!(posted.status(), 410);
    let listed = f.app.ok(LIST, json!({"c": f.case_id}), &f.steward).await;
    assert_eq!(listed["ratingLinks"][0]["status"], "REVOKED");
    assert_eq!(listed["ratingLinks"][0]["revokeReason"], "短信发错了号码");
    // And revoking it again, or a link the case does not have, is refused
    let again = revoke(&f, &f.steward, &link_id, "again").await;
    assert_eq!(code(&again), "BAD_USER_INPUT", "{again}");
    assert!(again.to_string().contains("already revoked"), "{again}");
    let unknown = revoke(&f, &f.steward, "no-such-link", "why").await;
    assert_eq!(code(&unknown), "NOT_FOUND", "{unknown}");
}

both_backends!(an_admin_revokes_links_of_its_own_towns_cases_only, |app| {
    app.served()
});
async fn an_admin_revokes_links_of_its_own_towns_cases_only(app: TestApp) {
    // Given a live link, the town's admin, another town's admin and a steward off the team
    let f = fixture_on(app).await;
    let (link_id, url) = issued(&f).await;
    let admin = f.app.admin().await;
    let town_admin = f.app.user(&admin, "admin.hk", "ADMIN", TOWN).await;
    let other_admin = f.app.user(&admin, "admin.other", "ADMIN", OTHER_TOWN).await;
    let off_team = f.app.user(&admin, "zhao.lei", "STEWARD", TOWN).await;
    // Then the other town's admin is told the case is not found, listing or revoking
    let refused = revoke(&f, &other_admin, &link_id, "越权").await;
    assert_eq!(code(&refused), "NOT_FOUND", "{refused}");
    let listed = f
        .app
        .run(LIST, json!({"c": f.case_id}), Some(&other_admin))
        .await;
    assert_eq!(code(&listed), "NOT_FOUND", "{listed}");
    // And the steward off the team may not revoke
    let refused = revoke(&f, &off_team, &link_id, "不是我的").await;
    assert_eq!(code(&refused), "FORBIDDEN", "{refused}");
    // And the town's admin lists it among the live links of its division, the other town's
    // admin does not, and a steward may not ask
    let live = f.app.ok(LIVE, json!({}), &town_admin).await;
    let live = live["liveRatingLinks"].as_array().expect("a list").clone();
    assert_eq!(live.len(), 1);
    assert_eq!(live[0]["linkId"], link_id.as_str());
    assert_eq!(live[0]["caseId"], f.case_id.as_str());
    assert_eq!(live[0]["targetKind"], "VISIT");
    assert_eq!(live[0]["issuer"], "li.ming");
    assert_eq!(live[0]["channel"], "SMS");
    assert!(!live[0].to_string().contains("王经理"), "no personal data");
    let elsewhere = f.app.ok(LIVE, json!({}), &other_admin).await;
    assert_eq!(elsewhere["liveRatingLinks"], json!([]));
    let steward = f.app.run(LIVE, json!({}), Some(&f.steward)).await;
    assert_eq!(code(&steward), "FORBIDDEN", "{steward}");
    // When the town's admin revokes it with a reason
    let listed = f.app.ok(LIST, json!({"c": f.case_id}), &town_admin).await;
    assert_eq!(listed["ratingLinks"][0]["status"], "LIVE");
    let revoked = f
        .app
        .ok(
            REVOKE,
            json!({"c": f.case_id, "l": link_id, "r": "企业反映未收到"}),
            &town_admin,
        )
        .await;
    // Then it is revoked, refused at once, and no longer among the live links
    assert_eq!(revoked["revokeRatingLink"]["status"], "REVOKED");
    let live = f.app.ok(LIVE, json!({}), &town_admin).await;
    assert_eq!(live["liveRatingLinks"], json!([]));
    assert_eq!(get_json(&url).await.0, 410);
    // And the revocation is on the record with its revoker
    let events = guanjia_store::testing::events_to_head(&f.app.state.store)
        .await
        .expect("log");
    let revocation = events
        .iter()
        .find(|e| e.event_type == "RatingLinkRevoked")
        .expect("the revocation is in the log");
    assert_eq!(revocation.aggregate_id, f.case_id);
    assert_eq!(revocation.metadata.actor_id, "admin.hk");
    let issue = events
        .iter()
        .find(|e| e.event_type == "RatingLinkIssued")
        .expect("the issue is in the log");
    assert_eq!(issue.metadata.actor_id, "li.ming");
    assert_eq!(
        issue.payload["RatingLinkIssued"]["link_id"],
        link_id.as_str()
    );
}

both_backends!(a_spent_link_is_not_revoked, |app| app.served());
async fn a_spent_link_is_not_revoked(app: TestApp) {
    // Given a link through which the visit was rated
    let f = fixture_on(app).await;
    let (link_id, url) = issued(&f).await;
    assert_eq!(post_form(&url, "level=5").await.status(), 200);
    // Then it is listed as used and cannot be revoked
    let listed = f.app.ok(LIST, json!({"c": f.case_id}), &f.steward).await;
    assert_eq!(listed["ratingLinks"][0]["status"], "USED");
    let refused = revoke(&f, &f.steward, &link_id, "太晚了").await;
    assert_eq!(code(&refused), "BAD_USER_INPUT", "{refused}");
    assert!(refused.to_string().contains("is spent"), "{refused}");
}
