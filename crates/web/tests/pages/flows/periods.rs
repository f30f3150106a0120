//! 封账 in the browser, on a phone (390×844) and on a desktop: the district leader closes a
//! month for a town through the "check your answers" step; the town's steward records a
//! signing dated in that month and is refused with the Chinese explanation beside the date;
//! the leader approves the entry on the periods page; the steward's signing is then accepted;
//! the town's dashboard for that month shows it closed, as reported and now.

use std::time::Duration;

use anyhow::{ensure, Context};
use serde_json::json;

use crate::browser::Browser;
use crate::driver::{Driver, Size};
use crate::site::{Site, PASSWORD};

/// The town of the flow and its steward.
const TOWN: &str = "610902100000";
const STEWARD: &str = "zhao.min";

/// Sets the value of the input `css` (selects and dates: what a picker would set).
async fn set(b: &Browser, css: &str, value: &str) -> anyhow::Result<()> {
    let done = b
        .eval(&format!(
            "const e = document.querySelector({css:?}); if (!e) return false; e.value = {value:?}; return true;"
        ))
        .await?;
    ensure!(done == serde_json::Value::Bool(true), "no input {css}");
    Ok(())
}

/// Waits until the address contains `marker`.
async fn arrive(b: &Browser, marker: &str) -> anyhow::Result<()> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !b.path().await.is_ok_and(|p| p.contains(marker)) {
        ensure!(
            tokio::time::Instant::now() < deadline,
            "waited for {marker}; at {}",
            b.path().await.unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    b.check_page().await
}

/// A case of [`TOWN`] registered on `registered_on` (a late entry), led by [`STEWARD`]: its
/// id and case number.
async fn a_case(site: &Site, registered_on: &str) -> anyhow::Result<(String, String)> {
    let leader = site.login("zhang.wei", PASSWORD).await;
    let data = site
        .ok(
            &leader,
            "mutation($i: RegisterCaseInput!, $r: String) { registerCase(input: $i, lateReason: $r) { caseId } }",
            json!({"i": {"enterprise": {"name": format!("封账测试{registered_on}有限公司"), "division": TOWN},
                         "leadSource": "ENTERPRISE_REQUEST", "stage": "ESTABLISHMENT",
                         "registeredOn": registered_on},
                   "r": "纸质登记，事后补录"}),
        )
        .await;
    let id = data["registerCase"]["caseId"]
        .as_str()
        .context("a case id")?
        .to_owned();
    site.ok(
        &leader,
        "mutation($c: ID!) { assignLeadSteward(caseId: $c, input: {steward: \"zhao.min\", tier: TOWN}) { events } }",
        json!({"c": id}),
    )
    .await;
    let number = site
        .state
        .read
        .read(|m| m.case_by_id(&id).map(|c| c.case_number.to_string()))
        .context("the case's number")?;
    Ok((id, number))
}

/// The steward signs the case on `signed_on` (with a late-entry reason); the page it leads to.
async fn sign(b: &Browser, id: &str, signed_on: &str) -> anyhow::Result<()> {
    b.goto(&format!("/cases/{id}")).await?;
    b.click("#form-sign > summary").await?;
    b.fill("#sign-signatories", "赵敏、企业负责人").await?;
    set(b, "#sign-signed-on", signed_on).await?;
    b.fill("#sign-late-reason", "纸质协议，事后补录").await?;
    b.click("#form-sign button[type=submit]").await
}

/// The whole flow at `size`, closing `month` (`2025-12`) with a case registered before it.
async fn close_and_approve(
    site: &Site,
    driver: &Driver,
    size: Size,
    month: &str,
    registered_on: &str,
) -> anyhow::Result<()> {
    let (id, number) = a_case(site, registered_on).await?;
    let leader = Browser::open(site, driver, size).await?;
    leader.sign_in("zhang.wei", PASSWORD).await?;
    leader.click("nav a[href='/periods']").await?;
    leader.wait_for("#close-form").await?;
    leader.check_page().await?;
    set(&leader, "#close-period", month).await?;
    set(&leader, "#close-division", TOWN).await?;
    leader.click("#close-form button[type=submit]").await?;
    leader.wait_for("#check-answers").await?;
    leader.check_page().await?;
    let (year, mm) = month.split_once('-').context("a month")?;
    let month_name = format!("{year}年{}月", mm.trim_start_matches('0'));
    ensure!(leader.text("#check-period").await? == month_name);
    ensure!(leader.text("#check-division").await?.starts_with(TOWN));
    if size == Size::Phone {
        leader.screenshot("periods-check-phone").await?;
    }
    leader.click("#confirm-form button[type=submit]").await?;
    arrive(&leader, "done=closed").await?;
    let row = format!("#closed-{TOWN}-{month}");
    ensure!(leader.text(&row).await?.contains("由 张伟 封账"));

    // The steward's signing dated in the month: refused, said beside the date.
    let steward = Browser::open(site, driver, size).await?;
    steward.sign_in(STEWARD, PASSWORD).await?;
    sign(&steward, &id, &format!("{month}-15")).await?;
    steward.wait_for("#error-summary").await?;
    steward.check_page().await?;
    let beside = steward.text("#sign-signed-on-error").await?;
    ensure!(
        beside.contains(&format!("落在已封账的统计期间 {month}")) && beside.contains("领导批准"),
        "the steward is told why: {beside}"
    );
    ensure!(
        steward.text("#case-state").await? == "已登记",
        "nothing signed"
    );
    if size == Size::Phone {
        steward.screenshot("periods-refused-phone").await?;
    }

    // The leader approves it on the periods page: on a phone typing the case number, on a
    // desktop coming from the case page's link, which fills it in.
    if size == Size::Phone {
        leader.fill("#approve-case", &number).await?;
    } else {
        leader.goto(&format!("/cases/{id}")).await?;
        leader.click("#approve-entry-link").await?;
        leader.wait_for("#approve-form").await?;
        leader.check_page().await?;
        let filled = leader
            .eval("return document.querySelector('#approve-case').value;")
            .await?;
        ensure!(
            filled.as_str() == Some(number.as_str()),
            "the case filled in: {filled}"
        );
    }
    set(&leader, "#approve-closed", &format!("{TOWN}/{month}")).await?;
    leader
        .fill("#approve-reason", "协议当月已签，纸质件后补")
        .await?;
    if size == Size::Desktop {
        leader.screenshot("periods-approve-desktop").await?;
    }
    leader.click("#approve-form button[type=submit]").await?;
    arrive(&leader, "done=approved").await?;
    ensure!(leader
        .text(&row)
        .await?
        .contains("协议当月已签，纸质件后补"));

    // The steward's signing is accepted now.
    sign(&steward, &id, &format!("{month}-15")).await?;
    arrive(&steward, "done=sign").await?;
    ensure!(steward.text("#case-state").await? == "已签约");
    steward.close().await?;

    // The town's month on the dashboard: closed, as reported and now.
    leader
        .goto(&format!(
            "/dashboard?from={month}-01&to={}&division={TOWN}",
            last_day(month)?
        ))
        .await?;
    leader.wait_for("#board-place").await?;
    leader.check_page().await?;
    let closed = leader.text(&format!("#closed-{month}-table")).await?;
    ensure!(!closed.is_empty(), "the closed month's figures");
    let changes = leader.text(&format!("#closed-{month}-changes")).await?;
    ensure!(
        changes.contains("协议当月已签，纸质件后补"),
        "the approved entry: {changes}"
    );
    leader.close().await
}

fn last_day(month: &str) -> anyhow::Result<String> {
    let first = chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")?;
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .and_then(|d| d.pred_opt())
        .context("a month's end")?;
    Ok(next.to_string())
}

pub async fn a_leader_closes_a_month_and_approves_an_entry_on_a_phone(
    site: &Site,
    driver: &Driver,
) -> anyhow::Result<()> {
    close_and_approve(site, driver, Size::Phone, "2025-12", "2025-11-20").await
}

pub async fn a_leader_closes_a_month_and_approves_an_entry_on_a_desktop(
    site: &Site,
    driver: &Driver,
) -> anyhow::Result<()> {
    close_and_approve(site, driver, Size::Desktop, "2025-10", "2025-09-22").await
}
