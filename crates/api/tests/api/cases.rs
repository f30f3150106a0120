//! Case mutations through the real store on a fresh SQLite database: registration, the team,
//! the roles and scopes of domain.md, idempotency, the actor in the event metadata, and a
//! subscription that sees the events.

use serde_json::{json, Value};

use crate::catalog::item;
use crate::helpers::*;

const VILLAGE: &str = "610902100201";

const REGISTER: &str = "mutation($i: RegisterCaseInput!, $k: String) { registerCase(input: $i, clientKey: $k) { position caseId caseNumber events } }";
pub const NOTE: &str = "mutation($c: ID!, $t: String!, $k: String) { addNote(caseId: $c, input: {text: $t}, clientKey: $k) { position caseId events } }";
const ASSIGN: &str = "mutation($c: ID!, $s: String!) { assignLeadSteward(caseId: $c, input: {steward: $s, tier: TOWN}) { events } }";

fn registration() -> Value {
    json!({
        "enterprise": {"name": "安康恒口新材料有限公司", "uscc": "91350100M000100Y43",
                       "division": VILLAGE, "contactName": "王经理"},
        "leadSource": "INVESTMENT_PROMOTION", "stage": "ESTABLISHMENT"
    })
}

pub struct Cast {
    pub steward: String,
    pub leader: String,
    pub elsewhere: String,
    pub auditor: String,
}

pub async fn cast(app: &TestApp) -> Cast {
    let admin = app.admin().await;
    Cast {
        steward: app.user(&admin, "li.ming", "STEWARD", TOWN).await,
        leader: app.user(&admin, "chen.jun", "LEADER", DISTRICT).await,
        elsewhere: app.user(&admin, "wang.fang", "STEWARD", OTHER_TOWN).await,
        auditor: app.user(&admin, "qian.shen", "AUDITOR", DISTRICT).await,
    }
}

/// Registers the case as the steward and has the leader make them lead steward.
pub async fn registered_case(app: &TestApp, cast: &Cast) -> String {
    let response = app
        .run(REGISTER, json!({"i": registration()}), Some(&cast.steward))
        .await;
    let case_id = response["data"]["registerCase"]["caseId"]
        .as_str()
        .unwrap_or_else(|| panic!("registration failed: {response}"))
        .to_owned();
    let assigned = app
        .run(
            ASSIGN,
            json!({"c": case_id, "s": "li.ming"}),
            Some(&cast.leader),
        )
        .await;
    assert_eq!(
        assigned["data"]["assignLeadSteward"]["events"],
        json!(["LeadStewardAssigned"])
    );
    case_id
}

#[tokio::test]
async fn registration_numbers_cases_and_keeps_one_open_case_per_enterprise() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let variables = json!({"i": registration(), "k": "register-hk-1"});
    let first = app
        .run(REGISTER, variables.clone(), Some(&cast.steward))
        .await;
    let result = &first["data"]["registerCase"];
    assert_eq!(result["caseNumber"], "2024-0001", "{first}");
    assert_eq!(result["events"], json!(["CaseRegistered"]));
    let again = app.run(REGISTER, variables, Some(&cast.steward)).await;
    assert_eq!(again["data"], first["data"]);
    // The same key from another user is another registration: of the same enterprise, which
    // already has an open case.
    let same_enterprise = app
        .run(
            REGISTER,
            json!({"i": registration(), "k": "register-hk-1"}),
            Some(&cast.leader),
        )
        .await;
    assert_eq!(
        code(&same_enterprise),
        "BAD_USER_INPUT",
        "{same_enterprise}"
    );
    assert!(message(&same_enterprise).contains("already has an open case"));
    let mut another = registration();
    another["enterprise"]["uscc"] = json!("9144030071526726XG");
    let other = app
        .run(REGISTER, json!({"i": another}), Some(&cast.leader))
        .await;
    assert_eq!(
        other["data"]["registerCase"]["caseNumber"], "2024-0002",
        "{other}"
    );

    let auditor = app
        .run(REGISTER, json!({"i": registration()}), Some(&cast.auditor))
        .await;
    assert_eq!(code(&auditor), "FORBIDDEN");
    let elsewhere = app
        .run(
            REGISTER,
            json!({"i": registration()}),
            Some(&cast.elsewhere),
        )
        .await;
    assert_eq!(code(&elsewhere), "FORBIDDEN");
}

#[tokio::test]
async fn roles_and_scopes_decide_who_may_change_a_case() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let response = app
        .run(REGISTER, json!({"i": registration()}), Some(&cast.steward))
        .await;
    let case_id = response["data"]["registerCase"]["caseId"]
        .as_str()
        .expect("a case")
        .to_owned();
    let note = |token: &str| {
        let (app, case_id) = (&app, &case_id);
        let token = token.to_owned();
        async move {
            app.run(NOTE, json!({"c": case_id, "t": "电话沟通"}), Some(&token))
                .await
        }
    };

    // Not yet on the team: reads the case, may not write it.
    assert_eq!(code(&note(&cast.steward).await), "FORBIDDEN");
    // Another town's steward is not told the case exists.
    assert_eq!(code(&note(&cast.elsewhere).await), "NOT_FOUND");
    assert_eq!(code(&note(&cast.auditor).await), "FORBIDDEN");
    let admin = app.admin().await;
    assert_eq!(code(&note(&admin).await), "NOT_FOUND");

    // Only a leader assigns, and only someone whose scope holds the case.
    let by_steward = app
        .run(
            ASSIGN,
            json!({"c": case_id, "s": "li.ming"}),
            Some(&cast.steward),
        )
        .await;
    assert_eq!(code(&by_steward), "FORBIDDEN");
    let out_of_scope = app
        .run(
            ASSIGN,
            json!({"c": case_id, "s": "wang.fang"}),
            Some(&cast.leader),
        )
        .await;
    assert_eq!(code(&out_of_scope), "BAD_USER_INPUT");
    assert_eq!(
        out_of_scope["errors"][0]["extensions"]["rule"],
        "out_of_scope"
    );
    let auditor = app
        .run(
            ASSIGN,
            json!({"c": case_id, "s": "qian.shen"}),
            Some(&cast.leader),
        )
        .await;
    assert_eq!(auditor["errors"][0]["extensions"]["rule"], "role");
    let assigned = app
        .run(
            ASSIGN,
            json!({"c": case_id, "s": "li.ming"}),
            Some(&cast.leader),
        )
        .await;
    assert_eq!(
        assigned["data"]["assignLeadSteward"]["events"],
        json!(["LeadStewardAssigned"])
    );

    let written = note(&cast.steward).await;
    assert_eq!(
        written["data"]["addNote"]["events"],
        json!(["NoteAdded"]),
        "{written}"
    );

    let unknown = app
        .run(
            NOTE,
            json!({"c": "no-such-case", "t": "x"}),
            Some(&cast.steward),
        )
        .await;
    assert_eq!(code(&unknown), "NOT_FOUND");
}

#[tokio::test]
async fn the_team_works_the_case_and_the_log_names_the_actor() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let admin = app.admin().await;
    app.run(
        "mutation($i: CatalogItemInput!) { publishCatalogItem(input: $i) { events } }",
        json!({"i": item("QYSL-001", 1)}),
        Some(&admin),
    )
    .await;
    let case_id = registered_case(&app, &cast).await;
    let steps = [
        (
            r#"mutation($c: ID!) { signAgreement(caseId: $c, input: {scope: FULL_LIFECYCLE, signedOn: "2024-03-15", signatories: ["王经理", "李明"]}) { events } }"#,
            "signAgreement",
            "AgreementSigned",
        ),
        (
            r#"mutation($c: ID!) { adoptPlan(caseId: $c, input: {text: "一企一策", plannedItems: ["QYSL-001"], milestones: [{name: "设立登记", dueOn: "2024-04-30"}]}) { events } }"#,
            "adoptPlan",
            "PlanAdopted",
        ),
        (
            r#"mutation($c: ID!) { requestServiceItem(caseId: $c, input: {implementationCode: "QYSL-001", mode: PROXY}) { events } }"#,
            "requestServiceItem",
            "ServiceItemRequested",
        ),
        (
            r#"mutation($c: ID!) { acceptServiceItem(caseId: $c, input: {itemNo: 1, receiptNo: "SL-1"}) { events } }"#,
            "acceptServiceItem",
            "ServiceItemAccepted",
        ),
    ];
    for (query, field, event) in steps {
        let response = app
            .run(query, json!({"c": case_id}), Some(&cast.steward))
            .await;
        assert_eq!(
            response["data"][field]["events"],
            json!([event]),
            "{field}: {response}"
        );
    }
    let unknown_item = app
        .run(
            r#"mutation($c: ID!) { requestServiceItem(caseId: $c, input: {implementationCode: "NOPE", mode: ASSISTED}) { events } }"#,
            json!({"c": case_id}),
            Some(&cast.steward),
        )
        .await;
    assert_eq!(code(&unknown_item), "NOT_FOUND");
    assert_eq!(message(&unknown_item), "catalog item NOPE not found");

    let keyed = json!({"c": case_id, "t": "走访记录", "k": "note-1"});
    let first = app.run(NOTE, keyed.clone(), Some(&cast.steward)).await;
    let again = app.run(NOTE, keyed, Some(&cast.steward)).await;
    assert_eq!(first["data"], again["data"]);

    let events = guanjia_store::testing::events_to_head(&app.state.store)
        .await
        .expect("the log");
    let case_events: Vec<_> = events
        .iter()
        .filter(|e| e.aggregate_id == case_id)
        .collect();
    let types: Vec<&str> = case_events.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(
        types,
        [
            "CaseRegistered",
            "LeadStewardAssigned",
            "AgreementSigned",
            "PlanAdopted",
            "ServiceItemRequested",
            "ServiceItemAccepted",
            "NoteAdded"
        ]
    );
    let signed = case_events[2];
    assert_eq!(signed.metadata.actor_id, "li.ming");
    assert_eq!(signed.metadata.actor_role, "steward");
    assert_eq!(signed.metadata.channel, "graphql");
    assert_eq!(signed.metadata.correlation_id, "test-correlation");
    assert!(!signed.metadata.request_id.is_empty());
    assert_eq!(signed.metadata.causation_id, signed.metadata.request_id);
    assert_eq!(case_events[1].metadata.actor_role, "leader");
}
