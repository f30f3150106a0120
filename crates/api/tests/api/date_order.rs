//! The order of business dates over the API (issue 15): the walk's failure — a case registered
//! today that accepted a signing, a visit, an item, a complaint, a closure and a rating dated
//! months before — is refused step by step with BAD_USER_INPUT naming the field and the rule
//! `date_order`, on both backends.

use serde_json::{json, Value};

use crate::helpers::*;
use crate::world::{enterprise, World, VILLAGE};

/// (code, field, rule) of the first error.
fn refusal(response: &Value) -> (String, String, String) {
    let error = &response["errors"][0];
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    (
        text(&error["extensions"]["code"]),
        text(&error["extensions"]["field"]),
        text(&error["extensions"]["rule"]),
    )
}

fn date_order(field: &str) -> (String, String, String) {
    (
        "BAD_USER_INPUT".to_owned(),
        field.to_owned(),
        "date_order".to_owned(),
    )
}

async fn steps_dated_before_the_registration_are_refused(app: TestApp) {
    let world = World::new(app).await;
    let steward = world.steward.clone();
    let case_id = world
        .register(&steward, enterprise("安康恒口新材料有限公司", 1, VILLAGE))
        .await;
    let run = |step: &'static str| {
        let world = &world;
        let steward = &steward;
        let case_id = &case_id;
        async move {
            let query = format!("mutation($c: ID!) {{ {step} }}");
            world
                .app
                .run(&query, json!({"c": case_id}), Some(steward))
                .await
        }
    };
    let assign = "mutation($c: ID!) { assignLeadSteward(caseId: $c, input: {steward: \"li.ming\", tier: TOWN}) { events } }";
    world
        .app
        .ok(assign, json!({"c": case_id}), &world.leader)
        .await;

    let early_signing = run(r#"signAgreement(caseId: $c, input: {scope: FULL_LIFECYCLE, signedOn: "2023-05-01", signatories: ["王经理"]}) { events }"#).await;
    assert_eq!(
        refusal(&early_signing),
        date_order("signedOn"),
        "{early_signing}"
    );
    assert_eq!(
        message(&early_signing),
        "signed_on: 2023-05-01 is before the registration (2024-03-15)"
    );
    let early_visit = run(r#"scheduleVisit(caseId: $c, input: {scheduledAt: "2023-06-01T02:00:00Z", place: "厂区", purpose: "走访", plannedParticipants: []}) { events }"#).await;
    assert_eq!(
        refusal(&early_visit),
        date_order("scheduledAt"),
        "{early_visit}"
    );
    let early_complaint = run(r#"lodgeComplaint(caseId: $c, input: {channel: HOTLINE_12345, content: "慢", complainant: {}, lodgedOn: "2023-06-03"}) { events }"#).await;
    assert_eq!(
        refusal(&early_complaint),
        date_order("lodgedOn"),
        "{early_complaint}"
    );
    let early_closure = run(r#"closeCase(caseId: $c, input: {reason: ENTERPRISE_WITHDREW, summary: "撤回", closedOn: "2024-03-01"}) { events }"#).await;
    assert_eq!(
        refusal(&early_closure),
        date_order("closedOn"),
        "{early_closure}"
    );

    for step in [
        r#"signAgreement(caseId: $c, input: {scope: FULL_LIFECYCLE, signedOn: "2024-03-15", signatories: ["王经理"]}) { events }"#,
        r#"adoptPlan(caseId: $c, input: {text: "一企一策", plannedItems: [], milestones: []}) { events }"#,
    ] {
        let answer = run(step).await;
        assert!(answer["errors"].is_null(), "{answer}");
    }
    let early_item = run(r#"requestServiceItem(caseId: $c, input: {implementationCode: "QYSL-001", mode: PROXY, requestedOn: "2023-06-02"}) { events }"#).await;
    assert_eq!(
        refusal(&early_item),
        date_order("requestedOn"),
        "{early_item}"
    );
    assert_eq!(
        message(&early_item),
        "requested_on: 2023-06-02 is before the signing (2024-03-15)"
    );

    // Nothing refused reached the case: no step of 2023 counts anywhere.
    let case = world
        .app.ok("query($c: ID!) { case(id: $c) { state visits { visitNo } items { itemNo } complaints { complaintNo } } }", json!({"c": case_id}), &steward)
        .await;
    assert_eq!(
        case["case"],
        json!({"state": "IN_SERVICE", "visits": [], "items": [], "complaints": []})
    );
}

both_backends!(steps_dated_before_the_registration_are_refused);
