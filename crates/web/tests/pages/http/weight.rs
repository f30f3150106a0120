//! The weight of the pages a steward opens most — the workbench and the case page with all its
//! forms — as the browser downloads them: the HTML, the stylesheet and htmx (uncompressed; the
//! icon aside). The budget is 150 KB each; sizes are bytes, not times, so they are
//! checked here rather than in a benchmark. The figures are printed (`--nocapture`) for
//! docs/benchmarks.md.

use guanjia_demo::people::{AGENTS, STEWARDS};
use guanjia_domain::clock::china_date;
use guanjia_domain::values::DivisionCode;
use guanjia_store::Backend;
use reqwest::StatusCode;

use super::client::Client;
use crate::facts;
use crate::site::{Site, PASSWORD};

/// The budget for a page with its stylesheet and script.
const BUDGET: usize = 150 * 1024;

/// The bytes of `page` and of the stylesheet and scripts it names.
async fn weight(client: &mut Client, page: &str) -> (usize, usize) {
    let mut assets = 0;
    for marker in ["href=\"/assets/", "src=\"/assets/"] {
        for rest in page.split(marker).skip(1) {
            let name = rest.split('"').next().unwrap_or_default();
            if name.ends_with(".svg") {
                continue;
            }
            let asset = client.get(&format!("/assets/{name}")).await;
            assert_eq!(asset.status(), StatusCode::OK, "{name}");
            assets += asset.bytes().await.expect("the asset").len();
        }
    }
    (page.len(), assets)
}

#[tokio::test]
async fn the_workbench_and_the_busiest_case_page_stay_under_150_kb() {
    let site = Site::start(Backend::Sqlite).await;
    // The case with the most items and visits, opened by its lead steward (who sees its forms).
    let today = china_date(site.state.clock.now());
    let (id, lead) = site.state.read.read(|m| {
        facts::cases(&site, None)
            .iter()
            .filter(|c| {
                // Led by someone whose division holds the case (who can open it).
                let lead = c.lead_steward.as_deref().unwrap_or_default();
                STEWARDS.iter().chain(AGENTS).any(|s| {
                    s.id == lead
                        && DivisionCode::parse(s.division).is_ok_and(|d| d.contains(&c.division))
                })
            })
            .filter_map(|c| Some((m.case_detail(&c.id, today)?, c.lead_steward.clone()?)))
            .max_by_key(|(d, _)| d.items.len() + d.visits.len() + d.timeline.len())
            .map(|(d, lead)| (d.id.clone(), lead))
            .expect("a demo case with a lead")
    });
    let mut client = Client::new(&site.base);
    client.sign_in(&lead, PASSWORD).await;
    for path in ["/".to_owned(), format!("/cases/{id}")] {
        let page = client.get(&path).await.text().await.expect("a page");
        if path != "/" {
            assert!(page.contains("/act/"), "the case page carries its forms");
        }
        let (html, assets) = weight(&mut client, &page).await;
        eprintln!(
            "page weight {path}: HTML {html} B + CSS and script {assets} B = {} B",
            html + assets
        );
        assert!(html + assets < BUDGET, "{path}: {} B", html + assets);
    }
    site.stop().await;
}
