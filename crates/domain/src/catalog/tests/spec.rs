//! The validation of specs: each rule gives its own error on its own field.

use super::*;
use crate::catalog::model::code;
use crate::error::{DomainError, ValueError};

fn invalid(spec: CatalogItemSpec) -> DomainError {
    spec.validated().expect_err("the spec should be refused")
}

#[test]
fn a_clean_spec_validates_to_itself() {
    assert_eq!(item(PLANNING).validated(), Ok(item(PLANNING)));
}

#[test]
fn codes_are_trimmed_but_keep_their_case() {
    assert_eq!(code("code", " yjs-QYKB\t"), Ok("yjs-QYKB".to_owned()));
}

#[test]
fn a_code_with_inner_whitespace_names_the_position() {
    assert_eq!(
        code("basic_code", "000117 001000"),
        Err(DomainError::invalid(
            "basic_code",
            ValueError::BadCharacter {
                position: 7,
                found: ' ',
                allowed: "a code has no whitespace or control characters",
            }
        ))
    );
}

#[test]
fn a_code_with_a_control_character_is_refused() {
    assert!(matches!(
        code("code", "A\u{7}B"),
        Err(DomainError::Invalid {
            field: "code",
            source: ValueError::BadCharacter { position: 2, .. }
        })
    ));
}

#[test]
fn codes_are_at_most_64_characters() {
    assert!(code("code", &"编".repeat(64)).is_ok());
    assert_eq!(
        code("code", &"9".repeat(65)),
        Err(DomainError::invalid(
            "code",
            ValueError::TooLong {
                max: 64,
                actual: 65
            }
        ))
    );
}

#[test]
fn each_text_field_is_checked_under_its_own_name() {
    let mut spec = item(SEAL);
    spec.basic_code = " ".to_owned();
    assert_eq!(
        invalid(spec),
        DomainError::invalid("basic_code", ValueError::Empty)
    );

    let mut spec = item(SEAL);
    spec.name = String::new();
    assert_eq!(
        invalid(spec),
        DomainError::invalid("name", ValueError::Empty)
    );

    let mut spec = item(SEAL);
    spec.department = "局".repeat(101);
    assert_eq!(
        invalid(spec),
        DomainError::invalid(
            "department",
            ValueError::TooLong {
                max: 100,
                actual: 101
            }
        )
    );

    let mut spec = item(SEAL);
    spec.required_materials.push("  ".to_owned());
    assert_eq!(
        invalid(spec),
        DomainError::invalid("required_materials", ValueError::Empty)
    );
}

#[test]
fn the_statutory_limit_is_bounded() {
    let mut spec = item(PLANNING);
    spec.statutory_limit_days = 3651;
    assert_eq!(
        invalid(spec),
        DomainError::invalid(
            "statutory_limit_days",
            ValueError::OutOfRange {
                min: 0,
                max: 3650,
                actual: 3651
            }
        )
    );
}

#[test]
fn the_promised_limit_may_equal_but_not_exceed_the_statutory_limit() {
    let mut spec = item(PLANNING);
    spec.promised_limit_days = 20;
    assert!(spec.validated().is_ok());
    spec.promised_limit_days = 21;
    assert!(matches!(
        invalid(spec),
        DomainError::Invalid {
            field: "promised_limit_days",
            source: ValueError::Rule(_)
        }
    ));
}

#[test]
fn an_immediate_zero_trip_item_is_valid() {
    let mut spec = item(SEAL);
    spec.statutory_limit_days = 0;
    spec.promised_limit_days = 0;
    spec.onsite_trips = 0;
    spec.required_materials.clear();
    assert_eq!(spec.validated(), Ok(spec));
}

#[test]
fn a_bundle_spec_checks_its_code_name_and_list() {
    let mut spec = bundle(&[REGISTRATION, SEAL]);
    spec.code = "YJS QYKB".to_owned();
    assert!(matches!(
        spec.validated(),
        Err(DomainError::Invalid { field: "code", .. })
    ));

    let mut spec = bundle(&[REGISTRATION, SEAL]);
    spec.name = " ".to_owned();
    assert_eq!(
        spec.validated(),
        Err(DomainError::invalid("name", ValueError::Empty))
    );

    let spec = bundle(&[REGISTRATION, ""]);
    assert_eq!(
        spec.validated(),
        Err(DomainError::invalid("item_codes", ValueError::Empty))
    );

    let many: Vec<String> = (0..101).map(|n| format!("ITEM-{n}")).collect();
    let mut spec = bundle(&[]);
    spec.item_codes = many;
    assert_eq!(
        spec.validated(),
        Err(DomainError::invalid(
            "item_codes",
            ValueError::TooLong {
                max: 100,
                actual: 101
            }
        ))
    );
}

#[test]
fn item_types_have_chinese_labels() {
    assert_eq!(ItemType::AdministrativeLicence.label_zh(), "行政许可");
    assert_eq!(ItemType::AdministrativeConfirmation.label_zh(), "行政确认");
    assert_eq!(ItemType::AdministrativeFiling.label_zh(), "备案");
    assert_eq!(ItemType::PublicService.label_zh(), "公共服务");
    assert_eq!(ItemType::Other.label_zh(), "其他");
}
