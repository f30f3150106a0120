//! 办不成事 online on a phone: someone reports what could not get done, notes the tracking code,
//! follows its status with the code and the last four digits of the phone, and the district's
//! leader finds it in the division's queue with the phone masked; the district's steward (at
//! the desk) opens it from the queue and assigns it — an assignee outside the division refused
//! in Chinese first — the leader (on a phone) signs the answer off — a blank answer refused
//! first — and the reporter sees the answer. The public ratings page (好差评公开) fits the
//! phone too, with the period's bad ratings and their rectification status.

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

    // The steward opens the report from the division's queue and assigns it
    let desk = Browser::open(site, driver, Size::Desktop).await?;
    desk.sign_in("wang.lei", PASSWORD).await?;
    desk.goto("/reports").await?;
    let queue = desk.text("#report-queue").await?;
    ensure!(
        queue.contains(&code) && queue.contains("137****4321"),
        "the queue: {queue}"
    );
    desk.click(&format!("#report-queue a[href='/reports/{code}']"))
        .await?;
    let phone = desk.wait_for("#report-phone").await?.text().await?;
    ensure!(phone == "137****4321", "the phone is masked: {phone}");
    desk.check_page().await?;
    desk.click("#form-assign summary").await?;
    desk.fill("#assign-assignee", "liu.yang").await?;
    desk.click("#form-assign button[type=submit]").await?;
    let refusal = desk
        .wait_for("#assign-assignee-error")
        .await?
        .text()
        .await?;
    ensure!(
        refusal.contains("承办人的用户名：此人不属于受理本反映的单位"),
        "the refusal: {refusal}"
    );
    desk.fill("#assign-assignee", "wang.lei").await?;
    desk.click("#form-assign button[type=submit]").await?;
    let done = desk.wait_for("#done").await?.text().await?;
    ensure!(done.contains("指定承办人"), "done: {done}");
    ensure!(desk.text("#report-state").await? == "办理中");
    desk.check_page().await?;
    desk.close().await?;

    // The leader signs the answer off on a phone
    let leader = Browser::open(site, driver, Size::Phone).await?;
    leader.sign_in(LEADER.0, PASSWORD).await?;
    leader.goto(&format!("/reports/{code}")).await?;
    leader.click("#form-resolve summary").await?;
    leader.click("#form-resolve button[type=submit]").await?;
    let refusal = leader
        .wait_for("#resolve-answer-error")
        .await?
        .text()
        .await?;
    ensure!(refusal.contains("请填写答复内容"), "the refusal: {refusal}");
    leader
        .fill("#resolve-answer", "已协调市场监管局，三日内办结变更")
        .await?;
    leader.click("#form-resolve button[type=submit]").await?;
    leader.wait_for("#done").await?;
    ensure!(leader.text("#report-state").await? == "已答复");
    leader.check_page().await?;
    leader.screenshot("phone-report-answered").await?;
    leader.close().await?;

    // The reporter sees the answer
    let reporter = Browser::open(site, driver, Size::Phone).await?;
    reporter
        .goto(&format!("/banbucheng/status?code={code}&phone4=4321"))
        .await?;
    let status = reporter.wait_for("#report-status").await?.text().await?;
    ensure!(status.contains("已答复"), "status {status}");
    reporter.close().await?;

    // 好差评公开 fits the phone as well
    let public = Browser::open(site, driver, Size::Phone).await?;
    let today = guanjia_domain::clock::china_date(site.state.clock.now());
    let (year, _) = crate::facts::year_with_bad_ratings(site, today);
    public.goto(&format!("/haochaping?year={year}")).await?;
    let total = public.text("#total").await?;
    ensure!(total.contains("好评率"), "total {total}");
    let bad = public.text("#bad-ratings").await?;
    ensure!(
        bad.contains("不满意") && bad.contains("整改：") && bad.contains("回访："),
        "the bad ratings with their rectification: {bad}"
    );
    public.check_page().await?;
    public.close().await
}
