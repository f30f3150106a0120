//! Argument values for the fuzzer: of the right shape for the argument's type most of the time,
//! with hostile content (huge and odd Unicode strings, boundary and overflowing numbers,
//! malformed ids, codes and dates), and sometimes of the wrong shape altogether (null for a
//! required value, a list for a scalar, an unknown input field, a bad enum value).
//!
//! Every decision comes from a [`Chooser`]: a list of numbers drawn by proptest. Shrinking
//! drives them toward 0, and choice 0 is always the most ordinary option, so a failure shrinks
//! toward a plain request.

use serde_json::{json, Value};

use super::schema::{Schema, TypeDef, TypeRef};

/// Decisions drawn from proptest's numbers, and the strings it generated.
pub struct Chooser<'a> {
    pub choices: &'a [u32],
    pub at: usize,
    pub strings: &'a [String],
    /// Strings worth trying in any string argument: real ids, codes and dates of this server,
    /// and classic hostile inputs.
    pub pool: &'a [String],
}

impl Chooser<'_> {
    /// A number below `n` (0 when the choices run out).
    pub fn pick(&mut self, n: usize) -> usize {
        let choice = self.choices.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        if n == 0 {
            0
        } else {
            choice as usize % n
        }
    }

    /// True `percent` times in a hundred (never when the choices run out).
    pub fn chance(&mut self, percent: usize) -> bool {
        let choice = self.choices.get(self.at).copied();
        self.at += 1;
        choice.is_some_and(|c| (c as usize % 100) >= 100 - percent)
    }

    fn string(&mut self) -> String {
        match self.pick(8) {
            0..=2 => self.pool[self.pick(self.pool.len())].clone(),
            3..=4 => match self.strings.len() {
                0 => String::new(),
                n => self.strings[self.pick(n)].clone(),
            },
            5 => "x".repeat([1_000, 4_001, 30_000][self.pick(3)]),
            6 => "中".repeat([100, 201, 4_001][self.pick(3)]),
            _ => [
                "",
                " ",
                "\t\n",
                "\u{0}",
                "\u{202e}\u{feff}",
                "😀🇨🇳",
                "\\u0000",
            ][self.pick(7)]
            .to_owned(),
        }
    }

    fn int(&mut self) -> Val {
        let text = [
            "1",
            "0",
            "-1",
            "2",
            "7",
            "100",
            "201",
            "2147483647",
            "-2147483648",
            "2147483648",
            "-2147483649",
            "9007199254740993",
            "99999999999999999999999",
        ][self.pick(13)];
        Val::Number(text.to_owned())
    }

    /// A value for `ty`, usually of its shape (`depth` bounds nested input objects).
    pub fn value(&mut self, schema: &Schema, ty: &TypeRef, depth: usize) -> Val {
        if self.chance(2) {
            return self.wrong_shape();
        }
        match ty {
            TypeRef::NonNull(inner) => self.value(schema, inner, depth),
            TypeRef::List(inner) => {
                let len = [1, 0, 2, 5, 101][self.pick(5)];
                Val::List((0..len).map(|_| self.value(schema, inner, depth)).collect())
            }
            TypeRef::Named(name) => match schema.types.get(name.as_str()) {
                Some(TypeDef::Enum(values)) if !self.chance(2) => {
                    Val::Enum(values[self.pick(values.len())].clone())
                }
                Some(TypeDef::Enum(_)) => Val::Enum("NOT_A_VALUE".to_owned()),
                Some(TypeDef::Input(fields)) if depth < 5 => {
                    let mut entries = Vec::new();
                    for field in fields {
                        let required = matches!(field.ty, TypeRef::NonNull(_));
                        if (required && !self.chance(1)) || (!required && self.chance(50)) {
                            entries.push((
                                field.name.clone(),
                                self.value(schema, &field.ty, depth + 1),
                            ));
                        }
                    }
                    if self.chance(1) {
                        entries.push(("notAField".to_owned(), Val::Number("1".to_owned())));
                    }
                    Val::Object(entries)
                }
                Some(TypeDef::Input(_)) => Val::Null,
                _ => self.scalar(name),
            },
        }
    }

    fn scalar(&mut self, name: &str) -> Val {
        match name {
            "Int" => self.int(),
            "Float" => Val::Number(["0.5", "-1", "1e308", "-0.0", "3"][self.pick(5)].to_owned()),
            "Boolean" => Val::Bool(self.pick(2) == 0),
            "DateTime" if self.pick(2) == 0 => Val::Str(
                [
                    "2024-03-15T02:00:00Z",
                    "2024-03-15T02:00:00+08:00",
                    "1970-01-01T00:00:00Z",
                    "+262143-12-31T23:59:59Z",
                    "-262144-01-01T00:00:00Z",
                    "2024-13-01T00:00:00Z",
                    "2024-03-15",
                    "now",
                ][self.pick(8)]
                .to_owned(),
            ),
            "NaiveDate" if self.pick(2) == 0 => Val::Str(
                [
                    "2024-03-15",
                    "2024-02-29",
                    "2023-02-29",
                    "0000-01-01",
                    "9999-12-31",
                    "+262143-12-31",
                    "-262144-01-01",
                    "2024-3-5",
                    "20240315",
                ][self.pick(9)]
                .to_owned(),
            ),
            "JSON" => [
                Val::Object(vec![]),
                Val::List(vec![Val::Null]),
                Val::Number("1".to_owned()),
            ][self.pick(3)]
            .clone(),
            _ => Val::Str(self.string()),
        }
    }

    fn wrong_shape(&mut self) -> Val {
        match self.pick(6) {
            0 => Val::Null,
            1 => Val::Number("99999999999999999999999".to_owned()),
            2 => Val::List(vec![Val::Str(self.string())]),
            3 => Val::Object(vec![("a".to_owned(), Val::Null)]),
            4 => Val::Bool(true),
            _ => Val::Str(self.string()),
        }
    }
}

/// A generated value, written as a GraphQL literal or as JSON (for variables).
#[derive(Debug, Clone)]
pub enum Val {
    Null,
    Number(String),
    Str(String),
    Bool(bool),
    Enum(String),
    List(Vec<Val>),
    Object(Vec<(String, Val)>),
}

impl Val {
    /// The GraphQL literal.
    pub fn literal(&self) -> String {
        match self {
            Val::Null => "null".to_owned(),
            Val::Number(text) | Val::Enum(text) => text.clone(),
            // JSON string escapes are GraphQL string escapes.
            Val::Str(text) => Value::String(text.clone()).to_string(),
            Val::Bool(b) => b.to_string(),
            Val::List(items) => {
                let items: Vec<String> = items.iter().map(Val::literal).collect();
                format!("[{}]", items.join(", "))
            }
            Val::Object(entries) => {
                let entries: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", v.literal()))
                    .collect();
                format!("{{{}}}", entries.join(", "))
            }
        }
    }

    /// The JSON of a variable.
    pub fn json(&self) -> Value {
        match self {
            Val::Null => Value::Null,
            Val::Number(text) => serde_json::from_str(text).unwrap_or_else(|_| json!(text)),
            Val::Str(text) | Val::Enum(text) => json!(text),
            Val::Bool(b) => json!(b),
            Val::List(items) => Value::Array(items.iter().map(Val::json).collect()),
            Val::Object(entries) => {
                Value::Object(entries.iter().map(|(k, v)| (k.clone(), v.json())).collect())
            }
        }
    }
}
