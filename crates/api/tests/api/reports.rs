//! A steward's workload and the leadership dashboard over a small data set whose figures are
//! worked out by hand below, on both backends. Today is Friday 2024-03-15 (the test clock).

use serde_json::{json, Value};

use crate::helpers::*;
use crate::world::{enterprise, World, VILLAGE};

const WORKLOAD: &str = "query($u: [String!], $h: Int) { workload(users: $u, horizonDays: $h) {
  users horizonDays openCases { name }
  itemsDueSoon { itemNo itemName timeStatus deadline { date } case { caseNumber } }
  overdueItems { itemNo timeStatus deadline { date } }
  upcomingVisits { visitNo missed }
  awaitingCallBack { ratingNo level badRatingLoop { stage callBackDue { date } } }
  openComplaints { complaintNo assignee } } }";

async fn a_steward_sees_what_needs_doing(app: TestApp) {
    let world = World::new(app).await;
    let case = world
        .case_in_service_since(
            &world.steward,
            "li.ming",
            enterprise("恒口新材料", 1, VILLAGE),
            "2024-03-01",
        )
        .await;
    let steps = [
        r#"requestServiceItem(caseId: $c, lateReason: "纸质台账补录", input: {implementationCode: "QYSL-001", mode: PROXY}) { caughtUp }"#,
        "acceptServiceItem(caseId: $c, input: {itemNo: 1}) { caughtUp }",
        r#"requestServiceItem(caseId: $c, lateReason: "纸质台账补录", input: {implementationCode: "GZKZ-002", mode: PROXY, requestedOn: "2024-03-11"}) { caughtUp }"#,
        r#"acceptServiceItem(caseId: $c, lateReason: "纸质台账补录", input: {itemNo: 2, acceptedOn: "2024-03-11"}) { caughtUp }"#,
        r#"requestServiceItem(caseId: $c, lateReason: "纸质台账补录", input: {implementationCode: "QYSL-001", mode: ASSISTED}) { caughtUp }"#,
        "acceptServiceItem(caseId: $c, input: {itemNo: 3}) { caughtUp }",
        "concludeServiceItem(caseId: $c, input: {itemNo: 3, outcome: GRANTED, materialsSubmitted: 2, onsiteTrips: 1}) { caughtUp }",
        r#"rate(caseId: $c, lateReason: "纸质台账补录", input: {targetKind: ITEM, targetNo: 3, rating: {level: 1, dimensionSet: OFFLINE_2019, dimensions: [], channel: PAPER_CARD, rater: {}}}) { caughtUp }"#,
        r#"scheduleVisit(caseId: $c, input: {scheduledAt: "2024-03-20T02:00:00Z", place: "厂区", purpose: "验收准备", plannedParticipants: []}) { caughtUp }"#,
        r#"lodgeComplaint(caseId: $c, lateReason: "纸质台账补录", input: {channel: HOTLINE_12345, content: "进度慢", complainant: {}}) { caughtUp }"#,
        r#"assignComplaint(caseId: $c, input: {complaintNo: 1, assignee: "li.ming"}) { caughtUp }"#,
    ];
    for step in steps {
        let query = format!("mutation($c: ID!) {{ {step} }}");
        world
            .app
            .ok(&query, json!({"c": case}), &world.steward)
            .await;
    }

    let mine = world.app.ok(WORKLOAD, json!({}), &world.steward).await;
    let work = &mine["workload"];
    assert_eq!(work["users"], json!(["li.ming"]));
    assert_eq!(work["horizonDays"], 5);
    assert_eq!(work["openCases"], json!([{"name": "恒口新材料"}]));
    assert_eq!(
        work["itemsDueSoon"],
        json!([{"itemNo": 1, "itemName": "企业设立登记", "timeStatus": "ON_TIME",
                "deadline": {"date": "2024-03-18"}, "case": {"caseNumber": "2024-0001"}}])
    );
    assert_eq!(
        work["overdueItems"],
        json!([{"itemNo": 2, "timeStatus": "OVERDUE", "deadline": {"date": "2024-03-13"}}])
    );
    assert_eq!(
        work["upcomingVisits"],
        json!([{"visitNo": 1, "missed": false}])
    );
    assert_eq!(
        work["awaitingCallBack"],
        json!([{"ratingNo": 1, "level": 1, "badRatingLoop":
                {"stage": "AWAITING_CALL_BACK", "callBackDue": {"date": "2024-03-18"}}}])
    );
    assert_eq!(
        work["openComplaints"],
        json!([{"complaintNo": 1, "assignee": "li.ming"}])
    );
    let none_ahead = world
        .app
        .ok(WORKLOAD, json!({"h": 0}), &world.steward)
        .await;
    assert_eq!(none_ahead["workload"]["itemsDueSoon"], json!([]));

    // A leader sees the workload of anyone in the subtree.
    let by_leader = world
        .app
        .ok(WORKLOAD, json!({"u": ["li.ming"]}), &world.leader)
        .await;
    assert_eq!(by_leader["workload"], mine["workload"]);
    for (token, users, expected) in [
        (&world.elsewhere, json!(["li.ming"]), "FORBIDDEN"),
        (&world.steward, json!(["nobody"]), "FORBIDDEN"),
        (&world.leader, json!(["nobody"]), "NOT_FOUND"),
        (&world.town_leader, json!(["li.ming"]), "FORBIDDEN"),
        (&world.auditor, json!(["qian.shen"]), "FORBIDDEN"),
        (&world.steward, json!([]), "BAD_USER_INPUT"),
        (&world.admin, json!(["admin"]), "FORBIDDEN"),
    ] {
        let refused = world
            .app
            .run(WORKLOAD, json!({"u": users}), Some(token))
            .await;
        assert_eq!(code(&refused), expected, "{users}: {refused}");
    }
    let bad_horizon = world
        .app
        .run(WORKLOAD, json!({"h": -1}), Some(&world.steward))
        .await;
    assert_eq!(code(&bad_horizon), "BAD_USER_INPUT");
}
both_backends!(a_steward_sees_what_needs_doing);

const DASHBOARD: &str = "query($d: String, $g: GroupBy, $m: Boolean, $f: NaiveDate, $t: NaiveDate) {
  dashboard(division: $d, groupBy: $g, monthly: $m, from: $f, to: $t) {
    from to division
    period { casesSigned visitsConducted itemsRequested itemsConcluded itemsRejected bundlesUsed
      onTimeRate { numerator denominator permille text }
      averageNetDays { numerator denominator tenths text }
      averageStatutoryDays { text } averagePromisedDays { text }
      timeCompression { permille } materialsRate { permille } tripsPerItem { text }
      zeroTripRate { permille } ratings goodRatingRate { permille } badRatings
      callBackRate { permille text } complaintsLodged complaintResolutionRate { permille } }
    now { openCases keyProjectCoverage { numerator denominator } itemsInProgress itemsWarning itemsOverdue }
    groups { key period { casesSigned } now { openCases itemsOverdue } }
    months { month period { casesSigned visitsConducted itemsConcluded complaintsLodged } } } }";

/// Case A in 恒口镇 (li.ming): signed 5 Feb, an item accepted 7 Feb and concluded on time on
/// 8 Feb (1 of 1 working day, statutory 15), a visit on 20 Feb rated 5 on 21 Feb. Case B in
/// the other town (wang.fang): signed 10 Mar, an item accepted 11 Mar with 2 days, overdue on
/// 13 Mar, and a complaint lodged 12 Mar, still open.
async fn the_data_set(world: &World) {
    // Registered early in the year: no step may be dated before its case's registration.
    let a = world
        .register_on(
            &world.steward,
            enterprise("恒口新材料", 1, VILLAGE),
            json!("2024-02-01"),
        )
        .await;
    let b = world
        .register_on(
            &world.elsewhere,
            enterprise("关庙物流", 2, OTHER_TOWN),
            json!("2024-02-01"),
        )
        .await;
    let assign = "mutation($c: ID!, $s: String!) { assignLeadSteward(caseId: $c, input: {steward: $s, tier: TOWN}) { caughtUp } }";
    world
        .app
        .ok(assign, json!({"c": a, "s": "li.ming"}), &world.leader)
        .await;
    world
        .app
        .ok(assign, json!({"c": b, "s": "wang.fang"}), &world.leader)
        .await;
    let a_steps = [
        r#"signAgreement(caseId: $c, lateReason: "纸质台账补录", input: {scope: FULL_LIFECYCLE, signedOn: "2024-02-05", signatories: ["王经理"]}) { caughtUp }"#,
        r#"adoptPlan(caseId: $c, input: {text: "方案", plannedItems: [], milestones: []}) { caughtUp }"#,
        r#"requestServiceItem(caseId: $c, lateReason: "纸质台账补录", input: {implementationCode: "QYSL-001", mode: PROXY, requestedOn: "2024-02-06"}) { caughtUp }"#,
        r#"acceptServiceItem(caseId: $c, lateReason: "纸质台账补录", input: {itemNo: 1, acceptedOn: "2024-02-07"}) { caughtUp }"#,
        r#"concludeServiceItem(caseId: $c, lateReason: "纸质台账补录", input: {itemNo: 1, outcome: GRANTED, concludedOn: "2024-02-08", materialsSubmitted: 2, onsiteTrips: 0}) { caughtUp }"#,
        r#"scheduleVisit(caseId: $c, input: {scheduledAt: "2024-02-20T02:00:00Z", place: "厂区", purpose: "走访", plannedParticipants: []}) { caughtUp }"#,
        r#"conductVisit(caseId: $c, lateReason: "纸质台账补录", input: {visitNo: 1, conductedAt: "2024-02-20T03:00:00Z", participants: ["李明"], notes: "好", issuesRaised: [], followUps: []}) { caughtUp }"#,
        r#"rate(caseId: $c, lateReason: "纸质台账补录", input: {targetKind: VISIT, targetNo: 1, rating: {level: 5, dimensionSet: OFFLINE_2019, dimensions: [], channel: PAPER_CARD, rater: {}, ratedAt: "2024-02-21T02:00:00Z"}}) { caughtUp }"#,
    ];
    for step in a_steps {
        let query = format!("mutation($c: ID!) {{ {step} }}");
        world.app.ok(&query, json!({"c": a}), &world.steward).await;
    }
    let b_steps = [
        r#"signAgreement(caseId: $c, lateReason: "纸质台账补录", input: {scope: FULL_LIFECYCLE, signedOn: "2024-03-10", signatories: ["王经理"]}) { caughtUp }"#,
        r#"adoptPlan(caseId: $c, input: {text: "方案", plannedItems: [], milestones: []}) { caughtUp }"#,
        r#"requestServiceItem(caseId: $c, lateReason: "纸质台账补录", input: {implementationCode: "GZKZ-002", mode: PROXY, requestedOn: "2024-03-11"}) { caughtUp }"#,
        r#"acceptServiceItem(caseId: $c, lateReason: "纸质台账补录", input: {itemNo: 1, acceptedOn: "2024-03-11"}) { caughtUp }"#,
        r#"lodgeComplaint(caseId: $c, lateReason: "纸质台账补录", input: {channel: HOTLINE_12345, content: "慢", complainant: {}, lodgedOn: "2024-03-12"}) { caughtUp }"#,
    ];
    for step in b_steps {
        let query = format!("mutation($c: ID!) {{ {step} }}");
        world
            .app
            .ok(&query, json!({"c": b}), &world.elsewhere)
            .await;
    }
}

async fn a_leader_sees_the_figures_of_the_subtree(app: TestApp) {
    let world = World::new(app).await;
    the_data_set(&world).await;
    let all = world
        .app
        .ok(DASHBOARD, json!({"g": "STEWARD", "m": true}), &world.leader)
        .await;
    let d = &all["dashboard"];
    assert_eq!(
        (&d["from"], &d["to"]),
        (&json!("2024-01-01"), &json!("2024-03-15"))
    );
    assert_eq!(d["division"], DISTRICT);
    let p = &d["period"];
    assert_eq!(
        [
            &p["casesSigned"],
            &p["visitsConducted"],
            &p["itemsRequested"],
            &p["itemsConcluded"],
            &p["itemsRejected"],
            &p["bundlesUsed"],
            &p["ratings"],
            &p["badRatings"],
            &p["complaintsLodged"]
        ],
        [
            &json!(2),
            &json!(1),
            &json!(2),
            &json!(1),
            &json!(0),
            &json!(0),
            &json!(1),
            &json!(0),
            &json!(1)
        ]
    );
    assert_eq!(
        p["onTimeRate"],
        json!({"numerator": 1, "denominator": 1, "permille": 1000, "text": "100.0%"})
    );
    assert_eq!(
        p["averageNetDays"],
        json!({"numerator": 1, "denominator": 1, "tenths": 10, "text": "1.0"})
    );
    assert_eq!(p["averageStatutoryDays"]["text"], "15.0");
    assert_eq!(p["averagePromisedDays"]["text"], "1.0");
    // 1 − 1/15 = 14/15.
    assert_eq!(p["timeCompression"]["permille"], 933);
    assert_eq!(p["materialsRate"]["permille"], 1000);
    assert_eq!(p["tripsPerItem"]["text"], "0.0");
    assert_eq!(p["zeroTripRate"]["permille"], 1000);
    assert_eq!(p["goodRatingRate"]["permille"], 1000);
    assert_eq!(p["callBackRate"], json!({"permille": null, "text": "—"}));
    assert_eq!(p["complaintResolutionRate"]["permille"], 0);
    assert_eq!(
        d["now"],
        json!({"openCases": 2, "keyProjectCoverage": {"numerator": 0, "denominator": 2},
               "itemsInProgress": 1, "itemsWarning": 0, "itemsOverdue": 1})
    );
    assert_eq!(
        d["groups"],
        json!([
            {"key": "li.ming", "period": {"casesSigned": 1}, "now": {"openCases": 1, "itemsOverdue": 0}},
            {"key": "wang.fang", "period": {"casesSigned": 1}, "now": {"openCases": 1, "itemsOverdue": 1}}
        ])
    );
    let months: Vec<&Value> = d["months"].as_array().expect("months").iter().collect();
    assert_eq!(months.len(), 3);
    assert_eq!(
        months[1],
        &json!({"month": 2, "period": {"casesSigned": 1, "visitsConducted": 1, "itemsConcluded": 1, "complaintsLodged": 0}})
    );
    assert_eq!(
        months[2],
        &json!({"month": 3, "period": {"casesSigned": 1, "visitsConducted": 0, "itemsConcluded": 0, "complaintsLodged": 1}})
    );

    // The district leader narrows to a town; a town's leader sees their own town only.
    let town = world
        .app
        .ok(DASHBOARD, json!({"d": TOWN}), &world.leader)
        .await;
    assert_eq!(town["dashboard"]["period"]["casesSigned"], 1);
    assert_eq!(town["dashboard"]["now"]["itemsOverdue"], 0);
    let own = world.app.ok(DASHBOARD, json!({}), &world.town_leader).await;
    assert_eq!(own["dashboard"]["division"], OTHER_TOWN);
    assert_eq!(own["dashboard"]["period"]["complaintsLodged"], 1);
    assert_eq!(own["dashboard"]["now"]["itemsOverdue"], 1);
    let february = world
        .app
        .ok(
            DASHBOARD,
            json!({"f": "2024-02-01", "t": "2024-02-29"}),
            &world.leader,
        )
        .await;
    assert_eq!(february["dashboard"]["period"]["casesSigned"], 1);

    for (token, variables, expected) in [
        (&world.town_leader, json!({"d": TOWN}), "FORBIDDEN"),
        (&world.steward, json!({}), "FORBIDDEN"),
        (&world.auditor, json!({}), "FORBIDDEN"),
        (&world.admin, json!({}), "FORBIDDEN"),
        (
            &world.leader,
            json!({"f": "2024-03-01", "t": "2024-02-01"}),
            "BAD_USER_INPUT",
        ),
    ] {
        let refused = world.app.run(DASHBOARD, variables, Some(token)).await;
        assert_eq!(code(&refused), expected, "{refused}");
    }
}
both_backends!(a_leader_sees_the_figures_of_the_subtree);

/// The catalog's burden reductions on the dashboard: an item revised to fewer materials, a
/// shorter promised limit and fewer trips moves the sums by exactly that, and nothing else is
/// counted as revised.
async fn the_dashboard_shows_the_catalogs_burden_reduction(app: TestApp) {
    let world = World::new(app).await;
    const BURDEN: &str = "{ dashboard { burdenReduction { items itemsRevised materialsBefore
        materialsNow promisedDaysBefore promisedDaysNow onsiteTripsBefore onsiteTripsNow
        materialsCut { numerator denominator } promisedTimeCut { numerator denominator } } } }";
    let before = world.app.ok(BURDEN, json!({}), &world.leader).await;
    let before = &before["dashboard"]["burdenReduction"];
    assert_eq!(before["itemsRevised"], 0, "{before}");
    let item = |materials: &[&str], promised: u32, trips: u32| {
        json!({"i": {
            "basicCode": "000172004000", "implementationCode": "BURDEN-1", "name": "建设工程规划许可证核发",
            "itemType": "ADMINISTRATIVE_LICENCE", "department": "自然资源局",
            "statutoryLimitDays": 20, "promisedLimitDays": promised,
            "requiredMaterials": materials, "onsiteTrips": trips
        }})
    };
    world
        .app
        .ok(
            "mutation($i: CatalogItemInput!) { publishCatalogItem(input: $i) { events } }",
            item(&["申请表", "设计方案", "总平面图", "土地证明"], 10, 2),
            &world.admin,
        )
        .await;
    world
        .app
        .ok(
            "mutation($i: CatalogItemInput!) { reviseCatalogItem(input: $i) { events } }",
            item(&["申请表", "设计方案", "总平面图"], 5, 1),
            &world.admin,
        )
        .await;
    let after = world.app.ok(BURDEN, json!({}), &world.leader).await;
    let after = &after["dashboard"]["burdenReduction"];
    let n = |v: &Value, key: &str| v[key].as_i64().unwrap_or(i64::MIN);
    assert_eq!(n(after, "items"), n(before, "items") + 1, "{after}");
    assert_eq!(n(after, "itemsRevised"), 1);
    assert_eq!(
        n(after, "materialsBefore"),
        n(before, "materialsBefore") + 4
    );
    assert_eq!(n(after, "materialsNow"), n(before, "materialsNow") + 3);
    assert_eq!(
        n(after, "promisedDaysBefore"),
        n(before, "promisedDaysBefore") + 10
    );
    assert_eq!(
        n(after, "promisedDaysNow"),
        n(before, "promisedDaysNow") + 5
    );
    assert_eq!(
        n(after, "onsiteTripsBefore") - n(after, "onsiteTripsNow"),
        1
    );
    assert_eq!(
        after["materialsCut"],
        json!({"numerator": 1, "denominator": n(after, "materialsBefore")})
    );
    assert_eq!(
        after["promisedTimeCut"],
        json!({"numerator": 5, "denominator": n(after, "promisedDaysBefore")})
    );
}
both_backends!(the_dashboard_shows_the_catalogs_burden_reduction);
