//! The audit desk: an auditor verifies the chain, opens a case as of a moment before a change
//! made through the API and sees the change, reveals the contact phone (a deliberate, recorded
//! action) and finds the reveal in the personal-data access log.

use std::time::Duration;

use anyhow::{ensure, Context};
use guanjia_demo::people::AUDITOR;
use guanjia_domain::clock::china_offset;
use serde_json::json;

use crate::browser::Browser;
use crate::driver::{Driver, Size};
use crate::facts;
use crate::site::{Site, PASSWORD};

pub async fn an_auditor_compares_a_case_with_its_past_and_reveals_a_phone(
    site: &Site,
    driver: &Driver,
) -> anyhow::Result<()> {
    let (case_id, lead, phone) = facts::case_with_lead_and_phone(site);
    let b = Browser::open(site, driver, Size::Desktop).await?;
    b.sign_in(AUDITOR.0, PASSWORD).await?;
    b.click("nav a[href='/audit']").await?;
    b.wait_for("#verify-now").await?;
    b.check_page().await?;
    b.click("#verify-now").await?;
    b.wait_for("#verification").await?;
    ensure!(
        b.text("#verification").await?.contains("完好"),
        "the chain verifies"
    );
    b.screenshot("audit").await?;

    // A moment (by the database's clock, which records the events) before the change.
    let before = chrono::Utc::now().with_timezone(&china_offset());
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let token = site.login(&lead, PASSWORD).await;
    site.ok(
        &token,
        "mutation($c: ID!) { addNote(caseId: $c, input: {text: \"审计对比用的备注\"}) { events } }",
        json!({"c": case_id}),
    )
    .await;

    b.goto(&format!("/audit/cases/{case_id}")).await?;
    b.wait_for("#at").await?;
    b.fill("#at", "").await?;
    let at = before.format("%Y-%m-%dT%H:%M:%S").to_string();
    b.eval(&format!(
        "document.querySelector('#at').value = '{at}'; return true;"
    ))
    .await?;
    b.click("form[action^='/audit/cases/'] button[type=submit]")
        .await?;
    b.wait_for("#as-of").await?;
    b.check_page().await?;
    let changed = b
        .eval("return Array.from(document.querySelectorAll('#as-of tr.changed th')).map(t => t.textContent);")
        .await?;
    ensure!(
        changed
            .as_array()
            .is_some_and(|rows| rows.iter().any(|r| r == "备注条数")),
        "the note is a difference: {changed}"
    );
    ensure!(
        !b.text("body").await?.contains(&phone),
        "the phone is not shown before the reveal"
    );
    b.click("#reveal-phone").await?;
    b.wait_for("#revealed-phone").await?;
    ensure!(
        b.text("#revealed-phone").await? == phone,
        "the revealed phone"
    );
    ensure!(
        b.text("body").await?.contains("已记录在个人信息访问日志"),
        "the page says it is recorded"
    );
    b.screenshot("audit-case").await?;

    b.goto("/audit").await?;
    b.wait_for("#access-log").await?;
    let log = b
        .eval("return document.querySelector('#reads-title').parentElement.textContent;")
        .await
        .context("the access log")?;
    let log = log.to_string();
    ensure!(
        log.contains(&case_id) && log.contains(AUDITOR.1) && log.contains("联系电话"),
        "the reveal is in the access log: {log}"
    );
    b.close().await
}
