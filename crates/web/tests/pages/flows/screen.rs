//! 大屏: a hall display signs in with the display account an admin created, shows its
//! division's figures with no person's or enterprise's name, updates after a mutation made
//! elsewhere (a steward registering a case through the API), and stops — back to the sign-in
//! page — once the admin disables the account.

use anyhow::{ensure, Context};
use guanjia_demo::people::{DISTRICT, STEWARDS};
use guanjia_domain::values::Uscc;
use serde_json::json;

use crate::browser::Browser;
use crate::driver::{Driver, Size};
use crate::site::{Site, ADMIN_PASSWORD, PASSWORD};

const OPEN_CASES: &str = ".tile[data-figure='在办案件数'] [data-this]";

pub async fn the_big_screen_updates_live_and_stops_when_revoked(
    site: &Site,
    driver: &Driver,
) -> anyhow::Result<()> {
    let admin = site.login("admin", ADMIN_PASSWORD).await;
    site.create_user(&admin, "hall.screen", "大厅一号屏", "DISPLAY", DISTRICT)
        .await;

    let b = Browser::open(site, driver, Size::Desktop).await?;
    b.goto("/signin").await?;
    b.fill("#username", "hall.screen").await?;
    b.fill("#password", PASSWORD).await?;
    b.click("form[action='/signin'] button[type=submit]")
        .await?;
    b.wait_for("[data-live]")
        .await
        .context("the display lands on its screen")?;
    ensure!(
        b.path().await? == "/screen",
        "the display's home is the screen"
    );
    b.wait_until(
        "the charts",
        "Number(document.documentElement.getAttribute('data-charts-drawn')) > 0",
    )
    .await?;
    b.check_page().await?;
    b.screenshot("screen").await?;
    let body = b.text("body").await?;
    for steward in STEWARDS {
        ensure!(
            !body.contains(steward.name),
            "the screen names {}",
            steward.name
        );
    }
    let before: u64 = b.text(OPEN_CASES).await?.parse().context("a count")?;

    // A steward registers a case elsewhere, through the API.
    let steward = site.login("wang.lei", PASSWORD).await;
    let uscc = Uscc::with_check_character("91610902MA9990001").context("a USCC")?;
    site.ok(
        &steward,
        "mutation($i: RegisterCaseInput!) { registerCase(input: $i) { caseId } }",
        json!({"i": {"enterprise": {"name": "安康大屏测试有限公司", "uscc": uscc.as_str(),
                                    "division": "610902100201", "contactName": "王经理"},
                     "leadSource": "INVESTMENT_PROMOTION", "stage": "ESTABLISHMENT"}}),
    )
    .await;
    b.wait_until(
        "the screen to count the new case",
        &format!(
            "document.querySelector(\"{OPEN_CASES}\").textContent === '{}'",
            before + 1
        ),
    )
    .await?;
    ensure!(
        !b.text("body").await?.contains("安康大屏测试有限公司"),
        "no enterprise names"
    );

    // The admin revokes the display: the screen goes back to the sign-in page.
    site.ok(
        &admin,
        "mutation { disableUser(username: \"hall.screen\", reason: \"屏幕更换\") { username } }",
        json!({}),
    )
    .await;
    b.wait_until("the sign-in page", "location.pathname === '/signin'")
        .await
        .context("the revoked screen stops")?;
    ensure!(
        b.text("body").await?.contains("账户已变更"),
        "the sign-in page says why"
    );
    b.close().await
}
