//! A rating's channel says how it arrived (issue 15): staff who enter a rating are recorded as
//! its recorder and name the channel it was given on; they cannot label their own entry as a
//! QR-code or SMS rating, which only a one-time link gives. Over the API, on both backends.

use serde_json::json;

use crate::helpers::*;
use crate::world::{enterprise, Life, World, VILLAGE};

/// The rating of visit 1 with `channel`, as the GraphQL input.
fn visit_rating(channel: &str) -> String {
    format!(
        r#"{{targetKind: VISIT, targetNo: 1, rating: {{level: 4, dimensionSet: OFFLINE_2019, dimensions: [{{dimension: "efficiency", level: 4}}], channel: {channel}, rater: {{name: "张三"}}}}}}"#
    )
}

async fn staff_cannot_enter_a_rating_as_given_by_qr_code_or_sms(app: TestApp) {
    let world = World::new(app).await;
    let steward = world.steward.clone();
    let case_id = world
        .case_in_service(
            &steward,
            "li.ming",
            enterprise("安康评价渠道有限公司", 1, VILLAGE),
        )
        .await;
    let life = Life { world, case_id };
    life.step(
        &steward,
        "scheduleVisit",
        r#"{scheduledAt: "2024-03-15T01:00:00Z", place: "企业厂区", purpose: "走访", plannedParticipants: []}"#,
    )
    .await;
    life.step(
        &steward,
        "conductVisit",
        r#"{visitNo: 1, conductedAt: "2024-03-15T01:30:00Z", participants: ["李明"], notes: "走访", issuesRaised: [], followUps: []}"#,
    )
    .await;

    for channel in ["QR_CODE", "SMS"] {
        let query = format!(
            "mutation($c: ID!) {{ rate(caseId: $c, input: {}) {{ events }} }}",
            visit_rating(channel)
        );
        let refused = life
            .world
            .app
            .run(&query, json!({"c": life.case_id}), Some(&steward))
            .await;
        assert_eq!(code(&refused), "BAD_USER_INPUT", "{channel}: {refused}");
        let extensions = &refused["errors"][0]["extensions"];
        assert_eq!(extensions["field"], "channel", "{channel}: {refused}");
        assert_eq!(
            extensions["rule"], "link_only_channel",
            "{channel}: {refused}"
        );
    }

    let case = life
        .step(&steward, "rate", &visit_rating("EVALUATOR_DEVICE"))
        .await;
    assert_eq!(
        case["ratings"].as_array().map(Vec::len),
        Some(1),
        "one rating, the accepted one"
    );
    let recorded = life
        .world
        .app
        .ok(
            "query($c: ID!) { case(id: $c) { ratings { channel recordedBy } } }",
            json!({"c": life.case_id}),
            &steward,
        )
        .await;
    assert_eq!(
        recorded["case"]["ratings"],
        json!([{"channel": "EVALUATOR_DEVICE", "recordedBy": "li.ming"}])
    );
}
both_backends!(staff_cannot_enter_a_rating_as_given_by_qr_code_or_sms);
