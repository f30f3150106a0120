//! The public side under load (issue 19's measure): the catalog grown to 2,000 items with
//! their guides, then each public page and read-API answer asked by many keep-alive clients
//! at once for a few seconds — requests per second and p50/p99/max as the clients saw them.
//! No sign-in, as for the enterprise on its phone; the bench's server has no rate limit.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::bail;
use guanjia_bench_report::Target;
use serde_json::json;

use crate::site::Site;
use crate::timing::Row;

/// Catalog items after the bench has added its own to the demo's.
pub const ITEMS: usize = 2_000;
/// Clients asking at once, each on its own keep-alive connection.
const CLIENTS: usize = 16;
/// How long each page is asked for.
const PHASE: Duration = Duration::from_secs(8);
/// A public page's p99 under that load must stay below this (milliseconds).
const P99_TARGET_MS: f64 = 50.0;

const DEPARTMENTS: [&str; 8] = [
    "区市场监督管理局",
    "区住房和城乡建设局",
    "区自然资源局",
    "区生态环境分局",
    "区卫生健康局",
    "区交通运输局",
    "区应急管理局",
    "区人力资源和社会保障局",
];
const KINDS: [&str; 4] = ["许可", "备案", "登记", "核准"];
const SUBJECTS: [&str; 10] = [
    "食品经营",
    "建设工程",
    "排污",
    "特种设备",
    "道路运输",
    "危险化学品",
    "医疗机构",
    "人力资源服务",
    "户外广告",
    "消防设计",
];

/// The address of a phase's `n`-th request.
type PathOf = fn(usize) -> String;

/// The code of the bench's `n`-th item.
fn code(n: usize) -> String {
    format!("BENCH-{n:04}")
}

/// Adds items until the catalog holds [`ITEMS`] (the demo's first), each with a guide of the
/// size the demo's have: three materials with their details, steps, hours, channels.
pub async fn grow_catalog(site: &Site) -> anyhow::Result<usize> {
    let admin = site.admin().await?;
    let existing = site
        .ok(&admin, "{ catalog { items { code } } }", json!({}))
        .await?["catalog"]["items"]
        .as_array()
        .map_or(0, Vec::len);
    let added = ITEMS.saturating_sub(existing);
    for n in 0..added {
        let name = format!(
            "{}{}（{}）",
            SUBJECTS[n % SUBJECTS.len()],
            KINDS[n % KINDS.len()],
            n
        );
        let materials = ["申请书", "营业执照", "场所证明"];
        let stage = ["establishment", "construction", "operation"][n % 3];
        let input = json!({
            "basicCode": format!("B{n:011}"),
            "implementationCode": code(n),
            "name": name,
            "itemType": "ADMINISTRATIVE_LICENCE",
            "department": DEPARTMENTS[n % DEPARTMENTS.len()],
            "statutoryLimitDays": 20,
            "promisedLimitDays": 5 + (n % 10) as u32,
            "requiredMaterials": materials,
            "onsiteTrips": (n % 2) as u32,
            "guide": {
                "life_stage": stage,
                "legal_basis": ["《中华人民共和国行政许可法》"],
                "conditions": ["申请人为依法设立的企业", "有与经营项目相适应的场所"],
                "materials": materials.iter().map(|m| json!({
                    "name": m, "originals": 1, "copies": 1, "source": "申请人自备"
                })).collect::<Vec<_>>(),
                "steps": ["申请", "受理", "审查", "决定", "送达"],
                "fees": "不收费",
                "window": "政务服务中心一楼综合窗口",
                "address": "恒口示范区政务服务中心",
                "hours": "工作日 9:00-12:00，14:00-17:30",
                "channels": ["one_window", "online"],
                "contact": "0915-0000000"
            }
        });
        site.ok(
            &admin,
            "mutation($i: CatalogItemInput!) { publishCatalogItem(input: $i) { position } }",
            json!({"i": input}),
        )
        .await?;
    }
    Ok(existing + added)
}

/// Each public page and API answer under [`CLIENTS`] clients for [`PHASE`].
pub async fn under_load(site: &Site) -> anyhow::Result<Vec<Row>> {
    let pages: [(&str, PathOf); 6] = [
        ("public: catalog (公开事项清单), first page", |_| {
            "/public/items".to_owned()
        }),
        ("public: catalog search \"许可\"", |_| {
            "/public/items?q=许可".to_owned()
        }),
        (
            "public: a guide (办事指南), a different item each time",
            |n| format!("/public/items/{}", code(n % ITEMS.min(1_000))),
        ),
        ("public: a guide's print view (明白纸)", |n| {
            format!("/public/items/{}/print", code(n % ITEMS.min(1_000)))
        }),
        ("public API: the whole catalog (JSON)", |_| {
            "/public/api/catalog".to_owned()
        }),
        ("public API: one item (JSON)", |n| {
            format!("/public/api/items/{}", code(n % ITEMS.min(1_000)))
        }),
    ];
    let mut rows = Vec::new();
    for (what, path) in pages {
        rows.push(phase(site, what, path).await?);
    }
    Ok(rows)
}

/// [`CLIENTS`] clients asking `path(n)` in turn for [`PHASE`]; every answer must be 200.
async fn phase(site: &Site, what: &str, path: PathOf) -> anyhow::Result<Row> {
    let base: Arc<str> = Arc::from(site.base.as_str());
    // Warm up: the first request of each page builds nothing that later ones reuse, but
    // connections and allocator pools settle.
    let http = reqwest::Client::new();
    for n in 0..20 {
        http.get(format!("{base}{}", path(n))).send().await?;
    }
    let started = Instant::now();
    let mut clients = Vec::new();
    for client in 0..CLIENTS {
        let base = Arc::clone(&base);
        clients.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            let mut samples = Vec::new();
            let mut n = client;
            while started.elapsed() < PHASE {
                let clock = Instant::now();
                let response = http.get(format!("{base}{}", path(n))).send().await?;
                let status = response.status();
                response.bytes().await?;
                if status != 200 {
                    bail!("{} answered {status}", path(n));
                }
                samples.push(clock.elapsed().as_secs_f64() * 1000.0);
                n += CLIENTS;
            }
            Ok::<_, anyhow::Error>(samples)
        }));
    }
    let mut samples = Vec::new();
    for client in clients {
        samples.extend(client.await??);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let rate = samples.len() as f64 / elapsed;
    let what = format!("{what} — {rate:.0} req/s at {CLIENTS} clients");
    let row = Row::times(what, samples, Target::Below(P99_TARGET_MS));
    eprintln!("{}: p99 {}", row.what, row.line()[2]);
    Ok(row)
}
