//! Every read of unmasked personal data leaves a `PersonalDataRead` in the reader's access log
//! — once per case and request, naming only what was shown — and auditors ask who read a
//! case's data. Masked and erased data is no read. On both backends.

use serde_json::{json, Value};

use crate::helpers::*;
use crate::world::{enterprise, World, VILLAGE};

/// Who read the personal data of case `$c`.
pub const READS: &str = "query($c: ID!) { auditHistory(filter: {personalDataReadOf: $c}) {
  edges { node { aggregateType aggregateId eventType actor role correlationId requestId channel
  payload } } } }";

/// Every personal field of [`case_with_people`], as a read of all of them records them.
const EVERY_PERSONAL_FIELD: [&str; 6] = [
    "complaints.complainant.name",
    "complaints.complainant.phone",
    "enterprise.contact_name",
    "enterprise.contact_phone",
    "ratings.rater.name",
    "ratings.rater.phone",
];

const PEOPLE: &str = "query($c: ID!) { case(id: $c) { enterprise { contactName contactPhone }
  ratings { rater { name phone } } complaints { complainant { name phone } } } }";

/// A case of li.ming's in 恒口镇, with a rated visit and a complaint that name people.
pub async fn case_with_people(world: &World, n: u32) -> String {
    let case = world
        .case_in_service(
            &world.steward,
            "li.ming",
            enterprise("恒口新材料", n, VILLAGE),
        )
        .await;
    for step in [
        r#"scheduleVisit(caseId: $c, input: {scheduledAt: "2024-03-15T01:00:00Z", place: "厂区", purpose: "走访", plannedParticipants: []}) { caughtUp }"#,
        r#"conductVisit(caseId: $c, input: {visitNo: 1, conductedAt: "2024-03-15T01:30:00Z", participants: ["李明"], notes: "好", issuesRaised: [], followUps: []}) { caughtUp }"#,
        r#"rate(caseId: $c, input: {targetKind: VISIT, targetNo: 1, rating: {level: 4, dimensionSet: OFFLINE_2019, dimensions: [], channel: HOTLINE_12345, rater: {name: "张三丰", phone: "13900001111"}}}) { caughtUp }"#,
        r#"lodgeComplaint(caseId: $c, input: {channel: HOTLINE_12345, content: "慢", complainant: {name: "李四", phone: "0915-3214567"}}) { caughtUp }"#,
    ] {
        let query = format!("mutation($c: ID!) {{ {step} }}");
        world
            .app
            .ok(&query, json!({"c": case}), &world.steward)
            .await;
    }
    case
}

/// The reads of `case` as the district auditor lists them.
pub async fn reads_of(world: &World, case: &str) -> Vec<Value> {
    let data = world
        .app
        .ok(READS, json!({"c": case}), &world.auditor)
        .await;
    data["auditHistory"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|edge| edge["node"].clone())
        .collect()
}

fn read_of(node: &Value) -> &Value {
    &node["payload"]["PersonalDataRead"]
}

async fn only_unmasked_reads_are_recorded_once_per_case_and_request(app: TestApp) {
    let world = World::new(app).await;
    let case = case_with_people(&world, 1).await;
    let vars = json!({"c": case});
    assert!(
        reads_of(&world, &case).await.is_empty(),
        "working on it is no read"
    );

    // A steward of the town who is not on the team sees the people masked: no read.
    let masked = world.app.ok(PEOPLE, vars.clone(), &world.bystander).await;
    assert_eq!(masked["case"]["enterprise"]["contactPhone"], "138****5678");
    assert!(reads_of(&world, &case).await.is_empty());

    // The lead steward sees them, twice in one request (an alias): one read, every field.
    let both = format!(
        "{} again: case(id: $c) {{ enterprise {{ contactPhone }} }} }}",
        PEOPLE.trim_end().trim_end_matches('}')
    );
    let shown = world.app.ok(&both, vars.clone(), &world.steward).await;
    assert_eq!(shown["again"]["enterprise"]["contactPhone"], "13812345678");
    let reads = reads_of(&world, &case).await;
    assert_eq!(reads.len(), 1, "{reads:#?}");
    let node = &reads[0];
    assert_eq!(
        (&node["aggregateType"], &node["eventType"]),
        (&json!("access_log"), &json!("PersonalDataRead"))
    );
    // A stream of the request's own, named after its reader.
    assert!(
        node["aggregateId"]
            .as_str()
            .is_some_and(|id| id.starts_with("li.ming/")),
        "{node:#}"
    );
    assert_eq!(
        (&node["actor"], &node["role"]),
        (&json!("li.ming"), &json!("steward"))
    );
    assert_eq!(
        (&node["channel"], &node["correlationId"]),
        (&json!("graphql"), &json!("test-correlation"))
    );
    assert!(node["requestId"].as_str().is_some_and(|id| !id.is_empty()));
    let read = read_of(node);
    assert_eq!(read["case_id"], case.as_str());
    assert_eq!(read["purpose"], "case");
    assert_eq!(read["fields"], json!(EVERY_PERSONAL_FIELD));

    // Reading the case without its people is no read.
    let plain = "query($c: ID!) { case(id: $c) { name enterprise { name } ratings { level } } }";
    world.app.ok(plain, vars.clone(), &world.steward).await;
    assert_eq!(reads_of(&world, &case).await.len(), 1);

    // A search and a mutation's answer are reads too, named by their field, fragments included.
    let search = "{ cases(filter: {open: true}) { edges { node { ...P } } } }
      fragment P on Case { enterprise { contactName } }";
    world.app.ok(search, json!({}), &world.leader).await;
    let note = r#"mutation($c: ID!) { addNote(caseId: $c, input: {text: "回访"}) { case { ratings { rater { phone } } } } }"#;
    world.app.ok(note, vars.clone(), &world.steward).await;
    let reads = reads_of(&world, &case).await;
    let summary: Vec<(Value, Value, Value)> = reads[1..]
        .iter()
        .map(|n| {
            (
                n["actor"].clone(),
                read_of(n)["purpose"].clone(),
                read_of(n)["fields"].clone(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                json!("chen.jun"),
                json!("cases"),
                json!(["enterprise.contact_name"])
            ),
            (
                json!("li.ming"),
                json!("addNote"),
                json!(["ratings.rater.phone"])
            ),
        ]
    );
}
both_backends!(only_unmasked_reads_are_recorded_once_per_case_and_request);

async fn auditors_see_who_read_a_case_and_their_own_reads_count(app: TestApp) {
    let world = World::new(app).await;
    let case = case_with_people(&world, 1).await;
    let other = case_with_people(&world, 2).await;
    world
        .app
        .ok(PEOPLE, json!({"c": case}), &world.steward)
        .await;
    world
        .app
        .ok(PEOPLE, json!({"c": other}), &world.steward)
        .await;
    world
        .app
        .ok(PEOPLE, json!({"c": case}), &world.leader)
        .await;

    let readers = |reads: &[Value]| -> Vec<String> {
        reads
            .iter()
            .map(|n| n["actor"].as_str().unwrap_or("").to_owned())
            .collect()
    };
    assert_eq!(
        readers(&reads_of(&world, &case).await),
        ["li.ming", "chen.jun"]
    );
    assert_eq!(readers(&reads_of(&world, &other).await), ["li.ming"]);

    // The payloads of the history and a past state show the people: the auditor's reads.
    let history =
        "query($c: ID!) { auditHistory(filter: {caseId: $c}) { edges { node { payload } } } }";
    world
        .app
        .ok(history, json!({"c": case}), &world.auditor)
        .await;
    let types_only =
        "query($c: ID!) { auditHistory(filter: {caseId: $c}) { edges { node { eventType } } } }";
    world
        .app
        .ok(types_only, json!({"c": case}), &world.auditor)
        .await;
    let as_of =
        r#"query($c: ID!) { caseAsOf(id: $c, at: "2100-01-01T00:00:00Z") { contactPhone } }"#;
    let past = world
        .app
        .run(as_of, json!({"c": case}), Some(&world.auditor))
        .await;
    let reads = reads_of(&world, &case).await;
    assert_eq!(
        readers(&reads),
        ["li.ming", "chen.jun", "qian.shen", "qian.shen"],
        "{past}"
    );
    assert_eq!(read_of(&reads[2])["purpose"], "auditHistory");
    assert_eq!(read_of(&reads[2])["fields"], json!(EVERY_PERSONAL_FIELD));
    assert_eq!(
        (
            &read_of(&reads[3])["purpose"],
            &read_of(&reads[3])["fields"]
        ),
        (&json!("caseAsOf"), &json!(["enterprise.contact_phone"]))
    );

    // Outside the auditor's scope the case is not found; others are no auditors.
    let elsewhere = world
        .app
        .run(READS, json!({"c": case}), Some(&world.town_auditor))
        .await;
    assert_eq!(code(&elsewhere), "NOT_FOUND", "{elsewhere}");
    let steward = world
        .app
        .run(READS, json!({"c": case}), Some(&world.steward))
        .await;
    assert_eq!(code(&steward), "FORBIDDEN");
    let both = "query($c: ID!) { auditHistory(filter: {caseId: $c, personalDataReadOf: $c}) { edges { cursor } } }";
    let refused = world
        .app
        .run(both, json!({"c": case}), Some(&world.auditor))
        .await;
    assert_eq!(
        (code(&refused), &refused["errors"][0]["extensions"]["rule"]),
        ("BAD_USER_INPUT", &json!("one_of"))
    );
    // A town auditor's history of everything holds no reads of a case outside the town.
    let everything =
        "{ auditHistory(filter: {aggregateType: \"access_log\"}) { edges { cursor } } }";
    let town = world
        .app
        .ok(everything, json!({}), &world.town_auditor)
        .await;
    assert_eq!(town["auditHistory"]["edges"], json!([]));
}
both_backends!(auditors_see_who_read_a_case_and_their_own_reads_count);

async fn erased_data_is_no_read(app: TestApp) {
    let world = World::new(app).await;
    let case = case_with_people(&world, 1).await;
    let erase = r#"mutation($c: ID!) { erasePersonalData(caseId: $c, reason: "依申请删除（2024）第1号") { events } }"#;
    world.app.ok(erase, json!({"c": case}), &world.admin).await;

    let data = world
        .app
        .ok(PEOPLE, json!({"c": case}), &world.steward)
        .await;
    assert_eq!(data["case"]["enterprise"]["contactPhone"], Value::Null);
    assert_eq!(data["case"]["ratings"][0]["rater"]["name"], Value::Null);
    let history =
        "query($c: ID!) { auditHistory(filter: {caseId: $c}) { edges { node { payload } } } }";
    world
        .app
        .ok(history, json!({"c": case}), &world.auditor)
        .await;
    assert!(reads_of(&world, &case).await.is_empty());
}
both_backends!(erased_data_is_no_read);

/// Fail closed: when the access log cannot be written, unmasked data is not shown at all.
#[tokio::test]
async fn a_read_that_cannot_be_recorded_is_not_shown() {
    let world = World::new(spawn_app().await).await;
    let case = case_with_people(&world, 1).await;
    // Both sign in before the database goes: what is under test is the record of the read, not
    // the token check (which would answer SERVICE_UNAVAILABLE once its cache has expired).
    let steward = world.app.context(&world.steward).await;
    let bystander = world.app.context(&world.bystander).await;
    world.app.state.store.close().await;
    let timeout = std::time::Duration::from_secs(10);

    let variables = async_graphql::Variables::from_json(json!({"c": case}));
    let refused = world
        .app
        .run_in(steward, PEOPLE, variables.clone(), timeout)
        .await;
    assert_eq!(code(&refused), "INTERNAL_SERVER_ERROR", "{refused}");
    assert_eq!(refused["errors"][0]["extensions"]["retryable"], true);
    assert!(message(&refused).contains("withheld"));
    assert_eq!(refused["data"], Value::Null);
    assert!(!refused.to_string().contains("13812345678"));
    // Masked data needs no record and is still shown.
    let masked = world
        .app
        .run_in(bystander, PEOPLE, variables, timeout)
        .await;
    assert_eq!(masked["errors"], Value::Null, "{masked}");
    assert_eq!(
        masked["data"]["case"]["enterprise"]["contactPhone"],
        "138****5678"
    );
}

/// A query sent over the WebSocket (graphql-ws runs it as a stream) is recorded like one over
/// HTTP: the recording hooks the execution, not the transport.
#[tokio::test]
async fn a_query_over_the_websocket_is_recorded_too() {
    use futures_util::StreamExt;

    let world = World::new(spawn_app().await).await;
    let case = case_with_people(&world, 1).await;
    let request = async_graphql::Request::new(PEOPLE)
        .variables(async_graphql::Variables::from_json(json!({"c": case})))
        .data(world.app.context(&world.steward).await);
    let mut stream = world.app.schema.execute_stream(request);
    let answer = stream.next().await.expect("one answer");
    assert!(answer.errors.is_empty(), "{:?}", answer.errors);
    let reads = reads_of(&world, &case).await;
    assert_eq!(reads.len(), 1);
    assert_eq!(read_of(&reads[0])["purpose"], "case");
}
