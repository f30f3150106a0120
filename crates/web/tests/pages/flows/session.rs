//! Signing in (with the mouse and with the keyboard only), CSRF refusals and revocation.

use anyhow::{ensure, Context};

use crate::browser::{Browser, ENTER, TAB};
use crate::driver::{Driver, Size};
use crate::site::{Site, PASSWORD};

/// A steward opens `/`, is sent to the sign-in page, signs in and lands on the workbench.
pub async fn sign_in(site: &Site, driver: &Driver) -> anyhow::Result<()> {
    let b = Browser::open(site, driver, Size::Desktop).await?;
    b.goto("/").await?;
    ensure!(
        b.path().await?.starts_with("/signin"),
        "/ without a session leads to sign-in"
    );
    b.check_page().await?;
    b.screenshot("signin").await?;
    // A wrong password first: the form again, with the message at the top.
    b.fill("#username", "wang.lei").await?;
    b.fill("#password", "not-the-password").await?;
    b.click("form[action='/signin'] button[type=submit]")
        .await?;
    let summary = b.wait_for(".error-summary").await?.text().await?;
    ensure!(
        summary.contains("用户名或密码不正确"),
        "the wrong password is said: {summary}"
    );
    b.check_page().await?;
    b.fill("#password", PASSWORD).await?;
    b.click("form[action='/signin'] button[type=submit]")
        .await?;
    b.wait_until(
        "the workbench",
        "document.querySelector('h1').textContent === '工作台'",
    )
    .await?;
    ensure!(b.path().await? == "/", "after sign-in: the workbench at /");
    let bar = b.text(".who").await?;
    ensure!(bar.contains("王磊"), "the top bar names the person: {bar}");
    b.check_page().await?;
    b.close().await
}

/// Sign-in with the keyboard alone: Tab reaches the fields in order, each with a visible focus
/// ring, and Enter submits.
pub async fn sign_in_by_keyboard(site: &Site, driver: &Driver) -> anyhow::Result<()> {
    let b = Browser::open(site, driver, Size::Desktop).await?;
    b.goto("/signin").await?;
    let focused = "document.activeElement && document.activeElement.id";
    let mut tabs = 0;
    while b.eval(&format!("return {focused};")).await? != "username" {
        b.keys(TAB).await?;
        tabs += 1;
        ensure!(tabs <= 10, "ten Tabs did not reach the username field");
        let ring = b
            .eval("return getComputedStyle(document.activeElement).outlineStyle;")
            .await?;
        ensure!(ring != "none", "the focused element shows no focus ring");
    }
    b.keys("wang.lei").await?;
    b.keys(TAB).await?;
    ensure!(
        b.eval(&format!("return {focused};")).await? == "password",
        "Tab goes on to the password"
    );
    b.keys(PASSWORD).await?;
    b.keys(ENTER).await?;
    b.wait_until(
        "the workbench",
        "document.querySelector('h1').textContent === '工作台'",
    )
    .await
    .context("Enter in the password field signs in")?;
    b.close().await
}

/// A form posted without its CSRF token does nothing: sign-out stays signed in, sign-in does
/// not sign in.
pub async fn a_form_without_its_csrf_token_is_refused(
    site: &Site,
    driver: &Driver,
) -> anyhow::Result<()> {
    let b = Browser::open(site, driver, Size::Desktop).await?;
    b.sign_in("zhao.min", PASSWORD).await?;
    b.eval("document.querySelector('form[action=\"/signout\"] input[name=csrf]').remove(); return true;")
        .await?;
    b.click("form[action='/signout'] button").await?;
    b.wait_until(
        "the refusal",
        "document.querySelector('h1').textContent.includes('表单已失效')",
    )
    .await?;
    b.check_page().await?;
    b.goto("/").await?;
    ensure!(
        b.text("h1").await? == "工作台",
        "still signed in after the refused sign-out"
    );
    b.close().await?;

    let b = Browser::open(site, driver, Size::Desktop).await?;
    b.goto("/signin").await?;
    b.eval("document.querySelector('form[action=\"/signin\"] input[name=csrf]').value = 'forged'; return true;")
        .await?;
    b.fill("#username", "zhao.min").await?;
    b.fill("#password", PASSWORD).await?;
    b.click("form[action='/signin'] button[type=submit]")
        .await?;
    b.wait_until(
        "the refusal",
        "document.querySelector('h1').textContent.includes('表单已失效')",
    )
    .await?;
    b.goto("/").await?;
    ensure!(
        b.path().await?.starts_with("/signin"),
        "a forged sign-in form signs nobody in"
    );
    b.close().await
}

/// After `revokeMyTokens`, the next page signs the person out and says why.
pub async fn a_revoked_session_is_signed_out(site: &Site, driver: &Driver) -> anyhow::Result<()> {
    let b = Browser::open(site, driver, Size::Desktop).await?;
    b.sign_in("sun.hao", PASSWORD).await?;
    let token = site.login("sun.hao", PASSWORD).await;
    site.ok(&token, "mutation { revokeMyTokens }", serde_json::json!({}))
        .await;
    b.goto("/").await?;
    ensure!(
        b.path().await?.starts_with("/signin"),
        "a revoked session is sent to sign-in"
    );
    let notice = b.text(".notice").await?;
    ensure!(notice.contains("账户已变更"), "the page says why: {notice}");
    b.check_page().await?;
    // Signing in again works: the new token has the new generation.
    b.sign_in("sun.hao", PASSWORD).await?;
    b.close().await
}
