//! The check of one leaf of a built-in scalar, and the walk that finds the leaf whose parse
//! failed (see the parent module).

use async_graphql::registry::{MetaType, MetaTypeName, Registry};
use async_graphql_value::ConstValue;
use chrono::{DateTime, NaiveDate, Utc};

/// What is wrong with one leaf.
pub(super) struct Problem {
    pub rule: &'static str,
    pub message: String,
}

/// The first leaf of type `scalar` under `value` (of GraphQL type `ty`) that [`check`]
/// refuses, with its path; the order is async-graphql's (fields as declared, list items in
/// order), so it is the leaf whose parse failed.
pub(super) fn walk(
    registry: &Registry,
    ty: &str,
    value: &ConstValue,
    scalar: &str,
    message: &str,
    path: &mut Vec<String>,
) -> Option<Problem> {
    match MetaTypeName::create(ty) {
        MetaTypeName::NonNull(inner) => walk(registry, inner, value, scalar, message, path),
        MetaTypeName::List(inner) => match value {
            ConstValue::List(items) => items.iter().enumerate().find_map(|(at, item)| {
                path.push(at.to_string());
                let found = walk(registry, inner, item, scalar, message, path);
                if found.is_none() {
                    path.pop();
                }
                found
            }),
            single => walk(registry, inner, single, scalar, message, path),
        },
        MetaTypeName::Named(name) => match (registry.types.get(name)?, value) {
            (_, ConstValue::Null) => None,
            (MetaType::InputObject { input_fields, .. }, ConstValue::Object(fields)) => {
                input_fields.values().find_map(|field| {
                    let given = fields.get(field.name.as_str())?;
                    path.push(field.name.clone());
                    let found = walk(registry, &field.ty, given, scalar, message, path);
                    if found.is_none() {
                        path.pop();
                    }
                    found
                })
            }
            (MetaType::Scalar { .. }, leaf) if name == scalar => check(scalar, leaf, message),
            _ => None,
        },
    }
}

/// Our own check of a leaf of a built-in scalar, with the rule it breaks.
fn check(scalar: &str, leaf: &ConstValue, message: &str) -> Option<Problem> {
    let problem = |rule, message: String| Some(Problem { rule, message });
    match (scalar, leaf) {
        ("NaiveDate", ConstValue::String(text)) => {
            if NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok() {
                None
            } else if looks_like_a_date(text) {
                problem("date", format!("{text} is not a day of the calendar"))
            } else {
                problem(
                    "date",
                    format!("{text:?} is not a date of the form YYYY-MM-DD"),
                )
            }
        }
        ("DateTime", ConstValue::String(text)) => match text.parse::<DateTime<Utc>>() {
            Ok(_) => None,
            Err(_) => problem(
                "date_time",
                format!("{text:?} is not an RFC 3339 instant such as 2025-01-09T01:00:00Z"),
            ),
        },
        ("NaiveDate" | "DateTime", other) => {
            problem("wrong_type", format!("must be a string, got {other}"))
        }
        ("Int", ConstValue::Number(number)) => {
            let whole = number.as_i64();
            match (whole, accepted_range(message)) {
                (None, _) if number.is_f64() => problem(
                    "wrong_type",
                    format!("must be a whole number, got {number}"),
                ),
                (Some(n), Some((min, max))) if n < min || n > max => problem(
                    "out_of_range",
                    format!("must be between {min} and {max}, got {n}"),
                ),
                (Some(n), None) if n < 0 => problem(
                    "out_of_range",
                    format!("must be a whole number of at least 0, got {n}"),
                ),
                (None, _) => problem("out_of_range", format!("{number} is too large")),
                _ => None,
            }
        }
        ("Int", other) => problem("wrong_type", format!("must be a whole number, got {other}")),
        _ => None,
    }
}

/// `YYYY-MM-DD` in shape, whatever the values.
pub(super) fn looks_like_a_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(at, b)| match at {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
}

/// The range of "Only integers from A to B are accepted."
pub(super) fn accepted_range(message: &str) -> Option<(i64, i64)> {
    let rest = message.split_once("Only integers from ")?.1;
    let (min, rest) = rest.split_once(" to ")?;
    let max = rest
        .split(|c: char| !(c.is_ascii_digit() || c == '-'))
        .next()?;
    Some((min.parse().ok()?, max.parse().ok()?))
}
