//! Subscriptions executed on the schema, on both backends: a subscriber sees the events another
//! client makes on a case it may read and is not told that a case outside its scope exists; a
//! leader's dashboard is pushed when its figures change.

use std::time::Duration;

use async_graphql::futures_util::{Stream, StreamExt};
use async_graphql::Response;
use guanjia_api::graphql::RequestContext;
use serde_json::{json, Value};

use crate::cases::{cast, registered_case, NOTE};
use crate::helpers::*;
use crate::world::{enterprise, World, VILLAGE};

/// The next message of a subscription, as JSON; fails after 10 s.
async fn next(stream: &mut (impl Stream<Item = Response> + Unpin)) -> Value {
    let received = tokio::time::timeout(Duration::from_secs(10), stream.next())
        .await
        .expect("a message within 10 s")
        .expect("the stream is open");
    serde_json::to_value(received).expect("serialises")
}

async fn a_subscriber_receives_the_events_another_client_makes(app: TestApp) {
    let cast = cast(&app).await;
    let case_id = registered_case(&app, &cast).await;
    let query =
        format!(r#"subscription {{ caseEvents(caseId: "{case_id}") {{ eventType actorId }} }}"#);
    let request = async_graphql::Request::new(query).data(app.context(&cast.leader).await);
    let mut stream = app.schema.execute_stream(request);
    let next_event = tokio::spawn(async move { next(&mut stream).await });
    // Let the subscription start following the log before the event is written.
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.run(
        NOTE,
        json!({"c": case_id, "t": "订阅测试"}),
        Some(&cast.steward),
    )
    .await;
    let value = next_event.await.expect("the task ran");
    assert_eq!(
        value["data"]["caseEvents"],
        json!({"eventType": "NoteAdded", "actorId": "li.ming"})
    );

    let query = format!(r#"subscription {{ caseEvents(caseId: "{case_id}") {{ eventType }} }}"#);
    for (token, expected) in [(&cast.elsewhere, "NOT_FOUND")] {
        let request = async_graphql::Request::new(query.clone()).data(app.context(token).await);
        let mut refused = app.schema.execute_stream(request);
        let value = next(&mut refused).await;
        assert_eq!(code(&value), expected);
    }
    let admin = app.admin().await;
    let request = async_graphql::Request::new(query).data(app.context(&admin).await);
    let value = next(&mut app.schema.execute_stream(request)).await;
    assert_eq!(code(&value), "FORBIDDEN");
}
both_backends!(a_subscriber_receives_the_events_another_client_makes);

const DASHBOARD: &str = "subscription($d: String) { dashboardChanged(division: $d) {
  division from to period { casesSigned } now { openCases } } }";

async fn a_leader_is_told_when_the_dashboard_changes(app: TestApp) {
    let world = World::new(app).await;
    let subscribe = |context: RequestContext, division: Value| {
        let request = async_graphql::Request::new(DASHBOARD)
            .variables(async_graphql::Variables::from_json(json!({"d": division})))
            .data(context);
        world.app.schema.execute_stream(request)
    };
    let app = &world.app;
    let mut district = subscribe(app.context(&world.leader).await, Value::Null);
    let first = next(&mut district).await;
    assert_eq!(
        first["data"]["dashboardChanged"],
        json!({"division": DISTRICT, "from": "2024-01-01", "to": "2024-12-31",
               "period": {"casesSigned": 0}, "now": {"openCases": 0}})
    );
    let mut other_town = subscribe(app.context(&world.town_leader).await, Value::Null);
    assert_eq!(
        next(&mut other_town).await["data"]["dashboardChanged"]["now"]["openCases"],
        0
    );

    // Another client registers a case in 恒口镇: the district's dashboard changes.
    world
        .register(&world.steward, enterprise("恒口新材料", 1, VILLAGE))
        .await;
    let update = next(&mut district).await;
    assert_eq!(update["data"]["dashboardChanged"]["now"]["openCases"], 1);
    // The other town's figures did not move, so nothing is sent there; its first update is
    // the case registered in that town.
    world
        .register(&world.elsewhere, enterprise("关庙物流", 2, OTHER_TOWN))
        .await;
    let update = next(&mut other_town).await;
    assert_eq!(update["data"]["dashboardChanged"]["now"]["openCases"], 1);
    let update = next(&mut district).await;
    assert_eq!(update["data"]["dashboardChanged"]["now"]["openCases"], 2);

    for (token, division, expected) in [
        (&world.steward, Value::Null, "FORBIDDEN"),
        (&world.town_leader, json!(TOWN), "FORBIDDEN"),
        (&world.leader, json!("6109"), "BAD_USER_INPUT"),
    ] {
        let value = next(&mut subscribe(app.context(token).await, division)).await;
        assert_eq!(code(&value), expected, "{value}");
    }
}
both_backends!(a_leader_is_told_when_the_dashboard_changes);
