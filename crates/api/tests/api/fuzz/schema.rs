//! The schema as the fuzzer knows it: read from the running server by introspection — as any
//! client, and schemathesis, would — into the few facts needed to build operations: the root
//! fields, the arguments and input fields with their types, the enum values, the object fields.

use std::collections::HashMap;

use serde_json::Value;

/// The introspection query: type references four wrappers deep (`[X!]!` needs three), within
/// the server's depth limit.
pub const INTROSPECTION: &str = "query Introspection { __schema {
  queryType { name } mutationType { name } subscriptionType { name }
  types { kind name
    fields(includeDeprecated: true) { name args { name type { ...T } } type { ...T } }
    inputFields { name type { ...T } }
    enumValues(includeDeprecated: true) { name } } } }
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }";

/// A type reference: `String`, `[ID!]`, `CaseFilter!`, …
#[derive(Debug, Clone)]
pub enum TypeRef {
    Named(String),
    List(Box<TypeRef>),
    NonNull(Box<TypeRef>),
}

impl TypeRef {
    fn parse(value: &Value) -> TypeRef {
        let inner = || Box::new(TypeRef::parse(&value["ofType"]));
        match value["kind"].as_str() {
            Some("NON_NULL") => TypeRef::NonNull(inner()),
            Some("LIST") => TypeRef::List(inner()),
            _ => TypeRef::Named(value["name"].as_str().unwrap_or("String").to_owned()),
        }
    }

    /// The named type inside the wrappers.
    pub fn name(&self) -> &str {
        match self {
            TypeRef::Named(name) => name,
            TypeRef::List(inner) | TypeRef::NonNull(inner) => inner.name(),
        }
    }

    /// The reference as written in a variable definition.
    pub fn render(&self) -> String {
        match self {
            TypeRef::Named(name) => name.clone(),
            TypeRef::List(inner) => format!("[{}]", inner.render()),
            TypeRef::NonNull(inner) => format!("{}!", inner.render()),
        }
    }
}

/// A field of an object type, or an argument or input field (no `args`).
#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub args: Vec<Field>,
    pub ty: TypeRef,
}

/// What a named type is.
#[derive(Debug, Clone)]
pub enum TypeDef {
    Object(Vec<Field>),
    Input(Vec<Field>),
    Enum(Vec<String>),
    Scalar,
    /// Interfaces and unions: only `__typename` is selected on them.
    Abstract,
}

/// The schema, from introspection.
#[derive(Debug, Clone)]
pub struct Schema {
    pub query: String,
    pub mutation: Option<String>,
    pub subscription: Option<String>,
    pub types: HashMap<String, TypeDef>,
}

fn fields(value: &Value) -> Vec<Field> {
    value
        .as_array()
        .map(|list| {
            list.iter()
                .map(|f| Field {
                    name: f["name"].as_str().unwrap_or("").to_owned(),
                    args: fields(&f["args"]),
                    ty: TypeRef::parse(&f["type"]),
                })
                .collect()
        })
        .unwrap_or_default()
}

impl Schema {
    /// The schema from the `data` of an [`INTROSPECTION`] answer.
    pub fn from_introspection(data: &Value) -> Schema {
        let schema = &data["__schema"];
        let name = |key: &str| schema[key]["name"].as_str().map(str::to_owned);
        let mut types = HashMap::new();
        for ty in schema["types"].as_array().expect("introspected types") {
            let def = match ty["kind"].as_str() {
                Some("OBJECT") => TypeDef::Object(fields(&ty["fields"])),
                Some("INPUT_OBJECT") => TypeDef::Input(fields(&ty["inputFields"])),
                Some("ENUM") => TypeDef::Enum(
                    ty["enumValues"]
                        .as_array()
                        .map(|values| {
                            values
                                .iter()
                                .filter_map(|v| v["name"].as_str().map(str::to_owned))
                                .collect()
                        })
                        .unwrap_or_default(),
                ),
                Some("SCALAR") => TypeDef::Scalar,
                _ => TypeDef::Abstract,
            };
            let type_name = ty["name"].as_str().expect("a named type").to_owned();
            types.insert(type_name, def);
        }
        Schema {
            query: name("queryType").expect("a query type"),
            mutation: name("mutationType"),
            subscription: name("subscriptionType"),
            types,
        }
    }

    /// The fields of the object type `name` (empty for any other kind).
    pub fn object_fields(&self, name: &str) -> &[Field] {
        match self.types.get(name) {
            Some(TypeDef::Object(fields)) => fields,
            _ => &[],
        }
    }
}
