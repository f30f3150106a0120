//! Who may do what (domain.md "Who uses it", docs/api.md "Roles"), over HTTP on both backends,
//! as one table: each person asks for each thing through the real server and gets it, or the
//! code the roles table promises. A case outside one's scope is NOT_FOUND (its existence is
//! not told); a role that may not do something at all is FORBIDDEN.

use serde_json::{json, Value};

use crate::helpers::{TestApp, OTHER_TOWN};
use crate::world::{People, VILLAGE};

const READ: &str = "query($c: ID!) { case(id: $c) { caseNumber access { canWrite } } }";
const NOTE: &str =
    r#"mutation($c: ID!) { addNote(caseId: $c, input: {text: "电话回访"}) { position } }"#;
const TEAM: &str = r#"mutation($c: ID!) { addTeamMember(caseId: $c, input: {userId: "zhao.lei", role: "代办员", tier: TOWN}) { position } }"#;
const AUDIT: &str =
    "query($c: ID!) { auditHistory(filter: {caseId: $c}) { edges { node { eventType actor } } } }";
const DASHBOARD: &str = "{ dashboard { division now { openCases } } }";
const USERS: &str = "{ users { username } }";
const CREATE_USER: &str = r#"mutation { createUser(input: {username: "new.user", displayName: "新用户", role: STEWARD, division: "610902100000", password: "a-long-password"}) { username } }"#;

async fn each_role_gets_what_the_roles_table_says(server: &TestApp) {
    let p = People::new(server).await;
    // Case A in 恒口镇, led by li.ming; case B in the other town, led by wang.fang.
    let a = p
        .case_led_by(server, (&p.steward, "li.ming"), ("恒口新材料", 1, VILLAGE))
        .await;
    let b = p
        .case_led_by(
            server,
            (&p.elsewhere, "wang.fang"),
            ("关庙物流", 2, OTHER_TOWN),
        )
        .await;
    let (a, b) = (Some(a.as_str()), Some(b.as_str()));

    // Rows run in order: the leader adds zhao.lei to case A's team after zhao.lei was refused.
    #[rustfmt::skip]
    let table: [(&str, &str, &str, Option<&str>, &str); 31] = [
        ("steward on A's team reads A",             &p.steward,      READ,        a,    "OK"),
        ("steward on A's team works on A",          &p.steward,      NOTE,        a,    "OK"),
        ("steward of town A reads B",               &p.steward,      READ,        b,    "NOT_FOUND"),
        ("steward of town A works on B",            &p.steward,      NOTE,        b,    "NOT_FOUND"),
        ("steward reads the audit history",         &p.steward,      AUDIT,       a,    "FORBIDDEN"),
        ("steward sees a dashboard",                &p.steward,      DASHBOARD,   None, "FORBIDDEN"),
        ("steward changes a team",                  &p.steward,      TEAM,        a,    "FORBIDDEN"),
        ("steward lists users",                     &p.steward,      USERS,       None, "FORBIDDEN"),
        ("steward of town A off the team reads A",  &p.bystander,    READ,        a,    "OK"),
        ("steward of town A off the team works",    &p.bystander,    NOTE,        a,    "FORBIDDEN"),
        ("district leader reads A",                 &p.leader,       READ,        a,    "OK"),
        ("district leader reads B",                 &p.leader,       READ,        b,    "OK"),
        ("district leader does a steward's work",   &p.leader,       NOTE,        a,    "FORBIDDEN"),
        ("district leader changes A's team",        &p.leader,       TEAM,        a,    "OK"),
        ("district leader sees the dashboard",      &p.leader,       DASHBOARD,   None, "OK"),
        ("district leader reads the audit history", &p.leader,       AUDIT,       a,    "FORBIDDEN"),
        ("district leader creates a user",          &p.leader,       CREATE_USER, None, "FORBIDDEN"),
        ("town B's leader reads A",                 &p.town_leader,  READ,        a,    "NOT_FOUND"),
        ("town B's leader changes A's team",        &p.town_leader,  TEAM,        a,    "NOT_FOUND"),
        ("town B's leader reads B",                 &p.town_leader,  READ,        b,    "OK"),
        ("district auditor reads A",                &p.auditor,      READ,        a,    "OK"),
        ("district auditor reads A's history",      &p.auditor,      AUDIT,       a,    "OK"),
        ("district auditor works on A",             &p.auditor,      NOTE,        a,    "FORBIDDEN"),
        ("town B's auditor reads A's history",      &p.town_auditor, AUDIT,       a,    "NOT_FOUND"),
        ("town B's auditor reads B's history",      &p.town_auditor, AUDIT,       b,    "OK"),
        ("admin reads A",                           &p.admin,        READ,        a,    "FORBIDDEN"),
        ("admin works on A",                        &p.admin,        NOTE,        a,    "NOT_FOUND"),
        ("admin sees a dashboard",                  &p.admin,        DASHBOARD,   None, "FORBIDDEN"),
        ("admin lists users",                       &p.admin,        USERS,       None, "OK"),
        ("admin creates a user",                    &p.admin,        CREATE_USER, None, "OK"),
        ("off the team no more: zhao.lei works",    &p.bystander,    NOTE,        a,    "OK"),
    ];
    let mut answers = Vec::new();
    for (who, token, query, case, expected) in table {
        let variables = case.map_or(json!({}), |c| json!({"c": c}));
        let response = server.run(query, variables, Some(token)).await;
        let outcome = response["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or("OK");
        assert_eq!(outcome, expected, "{who}: {response}");
        if expected == "OK" {
            assert!(!response["data"].is_null(), "{who}: {response}");
        }
        answers.push((who, response["data"].clone()));
    }

    // What the allowed answers said, beyond being allowed.
    let answer = |who: &str| -> Value {
        let found = answers.iter().find(|(w, _)| *w == who);
        found
            .map(|(_, data)| data.clone())
            .expect("a row of the table")
    };
    assert_eq!(
        answer("steward on A's team reads A")["case"]["access"]["canWrite"],
        true
    );
    assert_eq!(
        answer("steward of town A off the team reads A")["case"]["access"]["canWrite"],
        false
    );
    let history = answer("district auditor reads A's history");
    let events: Vec<(&str, &str)> = history["auditHistory"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .filter_map(|e| {
            Some((
                e["node"]["eventType"].as_str()?,
                e["node"]["actor"].as_str()?,
            ))
        })
        .collect();
    assert_eq!(
        events,
        [
            ("CaseRegistered", "li.ming"),
            ("LeadStewardAssigned", "chen.jun"),
            ("NoteAdded", "li.ming"),
            ("TeamMemberAdded", "chen.jun"),
        ]
    );
    let dashboard = answer("district leader sees the dashboard");
    assert_eq!(dashboard["dashboard"]["now"]["openCases"], 2);
    let users = answer("admin lists users");
    assert_eq!(users["users"].as_array().map(Vec::len), Some(8));
    assert!(!server.login("new.user", "a-long-password").await.is_empty());
}
both_backends!(served each_role_gets_what_the_roles_table_says);
