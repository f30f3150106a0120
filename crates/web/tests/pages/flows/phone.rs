//! At 390×844 (an emulated phone) every page fits the width: no sideways scrolling.

use anyhow::{ensure, Context};

use crate::browser::Browser;
use crate::driver::{Driver, Size};
use crate::facts;
use crate::site::{Site, PASSWORD};

pub async fn phone_pages_do_not_scroll_sideways(
    site: &Site,
    driver: &Driver,
) -> anyhow::Result<()> {
    let steward = facts::busiest_steward(site);
    let case_id = facts::flagged_items(site, &steward)
        .first()
        .map(|d| d.case_id.clone())
        .context("a case of the steward")?;
    let b = Browser::open(site, driver, Size::Phone).await?;
    b.goto("/signin").await?;
    let width = b.eval("return window.innerWidth;").await?;
    ensure!(
        width == 390,
        "the page is laid out 390 px wide, not {width}"
    );
    b.check_page().await?;
    b.screenshot("phone-signin").await?;
    b.sign_in(&steward, PASSWORD).await?;
    b.check_page().await?;
    b.screenshot("phone-workbench").await?;
    b.goto("/cases?state=open").await?;
    b.check_page().await?;
    b.screenshot("phone-search").await?;
    b.goto(&format!("/cases/{case_id}")).await?;
    b.check_page().await?;
    b.screenshot("phone-case").await?;
    b.close().await
}
