//! A whole case life over HTTP, on both backends, from registration to closing and reopening.
//! After every mutation the client checks read-your-writes three ways: the case in the
//! mutation's answer shows the change (and ends its timeline with the step's event, at the
//! position returned); a plain `case(id:)` query sent right after to the same server answers
//! the same case; and the returned log position is past the one of the step before.

use std::str::FromStr;

use chrono::{Duration, FixedOffset, SecondsFormat, Utc};
use guanjia_store::LogPosition;
use serde_json::{json, Value};

use crate::helpers::TestApp;
use crate::world::{enterprise, rating, People, VILLAGE};

/// The fields of the case every step returns and reads back.
const CASE: &str = "fragment C on Case { id caseNumber state stage term leadSteward
  agreement { scope } plan { version } team { leadSteward { username } members { username } }
  visits { visitNo status } lifecycle { kind term closeReason }
  items { itemNo status extensionDays outcome deadline { suspended } suspensions { reason } }
  ratings { ratingNo level followUpOf badRatingLoop { stage } }
  complaints { complaintNo status assignee signedOffBy }
  timeline { position eventType actor } }";

/// One step of the life: who, the mutation, its input, the event it appends, and where the
/// case shows the change (JSON pointer, value).
type Step<'a> = (&'a str, &'a str, &'a str, &'a str, Vec<(&'a str, Value)>);

/// The case being lived, and what the client has seen of the log so far.
struct Life<'a> {
    server: &'a TestApp,
    case_id: String,
    last: LogPosition,
    /// Every event type the mutations said they appended, in order.
    appended: Vec<String>,
}

impl Life<'_> {
    /// Runs mutation `field` on the case as `token` and checks its answer; returns the case.
    async fn step(&mut self, token: &str, field: &str, input: &str, events: &[&str]) -> Value {
        let query = format!(
            "mutation($c: ID!) {{ {field}(caseId: $c, input: {input}) {{ caseId position events caughtUp readNote case {{ ...C }} }} }} {CASE}"
        );
        let data = self
            .server
            .ok(&query, json!({"c": self.case_id}), token)
            .await;
        self.read_your_writes(token, field, &data[field], events)
            .await
    }

    /// The three checks of the module documentation, on the answer of mutation `what`.
    async fn read_your_writes(
        &mut self,
        token: &str,
        what: &str,
        answer: &Value,
        events: &[&str],
    ) -> Value {
        assert_eq!(answer["caughtUp"], true, "{what}: {answer}");
        assert!(answer["readNote"].is_null(), "{what}: {answer}");
        assert_eq!(answer["caseId"], json!(self.case_id), "{what}");
        assert_eq!(answer["events"], json!(events), "{what}");
        self.appended.extend(events.iter().map(|e| (*e).to_owned()));

        let position = LogPosition::from_str(answer["position"].as_str().expect("a position"))
            .expect("a log position");
        assert!(
            position > self.last,
            "{what}: {position} is not after {}",
            self.last
        );
        self.last = position;

        let case = answer["case"].clone();
        let timeline = case["timeline"].as_array().expect("a timeline");
        let newest = timeline.last().expect("at least the registration");
        assert_eq!(newest["eventType"], json!(events.last()), "{what}");
        assert_eq!(newest["position"], answer["position"], "{what}");

        // No `atLeast`: the mutation already waited for this server's read model.
        let read = self
            .server
            .ok(
                &format!("query($c: ID!) {{ case(id: $c) {{ ...C }} }} {CASE}"),
                json!({"c": self.case_id}),
                token,
            )
            .await;
        assert_eq!(read["case"], case, "{what}: the read right after differs");
        case
    }
}

async fn a_case_lives_from_registration_to_reopening_over_http(server: &TestApp) {
    let people = People::new(server).await;
    let (steward, leader) = (people.steward.as_str(), people.leader.as_str());
    let registered = server
        .ok(&format!("mutation($i: RegisterCaseInput!) {{ registerCase(input: $i) {{ caseId caseNumber position events caughtUp readNote case {{ ...C }} }} }} {CASE}"), json!({"i": {"enterprise": enterprise("安康恒口新材料有限公司", 1, VILLAGE),
                         "leadSource": "INVESTMENT_PROMOTION", "stage": "ESTABLISHMENT"}}), steward)
        .await;
    let answer = &registered["registerCase"];
    let mut life = Life {
        server,
        case_id: answer["caseId"].as_str().expect("a case id").to_owned(),
        last: LogPosition::START,
        appended: Vec::new(),
    };
    let case = life
        .read_your_writes(steward, "registerCase", answer, &["CaseRegistered"])
        .await;
    assert_eq!(case["state"], "REGISTERED");
    assert_eq!(case["caseNumber"], answer["caseNumber"]);

    // The real clock runs the server: dates are today's in Beijing, instants just past.
    let today =
        (Utc::now().with_timezone(&FixedOffset::east_opt(8 * 3600).expect("UTC+8"))).date_naive();
    // Never before today's midnight: no step may be dated before the registration (today).
    let midnight = today
        .and_hms_opt(0, 0, 0)
        .and_then(|t| {
            t.and_local_timezone(FixedOffset::east_opt(8 * 3600)?)
                .single()
        })
        .expect("midnight in Beijing")
        .with_timezone(&Utc);
    let ago = |hours| {
        (Utc::now() - Duration::hours(hours))
            .max(midnight)
            .to_rfc3339_opts(SecondsFormat::Secs, true)
    };
    let sign = format!(
        r#"{{scope: FULL_LIFECYCLE, signedOn: "{today}", signatories: ["王经理", "李明"]}}"#
    );
    let schedule = format!(
        r#"{{scheduledAt: "{}", place: "企业厂区", purpose: "了解用地需求", plannedParticipants: ["李明"]}}"#,
        ago(2)
    );
    let conduct = format!(
        r#"{{visitNo: 1, conductedAt: "{}", participants: ["李明"], notes: "走访", issuesRaised: [], followUps: []}}"#,
        ago(1)
    );
    let (good_visit, bad_item) = (rating("VISIT", 1, 5), rating("ITEM", 1, 2));
    let follow_up =
        rating("ITEM", 1, 4).replacen("targetKind: ITEM, targetNo: 1", "ratingNo: 2", 1);

    // Who, the mutation, its input, the event it appends, and where the case shows it: a table
    // reads best one step to a row, so rustfmt leaves it as written.
    #[rustfmt::skip]
    let steps: Vec<Step> = vec![
        (leader, "assignLeadSteward", r#"{steward: "li.ming", tier: TOWN}"#, "LeadStewardAssigned",
         vec![("/leadSteward", json!("li.ming")), ("/team/leadSteward/username", json!("li.ming"))]),
        (leader, "addTeamMember", r#"{userId: "zhao.lei", role: "镇级代办员", tier: TOWN}"#, "TeamMemberAdded",
         vec![("/team/members", json!([{"username": "zhao.lei"}]))]),
        (steward, "signAgreement", sign.as_str(), "AgreementSigned",
         vec![("/state", json!("SIGNED")), ("/agreement/scope", json!("FULL_LIFECYCLE"))]),
        (steward, "adoptPlan", r#"{text: "一企一策", plannedItems: ["QYSL-001"], milestones: []}"#, "PlanAdopted",
         vec![("/state", json!("IN_SERVICE")), ("/plan/version", json!(1))]),
        (steward, "scheduleVisit", schedule.as_str(), "VisitScheduled",
         vec![("/visits", json!([{"visitNo": 1, "status": "SCHEDULED"}]))]),
        (steward, "conductVisit", conduct.as_str(), "VisitConducted",
         vec![("/visits/0/status", json!("CONDUCTED"))]),
        (steward, "rate", good_visit.as_str(), "RatingRecorded",
         vec![("/ratings/0/level", json!(5)), ("/ratings/0/badRatingLoop", Value::Null)]),
        (steward, "requestServiceItem", r#"{implementationCode: "QYSL-001", mode: PROXY}"#, "ServiceItemRequested",
         vec![("/items/0/status", json!("REQUESTED"))]),
        (steward, "acceptServiceItem", r#"{itemNo: 1, receiptNo: "SL-1"}"#, "ServiceItemAccepted",
         vec![("/items/0/status", json!("ACCEPTED")), ("/items/0/deadline/suspended", json!(false))]),
        (steward, "suspendServiceItem", r#"{itemNo: 1, reason: CORRECTION, note: "补正"}"#, "ServiceItemSuspended",
         vec![("/items/0/status", json!("SUSPENDED")), ("/items/0/deadline/suspended", json!(true))]),
        (steward, "resumeServiceItem", "{itemNo: 1}", "ServiceItemResumed",
         vec![("/items/0/status", json!("ACCEPTED")), ("/items/0/suspensions/0/reason", json!("CORRECTION"))]),
        (steward, "extendServiceItem", r#"{itemNo: 1, days: 2, approver: "chen.jun", reason: "现场核查"}"#, "ServiceItemExtended",
         vec![("/items/0/extensionDays", json!(2))]),
        (steward, "concludeServiceItem", r#"{itemNo: 1, outcome: GRANTED, resultReference: "证-1", materialsSubmitted: 2, onsiteTrips: 0}"#, "ServiceItemConcluded",
         vec![("/items/0/status", json!("CONCLUDED")), ("/items/0/outcome", json!("GRANTED"))]),
        // A bad rating opens the call-back loop (差评回访整改), which runs to its end.
        (steward, "rate", bad_item.as_str(), "RatingRecorded",
         vec![("/ratings/1/badRatingLoop/stage", json!("AWAITING_CALL_BACK"))]),
        (steward, "recordCallBack", r#"{ratingNo: 2, confirmed: true, notes: "等待过长"}"#, "RatingCallBackRecorded",
         vec![("/ratings/1/badRatingLoop/stage", json!("AWAITING_RECTIFICATION"))]),
        (steward, "recordRectification", r#"{ratingNo: 2, measures: "增设帮办窗口"}"#, "RatingRectified",
         vec![("/ratings/1/badRatingLoop/stage", json!("RECTIFIED"))]),
        (steward, "rateFollowUp", follow_up.as_str(), "RatingRecorded",
         vec![("/ratings/2/followUpOf", json!(2)), ("/ratings/2/level", json!(4))]),
        (steward, "lodgeComplaint", r#"{channel: HOTLINE_12345, content: "验收排期慢", complainant: {name: "李四"}}"#, "ComplaintLodged",
         vec![("/complaints/0/status", json!("LODGED"))]),
        (steward, "assignComplaint", r#"{complaintNo: 1, assignee: "li.ming"}"#, "ComplaintAssigned",
         vec![("/complaints/0/assignee", json!("li.ming"))]),
        // The team's answer is signed off by a leader of the division outside the team.
        (leader, "resolveComplaint", r#"{complaintNo: 1, answer: "已协调"}"#, "ComplaintResolved",
         vec![("/complaints/0/status", json!("RESOLVED")), ("/complaints/0/signedOffBy", json!("chen.jun"))]),
        (steward, "holdCase", r#"{reason: "企业资金调整"}"#, "CaseHeld",
         vec![("/state", json!("ON_HOLD"))]),
        (steward, "resumeCase", "{}", "CaseResumed",
         vec![("/state", json!("IN_SERVICE"))]),
        (steward, "closeCase", r#"{reason: ALL_ITEMS_CONCLUDED, summary: "事项全部办结"}"#, "CaseClosed",
         vec![("/state", json!("CLOSED")), ("/lifecycle/2/closeReason", json!("ALL_ITEMS_CONCLUDED"))]),
        (steward, "reopenCase", r#"{reason: "二期项目启动"}"#, "CaseReopened",
         vec![("/state", json!("IN_SERVICE")), ("/term", json!(2))]),
    ];
    let mut case = Value::Null;
    for (token, field, input, event, shows) in steps {
        case = life.step(token, field, input, &[event]).await;
        for (pointer, expected) in shows {
            assert_eq!(case.pointer(pointer), Some(&expected), "{field}: {pointer}");
        }
    }

    // The timeline is exactly what the mutations said they appended, by the people who did.
    let timeline = case["timeline"].as_array().expect("a timeline");
    let types: Vec<&str> = timeline
        .iter()
        .filter_map(|e| e["eventType"].as_str())
        .collect();
    assert_eq!(types, life.appended);
    let actors: Vec<&str> = timeline
        .iter()
        .filter_map(|e| e["actor"].as_str())
        .collect();
    assert_eq!(actors[..3], ["li.ming", "chen.jun", "chen.jun"]);
    // The answer to the complaint is the leader's; every other step is the lead steward's.
    let resolved = types.iter().position(|t| *t == "ComplaintResolved");
    let resolved = resolved.expect("the complaint was resolved");
    assert_eq!(actors[resolved], "chen.jun");
    assert!(
        actors[3..]
            .iter()
            .enumerate()
            .all(|(i, a)| i + 3 == resolved || *a == "li.ming"),
        "{actors:?}"
    );
}
both_backends!(served a_case_lives_from_registration_to_reopening_over_http);
