//! Free-text fields: trimmed, never empty where required, and bounded so that one request cannot
//! bloat the event log.

use crate::error::{DomainError, ValueError};

/// Longest name (enterprise, project, visit place, catalog item…), in characters.
pub const NAME_MAX: usize = 200;
/// Longest short label (a role, a department, a reference number), in characters.
pub const LABEL_MAX: usize = 100;
/// Longest free-text body (notes, summaries, answers, reasons), in characters.
pub const BODY_MAX: usize = 4000;
/// Most entries in one list field (participants, materials, milestones…).
pub const LIST_MAX: usize = 100;

/// A required text field: trimmed, not empty, at most `max` characters.
pub fn required(field: &'static str, value: &str, max: usize) -> Result<String, DomainError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(DomainError::invalid(field, ValueError::Empty));
    }
    bounded(field, trimmed, max)
}

/// An optional text field: `None` or blank becomes `None`; otherwise as [`required`].
pub fn optional(
    field: &'static str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, DomainError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => bounded(field, text, max).map(Some),
    }
}

/// A list of required text entries, at most [`LIST_MAX`] of them.
pub fn list(
    field: &'static str,
    values: &[String],
    max: usize,
) -> Result<Vec<String>, DomainError> {
    if values.len() > LIST_MAX {
        return Err(DomainError::invalid(
            field,
            ValueError::TooLong {
                max: LIST_MAX,
                actual: values.len(),
            },
        ));
    }
    values.iter().map(|v| required(field, v, max)).collect()
}

/// Maps full-width ASCII forms (U+FF01..U+FF5E) and the ideographic space to their ASCII
/// counterparts, as typed by a Chinese input method left in full-width mode.
pub(crate) fn half_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            other => other,
        })
        .collect()
}

fn bounded(field: &'static str, text: &str, max: usize) -> Result<String, DomainError> {
    let actual = text.chars().count();
    if actual > max {
        return Err(DomainError::invalid(
            field,
            ValueError::TooLong { max, actual },
        ));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_text_is_trimmed() {
        assert_eq!(required("name", "  恒口  ", 10), Ok("恒口".to_owned()));
    }

    #[test]
    fn blank_required_text_is_refused_with_its_field() {
        assert_eq!(
            required("name", "   ", 10),
            Err(DomainError::invalid("name", ValueError::Empty))
        );
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert!(required("name", "安康恒口", 4).is_ok());
        assert_eq!(
            required("name", "安康恒口新", 4),
            Err(DomainError::invalid(
                "name",
                ValueError::TooLong { max: 4, actual: 5 }
            ))
        );
    }

    #[test]
    fn blank_optional_text_is_none() {
        assert_eq!(optional("note", Some("  "), 5), Ok(None));
        assert_eq!(optional("note", None, 5), Ok(None));
    }

    #[test]
    fn overlong_lists_are_refused() {
        let many = vec!["x".to_owned(); LIST_MAX + 1];
        assert!(matches!(
            list("participants", &many, 10),
            Err(DomainError::Invalid {
                field: "participants",
                ..
            })
        ));
    }
}
