//! Signing in, and every way a token stops working: expiry, revocation, a disabled account.

use chrono::Duration;
use serde_json::json;

use crate::helpers::*;

const ME: &str = "{ me { username role division active } }";

#[tokio::test]
async fn the_bootstrap_admin_signs_in_and_sees_themselves() {
    let app = spawn_app().await;
    let token = app.admin().await;
    let response = app.run(ME, json!({}), Some(&token)).await;
    assert_eq!(
        response["data"]["me"],
        json!({"username": "admin", "role": "ADMIN", "division": DISTRICT, "active": true})
    );
}

#[tokio::test]
async fn login_failures_do_not_tell_whether_the_user_exists() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.user(&admin, "li.ming", "STEWARD", TOWN).await;
    let query =
        "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }";
    let unknown = app
        .run(query, json!({"u": "nobody", "p": PASSWORD}), None)
        .await;
    let wrong = app
        .run(query, json!({"u": "li.ming", "p": "wrong-password"}), None)
        .await;
    let malformed = app
        .run(query, json!({"u": "李", "p": PASSWORD}), None)
        .await;
    for response in [&unknown, &wrong, &malformed] {
        assert_eq!(code(response), "UNAUTHENTICATED", "{response}");
        assert_eq!(message(response), "invalid username or password");
        assert!(response["data"].is_null());
    }
    // Usernames are case-insensitive.
    assert!(!app.login("Li.Ming", PASSWORD).await.is_empty());
}

#[tokio::test]
async fn an_expired_token_is_refused() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let token = app.user(&admin, "li.ming", "STEWARD", TOWN).await;
    app.clock().set(start() + Duration::hours(11));
    let fresh = app.run(ME, json!({}), Some(&token)).await;
    assert_eq!(fresh["data"]["me"]["username"], "li.ming");
    app.clock().set(start() + Duration::hours(12));
    let expired = app.run(ME, json!({}), Some(&token)).await;
    assert_eq!(code(&expired), "UNAUTHENTICATED");
    assert_eq!(message(&expired), "the token has expired; sign in again");
}

#[tokio::test]
async fn a_revoked_token_is_refused_and_a_new_login_works() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let first = app.user(&admin, "li.ming", "STEWARD", TOWN).await;
    let second = app.login("li.ming", PASSWORD).await;
    let revoked = app
        .run("mutation { revokeMyTokens }", json!({}), Some(&first))
        .await;
    assert_eq!(revoked["data"]["revokeMyTokens"], true, "{revoked}");
    for token in [&first, &second] {
        let response = app.run(ME, json!({}), Some(token)).await;
        assert_eq!(code(&response), "UNAUTHENTICATED");
        assert_eq!(message(&response), "the token was revoked; sign in again");
    }
    let third = app.login("li.ming", PASSWORD).await;
    let response = app.run(ME, json!({}), Some(&third)).await;
    assert_eq!(response["data"]["me"]["username"], "li.ming");
}

#[tokio::test]
async fn a_disabled_user_is_refused_and_cannot_sign_in_until_enabled() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let token = app.user(&admin, "li.ming", "STEWARD", TOWN).await;
    let disabled = app
        .run(
            r#"mutation { disableUser(username: "li.ming", reason: "调离") { active disabledReason } }"#,
            json!({}),
            Some(&admin),
        )
        .await;
    assert_eq!(
        disabled["data"]["disableUser"],
        json!({"active": false, "disabledReason": "调离"})
    );
    let response = app.run(ME, json!({}), Some(&token)).await;
    assert_eq!(code(&response), "UNAUTHENTICATED");
    assert_eq!(message(&response), "the account is disabled");
    let login = app
        .run(
            r#"mutation { login(username: "li.ming", password: "steward-password-1") { token } }"#,
            json!({}),
            None,
        )
        .await;
    assert_eq!(message(&login), "invalid username or password");

    app.run(
        r#"mutation { enableUser(username: "li.ming") { active } }"#,
        json!({}),
        Some(&admin),
    )
    .await;
    // Enabling lets the user sign in again; the old token stays revoked.
    let again = app.login("li.ming", PASSWORD).await;
    assert_eq!(
        app.run(ME, json!({}), Some(&again)).await["data"]["me"]["active"],
        true
    );
    let old = app.run(ME, json!({}), Some(&token)).await;
    assert_eq!(message(&old), "the token was revoked; sign in again");
}

#[tokio::test]
async fn a_role_change_and_a_password_reset_revoke_tokens() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let token = app.user(&admin, "li.ming", "STEWARD", TOWN).await;
    let changed = app
        .run(
            r#"mutation { changeRole(username: "li.ming", role: LEADER, division: "610902000000") { role division } }"#,
            json!({}),
            Some(&admin),
        )
        .await;
    assert_eq!(
        changed["data"]["changeRole"],
        json!({"role": "LEADER", "division": DISTRICT})
    );
    assert_eq!(
        code(&app.run(ME, json!({}), Some(&token)).await),
        "UNAUTHENTICATED"
    );

    let leader = app.login("li.ming", PASSWORD).await;
    app.run(
        r#"mutation { resetPassword(username: "li.ming", newPassword: "a-brand-new-password") { username } }"#,
        json!({}),
        Some(&admin),
    )
    .await;
    assert_eq!(
        code(&app.run(ME, json!({}), Some(&leader)).await),
        "UNAUTHENTICATED"
    );
    assert!(!app
        .login("li.ming", "a-brand-new-password")
        .await
        .is_empty());
}

#[tokio::test]
async fn changing_ones_own_password_returns_a_new_token() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let token = app.user(&admin, "li.ming", "STEWARD", TOWN).await;
    let query = "mutation($c: String!, $n: String!) { changeMyPassword(currentPassword: $c, newPassword: $n) { token } }";
    let wrong = app
        .run(
            query,
            json!({"c": "not-my-password", "n": "another-password"}),
            Some(&token),
        )
        .await;
    assert_eq!(code(&wrong), "BAD_USER_INPUT");
    assert_eq!(wrong["errors"][0]["extensions"]["field"], "currentPassword");
    let changed = app
        .run(
            query,
            json!({"c": PASSWORD, "n": "another-password"}),
            Some(&token),
        )
        .await;
    let new_token = changed["data"]["changeMyPassword"]["token"]
        .as_str()
        .expect("a new token")
        .to_owned();
    assert_eq!(
        code(&app.run(ME, json!({}), Some(&token)).await),
        "UNAUTHENTICATED"
    );
    let me = app.run(ME, json!({}), Some(&new_token)).await;
    assert_eq!(me["data"]["me"]["username"], "li.ming");
    assert!(!app.login("li.ming", "another-password").await.is_empty());
}

#[tokio::test]
async fn a_forged_token_is_refused() {
    let app = spawn_app().await;
    let response = app
        .run(ME, json!({}), Some("eyJhbGciOiJub25lIn0.e30."))
        .await;
    assert_eq!(code(&response), "UNAUTHENTICATED");
    assert_eq!(message(&response), "the token is not valid; sign in again");
}
