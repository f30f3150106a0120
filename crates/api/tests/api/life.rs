//! A whole case life through GraphQL, from registration to closing and reopening, on both
//! backends. Every mutation returns the case read after its own events, and each step checks
//! that the returned case shows the change it just made (read-your-writes).

use serde_json::json;

use crate::helpers::*;
use crate::world::{enterprise, rating, Life, World, CASE, VILLAGE};

async fn a_case_goes_from_registration_to_closing_and_reopening(app: TestApp) {
    let world = World::new(app).await;
    let registered = world
        .app.ok(&format!("mutation($i: RegisterCaseInput!) {{ registerCase(input: $i) {{ caseId caseNumber caughtUp case {{ ...C }} }} }} {CASE}"), json!({"i": {"enterprise": enterprise("安康恒口新材料有限公司", 1, VILLAGE),
                         "leadSource": "INVESTMENT_PROMOTION", "stage": "ESTABLISHMENT"}}), &world.steward)
        .await;
    let result = &registered["registerCase"];
    assert_eq!(result["caughtUp"], true);
    assert_eq!(result["case"]["state"], "REGISTERED");
    assert_eq!(result["case"]["caseNumber"], result["caseNumber"]);
    assert_eq!(result["case"]["timeline"][0]["eventType"], "CaseRegistered");
    let life = Life {
        case_id: result["caseId"].as_str().expect("an id").to_owned(),
        world,
    };
    let (steward, leader) = (&life.world.steward, &life.world.leader);

    let case = life
        .step(
            leader,
            "assignLeadSteward",
            r#"{steward: "li.ming", tier: TOWN}"#,
        )
        .await;
    assert_eq!(case["leadSteward"], "li.ming");
    assert_eq!(case["team"]["leadSteward"]["username"], "li.ming");
    let case = life
        .step(
            leader,
            "addTeamMember",
            r#"{userId: "zhao.lei", role: "镇级代办员", tier: TOWN}"#,
        )
        .await;
    assert_eq!(case["team"]["members"], json!([{"username": "zhao.lei"}]));
    let case = life
        .step(
            steward,
            "signAgreement",
            r#"{scope: FULL_LIFECYCLE, signedOn: "2024-03-15", signatories: ["王经理", "李明"]}"#,
        )
        .await;
    assert_eq!(case["state"], "SIGNED");
    assert_eq!(case["agreement"]["scope"], "FULL_LIFECYCLE");
    let case = life
        .step(
            steward,
            "adoptPlan",
            r#"{text: "一企一策", plannedItems: ["QYSL-001"], milestones: [{name: "设立登记", dueOn: "2024-04-30"}]}"#,
        )
        .await;
    assert_eq!(
        (&case["state"], &case["plan"]["version"]),
        (&json!("IN_SERVICE"), &json!(1))
    );
    let case = life
        .step(
            steward,
            "addProject",
            r#"{code: "2023-610902-48-01-012345", name: "新材料一期", investmentYuan: 120000000, keyProject: true, listYear: 2024}"#,
        )
        .await;
    assert_eq!(
        case["projects"][0],
        json!({"code": "2023-610902-48-01-012345", "keyProject": true,
               "investment": {"fen": 12_000_000_000_i64, "yuan": 120_000_000}})
    );

    let case = life
        .step(
            steward,
            "scheduleVisit",
            r#"{scheduledAt: "2024-03-15T01:00:00Z", place: "企业厂区", purpose: "了解用地需求", plannedParticipants: ["李明"]}"#,
        )
        .await;
    assert_eq!(
        case["visits"],
        json!([{"visitNo": 1, "status": "SCHEDULED"}])
    );
    let case = life
        .step(
            steward,
            "conductVisit",
            r#"{visitNo: 1, conductedAt: "2024-03-15T01:30:00Z", participants: ["李明"], notes: "走访", issuesRaised: [], followUps: []}"#,
        )
        .await;
    assert_eq!(case["visits"][0]["status"], "CONDUCTED");
    let case = life.step(steward, "rate", &rating("VISIT", 1, 5)).await;
    assert_eq!(case["ratings"][0]["level"], 5);

    let case = life
        .step(
            steward,
            "requestServiceItem",
            r#"{implementationCode: "QYSL-001", mode: PROXY}"#,
        )
        .await;
    assert_eq!(case["items"][0]["status"], "REQUESTED");
    assert_eq!(
        case["items"][0]["catalog"],
        json!({"implementationCode": "QYSL-001", "version": 1})
    );
    let case = life
        .step(
            steward,
            "acceptServiceItem",
            r#"{itemNo: 1, receiptNo: "SL-1"}"#,
        )
        .await;
    let item = &case["items"][0];
    assert_eq!(
        (&item["status"], &item["timeStatus"]),
        (&json!("ACCEPTED"), &json!("ON_TIME"))
    );
    // Accepted Friday 2024-03-15 with a 1-day limit: due Monday.
    assert_eq!(
        item["deadline"],
        json!({"date": "2024-03-18", "suspended": false, "provisional": false})
    );
    let case = life
        .step(
            steward,
            "suspendServiceItem",
            r#"{itemNo: 1, reason: CORRECTION, note: "补正"}"#,
        )
        .await;
    assert_eq!(case["items"][0]["status"], "SUSPENDED");
    assert_eq!(case["items"][0]["deadline"]["suspended"], true);
    let case = life.step(steward, "resumeServiceItem", "{itemNo: 1}").await;
    assert_eq!(case["items"][0]["status"], "ACCEPTED");
    assert_eq!(case["items"][0]["suspensions"][0]["reason"], "CORRECTION");
    let case = life
        .step(
            steward,
            "extendServiceItem",
            r#"{itemNo: 1, days: 2, approver: "chen.jun", reason: "现场核查"}"#,
        )
        .await;
    assert_eq!(case["items"][0]["extensionDays"], 2);
    let case = life
        .step(
            steward,
            "concludeServiceItem",
            r#"{itemNo: 1, outcome: GRANTED, resultReference: "证-1", materialsSubmitted: 2, onsiteTrips: 0}"#,
        )
        .await;
    assert_eq!(
        (&case["items"][0]["status"], &case["items"][0]["outcome"]),
        (&json!("CONCLUDED"), &json!("GRANTED"))
    );

    let case = life.step(steward, "rate", &rating("ITEM", 1, 2)).await;
    assert_eq!(
        case["ratings"][1]["badRatingLoop"]["stage"],
        "AWAITING_CALL_BACK"
    );
    let case = life
        .step(
            steward,
            "recordCallBack",
            r#"{ratingNo: 2, confirmed: true, notes: "等待过长"}"#,
        )
        .await;
    assert_eq!(
        case["ratings"][1]["badRatingLoop"]["stage"],
        "AWAITING_RECTIFICATION"
    );
    let case = life
        .step(
            steward,
            "recordRectification",
            r#"{ratingNo: 2, measures: "增设帮办窗口"}"#,
        )
        .await;
    assert_eq!(case["ratings"][1]["badRatingLoop"]["stage"], "RECTIFIED");
    let follow_up =
        rating("ITEM", 1, 4).replacen("targetKind: ITEM, targetNo: 1", "ratingNo: 2", 1);
    let case = life.step(steward, "rateFollowUp", &follow_up).await;
    assert_eq!(case["ratings"][2]["followUpOf"], 2);

    let case = life
        .step(
            steward,
            "lodgeComplaint",
            r#"{channel: HOTLINE_12345, content: "验收排期慢", complainant: {name: "李四"}}"#,
        )
        .await;
    assert_eq!(case["complaints"][0]["status"], "LODGED");
    let case = life
        .step(
            steward,
            "assignComplaint",
            r#"{complaintNo: 1, assignee: "li.ming"}"#,
        )
        .await;
    assert_eq!(case["complaints"][0]["assignee"], "li.ming");
    // The team does not answer a complaint about itself: a leader of the division signs it off.
    let case = life
        .step(
            leader,
            "resolveComplaint",
            r#"{complaintNo: 1, answer: "已协调"}"#,
        )
        .await;
    assert_eq!(case["complaints"][0]["status"], "RESOLVED");
    assert_eq!(case["complaints"][0]["signedOffBy"], "chen.jun");

    let case = life.step(steward, "addNote", r#"{text: "电话回访"}"#).await;
    assert_eq!(case["notes"], json!([{"text": "电话回访"}]));
    let case = life
        .step(
            steward,
            "correctEnterpriseDetails",
            r#"{address: "恒口镇工业园 8 号", reason: "地址变更"}"#,
        )
        .await;
    assert_eq!(case["enterprise"]["address"], "恒口镇工业园 8 号");
    assert_eq!(
        case["enterprise"]["corrections"][0]["changes"][0]["field"],
        "address"
    );
    let case = life
        .step(steward, "advanceStage", "{to: CONSTRUCTION}")
        .await;
    assert_eq!(case["stage"], "CONSTRUCTION");
    let case = life
        .step(steward, "holdCase", r#"{reason: "企业资金调整"}"#)
        .await;
    assert_eq!(case["state"], "ON_HOLD");
    let case = life.step(steward, "resumeCase", "{}").await;
    assert_eq!(case["state"], "IN_SERVICE");
    let case = life
        .step(
            steward,
            "closeCase",
            r#"{reason: ALL_ITEMS_CONCLUDED, summary: "事项全部办结"}"#,
        )
        .await;
    assert_eq!(case["state"], "CLOSED");
    assert_eq!(
        case["lifecycle"][2],
        json!({"kind": "CLOSED", "term": null, "closeReason": "ALL_ITEMS_CONCLUDED"})
    );
    let case = life
        .step(steward, "reopenCase", r#"{reason: "二期项目启动"}"#)
        .await;
    assert_eq!(
        (&case["state"], &case["term"]),
        (&json!("IN_SERVICE"), &json!(2))
    );

    let timeline = case["timeline"].as_array().expect("a timeline");
    assert_eq!(timeline.len(), 29, "{timeline:?}");
    assert_eq!(
        timeline[1],
        json!({"eventType": "LeadStewardAssigned", "actor": "chen.jun"})
    );
    assert_eq!(timeline[28]["eventType"], "CaseReopened");
}
both_backends!(a_case_goes_from_registration_to_closing_and_reopening);
