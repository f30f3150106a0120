//! Which input field an error of async-graphql's own is about, so that it too names the field
//! and the rule.
//!
//! async-graphql coerces arguments before a resolver runs, and its errors name a type, not a
//! field: `Failed to parse "NaiveDate": input is out of range`, `Failed to parse "Int": Invalid
//! number`. Such an error does carry the position of the argument it came from. [`locate`]
//! finds that argument in the request's document, resolves its variables, and walks its value
//! along the schema's input types — in the order async-graphql parses them — to the first leaf
//! of the named type that our own check of that type refuses. The error then becomes an
//! [`ApiError::BadInput`] naming the field (`registeredOn`, `enterprise.division`,
//! `dimensions.0.level`; relative to the argument when it is `input`, the mutations'
//! convention, else prefixed by the argument's name) and the rule.
//!
//! Validation errors (the query does not fit the schema) already name the argument path in
//! their message; [`validation_field`] lifts it into `field` and `rule` as well.
//!
//! This reads the schema's registry, which async-graphql does not document (`#[doc(hidden)]`):
//! the crate is pinned (=7.2.1), and an error this module cannot place keeps its code and
//! message, so a change there loses only the field.

mod check;

use async_graphql::parser::types::{
    ExecutableDocument, Field, OperationDefinition, Selection, SelectionSet,
};
use async_graphql::registry::Registry;
use async_graphql::{Name, Pos, Positioned, ServerError, Variables};
use async_graphql_value::{ConstValue, Value};

use self::check::walk;
use super::ApiError;

/// The request as parsed: what an error's position is looked up in.
pub struct Parsed {
    pub document: ExecutableDocument,
    pub variables: Variables,
}

/// The input error an argument-coercion error stands for, or `None` when it is not one or
/// cannot be placed.
pub fn locate(error: &ServerError, parsed: &Parsed, registry: &Registry) -> Option<ApiError> {
    let scalar = refused_type(&error.message)?;
    let pos = *error.locations.first()?;
    let (field, argument, value) = find_argument(&parsed.document, pos)?;
    let value = resolve(value, parsed)?;
    let owners = registry
        .types
        .values()
        .filter_map(|ty| ty.field_by_name(field.name.node.as_str()))
        .filter_map(|meta| meta.args.get(argument.as_str()));
    for declared in owners {
        let mut path = Vec::new();
        if let Some(problem) = walk(
            registry,
            &declared.ty,
            &value,
            scalar,
            &error.message,
            &mut path,
        ) {
            let name = field_name(argument.as_str(), &path);
            return Some(ApiError::bad_input(name, problem.rule, problem.message));
        }
    }
    None
}

/// `field` and `rule` for a validation error about an argument's value:
/// `Invalid value for argument "input.visitNo", expected type "Int"` → (`visitNo`, `wrong_type`).
pub fn validation_field(message: &str) -> Option<(String, &'static str)> {
    let rest = message.strip_prefix("Invalid value for argument \"")?;
    let (argument, reason) = rest.split_once('"')?;
    let mut segments: Vec<String> = argument.split('.').map(str::to_owned).collect();
    let argument = segments.remove(0);
    let inner = |marker: &str| {
        let after = reason.split_once(marker)?.1;
        after.split_once('"').map(|(name, _)| name.to_owned())
    };
    let rule = if reason.contains("is required but not provided") {
        segments.extend(inner("field \""));
        "required"
    } else if reason.contains("unknown field") {
        segments.extend(inner("unknown field \""));
        "unknown_field"
    } else if reason.contains("does not contain the value") {
        "unknown_value"
    } else {
        "wrong_type"
    };
    Some((field_name(&argument, &segments), rule))
}

/// The scalar an async-graphql coercion message is about: `Failed to parse "NaiveDate": …` or
/// `Expected input type "Int", found …`.
fn refused_type(message: &str) -> Option<&str> {
    let rest = message
        .strip_prefix("Failed to parse \"")
        .or_else(|| message.strip_prefix("Expected input type \""))?;
    rest.split_once('"').map(|(name, _)| name)
}

/// The field's name as clients know it: relative to an `input` argument, else under the
/// argument's own name.
fn field_name(argument: &str, path: &[String]) -> String {
    match (argument, path.is_empty()) {
        (_, true) => argument.to_owned(),
        ("input", false) => path.join("."),
        (_, false) => format!("{argument}.{}", path.join(".")),
    }
}

/// The field and argument whose value starts at `pos`, in any operation or fragment.
fn find_argument(document: &ExecutableDocument, pos: Pos) -> Option<(&Field, &Name, &Value)> {
    let operations = document
        .operations
        .iter()
        .map(|(_, op)| &op.node.selection_set);
    let fragments = document.fragments.values().map(|f| &f.node.selection_set);
    operations
        .chain(fragments)
        .find_map(|set| in_selection(&set.node, pos))
}

fn in_selection(set: &SelectionSet, pos: Pos) -> Option<(&Field, &Name, &Value)> {
    set.items.iter().find_map(|item| match &item.node {
        Selection::Field(field) => field
            .node
            .arguments
            .iter()
            .find(|(_, value)| value.pos == pos)
            .map(|(name, value)| (&field.node, &name.node, &value.node))
            .or_else(|| in_selection(&field.node.selection_set.node, pos)),
        Selection::InlineFragment(fragment) => in_selection(&fragment.node.selection_set.node, pos),
        Selection::FragmentSpread(_) => None,
    })
}

/// The argument's value with its variables filled in (given, or their defaults).
fn resolve(value: &Value, parsed: &Parsed) -> Option<ConstValue> {
    let defaults: Vec<&Positioned<OperationDefinition>> = parsed
        .document
        .operations
        .iter()
        .map(|(_, op)| op)
        .collect();
    value
        .clone()
        .into_const_with(|name| {
            parsed
                .variables
                .get(&name)
                .cloned()
                .or_else(|| {
                    defaults.iter().find_map(|op| {
                        op.node
                            .variable_definitions
                            .iter()
                            .find(|v| v.node.name.node == name)
                            .and_then(|v| v.node.default_value.as_ref())
                            .map(|d| d.node.clone())
                    })
                })
                .ok_or(())
        })
        .ok()
}

#[cfg(test)]
mod tests;
