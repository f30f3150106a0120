//! 办件进度 links over GraphQL (issue 19): only the case's team issues and revokes them, the
//! validity is bounded, whoever may read the case sees the list; a link opens the case until
//! it is revoked or expires — checked against the log, so at once — and every look (by link or
//! by case number, USCC and phone digits) is recorded in the access log; a wrong answer of the
//! lookup is the same `NOT_FOUND` whatever was wrong.

use chrono::Duration;
use guanjia_app::progress::ENTERPRISE_ACTOR;
use guanjia_app::AppError;
use guanjia_domain::progress::OpenRefusal;
use guanjia_store::{CommandContext, EventMetadata};
use serde_json::{json, Value};

use crate::helpers::*;
use crate::world::{enterprise, uscc, World};

const ISSUE: &str = "mutation($c: ID!, $h: Int) { issueProgressLink(caseId: $c, ttlHours: $h) { linkId channel live url qrSvgUrl issuedAt expiresAt revokedAt } }";
const REVOKE: &str = "mutation($c: ID!, $l: ID!) { revokeProgressLink(caseId: $c, linkId: $l) { linkId live url revokedAt } }";
const LIST: &str = "query($c: ID!) { progressLinks(caseId: $c) { linkId live url } }";

fn code(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("an error: {response}"))
}

fn enterprise_context() -> CommandContext {
    CommandContext::new(EventMetadata {
        actor_id: ENTERPRISE_ACTOR.to_owned(),
        actor_role: "enterprise_contact".to_owned(),
        correlation_id: "t".to_owned(),
        causation_id: "t".to_owned(),
        request_id: "t".to_owned(),
        channel: "test".to_owned(),
    })
}

/// The case id and link id a link's URL names, as the public page reads them.
fn named(world: &World, url: &str) -> (String, String) {
    let token = url.rsplit('/').next().expect("a token");
    let state = &world.app.state;
    let link = state
        .progress_links
        .verify(token, state.clock.now())
        .expect("a genuine link");
    (link.case_id, link.link_id)
}

async fn opens(world: &World, url: &str) -> Result<(), OpenRefusal> {
    let (case_id, link_id) = named(world, url);
    world
        .app
        .state
        .app
        .open_progress_link(&case_id, &link_id, enterprise_context())
        .await
        .expect("no fault")
        .map(|access| assert_eq!(access.case_id, case_id))
}

async fn the_team_issues_and_revokes_and_revocation_holds_at_once(app: TestApp) {
    let world = World::new(app).await;
    let case_id = world
        .case_in_service(
            &world.steward,
            "li.ming",
            enterprise("进度科技", 1, crate::world::VILLAGE),
        )
        .await;

    // Only the team issues: a steward of the town off the team is refused, one of another
    // town is not told the case exists; a validity out of range is refused, naming it
    let c = json!({"c": case_id});
    assert_eq!(
        code(
            &world
                .app
                .run(ISSUE, c.clone(), Some(&world.bystander))
                .await
        ),
        "FORBIDDEN"
    );
    assert_eq!(
        code(
            &world
                .app
                .run(ISSUE, c.clone(), Some(&world.elsewhere))
                .await
        ),
        "NOT_FOUND"
    );
    for hours in [0, 4321] {
        let refused = world
            .app
            .run(
                ISSUE,
                json!({"c": case_id, "h": hours}),
                Some(&world.steward),
            )
            .await;
        assert_eq!(code(&refused), "BAD_USER_INPUT");
        assert_eq!(refused["errors"][0]["extensions"]["field"], "ttlHours");
    }
    assert_eq!(
        world.app.ok(LIST, c.clone(), &world.leader).await["progressLinks"],
        json!([])
    );

    // The lead steward issues one: 30 days by default, live, with its page and QR code
    let issued = world.app.ok(ISSUE, c.clone(), &world.steward).await["issueProgressLink"].clone();
    assert_eq!(issued["live"], true);
    assert_eq!(issued["channel"], "QR_CODE");
    assert_eq!(
        issued["expiresAt"],
        json!((start() + Duration::days(30)).to_rfc3339())
    );
    let url = issued["url"].as_str().expect("a url").to_owned();
    assert!(url.contains("/progress/p1."), "{url}");
    assert_eq!(issued["qrSvgUrl"], json!(format!("{url}/qr.svg")));
    let link_id = issued["linkId"].as_str().expect("an id").to_owned();
    assert!(!url.contains(&link_id), "the id alone is not the link");
    assert_eq!(opens(&world, &url).await, Ok(()));

    // Whoever may read the case sees the list; others are not told it exists
    let listed = world.app.ok(LIST, c.clone(), &world.leader).await;
    assert_eq!(
        listed["progressLinks"],
        json!([{"linkId": link_id, "live": true, "url": url}])
    );
    assert_eq!(
        code(
            &world
                .app
                .run(LIST, c.clone(), Some(&world.town_auditor))
                .await
        ),
        "NOT_FOUND"
    );

    // Only the team revokes; an unknown link is not found
    let l = json!({"c": case_id, "l": link_id});
    assert_eq!(
        code(
            &world
                .app
                .run(REVOKE, l.clone(), Some(&world.bystander))
                .await
        ),
        "FORBIDDEN"
    );
    let unknown = world
        .app
        .run(
            REVOKE,
            json!({"c": case_id, "l": "nosuchlink"}),
            Some(&world.steward),
        )
        .await;
    assert_eq!(code(&unknown), "NOT_FOUND");
    assert_eq!(
        opens(&world, &url).await,
        Ok(()),
        "refusals changed nothing"
    );

    // Revoked: the link opens nothing from now on, and is not revoked twice
    let revoked =
        world.app.ok(REVOKE, l.clone(), &world.steward).await["revokeProgressLink"].clone();
    assert_eq!(revoked["live"], false);
    assert_eq!(revoked["url"], Value::Null);
    assert!(revoked["revokedAt"].is_string());
    assert_eq!(opens(&world, &url).await, Err(OpenRefusal::Revoked));
    assert_eq!(
        code(&world.app.run(REVOKE, l, Some(&world.steward)).await),
        "BAD_USER_INPUT"
    );
    let listed = world.app.ok(LIST, c.clone(), &world.leader).await;
    assert_eq!(
        listed["progressLinks"],
        json!([{"linkId": link_id, "live": false, "url": null}])
    );

    // A link past its expiry opens nothing either
    let short = world
        .app
        .ok(ISSUE, json!({"c": case_id, "h": 1}), &world.steward)
        .await["issueProgressLink"]["url"]
        .as_str()
        .expect("a url")
        .to_owned();
    let (case_of_short, short_id) = named(&world, &short);
    world.app.clock().set(start() + Duration::hours(1));
    let opened = world
        .app
        .state
        .app
        .open_progress_link(&case_of_short, &short_id, enterprise_context())
        .await
        .expect("no fault");
    assert_eq!(opened.map(|_| ()), Err(OpenRefusal::Expired));
}

both_backends!(the_team_issues_and_revokes_and_revocation_holds_at_once);

async fn a_lookup_needs_number_uscc_and_phone_and_every_look_is_recorded(app: TestApp) {
    let world = World::new(app).await;
    let case_id = world
        .case_in_service(
            &world.steward,
            "li.ming",
            enterprise("进度科技", 2, crate::world::VILLAGE),
        )
        .await;
    let number = world
        .app
        .ok(
            "query($c: ID!) { case(id: $c) { caseNumber } }",
            json!({"c": case_id}),
            &world.leader,
        )
        .await["case"]["caseNumber"]
        .as_str()
        .expect("a number")
        .to_owned();
    let app = &world.app.state.app;
    let look = |n: String, u: String, p: &'static str| async move {
        app.look_up_progress(&n, &u, p, enterprise_context()).await
    };

    let found = look(number.clone(), uscc(2), "5678").await.expect("found");
    assert_eq!(found.case_id, case_id);
    // Lower case and full-width input read the same
    assert!(look(format!(" {number} "), uscc(2).to_lowercase(), "5678")
        .await
        .is_ok());

    // Every wrong answer reads the same
    for (n, u, p) in [
        (number.clone(), uscc(2), "1234"),
        (number.clone(), uscc(3), "5678"),
        ("2024-0099".to_owned(), uscc(2), "5678"),
        ("2023-0001".to_owned(), uscc(2), "5678"),
    ] {
        let refused = look(n.clone(), u, p).await;
        assert!(
            matches!(refused, Err(AppError::NotFound { ref what }) if what == "case"),
            "{n} {p}: {refused:?}"
        );
    }
    // Malformed input is named
    for (n, u, p, field) in [
        ("2024-1".to_owned(), uscc(2), "5678", "caseNumber"),
        (number.clone(), "9161".to_owned(), "5678", "uscc"),
        (number.clone(), uscc(2), "56a8", "phoneLastFour"),
    ] {
        match look(n, u, p).await {
            Err(AppError::BadInput { field: named, .. }) => assert_eq!(named, field),
            other => panic!("{field}: {other:?}"),
        }
    }

    // The access log shows both looks of the enterprise (and no refused one)
    let state = &world.app.state;
    state
        .read
        .wait_for(found.recorded.position, std::time::Duration::from_secs(10))
        .await
        .expect("read");
    let reads = crate::access_log::reads_of(&world, &case_id).await;
    let looks: Vec<&Value> = reads
        .iter()
        .filter(|node| node["actor"] == ENTERPRISE_ACTOR)
        .collect();
    assert_eq!(looks.len(), 2, "{reads:?}");
    assert_eq!(
        looks[0]["payload"]["PersonalDataRead"]["purpose"],
        "办件进度 (case number, USCC and phone lookup)"
    );
}

both_backends!(a_lookup_needs_number_uscc_and_phone_and_every_look_is_recorded);
