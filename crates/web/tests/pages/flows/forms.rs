//! The case page's forms in the browser, on a phone (390×844): a steward registers a case (the
//! USCC checked as typed), a leader makes them its lead steward, and the steward signs it,
//! schedules and records a visit with its notes, requests, accepts and concludes an item —
//! seeing each new state on the case page — and shows the rating link's QR code. A form with a
//! bad date shows the Chinese error naming the field and changes nothing.

use std::time::Duration;

use anyhow::{bail, ensure, Context};
use guanjia_domain::values::Uscc;

use crate::browser::Browser;
use crate::driver::{Driver, Size};
use crate::site::{date, Site, PASSWORD, TODAY};

/// The steward of the flow (a town's; no other flow signs in as them).
const STEWARD: &str = "he.fang";

/// Opens the form `action` of the case page.
async fn open(b: &Browser, action: &str) -> anyhow::Result<()> {
    b.click(&format!("#form-{action} > summary")).await?;
    Ok(())
}

/// Sets the value of the input `css` (dates, selects: what a picker would set).
async fn set(b: &Browser, css: &str, value: &str) -> anyhow::Result<()> {
    let done = b
        .eval(&format!(
            "const e = document.querySelector({css:?}); if (!e) return false; e.value = {value:?}; return true;"
        ))
        .await?;
    ensure!(done == serde_json::Value::Bool(true), "no input {css}");
    Ok(())
}

/// Submits the form `action` and waits for the case page it leads to (`?done=action`), or
/// fails with the error summary the page showed instead.
async fn submit(b: &Browser, action: &str) -> anyhow::Result<()> {
    // The summary of an earlier refusal must not be taken for this one's.
    b.eval("const s = document.querySelector('#error-summary'); if (s) s.remove(); return true;")
        .await?;
    b.click(&format!("#form-{action} button[type=submit]"))
        .await?;
    settle(b, &format!("done={action}")).await
}

/// Waits until the address contains `marker`; an error summary on the way is the failure.
async fn settle(b: &Browser, marker: &str) -> anyhow::Result<()> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        if b.path().await.is_ok_and(|p| p.contains(marker)) {
            return b.check_page().await;
        }
        if let Ok(summary) = b
            .eval("const s = document.querySelector('#error-summary'); return s ? s.textContent : null;")
            .await
        {
            if let Some(text) = summary.as_str() {
                bail!("waiting for {marker}, the page refused: {}", text.trim());
            }
        }
        ensure!(
            tokio::time::Instant::now() < deadline,
            "waited for {marker}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The text of the case page's section `id`.
async fn section(b: &Browser, id: &str) -> anyhow::Result<String> {
    b.text(&format!("#{id}")).await
}

pub async fn a_steward_runs_a_case_from_a_phone(
    site: &Site,
    driver: &Driver,
) -> anyhow::Result<()> {
    let today = date(TODAY).to_string();
    let uscc = Uscc::with_check_character("9161090200000F1RM")?;
    let b = Browser::open(site, driver, Size::Phone).await?;
    b.sign_in(STEWARD, PASSWORD).await?;

    // Register, the USCC checked as it is typed.
    b.goto("/cases").await?;
    b.click("#register-case").await?;
    b.wait_for("#register-name").await?;
    b.check_page().await?;
    b.fill("#register-name", "手机登记茶业有限公司").await?;
    b.fill("#register-uscc", &format!("{}Z", &uscc.as_str()[..17]))
        .await?;
    b.wait_until(
        "the verdict on a wrong check character",
        "document.querySelector('#register-uscc-verdict').textContent.includes('校验位')",
    )
    .await?;
    b.fill("#register-uscc", uscc.as_str()).await?;
    b.wait_until(
        "the verdict on a good code",
        "document.querySelector('#register-uscc-verdict').textContent.includes('校验通过')",
    )
    .await?;
    b.fill("#register-contact-name", "陈总").await?;
    b.check_page().await?;
    b.screenshot("register").await?;
    b.click("form[action='/cases/new'] button[type=submit]")
        .await?;
    settle(&b, "done=register").await?;
    let path = b.path().await?;
    let case = path
        .strip_prefix("/cases/")
        .and_then(|p| p.split('?').next())
        .context("the new case's address")?
        .to_owned();
    ensure!(b.text("#case-state").await? == "已登记");

    // A leader makes the steward its lead.
    let leader = Browser::open(site, driver, Size::Desktop).await?;
    leader.sign_in("zhang.wei", PASSWORD).await?;
    leader.goto(&format!("/cases/{case}")).await?;
    open(&leader, "assign-lead").await?;
    leader.fill("#assign-lead-steward", STEWARD).await?;
    set(&leader, "#assign-lead-tier", "town").await?;
    submit(&leader, "assign-lead").await?;
    leader.close().await?;

    // A bad date: the Chinese message beside the field, nothing changed.
    b.goto(&format!("/cases/{case}")).await?;
    open(&b, "sign").await?;
    b.fill("#sign-signatories", "何芳、陈总").await?;
    set(&b, "#sign-signed-on", "2026-03-06").await?;
    b.click("#form-sign button[type=submit]").await?;
    b.wait_for("#error-summary").await?;
    b.check_page().await?;
    let beside = b.text("#sign-signed-on-error").await?;
    ensure!(
        beside.contains("签约日期") && beside.contains("不能晚于今天"),
        "the message beside the date: {beside}"
    );
    ensure!(
        b.text("#case-state").await? == "已登记",
        "nothing was signed"
    );
    b.eval("document.querySelector('#form-sign').scrollIntoView(); return true;")
        .await?;
    b.screenshot("case-form-error").await?;

    // Signed, today.
    set(&b, "#sign-signed-on", &today).await?;
    submit(&b, "sign").await?;
    ensure!(b.text("#case-state").await? == "已签约");
    ensure!(section(&b, "summary").await?.contains("签约人：何芳、陈总"));

    // A visit scheduled, then recorded with its notes.
    open(&b, "schedule-visit").await?;
    b.fill("#schedule-visit-place", "企业厂区").await?;
    b.fill("#schedule-visit-purpose", "了解用地和用电需求")
        .await?;
    b.eval("document.querySelector('#form-schedule-visit').scrollIntoView(); return true;")
        .await?;
    b.screenshot("case-forms").await?;
    submit(&b, "schedule-visit").await?;
    ensure!(section(&b, "visits").await?.contains("企业厂区"));
    open(&b, "conduct-visit").await?;
    b.fill("#conduct-visit-participants", "何芳、陈总").await?;
    b.fill(
        "#conduct-visit-notes",
        "企业反映变压器增容手续不清楚，已现场讲解。",
    )
    .await?;
    b.fill("#conduct-visit-follow-ups", "协助申请用电增容")
        .await?;
    submit(&b, "conduct-visit").await?;
    let visits = section(&b, "visits").await?;
    ensure!(
        visits.contains("企业反映变压器增容手续不清楚") && visits.contains("协助申请用电增容"),
        "the visit's notes: {visits}"
    );

    // An item requested, accepted and concluded.
    open(&b, "request-item").await?;
    submit(&b, "request-item").await?;
    ensure!(section(&b, "items").await?.contains("已申请"));
    open(&b, "accept-item").await?;
    b.fill("#accept-item-receipt-no", "SL-2026-0305").await?;
    submit(&b, "accept-item").await?;
    ensure!(section(&b, "items").await?.contains("已受理"));
    open(&b, "conclude-item").await?;
    b.fill("#conclude-item-result-reference", "许可-2026-018")
        .await?;
    submit(&b, "conclude-item").await?;
    let items = section(&b, "items").await?;
    ensure!(items.contains("已办结"), "the item is concluded: {items}");

    // The enterprise rates the visit by scanning the QR code shown on the phone.
    open(&b, "rating-link").await?;
    b.click("#form-rating-link button[type=submit]").await?;
    b.wait_for("#rating-qr").await?;
    b.wait_until(
        "the QR code drawn",
        "document.querySelector('#rating-qr').complete && document.querySelector('#rating-qr').naturalWidth > 0",
    )
    .await?;
    b.check_page().await?;
    let url = b.text("#rating-url").await?;
    ensure!(url.contains("/rate/"), "the link: {url}");
    b.screenshot("rating-qr").await?;
    b.close().await
}
