//! Free-text fields: trimmed, never empty where required, bounded so that one request cannot
//! bloat the event log, and holding only characters that a field of their kind may hold.
//!
//! The character rule lives here, once, for every front door (GraphQL, the web pages, the CLI,
//! the public rating page) and for both backends:
//! - **no field** holds a control character (Unicode category Cc: NUL, the C0 and C1 controls,
//!   DEL) other than a line break or a tab — PostgreSQL's `jsonb` cannot even store `\u0000`, and
//!   a terminal or a CSV reader acts on the others;
//! - **names, labels, codes and identifiers** ([`Shape::Line`]) are one line of visible text:
//!   no line breaks or tabs, no bidirectional controls (which make a name display as something
//!   other than what it is, e.g. `U+202E` RIGHT-TO-LEFT OVERRIDE) and no zero-width or other
//!   invisible characters (which make two names look the same);
//! - **free text** ([`Shape::Body`]: notes, reasons, answers, comments) may hold line breaks and
//!   tabs, and the joiners and direction marks that mixed scripts and emoji need.
//!
//! A field bounded by [`BODY_MAX`] is a body; every shorter bound is a name or a label
//! ([`Shape::for_limit`]), so a new field gets the right rule from the limit it already names.
//! Layers that check their own identifiers (the api's `clientKey`, case ids) call
//! [`check_characters`]; the GraphQL layer also refuses what no field may hold in every string
//! argument before a resolver runs ([`forbidden_character`] with [`Shape::Body`]).

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

/// What a text field may hold besides visible text (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A name, label, code or identifier: one line of visible text.
    Line,
    /// Free text: line breaks and tabs allowed.
    Body,
}

impl Shape {
    /// The shape of a field bounded by `max` characters: [`BODY_MAX`] and above is free text,
    /// anything shorter a name or label.
    pub fn for_limit(max: usize) -> Self {
        if max >= BODY_MAX {
            Self::Body
        } else {
            Self::Line
        }
    }

    fn rule(self) -> &'static str {
        match self {
            Self::Line => {
                "a name or identifier is one line of visible text: no control, line-break, \
                 bidirectional or zero-width characters"
            }
            Self::Body => "text may hold line breaks and tabs but no other control characters",
        }
    }
}

/// The first character of `text` that a field of `shape` may not hold, with its position
/// (1-based, in characters).
pub fn forbidden_character(text: &str, shape: Shape) -> Option<(usize, char)> {
    text.chars()
        .enumerate()
        .find(|(_, c)| is_forbidden(*c, shape))
        .map(|(index, c)| (index + 1, c))
}

/// [`ValueError::BadCharacter`] when `text` holds a character a field of `shape` may not hold.
pub fn check_shape(text: &str, shape: Shape) -> Result<(), ValueError> {
    match forbidden_character(text, shape) {
        None => Ok(()),
        Some((position, found)) => Err(ValueError::BadCharacter {
            position,
            found,
            allowed: shape.rule(),
        }),
    }
}

/// [`check_shape`], naming `field` in the error.
pub fn check_characters(field: &'static str, text: &str, shape: Shape) -> Result<(), DomainError> {
    check_shape(text, shape).map_err(|error| DomainError::invalid(field, error))
}

fn is_forbidden(c: char, shape: Shape) -> bool {
    let line_only = match c {
        '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' => true,
        c if c.is_control() => return true,
        c => is_bidi_control(c) || is_invisible(c),
    };
    line_only && shape == Shape::Line
}

/// The bidirectional formatting characters: marks, embeddings, overrides and isolates.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Zero-width and other characters that print as nothing: spaces and joiners of width zero,
/// the word joiner and invisible operators, the byte-order mark, the soft hyphen, the
/// Mongolian vowel separator and the Hangul fillers.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200D}'
            | '\u{2060}'..='\u{2064}'
            | '\u{3164}'
            | '\u{FEFF}'
            | '\u{FFA0}'
    )
}

fn bounded(field: &'static str, text: &str, max: usize) -> Result<String, DomainError> {
    let actual = text.chars().count();
    if actual > max {
        return Err(DomainError::invalid(
            field,
            ValueError::TooLong { max, actual },
        ));
    }
    check_characters(field, text, Shape::for_limit(max))?;
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests;
