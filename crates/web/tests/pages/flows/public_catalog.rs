//! The public side in the browser, without signing in: an enterprise on its phone searches the
//! catalog and opens a guide; a bundle lists each material once; the 明白纸 of a guide and of a
//! bundle print on one A4 page. Every page passes `check_page` (nothing loaded from another
//! origin, labels, contrast, 44 px targets and no sideways scroll on the phone).

use anyhow::{ensure, Context};

use crate::browser::Browser;
use crate::driver::{Driver, Size};
use crate::site::Site;

/// The codes of the live items whose name, codes or department hold `keyword`, as the read
/// model has them.
fn matching(site: &Site, keyword: &str) -> Vec<String> {
    site.state.read.read(|m| {
        m.catalog()
            .items()
            .filter_map(|e| e.current())
            .filter(|v| {
                let s = &v.spec;
                [
                    &s.name,
                    &s.implementation_code,
                    &s.basic_code,
                    &s.department,
                ]
                .iter()
                .any(|f| f.contains(keyword))
            })
            .map(|v| v.spec.implementation_code.clone())
            .collect()
    })
}

/// The `data-code` of every card in `list`.
async fn codes(b: &Browser, list: &str) -> anyhow::Result<Vec<String>> {
    let found = b
        .eval(&format!(
            "return Array.from(document.querySelectorAll('{list} [data-code]')).map(e => e.dataset.code);"
        ))
        .await?;
    Ok(found
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect())
}

/// Pages of a PDF: its page objects (`/Type /Page`, not the `/Type /Pages` tree).
fn pdf_pages(pdf: &[u8]) -> usize {
    let needle = b"/Type /Page";
    pdf.windows(needle.len() + 1)
        .filter(|w| w.starts_with(needle) && w[needle.len()] != b's')
        .count()
}

pub async fn an_enterprise_on_a_phone_finds_a_guide_without_signing_in(
    site: &Site,
    driver: &Driver,
) -> anyhow::Result<()> {
    for size in [Size::Phone, Size::Desktop] {
        let b = Browser::open(site, driver, size).await?;
        b.goto("/public/items").await?;
        b.wait_for("#item-list").await?;
        b.check_page().await?;
        b.fill("#q", "许可").await?;
        b.click("form[role=search] button[type=submit]").await?;
        b.wait_until("the results", "location.search.includes('q=')")
            .await?;
        let expected = matching(site, "许可");
        ensure!(expected.len() > 1, "the demo has several licences");
        ensure!(
            codes(&b, "#item-list").await? == expected,
            "the search shows exactly the items holding 许可"
        );
        b.check_page().await?;
        b.screenshot(&format!("public-search-{size:?}").to_lowercase())
            .await?;
        b.click(&format!("[data-code='{}'] h3 a", expected[0]))
            .await?;
        b.wait_for("#materials").await?;
        b.check_page().await?;
        ensure!(
            b.path().await? == format!("/public/items/{}", expected[0]),
            "the guide of the item opened"
        );
        ensure!(
            b.text("#changes").await?.contains("减为"),
            "the guide says what its revision cut"
        );
        ensure!(
            b.find("header .who").await.is_err(),
            "no sign-in bar on a public page"
        );
        b.screenshot(&format!("public-guide-{size:?}").to_lowercase())
            .await?;
        b.close().await?;
    }
    Ok(())
}

pub async fn a_bundle_lists_each_material_once(site: &Site, driver: &Driver) -> anyhow::Result<()> {
    let b = Browser::open(site, driver, Size::Phone).await?;
    b.goto("/public/bundles/YJS-KCG").await?;
    b.wait_for("#materials").await?;
    b.check_page().await?;
    let names = b
        .eval("return Array.from(document.querySelectorAll('#materials tbody th')).map(e => e.textContent);")
        .await?;
    let names: Vec<String> = names
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    ensure!(
        unique.len() == names.len(),
        "each material is listed once: {names:?}"
    );
    let (asked, items) = site.state.read.read(|m| {
        let catalog = m.catalog();
        let bundle = catalog.bundle("YJS-KCG").and_then(|e| e.current());
        let codes = bundle
            .map(|v| v.spec.item_codes.clone())
            .unwrap_or_default();
        let mut all: Vec<String> = codes
            .iter()
            .filter_map(|c| catalog.item(c).and_then(|e| e.current()))
            .flat_map(|v| v.spec.required_materials.clone())
            .collect();
        let items = codes.len();
        all.sort();
        all.dedup();
        (all, items)
    });
    ensure!(unique == asked, "the union of the items' materials");
    ensure!(
        b.text("#materials-once").await? == format!("{} 项", asked.len()),
        "the comparison counts each material once"
    );
    let listed = b
        .eval("return document.querySelectorAll('#bundle-items li').length;")
        .await?;
    ensure!(
        listed.as_u64() == Some(items as u64),
        "every item is listed"
    );
    b.screenshot("public-bundle").await?;
    b.close().await
}

pub async fn the_print_views_fit_one_a4_page(site: &Site, driver: &Driver) -> anyhow::Result<()> {
    // The guide with the most materials and the bundle whose items ask the most materials:
    // the longest sheets.
    let (item, bundle) = site.state.read.read(|m| {
        let catalog = m.catalog();
        let item = catalog
            .items()
            .filter_map(|e| e.current())
            .max_by_key(|v| (v.spec.required_materials.len(), v.spec.guide.steps.len()))
            .map(|v| v.spec.implementation_code.clone());
        let asked = |codes: &[String]| -> usize {
            codes
                .iter()
                .filter_map(|c| catalog.item(c).and_then(|e| e.current()))
                .map(|v| v.spec.required_materials.len())
                .sum()
        };
        let bundle = catalog
            .bundles()
            .filter_map(|e| e.current())
            .max_by_key(|v| (asked(&v.spec.item_codes), v.spec.item_codes.len()))
            .map(|v| v.spec.code.clone());
        (item, bundle)
    });
    let item = item.context("a live item")?;
    let bundle = bundle.context("a live bundle")?;
    let b = Browser::open(site, driver, Size::Desktop).await?;
    for path in [
        format!("/public/items/{item}/print"),
        format!("/public/bundles/{bundle}/print"),
    ] {
        b.goto(&path).await?;
        b.wait_for(".sheet-qr img").await?;
        b.wait_until(
            "the QR code",
            "document.querySelector('.sheet-qr img').complete && document.querySelector('.sheet-qr img').naturalWidth > 0",
        )
        .await?;
        b.check_page().await?;
        ensure!(
            b.text(".sheet-qr figcaption").await?.contains(&site.base),
            "{path}: the QR code's address is printed under it"
        );
        let pdf = b.print_pdf().await?;
        ensure!(pdf.starts_with(b"%PDF"), "{path}: a PDF");
        let pages = pdf_pages(&pdf);
        ensure!(pages == 1, "{path} prints on {pages} pages, not one");
    }
    b.screenshot("public-print").await?;
    // The counter counts: the whole catalog, a long list, prints on several pages.
    b.goto("/public/items").await?;
    b.wait_for("#item-list").await?;
    let pages = pdf_pages(&b.print_pdf().await?);
    ensure!(pages > 1, "the catalog list printed on {pages} page(s)");
    b.close().await
}
