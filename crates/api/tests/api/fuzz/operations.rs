//! Whole requests for the fuzzer: queries and mutations of random root fields with generated
//! arguments (inline or as variables) and selections, and the attacks a parser or validator
//! must survive — alias bombs, deep nesting, fragment cycles, broken documents, subscriptions
//! over HTTP, bodies that are no GraphQL request at all.

use serde_json::{json, Value};

use super::schema::{Field, Schema, TypeDef, TypeRef};
use super::values::Chooser;

/// What to send: a JSON body, or raw text (not even JSON).
#[derive(Debug, Clone)]
pub enum Body {
    Json(Value),
    Raw(String),
}

/// One request body, chosen by `chooser`.
pub fn request(schema: &Schema, chooser: &mut Chooser<'_>) -> Body {
    let mutation = schema
        .mutation
        .clone()
        .unwrap_or_else(|| schema.query.clone());
    match chooser.pick(100) {
        0..=44 => Body::Json(operation(schema, chooser, "query", &schema.query.clone())),
        45..=74 => Body::Json(operation(schema, chooser, "mutation", &mutation)),
        75..=79 => Body::Json(json!({"query": alias_bomb(schema, chooser)})),
        80..=84 => Body::Json(json!({"query": deep(chooser)})),
        85..=90 => Body::Json(json!({"query": broken_document(chooser)})),
        // Subscriptions are for the WebSocket: over HTTP they must be refused, not crash.
        91..=93 => match schema.subscription.clone() {
            Some(root) => Body::Json(operation(schema, chooser, "subscription", &root)),
            None => Body::Json(json!({"query": "subscription { __typename }"})),
        },
        _ => malformed(chooser),
    }
}

/// `query`/`mutation` with one to three root fields of `root`.
fn operation(schema: &Schema, chooser: &mut Chooser<'_>, kind: &str, root: &str) -> Value {
    let fields = schema.object_fields(root);
    let as_variables = chooser.pick(2) == 1;
    let mut definitions = Vec::new();
    let mut variables = serde_json::Map::new();
    let mut selections = Vec::new();
    for n in 0..=chooser.pick(3) {
        let field = &fields[chooser.pick(fields.len())];
        let mut args = Vec::new();
        for arg in &field.args {
            if !required(&arg.ty) && !chooser.chance(60) {
                continue;
            }
            let value = chooser.value(schema, &arg.ty, 0);
            if as_variables {
                let name = format!("v{n}_{}", arg.name);
                definitions.push(format!("${name}: {}", arg.ty.render()));
                variables.insert(name.clone(), value.json());
                args.push(format!("{}: ${name}", arg.name));
            } else {
                args.push(format!("{}: {}", arg.name, value.literal()));
            }
        }
        let args = if args.is_empty() {
            String::new()
        } else {
            format!("({})", args.join(", "))
        };
        let selection = selection(schema, chooser, &field.ty, 3);
        selections.push(format!("f{n}: {}{args}{selection}", field.name));
    }
    let definitions = if definitions.is_empty() {
        String::new()
    } else {
        format!("({})", definitions.join(", "))
    };
    let query = format!("{kind} Fuzz{definitions} {{ {} }}", selections.join(" "));
    json!({"query": query, "variables": variables, "operationName": "Fuzz"})
}

fn required(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::NonNull(_))
}

/// The selection set for a field of type `ty` (empty for scalars and enums), `budget` levels
/// deep at most.
fn selection(schema: &Schema, chooser: &mut Chooser<'_>, ty: &TypeRef, budget: usize) -> String {
    let fields: &[Field] = match schema.types.get(ty.name()) {
        Some(TypeDef::Object(fields)) => fields,
        Some(TypeDef::Abstract) => return " { __typename }".to_owned(),
        _ => return String::new(),
    };
    let mut chosen = vec!["__typename".to_owned()];
    for _ in 0..=chooser.pick(4) {
        let field = &fields[chooser.pick(fields.len())];
        let is_object = matches!(
            schema.types.get(field.ty.name()),
            Some(TypeDef::Object(_) | TypeDef::Abstract)
        );
        if is_object && budget == 0 {
            continue;
        }
        let mut args = Vec::new();
        for arg in &field.args {
            if required(&arg.ty) || chooser.chance(30) {
                let value = chooser.value(schema, &arg.ty, 0);
                args.push(format!("{}: {}", arg.name, value.literal()));
            }
        }
        let args = if args.is_empty() {
            String::new()
        } else {
            format!("({})", args.join(", "))
        };
        let sub = selection(schema, chooser, &field.ty, budget.saturating_sub(1));
        chosen.push(format!("a{}: {}{args}{sub}", chosen.len(), field.name));
    }
    format!(" {{ {} }}", chosen.join(" "))
}

/// One cheap root field repeated under many aliases: the complexity limit must stop it.
fn alias_bomb(schema: &Schema, chooser: &mut Chooser<'_>) -> String {
    let field = [
        "__typename",
        "me { username }",
        "catalog { items { code } }",
    ][chooser.pick(3)];
    let copies = [50, 300, 1_000][chooser.pick(3)];
    let _ = schema;
    let body: Vec<String> = (0..copies).map(|i| format!("a{i}: {field}")).collect();
    format!("{{ {} }}", body.join(" "))
}

/// Nesting far past the depth limit: introspection types, or inline fragments.
fn deep(chooser: &mut Chooser<'_>) -> String {
    let levels = [15, 60, 400][chooser.pick(3)];
    if chooser.pick(2) == 0 {
        let open = "ofType { ".repeat(levels);
        let close = " }".repeat(levels);
        format!("{{ __schema {{ types {{ fields {{ type {{ {open}name{close} }} }} }} }} }}")
    } else {
        let open = "... on Query { ".repeat(levels);
        let close = " }".repeat(levels);
        format!("{{ {open}__typename{close} }}")
    }
}

/// Documents that do not parse, or parse and must not validate.
fn broken_document(chooser: &mut Chooser<'_>) -> String {
    match chooser.pick(8) {
        0 => "{ me { username } ".to_owned(),
        1 => {
            "query A { ...F } fragment F on Query { ...G } fragment G on Query { ...F }".to_owned()
        }
        2 => "{ me { username } } { me { role } }".to_owned(),
        3 => "query($x: Int!) { workload(horizonDays: $x) { today } }".to_owned(),
        4 => "{ __typename @skip(if: true) @skip(if: false) @include(if: $nope) }".to_owned(),
        5 => format!("{{ {} }}", "__typename ".repeat(2_000)),
        6 => "{ case(id: \"\\uD800\") { id } }".to_owned(),
        _ => chooser.strings.first().cloned().unwrap_or_default(),
    }
}

/// Bodies that are not a GraphQL request, or a request with fields of the wrong JSON type.
fn malformed(chooser: &mut Chooser<'_>) -> Body {
    match chooser.pick(6) {
        0 => Body::Raw("{\"query\": ".to_owned()),
        1 => Body::Json(json!({"query": 42})),
        2 => Body::Json(json!({"query": "{ __typename }", "variables": [1, 2]})),
        3 => Body::Json(json!([{"query": "{ __typename }"}, {"query": "{ me { username } }"}])),
        4 => Body::Json(json!({"query": "{ __typename }", "operationName": "Missing"})),
        _ => Body::Raw(chooser.strings.first().cloned().unwrap_or_default()),
    }
}
