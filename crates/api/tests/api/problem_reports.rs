//! The division's queue of 办不成事 reports over GraphQL: the phone always masked, a town's
//! staff not told of the district's reports, the phone revealed whole only on purpose and
//! recorded in the access log, a steward assigns, only a leader signs the answer
//! off, and the signer is on record.

use guanjia_app::reports::ProblemInput;
use guanjia_domain::report::ReportSubjectInput;
use guanjia_store::{CommandContext, EventMetadata};
use serde_json::json;

use crate::helpers::*;
use crate::world::World;

const QUEUE: &str = "query { problemReports { trackingCode about account phone status assignee answer signedOffBy } }";

async fn the_queue_masks_the_phone_and_a_leader_signs_off_the_answer(app: TestApp) {
    let world = World::new(app).await;
    let context = CommandContext::new(EventMetadata {
        actor_id: "public".to_owned(),
        actor_role: "public".to_owned(),
        correlation_id: "r".to_owned(),
        causation_id: "r".to_owned(),
        request_id: "r".to_owned(),
        channel: "test".to_owned(),
    });
    let input = ProblemInput {
        subject: ReportSubjectInput::Department {
            name: "区住建局".to_owned(),
        },
        account: "施工许可材料三次被退回".to_owned(),
        phone: "13700001111".to_owned(),
    };
    let receipt = world
        .app
        .state
        .app
        .report_problem(input, context)
        .await
        .expect("a report");
    let code = receipt.tracking_code;
    let at_least = receipt.committed.position.to_string();
    let wait = "query($p: String) { problemReports(atLeast: $p) { trackingCode } }";
    world
        .app
        .ok(wait, json!({"p": at_least}), &world.leader)
        .await;

    // The district's leader sees it, the phone masked; a town's steward sees nothing
    let queue = world.app.ok(QUEUE, json!({}), &world.leader).await;
    assert_eq!(
        queue["problemReports"][0],
        json!({"trackingCode": code, "about": "区住建局", "account": "施工许可材料三次被退回",
               "phone": "137****1111", "status": "LODGED", "assignee": null, "answer": null,
               "signedOffBy": null})
    );
    let town = world.app.ok(QUEUE, json!({}), &world.steward).await;
    assert_eq!(town["problemReports"], json!([]));

    // The phone whole is a deliberate reveal, recorded under the tracking code; not for a town
    let reveal = "query($c: String!) { problemReportPhone(trackingCode: $c) }";
    let shown = world
        .app
        .ok(reveal, json!({"c": code}), &world.leader)
        .await;
    assert_eq!(shown["problemReportPhone"], "13700001111");
    let reads = crate::access_log::reads_of(&world, &code).await;
    assert_eq!(reads.len(), 1, "{reads:#?}");
    assert_eq!(reads[0]["actor"], "chen.jun");
    assert_eq!(
        reads[0]["payload"]["PersonalDataRead"]["fields"],
        json!(["reporter.phone"])
    );
    let refused = world
        .app
        .run(reveal, json!({"c": code}), Some(&world.steward))
        .await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "NOT_FOUND");

    // The leader assigns it; the town's steward is not told it exists
    let assign = "mutation($c: String!, $a: String!) { assignProblemReport(trackingCode: $c, assignee: $a) { position } }";
    let refused = world
        .app
        .run(
            assign,
            json!({"c": code, "a": "li.ming"}),
            Some(&world.steward),
        )
        .await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "NOT_FOUND");
    world
        .app
        .ok(assign, json!({"c": code, "a": "chen.jun"}), &world.leader)
        .await;
    // An auditor may read but not answer; the leader signs the answer off
    let resolve = "mutation($c: String!) { resolveProblemReport(trackingCode: $c, answer: \"已协调住建局三日内办结\") { position } }";
    let refused = world
        .app
        .run(resolve, json!({"c": code}), Some(&world.auditor))
        .await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "FORBIDDEN");
    let done = world
        .app
        .ok(resolve, json!({"c": code}), &world.leader)
        .await;
    let p = done["resolveProblemReport"]["position"].clone();
    world.app.ok(wait, json!({"p": p}), &world.leader).await;
    let queue = world.app.ok(QUEUE, json!({}), &world.auditor).await;
    assert_eq!(queue["problemReports"][0]["status"], "RESOLVED");
    assert_eq!(queue["problemReports"][0]["signedOffBy"], "chen.jun");
    assert_eq!(queue["problemReports"][0]["phone"], "137****1111");
}
both_backends!(the_queue_masks_the_phone_and_a_leader_signs_off_the_answer);
