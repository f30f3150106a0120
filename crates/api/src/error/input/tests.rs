//! The message parsing that places async-graphql's own errors.

use super::check::{accepted_range, looks_like_a_date};
use super::*;

#[test]
fn validation_messages_give_the_field_and_the_rule() {
    let cases = [
        (
            r#"Invalid value for argument "input.visitNo", expected type "Int""#,
            ("visitNo", "wrong_type"),
        ),
        (
            r#"Invalid value for argument "input", field "visitNo" of type "Int!" is required but not provided"#,
            ("visitNo", "required"),
        ),
        (
            r#"Invalid value for argument "input.rating", unknown field "colour" of type "RatingDetails""#,
            ("rating.colour", "unknown_field"),
        ),
        (
            r#"Invalid value for argument "groupBy", enumeration type "GroupBy" does not contain the value "X""#,
            ("groupBy", "unknown_value"),
        ),
        (
            r#"Invalid value for argument "filter.division", expected type "String""#,
            ("filter.division", "wrong_type"),
        ),
    ];
    for (message, (field, rule)) in cases {
        assert_eq!(
            validation_field(message),
            Some((field.to_owned(), rule)),
            "{message}"
        );
    }
    assert_eq!(validation_field("Unknown field \"nothingHere\""), None);
}

#[test]
fn coercion_messages_name_their_type_and_range() {
    assert_eq!(
        refused_type(
            r#"Failed to parse "NaiveDate": input is out of range (occurred while parsing "X")"#
        ),
        Some("NaiveDate")
    );
    assert_eq!(
        refused_type(r#"Expected input type "Int", found "a"."#),
        Some("Int")
    );
    assert_eq!(refused_type("case_number: must be 9 characters long"), None);
    assert_eq!(
        accepted_range(
            r#"Failed to parse "Int": Only integers from -2147483648 to 2147483647 are accepted. (occurred while parsing "X")"#
        ),
        Some((-2_147_483_648, 2_147_483_647))
    );
    assert!(looks_like_a_date("2024-02-30") && !looks_like_a_date("2024-2-3"));
}
