//! The text rules: trimming, bounds, and the characters each shape of field may hold.

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

fn refused_at(result: Result<String, DomainError>) -> Option<(&'static str, usize, char)> {
    match result {
        Err(DomainError::Invalid {
            field,
            source: ValueError::BadCharacter {
                position, found, ..
            },
        }) => Some((field, position, found)),
        _ => None,
    }
}

#[test]
fn no_field_holds_nul_or_another_control_character() {
    for c in ['\0', '\u{1}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9f}'] {
        let text = format!("恒口{c}新材料");
        assert_eq!(
            refused_at(required("notes", &text, BODY_MAX)),
            Some(("notes", 3, c)),
            "{c:?} in a body"
        );
        assert_eq!(
            refused_at(required("name", &text, NAME_MAX)),
            Some(("name", 3, c)),
            "{c:?} in a name"
        );
    }
}

#[test]
fn bodies_keep_line_breaks_tabs_joiners_and_direction_marks() {
    let note = "第一行\r\n第二行\t缩进\u{2028}👨\u{200D}👩 \u{202E}abc\u{202C}";
    assert_eq!(required("notes", note, BODY_MAX), Ok(note.to_owned()));
    assert_eq!(
        optional("comment", Some(note), BODY_MAX),
        Ok(Some(note.to_owned()))
    );
}

#[test]
fn names_are_one_line_without_bidi_or_invisible_characters() {
    let refused = [
        '\n', '\r', '\t', '\u{2028}', '\u{202E}', '\u{202A}', '\u{2066}', '\u{200F}', '\u{061C}',
        '\u{200B}', '\u{200D}', '\u{2060}', '\u{FEFF}', '\u{00AD}',
    ];
    for c in refused {
        let text = format!("恒口{c}新材料");
        assert_eq!(
            refused_at(required("enterprise.name", &text, NAME_MAX)),
            Some(("enterprise.name", 3, c)),
            "{c:?} in a name"
        );
        let labels = vec!["王经理".to_owned(), text.clone()];
        assert_eq!(
            refused_at(list("signatories", &labels, LABEL_MAX).map(|l| l.join(","))),
            Some(("signatories", 3, c)),
            "{c:?} in a list of labels"
        );
    }
    // Ordinary names, full-width punctuation and the ideographic space inside are fine.
    for name in [
        "恒口新材料（安康）有限公司",
        "Ankang O'Neil & Co.",
        "王　经理",
    ] {
        assert_eq!(required("name", name, NAME_MAX), Ok(name.to_owned()));
    }
}

#[test]
fn the_refusal_says_which_character_where_and_why() {
    let error = check_characters("clientKey", "k\u{202E}1", Shape::Line)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        error.starts_with("clientKey: character '\\u{202e}' at position 2"),
        "{error}"
    );
    assert!(error.contains("bidirectional"), "{error}");
    assert_eq!(forbidden_character("ok\nfine", Shape::Body), None);
    assert_eq!(forbidden_character("ok\0", Shape::Body), Some((3, '\0')));
}

#[test]
fn the_limit_decides_the_shape() {
    assert_eq!(Shape::for_limit(BODY_MAX), Shape::Body);
    assert_eq!(Shape::for_limit(NAME_MAX), Shape::Line);
    assert_eq!(Shape::for_limit(LABEL_MAX), Shape::Line);
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
