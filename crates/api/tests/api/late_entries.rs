//! Late entries (补录) over the API, on both backends: a step dated more than 3 working days
//! before today (Friday 2024-03-15) is refused without `lateReason`, recorded with it — the
//! record of the late entry first, in the same commit — and flagged on the timeline; a step
//! three working days back needs no reason.

use serde_json::{json, Value};

use crate::helpers::*;
use crate::world::{enterprise, World, VILLAGE};

const REGISTER_LATE: &str = "mutation($i: RegisterCaseInput!, $r: String) { registerCase(input: $i, lateReason: $r) { caseId events case { timeline { eventType businessDate summary } } } }";

fn registration(on: &str) -> Value {
    json!({"enterprise": enterprise("安康恒口新材料有限公司", 1, VILLAGE),
           "leadSource": "INVESTMENT_PROMOTION", "stage": "ESTABLISHMENT", "registeredOn": on})
}

async fn a_late_entry_needs_a_reason_and_is_flagged(app: TestApp) {
    let world = World::new(app).await;
    let refused = world
        .app
        .run(
            REGISTER_LATE,
            json!({"i": registration("2024-03-01")}),
            Some(&world.steward),
        )
        .await;
    let extensions = &refused["errors"][0]["extensions"];
    assert_eq!(
        (
            &extensions["code"],
            &extensions["field"],
            &extensions["rule"]
        ),
        (
            &json!("BAD_USER_INPUT"),
            &json!("lateReason"),
            &json!("late_entry")
        ),
        "{refused}"
    );
    assert_eq!(
        message(&refused),
        "late_reason: the step is dated 2024-03-01, 10 working days ago (more than 3): a late entry (补录) needs a reason"
    );

    let recorded = world
        .app
        .ok(
            REGISTER_LATE,
            json!({"i": registration("2024-03-01"), "r": "纸质台账补录"}),
            &world.steward,
        )
        .await;
    let result = &recorded["registerCase"];
    assert_eq!(
        result["events"],
        json!(["LateEntryRecorded", "CaseRegistered"])
    );
    let case_id = result["caseId"].clone();

    // Three working days back (Tuesday 2024-03-12) is no late entry: no reason, no flag.
    let assign = "mutation($c: ID!) { assignLeadSteward(caseId: $c, input: {steward: \"li.ming\", tier: TOWN}) { events } }";
    world
        .app
        .ok(assign, json!({"c": case_id}), &world.leader)
        .await;
    let signed = world
        .app.ok(r#"mutation($c: ID!) { signAgreement(caseId: $c, input: {scope: FULL_LIFECYCLE, signedOn: "2024-03-12", signatories: ["王经理"]}) { events } }"#, json!({"c": case_id}), &world.steward)
        .await;
    assert_eq!(
        signed["signAgreement"]["events"],
        json!(["AgreementSigned"])
    );
}

both_backends!(a_late_entry_needs_a_reason_and_is_flagged);
