//! Closed periods (封账) over the API, on both backends: the district leader closes February
//! 2024; a late signing dated inside it is refused with `PERIOD_CLOSED`; another town's leader
//! may not approve it; the district leader's approval lets it in, and the timeline, the closed
//! periods query, the audit history, the dashboard's late-entry figures and its "as reported /
//! now" of the closed period all show it.
//! Today is 2024-03-15.

use serde_json::{json, Value};

use crate::helpers::*;
use crate::world::{enterprise, World, VILLAGE};

const CLOSE: &str =
    "mutation($d: String!, $p: String!) { closePeriod(division: $d, period: $p) { events } }";
const APPROVE: &str = "mutation($d: String!, $p: String!, $c: ID!, $r: String!) { approveClosedPeriodEntry(division: $d, period: $p, caseId: $c, reason: $r) { events } }";
const SIGN: &str = r#"mutation($c: ID!) { signAgreement(caseId: $c, lateReason: "协议原件后补", input: {scope: FULL_LIFECYCLE, signedOn: "2024-02-10", signatories: ["王经理"]}) { events case { timeline { eventType lateEntry { reason workingDaysLate } closedPeriodApproval { division period approvalNo approvedBy reason } } } } }"#;

fn extensions(response: &Value) -> &Value {
    &response["errors"][0]["extensions"]
}

async fn a_closed_period_refuses_a_step_until_a_leader_of_the_division_approves_it(app: TestApp) {
    let world = World::new(app).await;
    let case = world
        .register_on(
            &world.steward,
            enterprise("安康恒口新材料有限公司", 1, VILLAGE),
            json!("2024-02-01"),
        )
        .await;
    world
        .app.ok("mutation($c: ID!) { assignLeadSteward(caseId: $c, input: {steward: \"li.ming\", tier: TOWN}) { events } }", json!({"c": case}), &world.leader)
        .await;

    // Only leaders close, within their subtree.
    let by_steward = world
        .app
        .run(
            CLOSE,
            json!({"d": TOWN, "p": "2024-02"}),
            Some(&world.steward),
        )
        .await;
    assert_eq!(extensions(&by_steward)["code"], json!("FORBIDDEN"));
    let closed = world
        .app
        .ok(CLOSE, json!({"d": DISTRICT, "p": "2024-02"}), &world.leader)
        .await;
    assert_eq!(closed["closePeriod"]["events"], json!(["PeriodClosed"]));
    let again = world
        .app
        .run(
            CLOSE,
            json!({"d": DISTRICT, "p": "2024-02"}),
            Some(&world.leader),
        )
        .await;
    assert_eq!(extensions(&again)["code"], json!("BAD_USER_INPUT"));
    assert_eq!(
        message(&again),
        "2024-02 of division 610902000000 is already closed (封账 of 2024-02)"
    );

    // The late signing dated inside it is refused.
    let refused = world
        .app
        .run(SIGN, json!({"c": case}), Some(&world.steward))
        .await;
    let ext = extensions(&refused);
    assert_eq!(
        (
            &ext["code"],
            &ext["period"],
            &ext["division"],
            &ext["businessDate"]
        ),
        (
            &json!("PERIOD_CLOSED"),
            &json!("2024-02"),
            &json!(DISTRICT),
            &json!("2024-02-10")
        ),
        "{refused}"
    );

    // Another town's leader may not approve for the district.
    let approval = |r: &str| json!({"d": DISTRICT, "p": "2024-02", "c": case, "r": r});
    let wrong = world
        .app
        .run(APPROVE, approval("镇里同意"), Some(&world.town_leader))
        .await;
    assert_eq!(extensions(&wrong)["code"], json!("FORBIDDEN"));
    let approved = world
        .app
        .ok(APPROVE, approval("二月签约漏录，经核实属实"), &world.leader)
        .await;
    assert_eq!(
        approved["approveClosedPeriodEntry"]["events"],
        json!(["EntryApprovalGranted"])
    );

    // The signing goes in, flagged with both reasons on the timeline.
    let signed = world.app.ok(SIGN, json!({"c": case}), &world.steward).await;
    let result = &signed["signAgreement"];
    assert_eq!(
        result["events"],
        json!([
            "ClosedPeriodEntryApproved",
            "LateEntryRecorded",
            "AgreementSigned"
        ])
    );
    let timeline = result["case"]["timeline"].as_array().expect("a timeline");
    let signing = timeline
        .iter()
        .find(|t| t["eventType"] == "AgreementSigned")
        .expect("the signing");
    assert_eq!(signing["lateEntry"]["reason"], json!("协议原件后补"));
    assert_eq!(
        signing["closedPeriodApproval"],
        json!({"division": DISTRICT, "period": "2024-02", "approvalNo": 1,
               "approvedBy": "chen.jun", "reason": "二月签约漏录，经核实属实"})
    );
    let registration = timeline
        .iter()
        .find(|t| t["eventType"] == "CaseRegistered")
        .expect("the registration");
    assert_eq!(registration["lateEntry"]["reason"], json!("纸质台账补录"));
    assert_eq!(registration["closedPeriodApproval"], Value::Null);

    // The closed periods of the village, read by the district auditor.
    let periods = world
        .app.ok("query($d: String!) { closedPeriods(division: $d) { division period firstDay lastDay closedBy approvals { approvalNo caseId approvedBy reason } } }", json!({"d": VILLAGE}), &world.auditor)
        .await;
    assert_eq!(
        periods["closedPeriods"],
        json!([{"division": DISTRICT, "period": "2024-02", "firstDay": "2024-02-01",
                "lastDay": "2024-02-29", "closedBy": "chen.jun",
                "approvals": [{"approvalNo": 1, "caseId": case, "approvedBy": "chen.jun",
                               "reason": "二月签约漏录，经核实属实"}]}])
    );

    // February's figures: one signing, from a late entry; two late entries (the registration
    // and the signing).
    let board = world
        .app.ok("{ dashboard(from: \"2024-02-01\", to: \"2024-02-29\") { period { casesSigned } lateEntries { entries casesSigned visitsConducted itemsRequested itemsConcluded } closedPeriods { period closedBy asReported { casesSigned } now { casesSigned } changes { caseId eventType businessDate recordedBy lateReason approvedBy approvalReason } } } }", json!({}), &world.leader)
        .await;
    assert_eq!(
        board["dashboard"],
        json!({"period": {"casesSigned": 1},
               "lateEntries": {"entries": 2, "casesSigned": 1, "visitsConducted": 0,
                               "itemsRequested": 0, "itemsConcluded": 0},
               // As reported when closed (no signing yet), now, and the step between.
               "closedPeriods": [{"period": "2024-02", "closedBy": "chen.jun",
                                  "asReported": {"casesSigned": 0}, "now": {"casesSigned": 1},
                                  "changes": [{"caseId": case, "eventType": "AgreementSigned",
                                               "businessDate": "2024-02-10",
                                               "recordedBy": "li.ming",
                                               "lateReason": "协议原件后补",
                                               "approvedBy": "chen.jun",
                                               "approvalReason": "二月签约漏录，经核实属实"}]}]})
    );

    // The auditor's history holds the closing and the approval, with who did them.
    let history = world
        .app.ok("{ auditHistory(filter: {aggregateType: \"reporting_periods\"}) { edges { node { eventType actor aggregateId } } } }", json!({}), &world.auditor)
        .await;
    let events: Vec<(Value, Value, Value)> = history["auditHistory"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| {
            let n = &e["node"];
            (
                n["eventType"].clone(),
                n["actor"].clone(),
                n["aggregateId"].clone(),
            )
        })
        .collect();
    assert_eq!(
        events,
        vec![
            (json!("PeriodClosed"), json!("chen.jun"), json!(DISTRICT)),
            (
                json!("EntryApprovalGranted"),
                json!("chen.jun"),
                json!(DISTRICT)
            ),
        ]
    );
}

both_backends!(a_closed_period_refuses_a_step_until_a_leader_of_the_division_approves_it);
