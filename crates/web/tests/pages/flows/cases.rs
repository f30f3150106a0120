//! The read-only pages: the workbench's 电子监察 cards, the search, the case page, and the
//! not-found page for a case outside the viewer's scope.

use anyhow::{ensure, Context};
use guanjia_domain::calendar::TimeStatus;

use crate::browser::Browser;
use crate::driver::{Driver, Size};
use crate::facts;
use crate::site::{Site, PASSWORD};

/// Every item in warning or overdue is a card with the right colour class, the word and the
/// working days left — never colour alone.
pub async fn workbench_shows_due_items_in_colour_and_words(
    site: &Site,
    driver: &Driver,
) -> anyhow::Result<()> {
    let steward = facts::busiest_steward(site);
    let flagged = facts::flagged_items(site, &steward);
    let has = |s| flagged.iter().any(|d| d.status == s);
    ensure!(
        has(TimeStatus::Warning) && has(TimeStatus::Overdue),
        "the demo on this day should give {steward} items in warning and overdue: {flagged:?}"
    );
    let b = Browser::open(site, driver, Size::Desktop).await?;
    b.sign_in(&steward, PASSWORD).await?;
    b.check_page().await?;
    b.screenshot("workbench").await?;
    for due in &flagged {
        let (class, word) = match due.status {
            TimeStatus::Warning => ("status-warning", "预警"),
            _ => ("status-overdue", "超期"),
        };
        let href = format!("/cases/{}#item-", due.case_id);
        let card = b
            .eval(&format!(
                "const a = Array.from(document.querySelectorAll('.card a.title')).find(a => a.getAttribute('href').startsWith({href:?}) && a.textContent === {name:?}); \
                 return a ? [a.closest('.card').className, a.closest('.card').textContent] : null;",
                name = due.item_name
            ))
            .await?;
        ensure!(
            !card.is_null(),
            "no card for {} of case {}",
            due.item_name,
            due.case_id
        );
        let (classes, text) = (
            card[0].as_str().unwrap_or(""),
            card[1].as_str().unwrap_or(""),
        );
        ensure!(
            classes.contains(class),
            "{}: class {classes}, wanted {class}",
            due.item_name
        );
        ensure!(
            text.contains(word),
            "{}: no word {word} in {text}",
            due.item_name
        );
        ensure!(
            text.contains("工作日") || text.contains("今日到期"),
            "{}: no days left in {text}",
            due.item_name
        );
    }
    b.close().await
}

/// Two Chinese characters of a name find the case, as the person types (htmx) and as a plain
/// GET (no script).
pub async fn search_finds_a_case_by_chinese_substring(
    site: &Site,
    driver: &Driver,
) -> anyhow::Result<()> {
    let cases = facts::cases(site, None);
    let case = cases
        .iter()
        .find(|c| c.name.chars().count() >= 4)
        .context("a case with a name of four characters or more")?;
    // Two characters from the middle of the name: a true substring, not a prefix.
    let part: String = case.name.chars().skip(1).take(2).collect();
    let expected: Vec<&str> = cases
        .iter()
        .filter(|c| c.name.contains(&part))
        .map(|c| c.name.as_str())
        .collect();
    let b = Browser::open(site, driver, Size::Desktop).await?;
    b.sign_in("zhang.wei", PASSWORD).await?;
    b.click("nav a[href='/cases']").await?;
    b.wait_for("#q").await?;
    b.fill("#q", &part).await?;
    let shown = format!("共找到 {} 个案件", expected.len());
    b.wait_until(
        "the results as typed",
        &format!("document.querySelector('#results .count').textContent === {shown:?}"),
    )
    .await?;
    let results = b.text("#results").await?;
    ensure!(
        results.contains(&case.name),
        "{} among the results for {part}: {results}",
        case.name
    );
    ensure!(
        b.path().await?.contains("q="),
        "the address follows the search (a link can be shared)"
    );
    b.check_page().await?;
    b.screenshot("search").await?;
    // A mistake is said as it is typed too (a 422 answer is swapped in, not dropped).
    b.fill("#q", "91350100M000100Y4Z").await?;
    b.wait_until(
        "the USCC mistake",
        "document.querySelector('#results').textContent.includes('统一社会信用代码不正确')",
    )
    .await?;
    b.goto(&format!("/cases?q={part}")).await?;
    ensure!(
        b.text("#results .count").await? == shown,
        "a plain GET finds the same"
    );
    b.close().await
}

/// The case page lists every item of the case with its deadline bar and the timeline.
pub async fn case_page_shows_its_items(site: &Site, driver: &Driver) -> anyhow::Result<()> {
    let steward = facts::busiest_steward(site);
    let due = facts::flagged_items(site, &steward);
    let case_id = &due.first().context("a flagged item")?.case_id;
    let names = facts::item_names(site, case_id);
    let b = Browser::open(site, driver, Size::Desktop).await?;
    b.sign_in(&steward, PASSWORD).await?;
    b.click(&format!("a.title[href^='/cases/{case_id}#item-']"))
        .await?;
    b.wait_for("#items").await?;
    let items = b.text("#items").await?;
    for name in &names {
        ensure!(
            items.contains(name.as_str()),
            "item {name} on the case page"
        );
    }
    ensure!(
        items.contains("时限") && items.contains("已用") && items.contains("暂停"),
        "the deadline bar: {items}"
    );
    let timeline = b.text("#timeline").await?;
    ensure!(
        timeline.contains("（项目管家）") || timeline.contains("（系统）"),
        "who did it: {timeline}"
    );
    b.check_page().await?;
    b.screenshot("case").await?;
    b.close().await
}

/// A town steward who opens the address of a case elsewhere gets the not-found page — the
/// same as for a case that does not exist — while a case of the town opens.
pub async fn a_town_steward_gets_not_found_for_a_case_elsewhere(
    site: &Site,
    driver: &Driver,
) -> anyhow::Result<()> {
    const TOWN: &str = "610902100000";
    let elsewhere = facts::case_outside(site, TOWN);
    let b = Browser::open(site, driver, Size::Desktop).await?;
    b.sign_in("zhao.min", PASSWORD).await?;
    b.goto(&format!("/cases/{}", elsewhere.id)).await?;
    let heading = b.text("h1").await?;
    ensure!(heading == "未找到页面", "a case elsewhere: {heading}");
    let page = b.text("main").await?;
    ensure!(
        !page.contains(&elsewhere.name),
        "the page does not name the case"
    );
    b.check_page().await?;
    b.goto("/cases/no-such-case").await?;
    ensure!(
        b.text("main").await? == page,
        "the same page as for a case that does not exist"
    );
    if let Some(own) = facts::cases(site, Some(TOWN)).first() {
        b.goto(&format!("/cases/{}", own.id)).await?;
        ensure!(b.text("h1").await? == own.name, "a case of the town opens");
    }
    b.close().await
}
