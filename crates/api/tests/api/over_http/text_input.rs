//! Text that no field may hold is `BAD_USER_INPUT` naming the field, on both backends (issue 13:
//! a NUL in a note, an enterprise name or a clientKey was `INTERNAL_SERVER_ERROR` on PostgreSQL,
//! whose `jsonb` cannot store `\u0000`; zero-width and right-to-left override characters were
//! stored in names).
//!
//! 1. Every string argument and input field of every root field, found by introspection, gets a
//!    NUL or another control character: refused with the field's name before anything runs.
//! 2. Real requests that would otherwise succeed: control characters anywhere, and
//!    bidirectional and zero-width characters in names and identifiers, are refused with the
//!    field and the rule, and change nothing; free text keeps its line breaks and marks.

use serde_json::{json, Value};

use crate::fuzz::schema::{Schema, TypeDef, TypeRef, INTROSPECTION};
use crate::helpers::{code, today, TestApp, PASSWORD, TOWN};
use crate::world::{enterprise, People, REGISTER, VILLAGE};

/// The control characters sent, in turn: NUL, ESC, DEL and a C1 control.
const CONTROLS: [char; 4] = ['\u{0}', '\u{1b}', '\u{7f}', '\u{85}'];

/// A string leaf of an argument: its path as the server names it, and the argument's value
/// holding `text` at that leaf.
struct Leaf {
    field: String,
    argument: String,
    ty: TypeRef,
    value: Value,
}

/// Every string leaf of the arguments of `field` (input objects are followed, not repeated
/// inside themselves).
fn leaves(schema: &Schema, args: &[crate::fuzz::schema::Field], text: &str) -> Vec<Leaf> {
    let mut found = Vec::new();
    for arg in args {
        let prefix = if arg.name == "input" {
            String::new()
        } else {
            arg.name.clone()
        };
        for (path, value) in string_paths(schema, &arg.ty, &prefix, text, &mut Vec::new()) {
            found.push(Leaf {
                field: path,
                argument: arg.name.clone(),
                ty: arg.ty.clone(),
                value,
            });
        }
    }
    found
}

fn string_paths(
    schema: &Schema,
    ty: &TypeRef,
    path: &str,
    text: &str,
    seen: &mut Vec<String>,
) -> Vec<(String, Value)> {
    match ty {
        TypeRef::NonNull(inner) => string_paths(schema, inner, path, text, seen),
        TypeRef::List(inner) => string_paths(schema, inner, path, text, seen)
            .into_iter()
            .map(|(p, v)| (p, Value::Array(vec![v])))
            .collect(),
        TypeRef::Named(name) => match schema.types.get(name) {
            Some(TypeDef::Scalar) if !["Int", "Float", "Boolean"].contains(&name.as_str()) => {
                vec![(path.to_owned(), Value::String(text.to_owned()))]
            }
            Some(TypeDef::Input(fields)) if !seen.contains(name) => {
                seen.push(name.clone());
                let mut found = Vec::new();
                for field in fields {
                    let inner = if path.is_empty() {
                        field.name.clone()
                    } else {
                        format!("{path}.{}", field.name)
                    };
                    for (p, v) in string_paths(schema, &field.ty, &inner, text, seen) {
                        found.push((p, json!({ field.name.clone(): v })));
                    }
                }
                seen.pop();
                found
            }
            _ => Vec::new(),
        },
    }
}

async fn a_control_character_in_any_string_argument_is_bad_user_input(server: &TestApp) {
    let admin = server.admin().await;
    let data = server.ok(INTROSPECTION, json!({}), &admin).await;
    let schema = Schema::from_introspection(&data);
    let roots = [
        ("query", Some(schema.query.clone())),
        ("mutation", schema.mutation.clone()),
        ("subscription", schema.subscription.clone()),
    ];
    let mut checked = 0;
    for (kind, root) in roots {
        let Some(root) = root else { continue };
        for field in schema.object_fields(&root) {
            let control = CONTROLS[checked % CONTROLS.len()];
            let text = format!("值{control}值");
            for leaf in leaves(&schema, &field.args, &text) {
                let query = format!(
                    "{kind}($v: {}) {{ {}({}: $v) {{ __typename }} }}",
                    leaf.ty.render(),
                    field.name,
                    leaf.argument
                );
                for token in [Some(admin.as_str()), None] {
                    let answer = server.run(&query, json!({"v": leaf.value}), token).await;
                    let extensions = &answer["errors"][0]["extensions"];
                    assert_eq!(
                        (code(&answer), &extensions["field"], &extensions["rule"]),
                        (
                            "BAD_USER_INPUT",
                            &json!(leaf.field),
                            &json!("bad_character")
                        ),
                        "{query} {}",
                        leaf.value
                    );
                }
                checked += 1;
            }
        }
    }
    // Every root field with a text argument, and there are many.
    assert!(checked > 100, "only {checked} text inputs found");
}
both_backends!(served a_control_character_in_any_string_argument_is_bad_user_input);

const NOTE: &str = "mutation($c: ID!, $t: String!, $k: String) { addNote(caseId: $c, input: {text: $t}, clientKey: $k) { position } }";

/// A case led by li.ming, with its agreement signed.
async fn case_in_service(server: &TestApp, people: &People) -> String {
    let case_id = people
        .case_led_by(
            server,
            (&people.steward, "li.ming"),
            ("恒口新材料", 1, VILLAGE),
        )
        .await;
    server
        .ok(r#"mutation($c: ID!, $on: NaiveDate!) { signAgreement(caseId: $c, input: {scope: FULL_LIFECYCLE, signedOn: $on, signatories: ["王经理"]}) { events } }"#, json!({"c": case_id, "on": today()}), &people.steward)
        .await;
    case_id
}

async fn timeline_length(server: &TestApp, people: &People, case_id: &str) -> usize {
    let marker = server
        .ok(NOTE, json!({"c": case_id, "t": "marker"}), &people.steward)
        .await;
    let data = server
        .ok(
            "query($c: ID!, $p: String) { case(id: $c, atLeast: $p) { timeline { eventType } } }",
            json!({"c": case_id, "p": marker["addNote"]["position"]}),
            &people.leader,
        )
        .await;
    data["case"]["timeline"].as_array().map_or(0, Vec::len)
}

/// Asserts `answer` is `BAD_USER_INPUT` for `field` with rule `bad_character`.
fn refused(answer: &Value, field: &str, what: &str) {
    let extensions = &answer["errors"][0]["extensions"];
    assert_eq!(
        (code(answer), &extensions["field"], &extensions["rule"]),
        ("BAD_USER_INPUT", &json!(field), &json!("bad_character")),
        "{what}: {answer}"
    );
}

async fn names_and_identifiers_hold_no_control_bidi_or_zero_width_character(server: &TestApp) {
    let people = People::new(server).await;
    let case_id = case_in_service(server, &people).await;
    let before = timeline_length(server, &people, &case_id).await;
    let bad = [
        '\u{0}', '\u{202E}', '\u{200B}', '\u{2066}', '\u{FEFF}', '\n',
    ];
    for (n, c) in bad.into_iter().enumerate() {
        let name = format!("恒口{c}新材料");
        // Names of a new case: refused, nothing registered.
        for field in ["name", "address", "contactName"] {
            let mut input = enterprise("关庙物流", 40 + n as u32, VILLAGE);
            input[field] = json!(name);
            let registration = json!({"enterprise": input, "leadSource": "INVESTMENT_PROMOTION",
                                      "stage": "ESTABLISHMENT"});
            let answer = server
                .run(REGISTER, json!({"i": registration}), Some(&people.steward))
                .await;
            refused(
                &answer,
                &format!("enterprise.{field}"),
                &format!("{c:?} in {field}"),
            );
        }
        // Names and identifiers on an existing case: refused, the case unchanged.
        let visit_at = format!("{}T01:00:00Z", today());
        let steps = [
            (
                "scheduleVisit",
                json!({"scheduledAt": visit_at, "place": name, "purpose": "走访",
                       "plannedParticipants": []}),
                "place",
            ),
            (
                "scheduleVisit",
                json!({"scheduledAt": visit_at, "place": "厂区", "purpose": "走访",
                       "plannedParticipants": ["王经理", name]}),
                "plannedParticipants",
            ),
            (
                "correctEnterpriseDetails",
                json!({"name": name, "reason": "更名"}),
                "name",
            ),
        ];
        for (mutation, input, field) in steps {
            let query = format!(
                "mutation($c: ID!, $i: {}Input!) {{ {mutation}(caseId: $c, input: $i) {{ position }} }}",
                if mutation == "scheduleVisit" { "ScheduleVisit" } else { "CorrectEnterpriseDetails" }
            );
            let answer = server
                .run(
                    &query,
                    json!({"c": case_id, "i": input}),
                    Some(&people.steward),
                )
                .await;
            refused(&answer, field, &format!("{c:?} in {mutation}.{field}"));
        }
        let key = server
            .run(
                NOTE,
                json!({"c": case_id, "t": "note", "k": format!("key{c}1")}),
                Some(&people.steward),
            )
            .await;
        refused(&key, "clientKey", &format!("{c:?} in clientKey"));
        let id = server
            .run(
                NOTE,
                json!({"c": format!("{}{c}{}", &case_id[..4], &case_id[4..]), "t": "note"}),
                Some(&people.steward),
            )
            .await;
        refused(&id, "caseId", &format!("{c:?} in caseId"));
        // A user's display name.
        let user = json!({"username": format!("new.{n}"), "displayName": name, "role": "STEWARD",
                          "division": TOWN, "password": PASSWORD});
        let created = server
            .run(
                "mutation($i: CreateUserInput!) { createUser(input: $i) { username } }",
                json!({"i": user}),
                Some(&people.admin),
            )
            .await;
        refused(&created, "displayName", &format!("{c:?} in displayName"));
    }
    // One marker per call: nothing else was added to the case.
    assert_eq!(timeline_length(server, &people, &case_id).await, before + 1);

    // A NUL in a note is refused as well; free text keeps line breaks, tabs and direction
    // marks, and mixed-script joiners.
    let nul = server
        .run(
            NOTE,
            json!({"c": case_id, "t": "a\u{0}b"}),
            Some(&people.steward),
        )
        .await;
    refused(&nul, "text", "NUL in a note");
    let note = "第一行\r\n第二行\t缩进 \u{202B}عربي\u{202C} 👨\u{200D}👩";
    server
        .ok(NOTE, json!({"c": case_id, "t": note}), &people.steward)
        .await;
    let data = server
        .ok(
            "query($c: ID!) { case(id: $c) { notes { text } } }",
            json!({"c": case_id}),
            &people.leader,
        )
        .await;
    let notes = data["case"]["notes"].as_array().expect("notes");
    assert!(notes.iter().any(|n| n["text"] == note), "{notes:?}");
}
both_backends!(served names_and_identifiers_hold_no_control_bidi_or_zero_width_character);
