//! Subscriptions executed on the schema: a subscriber sees the events of a case it may read,
//! and is not told that a case outside its scope exists.

use std::time::Duration;

use async_graphql::futures_util::StreamExt;
use guanjia_api::graphql::RequestContext;
use serde_json::json;

use crate::cases::{cast, registered_case, NOTE};
use crate::helpers::*;

#[tokio::test]
async fn a_subscriber_receives_the_events_of_the_case() {
    let app = spawn_schema().await;
    let cast = cast(&app).await;
    let case_id = registered_case(&app, &cast).await;
    let context = RequestContext {
        request_id: "sub-1".to_owned(),
        correlation_id: "sub-1".to_owned(),
        auth: app
            .state
            .auth
            .authenticate_header(Some(&format!("Bearer {}", cast.leader))),
    };
    let query =
        format!(r#"subscription {{ caseEvents(caseId: "{case_id}") {{ eventType actorId }} }}"#);
    let mut stream = app
        .schema
        .execute_stream(async_graphql::Request::new(query).data(context));
    let next = tokio::spawn(async move { stream.next().await });
    // Let the subscription start following the log before the event is written.
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.run(
        NOTE,
        json!({"c": case_id, "t": "订阅测试"}),
        Some(&cast.steward),
    )
    .await;
    let received = tokio::time::timeout(Duration::from_secs(10), next)
        .await
        .expect("an event within 10 s")
        .expect("the task ran")
        .expect("the stream yielded");
    let value = serde_json::to_value(received).expect("serialises");
    assert_eq!(
        value["data"]["caseEvents"],
        json!({"eventType": "NoteAdded", "actorId": "li.ming"})
    );

    let outsider = RequestContext {
        request_id: "sub-2".to_owned(),
        correlation_id: "sub-2".to_owned(),
        auth: app
            .state
            .auth
            .authenticate_header(Some(&format!("Bearer {}", cast.elsewhere))),
    };
    let query = format!(r#"subscription {{ caseEvents(caseId: "{case_id}") {{ eventType }} }}"#);
    let mut refused = app
        .schema
        .execute_stream(async_graphql::Request::new(query).data(outsider));
    let first = refused.next().await.expect("an answer");
    let value = serde_json::to_value(first).expect("serialises");
    assert_eq!(code(&value), "NOT_FOUND");
}
