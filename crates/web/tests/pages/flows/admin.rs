//! 管理: an admin of town B sees and changes the accounts of town B only — town A's accounts
//! are not listed, their page is not found, and a form tampered to change one is refused by
//! the API's own rule and changes nothing; a display account is created through the form and
//! a wrong division code is named in Chinese.

use anyhow::{ensure, Context};

use crate::browser::Browser;
use crate::driver::{Driver, Size};
use crate::site::{Site, ADMIN_PASSWORD, PASSWORD};

/// Town A (恒口镇, zhao.min's) and town B (liu.yang's).
const TOWN_B: &str = "610902101000";

pub async fn a_town_admin_manages_only_its_own_town(
    site: &Site,
    driver: &Driver,
) -> anyhow::Result<()> {
    let admin = site.login("admin", ADMIN_PASSWORD).await;
    site.create_user(&admin, "admin.b", "乙镇管理员", "ADMIN", TOWN_B)
        .await;
    let b = Browser::open(site, driver, Size::Desktop).await?;
    b.sign_in("admin.b", PASSWORD).await?;
    b.click("nav a[href='/admin']").await?;
    b.wait_for("#people-title").await?;
    b.check_page().await?;
    b.screenshot("admin").await?;
    let listed = b
        .eval("return Array.from(document.querySelectorAll('tr[data-user]')).map(r => r.getAttribute('data-user'));")
        .await?;
    let listed: Vec<&str> = listed
        .as_array()
        .context("rows")?
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    ensure!(
        listed.contains(&"liu.yang"),
        "town B's steward is listed: {listed:?}"
    );
    ensure!(
        !listed.contains(&"zhao.min"),
        "town A's steward is not: {listed:?}"
    );

    b.goto("/admin/users/zhao.min").await?;
    ensure!(
        b.text("h1").await? == "未找到页面",
        "town A's account page is not found"
    );

    // A form of town B's account, pointed at town A's.
    b.goto("/admin/users/liu.yang").await?;
    b.wait_for("#disable-form").await?;
    b.check_page().await?;
    b.eval("document.querySelector('#disable-form').setAttribute('action', '/admin/users/zhao.min/disable'); return true;")
        .await?;
    b.fill("#reason", "越权测试").await?;
    b.click("#disable-form button[type=submit]").await?;
    b.wait_for("main p").await?;
    let body = b.text("main").await?;
    ensure!(
        body.contains("无权管理该账户") || body.contains("未找到该账户"),
        "the tampered form is refused: {body}"
    );
    let still = site
        .state
        .auth
        .directory()
        .get("zhao.min")
        .context("zhao.min")?;
    ensure!(still.is_active(), "town A's account is unchanged");

    // A display account for town B's hall, and a wrong division named in Chinese.
    b.goto("/admin").await?;
    b.fill("#username", "hall.b").await?;
    b.fill("#display_name", "乙镇大厅屏").await?;
    b.eval("document.querySelector('#role').value = 'DISPLAY'; return true;")
        .await?;
    b.fill("#division", "6109").await?;
    b.fill("#password", PASSWORD).await?;
    b.click("form[action='/admin/users'] button[type=submit]")
        .await?;
    b.wait_for(".error-summary").await?;
    ensure!(
        b.text(".error-summary")
            .await?
            .contains("区划代码应为 12 位数字"),
        "the division's error"
    );
    b.fill("#division", TOWN_B).await?;
    b.fill("#password", PASSWORD).await?;
    b.click("form[action='/admin/users'] button[type=submit]")
        .await?;
    b.wait_for("#notice").await?;
    ensure!(b.text("#notice").await?.contains("账户已创建"));
    ensure!(
        b.find("tr[data-user='hall.b']").await.is_ok(),
        "the display is listed"
    );

    b.goto("/admin/catalog").await?;
    b.wait_for("#items-title").await?;
    b.check_page().await?;
    ensure!(
        b.text("main").await?.contains("首次发布"),
        "the catalog's versions"
    );
    b.close().await
}
