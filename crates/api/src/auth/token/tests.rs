//! Tokens: round trip, expiry, tampering, other keys and other algorithms.

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{TimeZone, Utc};
use guanjia_domain::user::{Account, PasswordHash, Role, Username};
use guanjia_domain::values::DivisionCode;

use super::*;

fn signer(key: &str) -> TokenSigner {
    TokenSigner::new(&Secret::new(key), Duration::from_secs(3600)).expect("a valid key")
}

fn account() -> Account {
    Account {
        username: Username::parse("li.ming").expect("valid"),
        display_name: "李明".to_owned(),
        role: Role::Steward,
        division: DivisionCode::parse("610902100000").expect("valid"),
        password_hash: PasswordHash::parse("$argon2id$v=19$x").expect("valid"),
        disabled: None,
        token_generation: 3,
    }
}

fn noon() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 15, 4, 0, 0)
        .single()
        .expect("valid")
}

const KEY: &str = "0123456789abcdef0123456789abcdef";

#[test]
fn a_token_carries_its_claims_until_it_expires() {
    let signer = signer(KEY);
    let issued = signer.issue(&account(), noon()).expect("issued");
    assert_eq!(issued.expires_at, noon() + chrono::Duration::hours(1));
    let claims = signer.verify(&issued.token, noon()).expect("valid");
    assert_eq!(
        (claims.sub.as_str(), claims.role, claims.div.as_str()),
        ("li.ming", Role::Steward, "610902100000")
    );
    assert_eq!(claims.generation, 3);
    let almost = noon() + chrono::Duration::seconds(3599);
    assert!(signer.verify(&issued.token, almost).is_ok());
    let expired = noon() + chrono::Duration::hours(1);
    assert_eq!(
        signer.verify(&issued.token, expired),
        Err(TokenError::Expired)
    );
}

#[test]
fn a_token_from_another_key_is_invalid() {
    let issued = signer(KEY).issue(&account(), noon()).expect("issued");
    let other = signer("another-key-another-key-another-key");
    assert_eq!(
        other.verify(&issued.token, noon()),
        Err(TokenError::Invalid)
    );
}

#[test]
fn a_tampered_payload_is_invalid() {
    let signer = signer(KEY);
    let issued = signer.issue(&account(), noon()).expect("issued");
    let parts: Vec<&str> = issued.token.split('.').collect();
    let forged = serde_json::json!({
        "sub": "li.ming", "role": "admin", "div": "610902000000",
        "generation": 3, "iat": 0, "exp": i64::MAX
    });
    let forged = URL_SAFE_NO_PAD.encode(forged.to_string());
    let token = format!("{}.{forged}.{}", parts[0], parts[2]);
    assert_eq!(signer.verify(&token, noon()), Err(TokenError::Invalid));
}

#[test]
fn an_unsigned_or_other_algorithm_token_is_invalid() {
    let signer = signer(KEY);
    let issued = signer.issue(&account(), noon()).expect("issued");
    let parts: Vec<&str> = issued.token.split('.').collect();
    let none = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    for token in [
        format!("{none}.{}.", parts[1]),
        format!("{none}.{}.{}", parts[1], parts[2]),
        format!("{}.{}", parts[0], parts[1]),
        "not a token".to_owned(),
        String::new(),
    ] {
        assert_eq!(
            signer.verify(&token, noon()),
            Err(TokenError::Invalid),
            "{token}"
        );
    }
}

#[test]
fn a_short_key_is_refused() {
    assert!(TokenSigner::new(&Secret::new("short"), Duration::from_secs(60)).is_err());
}

#[test]
fn the_header_constant_is_hs256() {
    let decoded = URL_SAFE_NO_PAD.decode(HEADER).expect("base64");
    assert_eq!(decoded, br#"{"alg":"HS256","typ":"JWT"}"#);
}
