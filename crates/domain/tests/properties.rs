//! Property tests of the value parsers and of command handling: no input, however odd, makes
//! them panic; what they accept round-trips; and every refusal is an error value.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use cqrs_es::test::TestFramework;
use guanjia_domain::case::commands::{CaseCommand, EnterpriseInput};
use guanjia_domain::case::model::{LeadSource, Stage};
use guanjia_domain::case::{CaseServices, EnterpriseCase};
use guanjia_domain::clock::FixedClock;
use guanjia_domain::testing::SnapshotChecked;
use guanjia_domain::values::{CaseNumber, DivisionCode, Money, Phone, ProjectCode, Uscc};
use proptest::prelude::*;

const USCC_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Strings that look like the real inputs (digits, the USCC alphabet, separators, full-width
/// and CJK characters) and plain arbitrary Unicode.
fn messy() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9A-Za-z０-９Ａ-Ｚ .,¥￥元+()\\-]{0,30}",
        "[0-9]{0,26}",
        any::<String>(),
        "[恒口安康镇村 ]{0,10}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn value_parsers_never_panic(input in messy()) {
        let _ = Uscc::parse(&input);
        let _ = DivisionCode::parse(&input);
        let _ = ProjectCode::parse(&input);
        let _ = CaseNumber::parse(&input);
        let _ = Money::parse(&input);
        let _ = Phone::parse(&input);
    }

    #[test]
    fn every_valid_uscc_body_gets_a_check_character_and_round_trips(
        body in proptest::collection::vec(proptest::sample::select(USCC_ALPHABET.chars().collect::<Vec<_>>()), 17)
    ) {
        // Positions 3–8 are a division code: digits only.
        let mut body: String = body.into_iter().collect();
        body.replace_range(2..8, "610902");
        let uscc = Uscc::with_check_character(&body).expect("a body from the alphabet is valid");
        prop_assert_eq!(Uscc::parse(&uscc.as_str().to_lowercase()), Ok(uscc.clone()));
        let json = serde_json::to_string(&uscc).expect("serialises");
        prop_assert_eq!(serde_json::from_str::<Uscc>(&json).expect("deserialises"), uscc);
    }

    #[test]
    fn a_division_contains_exactly_the_codes_with_its_prefix(town in 1u32..400, village in 1u32..400) {
        let county = DivisionCode::parse("610902000000").expect("valid");
        let town_code = DivisionCode::parse(&format!("610902{town:03}000")).expect("valid");
        let village_code = DivisionCode::parse(&format!("610902{town:03}{village:03}")).expect("valid");
        prop_assert!(county.contains(&town_code) && county.contains(&village_code));
        prop_assert!(town_code.contains(&village_code));
        prop_assert!(!village_code.contains(&town_code));
        let other = DivisionCode::parse(&format!("610903{town:03}000")).expect("valid");
        prop_assert!(!county.contains(&other));
    }

    #[test]
    fn money_in_fen_round_trips_through_its_decimal_text(fen in 0i64..10_000_000_000_000) {
        let money = Money::from_fen(fen).expect("non-negative");
        let text = format!("{}.{:02}", fen / 100, fen % 100);
        prop_assert_eq!(Money::parse(&text), Ok(money));
    }

    #[test]
    fn registration_with_any_input_is_decided_without_panicking(
        name in messy(), uscc in messy(), division in messy(), phone in messy(), number in messy()
    ) {
        let now = Utc.with_ymd_and_hms(2024, 3, 15, 2, 0, 0).single().expect("valid instant");
        let services = CaseServices::new(Arc::new(FixedClock::at(now)));
        let command = CaseCommand::Register {
            case_number: number,
            enterprise: EnterpriseInput {
                name,
                uscc: Some(uscc),
                division,
                address: None,
                contact_name: None,
                contact_phone: Some(phone),
            },
            lead_source: LeadSource::EnterpriseRequest,
            stage: Stage::Establishment,
            registered_on: None,
        };
        // Accepted or refused with an error: either way an answer, never a panic.
        let _ = TestFramework::<SnapshotChecked<EnterpriseCase>>::with(services).given_no_previous_events().when(command).inspect_result();
    }
}
