//! The GraphQL front door's share of the text rule (`guanjia_domain::values::text`): every
//! string in every argument of an operation — written in the query or passed as a variable, at
//! any depth of an input object or list — is checked for what no field may hold (NUL and the
//! other control characters; line breaks and tabs pass) before any resolver runs, and refused
//! with `BAD_USER_INPUT` naming the field and the rule `bad_character`.
//!
//! The domain checks the same rule, and more (names and identifiers are one line without
//! bidirectional or zero-width characters), on the fields it owns. This net is for the strings
//! that never reach it — ids, filters, cursors — and makes the answer the same whatever field a
//! control character is sent in: on PostgreSQL a NUL would otherwise reach `jsonb` or a text
//! parameter and come back as an internal error.
//!
//! The field is named as the domain names it: the path of input fields below the argument, in
//! the schema's camelCase, without the `input` argument that wraps most mutations' fields
//! (`enterprise.name`, `text`, `caseId`); list positions are not named.

use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Pos, Positioned, ServerResult, Value, Variables};
use guanjia_domain::values::text::{check_shape, Shape};

use crate::error::{rule_name, ApiError};

/// Checks the strings of every operation (see the module documentation).
#[derive(Debug, Default, Clone, Copy)]
pub struct InputText;

impl ExtensionFactory for InputText {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(InputText)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for InputText {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        let sets = document
            .operations
            .iter()
            .map(|(_, operation)| &operation.node.selection_set)
            .chain(document.fragments.values().map(|f| &f.node.selection_set));
        for set in sets {
            check_set(set, variables)?;
        }
        Ok(document)
    }
}

fn check_set(set: &Positioned<SelectionSet>, variables: &Variables) -> ServerResult<()> {
    for selection in &set.node.items {
        match &selection.node {
            Selection::Field(field) => {
                for (name, argument) in &field.node.arguments {
                    let path = match name.node.as_str() {
                        "input" => String::new(),
                        other => other.to_owned(),
                    };
                    // Variables are put in place first: the strings are checked where they land.
                    let pos = argument.pos;
                    let Ok(value) = argument.node.clone().into_const_with(|name| {
                        Ok::<_, std::convert::Infallible>(
                            variables.get(&name).cloned().unwrap_or(Value::Null),
                        )
                    });
                    check_value(&path, &value, pos)?;
                }
                check_set(&field.node.selection_set, variables)?;
            }
            Selection::InlineFragment(fragment) => {
                check_set(&fragment.node.selection_set, variables)?;
            }
            Selection::FragmentSpread(_) => {}
        }
    }
    Ok(())
}

fn check_value(path: &str, value: &Value, pos: Pos) -> ServerResult<()> {
    match value {
        Value::String(text) => check_text(path, text, pos),
        Value::List(items) => items
            .iter()
            .try_for_each(|item| check_value(path, item, pos)),
        Value::Object(fields) => fields
            .iter()
            .try_for_each(|(name, item)| check_value(&join(path, name), item, pos)),
        _ => Ok(()),
    }
}

fn check_text(path: &str, text: &str, pos: Pos) -> ServerResult<()> {
    check_shape(text, Shape::Body).map_err(|error| {
        let mut refused =
            ApiError::bad_input(path, rule_name(&error), error.to_string()).into_server_error();
        refused.locations = vec![pos];
        refused
    })
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::ServerError;

    use super::*;

    fn refused(query: &str, variables: serde_json::Value) -> Option<ServerError> {
        let document = async_graphql::parser::parse_query(query).expect("a query");
        let variables = Variables::from_json(variables);
        document
            .operations
            .iter()
            .find_map(|(_, op)| check_set(&op.node.selection_set, &variables).err())
    }

    fn field_of(error: &ServerError) -> Option<String> {
        let extensions = error.extensions.as_ref()?;
        match extensions.get("field")? {
            Value::String(field) => Some(field.clone()),
            _ => None,
        }
    }

    #[test]
    fn a_nul_anywhere_is_refused_naming_the_field() {
        let cases = [
            (r#"{ case(id: "c\u0000") { id } }"#, serde_json::json!({}), "id"),
            (
                "mutation($i: RegisterCaseInput!) { registerCase(input: $i) { caseId } }",
                serde_json::json!({"i": {"enterprise": {"name": "恒口\u{0}新材料"}}}),
                "enterprise.name",
            ),
            (
                "mutation($k: String) { addNote(caseId: \"c\", input: {text: \"t\"}, clientKey: $k) { position } }",
                serde_json::json!({"k": "k\u{1b}"}),
                "clientKey",
            ),
            (
                r#"mutation { conductVisit(caseId: "c", input: {participants: ["a", "b\u0007"]}) { position } }"#,
                serde_json::json!({}),
                "participants",
            ),
        ];
        for (query, variables, field) in cases {
            let error = refused(query, variables).expect("refused");
            assert_eq!(field_of(&error).as_deref(), Some(field), "{query}");
            assert!(
                error.message.contains("is not allowed"),
                "{}",
                error.message
            );
        }
    }

    #[test]
    fn line_breaks_tabs_and_ordinary_text_pass() {
        let query = "mutation($i: NoteInput!) { addNote(caseId: \"c\", input: $i) { position } }";
        let note = serde_json::json!({"i": {"text": "第一行\r\n第二行\t缩进 👨\u{200D}👩"}});
        assert!(refused(query, note).is_none());
    }
}
