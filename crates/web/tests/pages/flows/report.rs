//! 办不成事 online on a phone: someone reports what could not get done, notes the tracking code,
//! follows its status with the code and the last four digits of the phone, and the district's
//! leader finds it in the division's queue with the phone masked; the public ratings page
//! (好差评公开) fits the phone too.

use anyhow::ensure;
use guanjia_demo::people::LEADER;

use crate::browser::Browser;
use crate::driver::{Driver, Size};
use crate::site::{Site, PASSWORD};

pub async fn someone_reports_a_problem_follows_it_and_staff_see_it_masked(
    site: &Site,
    driver: &Driver,
) -> anyhow::Result<()> {
    let b = Browser::open(site, driver, Size::Phone).await?;
    b.goto("/banbucheng").await?;
    b.check_page().await?;
    b.fill("#about", "区市场监管局").await?;
    b.fill("#account", "营业执照变更，窗口三次说系统故障未办成")
        .await?;
    b.fill("#phone", "137 5555 4321").await?;
    b.click("form[action='/banbucheng'] button[type=submit]")
        .await?;
    let code = b.wait_for("#tracking-code").await?.text().await?;
    ensure!(code.starts_with("BB") && code.len() == 12, "code {code}");
    b.check_page().await?;
    b.screenshot("phone-report-received").await?;
    b.goto("/banbucheng/status").await?;
    b.fill("#code", &code.to_lowercase()).await?;
    b.fill("#phone4", "4321").await?;
    b.click("form[action='/banbucheng/status'] button[type=submit]")
        .await?;
    let status = b.wait_for("#report-status").await?.text().await?;
    ensure!(status.contains("已受理"), "status {status}");
    b.check_page().await?;
    b.close().await?;

    let staff = Browser::open(site, driver, Size::Phone).await?;
    staff.sign_in(LEADER.0, PASSWORD).await?;
    let queue = staff.text("#reports").await?;
    ensure!(queue.contains(&code), "the queue lacks {code}: {queue}");
    ensure!(
        queue.contains("137****4321"),
        "the phone is not masked: {queue}"
    );
    let source = staff
        .eval("return document.documentElement.outerHTML;")
        .await?;
    ensure!(
        !source.as_str().unwrap_or_default().contains("13755554321"),
        "the whole phone is on the workbench"
    );
    staff.check_page().await?;
    staff.close().await?;

    // 好差评公开 fits the phone as well
    let public = Browser::open(site, driver, Size::Phone).await?;
    public.goto("/haochaping?year=2023").await?;
    let total = public.text("#total").await?;
    ensure!(total.contains("好评率"), "total {total}");
    public.check_page().await?;
    public.close().await
}
