//! Every input error names the GraphQL field and the rule (issue 15, defect 6), including the
//! ones async-graphql raises itself while coercing arguments — a date that is no day of the
//! calendar, a negative count, an instant that is not RFC 3339 — whether the value is written
//! in the query or passed in variables, at the top level or nested in lists.

use serde_json::{json, Value};

use crate::helpers::*;

const REGISTER: &str =
    "mutation($i: RegisterCaseInput!) { registerCase(input: $i) { caseNumber } }";

fn registration(registered_on: Value) -> Value {
    json!({"i": {"enterprise": {"name": "安康恒口新材料有限公司", "division": TOWN},
                 "leadSource": "INVESTMENT_PROMOTION", "stage": "ESTABLISHMENT",
                 "registeredOn": registered_on}})
}

/// (code, field, rule, message) of the first error.
fn named(response: &Value) -> (String, String, String, String) {
    let error = &response["errors"][0];
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    (
        text(&error["extensions"]["code"]),
        text(&error["extensions"]["field"]),
        text(&error["extensions"]["rule"]),
        text(&error["message"]),
    )
}

fn bad(field: &str, rule: &str, message: &str) -> (String, String, String, String) {
    (
        "BAD_USER_INPUT".to_owned(),
        field.to_owned(),
        rule.to_owned(),
        message.to_owned(),
    )
}

#[tokio::test]
async fn a_date_that_is_no_day_names_its_field_literal_or_variable() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let leader = app.user(&admin, "chen.jun", "LEADER", TOWN).await;
    let expected = bad(
        "registeredOn",
        "date",
        "registeredOn: 2024-02-30 is not a day of the calendar",
    );
    let in_variables = app
        .run(REGISTER, registration(json!("2024-02-30")), Some(&leader))
        .await;
    assert_eq!(named(&in_variables), expected, "{in_variables}");
    let literal = app
        .run(
            &format!(
                r#"mutation {{ registerCase(input: {{enterprise: {{name: "x", division: "{TOWN}"}}, leadSource: INVESTMENT_PROMOTION, stage: ESTABLISHMENT, registeredOn: "2024-02-30"}}) {{ caseNumber }} }}"#
            ),
            json!({}),
            Some(&leader),
        )
        .await;
    assert_eq!(named(&literal), expected, "{literal}");
    let one_variable = app
        .run(
            &format!(
                r#"mutation($d: NaiveDate) {{ registerCase(input: {{enterprise: {{name: "x", division: "{TOWN}"}}, leadSource: INVESTMENT_PROMOTION, stage: ESTABLISHMENT, registeredOn: $d}}) {{ caseNumber }} }}"#
            ),
            json!({"d": "2024-02-30"}),
            Some(&leader),
        )
        .await;
    assert_eq!(named(&one_variable), expected, "{one_variable}");

    let shapeless = app
        .run(REGISTER, registration(json!("30/02/2024")), Some(&leader))
        .await;
    assert_eq!(
        named(&shapeless),
        bad(
            "registeredOn",
            "date",
            "registeredOn: \"30/02/2024\" is not a date of the form YYYY-MM-DD"
        )
    );
    let number = app
        .run(REGISTER, registration(json!(20240230)), Some(&leader))
        .await;
    assert_eq!(
        named(&number),
        bad(
            "registeredOn",
            "wrong_type",
            "registeredOn: must be a string, got 20240230"
        )
    );
    let top_level = app
        .run(
            r#"{ dashboard(from: "2024-13-01") { division } }"#,
            json!({}),
            Some(&leader),
        )
        .await;
    assert_eq!(
        named(&top_level),
        bad(
            "from",
            "date",
            "from: 2024-13-01 is not a day of the calendar"
        )
    );
}

#[tokio::test]
async fn the_year_0000_names_the_registration_date_not_the_case_number() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let leader = app.user(&admin, "chen.jun", "LEADER", TOWN).await;
    let response = app
        .run(REGISTER, registration(json!("0000-01-01")), Some(&leader))
        .await;
    assert_eq!(
        named(&response),
        bad(
            "registeredOn",
            "rule",
            "registered_on: 0000-01-01 is outside the years 2000–2099 that case numbers cover"
        ),
        "{response}"
    );
}

#[tokio::test]
async fn numbers_and_instants_out_of_their_type_name_the_field_and_the_rule() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let steward = app.user(&admin, "li.ming", "STEWARD", TOWN).await;
    let cancel =
        "mutation($i: CancelVisitInput!) { cancelVisit(caseId: \"x\", input: $i) { position } }";
    let negative = app
        .run(
            cancel,
            json!({"i": {"visitNo": -1, "reason": "r"}}),
            Some(&steward),
        )
        .await;
    assert_eq!(
        named(&negative),
        bad(
            "visitNo",
            "out_of_range",
            "visitNo: must be a whole number of at least 0, got -1"
        )
    );
    let literal = app
        .run(
            r#"mutation { cancelVisit(caseId: "x", input: {visitNo: -1, reason: "r"}) { position } }"#,
            json!({}),
            Some(&steward),
        )
        .await;
    assert_eq!(named(&literal), named(&negative));
    let huge = app
        .run(
            cancel,
            json!({"i": {"visitNo": 99_999_999_999_i64, "reason": "r"}}),
            Some(&steward),
        )
        .await;
    assert_eq!(
        named(&huge),
        bad(
            "visitNo",
            "out_of_range",
            "visitNo: must be between 0 and 4294967295, got 99999999999"
        )
    );

    let rate = "mutation($i: RateInput!) { rate(caseId: \"x\", input: $i) { position } }";
    let rating = json!({"level": 5, "dimensionSet": "OFFLINE_2019", "channel": "QR_CODE", "rater": {},
                        "dimensions": [{"dimension": "attitude", "level": 4}, {"dimension": "quality", "level": -3}]});
    let nested = app
        .run(
            rate,
            json!({"i": {"targetKind": "VISIT", "targetNo": 1, "rating": rating}}),
            Some(&steward),
        )
        .await;
    assert_eq!(
        named(&nested),
        bad(
            "rating.dimensions.1.level",
            "out_of_range",
            "rating.dimensions.1.level: must be a whole number of at least 0, got -3"
        )
    );

    let schedule = "mutation($i: ScheduleVisitInput!) { scheduleVisit(caseId: \"x\", input: $i) { position } }";
    let instant = app
        .run(
            schedule,
            json!({"i": {"scheduledAt": "yesterday", "place": "p", "purpose": "p", "plannedParticipants": []}}),
            Some(&steward),
        )
        .await;
    assert_eq!(
        named(&instant),
        bad(
            "scheduledAt",
            "date_time",
            "scheduledAt: \"yesterday\" is not an RFC 3339 instant such as 2025-01-09T01:00:00Z"
        )
    );
}

#[tokio::test]
async fn a_value_that_does_not_fit_the_schema_names_its_field_too() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let steward = app.user(&admin, "li.ming", "STEWARD", TOWN).await;
    let field_and_rule = |response: &Value| {
        let extensions = &response["errors"][0]["extensions"];
        (
            extensions["code"].clone(),
            extensions["field"].clone(),
            extensions["rule"].clone(),
        )
    };
    let cases = [
        (
            r#"input: {visitNo: "one", reason: "r"}"#,
            "visitNo",
            "wrong_type",
        ),
        (r#"input: {reason: "r"}"#, "visitNo", "required"),
        (
            r#"input: {visitNo: 1, reason: "r", colour: "red"}"#,
            "colour",
            "unknown_field",
        ),
    ];
    for (arguments, field, rule) in cases {
        let response = app
            .run(
                &format!(r#"mutation {{ cancelVisit(caseId: "x", {arguments}) {{ position }} }}"#),
                json!({}),
                Some(&steward),
            )
            .await;
        assert_eq!(
            field_and_rule(&response),
            (
                json!("GRAPHQL_VALIDATION_FAILED"),
                json!(field),
                json!(rule)
            ),
            "{response}"
        );
    }
    let response = app
        .run(REGISTER, json!({"i": {"enterprise": {"name": "x", "division": TOWN}, "leadSource": "NOPE", "stage": "ESTABLISHMENT"}}), Some(&steward))
        .await;
    assert_eq!(
        field_and_rule(&response),
        (
            json!("GRAPHQL_VALIDATION_FAILED"),
            json!("leadSource"),
            json!("unknown_value")
        ),
        "{response}"
    );
}
