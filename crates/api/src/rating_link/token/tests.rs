//! Link tokens: round trip, expiry, tampering, other keys, and no confusion with bearer tokens.

use std::time::Duration;

use chrono::{TimeZone, Utc};
use guanjia_domain::user::{Account, PasswordHash, Role, Username};
use guanjia_domain::values::DivisionCode;

use super::*;
use crate::auth::{TokenError, TokenSigner};
use crate::signed_token::{self, TOKEN_MAX};

const KEY: &str = "0123456789abcdef0123456789abcdef";

fn signer(key: &str) -> LinkSigner {
    LinkSigner::new(&Secret::new(key)).expect("a valid key")
}

fn noon() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 15, 4, 0, 0)
        .single()
        .expect("valid")
}

fn issue(signer: &LinkSigner, target: RatingTarget) -> (String, Link) {
    let expires = noon() + chrono::Duration::hours(72);
    signer
        .issue("case-7", target, LinkChannel::QrCode, noon(), expires)
        .expect("issued")
}

/// The token with its claims replaced, keeping the original MAC.
fn with_claims(token: &str, edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    let bytes = URL_SAFE_NO_PAD.decode(parts[1]).expect("base64");
    let mut claims: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
    edit(&mut claims);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).expect("json"));
    format!("{}.{payload}.{}", parts[0], parts[2])
}

#[test]
fn a_link_carries_case_target_channel_and_expiry_until_it_expires() {
    let signer = signer(KEY);
    let (token, issued) = issue(&signer, RatingTarget::Visit(2));
    assert!(token.starts_with("r1."));
    assert!(
        token.len() < 300,
        "short enough for a QR code: {}",
        token.len()
    );
    let link = signer.verify(&token, noon()).expect("valid");
    assert_eq!(link, issued);
    assert_eq!(link.case_id, "case-7");
    assert_eq!(link.target, RatingTarget::Visit(2));
    assert_eq!(link.channel, LinkChannel::QrCode);
    assert_eq!(link.expires_at, noon() + chrono::Duration::hours(72));
    let later = noon() + chrono::Duration::hours(72);
    assert_eq!(signer.verify(&token, later), Err(LinkError::Expired));
}

#[test]
fn every_link_is_distinct() {
    let signer = signer(KEY);
    let (first, a) = issue(&signer, RatingTarget::Item(1));
    let (second, b) = issue(&signer, RatingTarget::Item(1));
    assert_ne!(first, second);
    assert_ne!(a.nonce, b.nonce);
}

#[test]
fn altered_claims_a_flipped_character_or_another_key_are_forged() {
    let signer = signer(KEY);
    let (token, _) = issue(&signer, RatingTarget::Visit(2));
    let retargeted = with_claims(&token, |c| c["target"] = "visit:3".into());
    let extended = with_claims(&token, |c| c["exp"] = 4_102_444_800_i64.into());
    let other_case = with_claims(&token, |c| c["case"] = "case-8".into());
    let mut flipped = token.clone().into_bytes();
    let at = flipped.len() - 5;
    flipped[at] = if flipped[at] == b'A' { b'B' } else { b'A' };
    let flipped = String::from_utf8(flipped).expect("ascii");
    let foreign = issue(
        &self::signer("another-key-0123456789abcdef012345"),
        RatingTarget::Visit(2),
    )
    .0;
    for bad in [retargeted, extended, other_case, flipped, foreign] {
        assert_eq!(signer.verify(&bad, noon()), Err(LinkError::Forged), "{bad}");
    }
    for junk in ["", "r1", "r1..", "r2.a.b", &"x".repeat(TOKEN_MAX + 1)] {
        assert_eq!(
            signer.verify(junk, noon()),
            Err(LinkError::Forged),
            "{junk}"
        );
    }
}

#[test]
fn claims_for_another_audience_are_forged_even_with_a_good_mac() {
    let signer = signer(KEY);
    let (token, _) = issue(&signer, RatingTarget::Visit(2));
    let foreign = with_claims(&token, |c| c["aud"] = "guanjia/session".into());
    // The altered claims sealed again with the link key itself: a good MAC.
    let payload = foreign.split('.').nth(1).expect("parts");
    let claims: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64")).expect("JSON");
    let remade = signed_token::seal(&signer.mac, VERSION, &claims).expect("sealed");
    assert_eq!(signer.verify(&remade, noon()), Err(LinkError::Forged));
}

#[test]
fn a_bearer_token_is_no_link_and_a_link_is_no_bearer_token() {
    let key = Secret::new(KEY);
    let links = LinkSigner::new(&key).expect("valid key");
    let sessions = TokenSigner::new(&key, Duration::from_secs(3600)).expect("valid key");
    let account = Account {
        username: Username::parse("li.ming").expect("valid"),
        display_name: "李明".to_owned(),
        role: Role::Steward,
        division: DivisionCode::parse("610902100000").expect("valid"),
        password_hash: PasswordHash::parse("$argon2id$v=19$x").expect("valid"),
        disabled: None,
        token_generation: 1,
    };
    let bearer = sessions.issue(&account, noon()).expect("issued").token;
    assert_eq!(links.verify(&bearer, noon()), Err(LinkError::Forged));
    // Even dressed as a link, the bearer token's MAC is made with the other key.
    let mut parts = bearer.split('.');
    let (_, claims, mac) = (parts.next(), parts.next(), parts.next());
    let dressed = format!("r1.{}.{}", claims.unwrap_or(""), mac.unwrap_or(""));
    assert_eq!(links.verify(&dressed, noon()), Err(LinkError::Forged));
    let (link, _) = issue(&links, RatingTarget::Visit(2));
    assert_eq!(sessions.verify(&link, noon()), Err(TokenError::Invalid));
}
