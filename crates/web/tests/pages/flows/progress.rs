//! 办件进度 in the browser (issue 19): the lead steward issues a link on the case page and
//! shows its QR code; the enterprise opens the link on a phone and sees its items with their
//! deadlines in working days; the steward revokes it and the enterprise is refused in Chinese;
//! and the lookup by case number, USCC and phone digits answers a wrong guess beside the field
//! and the right one with the case.

use anyhow::{ensure, Context};

use crate::browser::Browser;
use crate::driver::{Driver, Size};
use crate::facts::followed_case;
use crate::site::{Site, PASSWORD};

pub async fn an_enterprise_follows_its_case_until_the_link_is_revoked(
    site: &Site,
    driver: &Driver,
) -> anyhow::Result<()> {
    let case = followed_case(site);
    let staff = Browser::open(site, driver, Size::Desktop).await?;
    staff.sign_in(&case.lead, PASSWORD).await?;
    staff.goto(&format!("/cases/{}", case.id)).await?;
    staff.click("#form-progress-link > summary").await?;
    staff
        .click("#form-progress-link button[type=submit]")
        .await?;
    let url = staff.wait_for(".progress-url").await?.text().await?;
    let path = url
        .strip_prefix(&site.base)
        .with_context(|| format!("a link to this site: {url}"))?
        .to_owned();
    ensure!(staff
        .text("#notice")
        .await?
        .contains("已生成办件进度二维码"));
    let qr_loaded = staff
        .eval("const i = document.querySelector('.progress-qr'); return i.complete && i.naturalWidth > 0;")
        .await?;
    ensure!(qr_loaded == true, "the QR code did not load");
    staff.check_page().await?;
    staff.screenshot("desktop-progress-link").await?;

    // The enterprise, on its phone, without an account
    let phone = Browser::open(site, driver, Size::Phone).await?;
    phone.goto(&path).await?;
    let items = phone.text("#items").await?;
    ensure!(items.contains(&case.items[0]), "items: {items}");
    ensure!(items.contains("工作日"), "no working days: {items}");
    ensure!(phone.text("#case-number").await? == case.number);
    phone.check_page().await?;
    phone.screenshot("phone-progress").await?;

    // Revoked on the list: refused at once
    staff.click("button.revoke").await?;
    // The page before held a notice too (the link's): wait for the new page's, not for any.
    staff
        .wait_until(
            "the revocation's notice",
            "(document.querySelector('#notice')?.textContent ?? '').includes('已作废')",
        )
        .await?;
    phone.goto(&path).await?;
    let heading = phone.text("h1").await?;
    ensure!(heading == "链接已作废", "heading: {heading}");
    ensure!(phone
        .text("main")
        .await?
        .contains("请向为您服务的项目管家索取新的链接"));
    phone.check_page().await?;
    phone.close().await?;
    staff.close().await
}

pub async fn an_enterprise_looks_up_its_case_by_number(
    site: &Site,
    driver: &Driver,
) -> anyhow::Result<()> {
    let case = followed_case(site);
    let last_four = &case.phone[case.phone.len() - 4..];
    let wrong = if last_four == "0000" { "1111" } else { "0000" };
    for size in [Size::Phone, Size::Desktop] {
        let b = Browser::open(site, driver, size).await?;
        b.goto("/public/items").await?;
        b.click("nav a[href='/progress']").await?;
        b.wait_for("#case_number").await?;
        b.check_page().await?;
        b.fill("#case_number", &case.number).await?;
        b.fill("#uscc", &case.uscc).await?;
        b.fill("#phone4", wrong).await?;
        b.click("form[action='/progress'] button[type=submit]")
            .await?;
        let summary = b.wait_for(".error-summary").await?.text().await?;
        ensure!(summary.contains("未找到该案件"), "summary: {summary}");
        b.check_page().await?;
        b.fill("#phone4", last_four).await?;
        b.click("form[action='/progress'] button[type=submit]")
            .await?;
        let items = b.wait_for("#items").await?.text().await?;
        ensure!(items.contains(&case.items[0]), "items: {items}");
        b.check_page().await?;
        b.close().await?;
    }
    Ok(())
}
