//! The leader's dashboard: drilling from the district to a town and back, switching the
//! period, the XLSX download holding the figures on screen, the print view, and the page on a
//! phone. What the page must show is read from the read model (`facts::dashboard`).

use std::io::Cursor;

use anyhow::{ensure, Context};
use calamine::{Data, Reader, Xlsx};
use guanjia_demo::people::{AUDITOR, DISTRICT, LEADER};

use crate::browser::Browser;
use crate::driver::{Driver, Size};
use crate::facts;
use crate::site::{Site, ADMIN_PASSWORD, PASSWORD};

/// The text of a figure's "this period" cell on the page.
async fn figure(b: &Browser, name: &str) -> anyhow::Result<String> {
    b.text(&format!("tr[data-figure='{name}'] [data-this]"))
        .await
}

async fn charts_drawn(b: &Browser) -> anyhow::Result<()> {
    b.wait_until(
        "the charts to be drawn",
        "Number(document.documentElement.getAttribute('data-charts-drawn')) > 0 \
         && document.querySelectorAll('[data-chart] canvas').length === document.querySelectorAll('[data-chart]').length",
    )
    .await
}

pub async fn a_leader_drills_down_switches_period_downloads_and_prints(
    site: &Site,
    driver: &Driver,
) -> anyhow::Result<()> {
    let b = Browser::open(site, driver, Size::Desktop).await?;
    b.sign_in(LEADER.0, PASSWORD).await?;
    b.click("nav a[href='/dashboard']").await?;
    b.wait_for("#board-place").await?;
    charts_drawn(&b).await?;
    b.check_page().await?;
    b.screenshot("dashboard").await?;
    let year = facts::dashboard(site, DISTRICT, facts::Span::Year);
    ensure!(
        figure(&b, "签约企业数").await? == year.cases_signed.to_string(),
        "the district's signings this year"
    );
    ensure!(figure(&b, "走访次数").await? == year.visits_conducted.to_string());
    ensure!(figure(&b, "按时办结率").await? == year.on_time_rate.percent_text());

    // Down to a town, then back.
    let town = b
        .eval("return document.querySelector('#children-table tr[data-division]').getAttribute('data-division');")
        .await?;
    let town = town.as_str().context("a town row")?.to_owned();
    b.click(&format!("tr[data-division='{town}'] a.drill"))
        .await?;
    b.wait_until(
        "the town's dashboard",
        &format!("document.querySelector('#board-place').textContent.startsWith('{town}')"),
    )
    .await?;
    charts_drawn(&b).await?;
    b.check_page().await?;
    let in_town = facts::dashboard(site, &town, facts::Span::Year);
    ensure!(
        figure(&b, "签约企业数").await? == in_town.cases_signed.to_string(),
        "the town's signings"
    );
    ensure!(
        b.text("nav.crumbs").await?.contains(DISTRICT),
        "the crumbs name the district"
    );
    b.click("#up").await?;
    b.wait_until(
        "the district again",
        &format!("document.querySelector('#board-place').textContent.startsWith('{DISTRICT}')"),
    )
    .await?;

    // This month instead of this year.
    b.click(".periods a[href*='from=2026-03-01&to=2026-03-31']")
        .await?;
    b.wait_until(
        "the month",
        "document.querySelector('#board-period').textContent === '2026年3月'",
    )
    .await?;
    charts_drawn(&b).await?;
    let month = facts::dashboard(site, DISTRICT, facts::Span::March);
    let on_screen = figure(&b, "走访次数").await?;
    ensure!(
        on_screen == month.visits_conducted.to_string(),
        "March's visits: page {on_screen}"
    );

    // The download holds what is on screen.
    let href = b
        .find("#download-xlsx")
        .await?
        .attr("href")
        .await?
        .context("a link")?;
    let (status, bytes) = b.download(&href).await?;
    ensure!(status == 200, "the download answered {status}");
    let mut book = Xlsx::new(Cursor::new(bytes)).context("the file opens as a workbook")?;
    let sheet = book
        .worksheet_range("指标")
        .context("the sheet of figures")?;
    let cell = |name: &str| {
        sheet
            .rows()
            .find(|r| r.get(1) == Some(&Data::String(name.to_owned())))
            .and_then(|r| r.get(2).cloned())
    };
    ensure!(
        cell("走访次数") == Some(Data::Float(month.visits_conducted as f64)),
        "visits in the workbook: {:?}",
        cell("走访次数")
    );
    ensure!(cell("签约企业数") == Some(Data::Float(month.cases_signed as f64)));

    // The print view: the same figures, no navigation.
    b.click("#print-view").await?;
    b.wait_until(
        "the print view",
        "document.body.classList.contains('print-view')",
    )
    .await?;
    b.check_page().await?;
    ensure!(
        figure(&b, "走访次数").await? == on_screen,
        "the print view's visits"
    );
    let a4 = b
        .eval("return document.documentElement.scrollWidth;")
        .await?;
    ensure!(a4.as_u64().is_some(), "a width");
    b.screenshot("dashboard-print").await?;
    b.close().await
}

/// The leader's, auditor's and admin's pages on a 390×844 phone.
pub async fn the_dashboard_fits_a_phone(site: &Site, driver: &Driver) -> anyhow::Result<()> {
    let b = Browser::open(site, driver, Size::Phone).await?;
    b.sign_in(LEADER.0, PASSWORD).await?;
    b.goto("/dashboard").await?;
    charts_drawn(&b).await?;
    b.check_page().await?;
    b.goto("/dashboard/print").await?;
    b.check_page().await?;
    b.close().await?;
    let b = Browser::open(site, driver, Size::Phone).await?;
    b.sign_in(AUDITOR.0, PASSWORD).await?;
    b.goto("/audit").await?;
    b.wait_for("#verify-now").await?;
    b.check_page().await?;
    let case = facts::cases(site, None)
        .into_iter()
        .next()
        .context("a case")?;
    b.goto(&format!("/audit/cases/{}", case.id)).await?;
    b.wait_for("#as-of").await?;
    b.check_page().await?;
    b.close().await?;
    let b = Browser::open(site, driver, Size::Phone).await?;
    b.sign_in("admin", ADMIN_PASSWORD).await?;
    for page in ["/admin", "/admin/users/zhao.min", "/admin/catalog"] {
        b.goto(page).await?;
        b.wait_for("h1").await?;
        b.check_page().await?;
    }
    b.close().await
}
