//! 公开事项清单: the live catalog, searchable by keyword (any part of the name, the codes or the
//! department; Chinese included), department, life stage (设立/建设/运营) and channel, each
//! entry with its code and current version; then the 一件事一次办 bundles.
//!
//! The search is a scan of the read model's catalog: a district's catalog is hundreds to a few
//! thousand items, and a scan of that is microseconds (docs/benchmarks.md).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{Redirect, Response};
use guanjia_domain::case::model::Stage;
use guanjia_domain::catalog::{CatalogItemSpec, Channel};
use guanjia_read::CatalogView;
use serde::{Deserialize, Serialize};

use super::{page, PublicChrome, PublicNav};
use crate::{format, labels, Web};

/// The stages in life order, with their identifiers in addresses.
pub(crate) const STAGES: [(Stage, &str); 3] = [
    (Stage::Establishment, "establishment"),
    (Stage::Construction, "construction"),
    (Stage::Operation, "operation"),
];

/// The address of a search: `?q=许可&department=…&stage=construction&channel=online`.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct Params {
    pub q: Option<String>,
    pub department: Option<String>,
    pub stage: Option<String>,
    pub channel: Option<String>,
    /// The page of the list (from 1); the read API lists everything and ignores it.
    pub page: Option<String>,
}

/// Items on one page of the list: a phone scrolls through fifty, not the whole catalog
/// (2,000 items in a large zone).
const PAGE_SIZE: usize = 50;

/// Where a page of the list sits among all: its number (from 1), how many there are, and
/// the addresses of the pages before and after it, keeping the search.
struct Pager {
    page: usize,
    pages: usize,
    previous: Option<String>,
    next: Option<String>,
}

impl Pager {
    /// The page `asked` of `total` items (the last when it is past the end). A page that is not
    /// a whole number from 1 up is named in `errors`, and the first is shown.
    fn new(params: &Params, total: usize, errors: &mut Vec<(&'static str, String)>) -> Self {
        let pages = total.div_ceil(PAGE_SIZE).max(1);
        let page = match filled(params.page.as_ref()) {
            None => 1,
            Some(text) => match text.parse::<usize>() {
                Ok(page) if page >= 1 => page.min(pages),
                _ => {
                    errors.push(("page", "页码应为从 1 开始的整数，例如 2。".to_owned()));
                    1
                }
            },
        };
        let href = |page: usize| {
            let mut query = String::new();
            for (name, value) in [
                ("q", &params.q),
                ("department", &params.department),
                ("stage", &params.stage),
                ("channel", &params.channel),
            ] {
                if let Some(value) = filled(value.as_ref()) {
                    query.push_str(&format!("{name}={}&", format::query_escape(&value)));
                }
            }
            format!("/public/items?{query}page={page}")
        };
        Self {
            page,
            pages,
            previous: (page > 1).then(|| href(page - 1)),
            next: (page < pages).then(|| href(page + 1)),
        }
    }

    /// The items of this page.
    fn cut<T>(&self, mut items: Vec<T>) -> Vec<T> {
        let start = (self.page - 1) * PAGE_SIZE;
        items.truncate(start + PAGE_SIZE);
        items.split_off(start.min(items.len()))
    }
}

/// A search, checked: what to match, and the fields whose value was not understood.
#[derive(Debug, Default)]
pub(crate) struct Filter {
    keyword: Option<String>,
    department: Option<String>,
    stage: Option<Stage>,
    channel: Option<Channel>,
    /// (field id, message naming the field and what to do).
    pub errors: Vec<(&'static str, String)>,
}

fn filled(value: Option<&String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

impl Filter {
    pub(crate) fn from_params(params: &Params) -> Self {
        let mut errors = Vec::new();
        let stage = filled(params.stage.as_ref()).and_then(|text| {
            let found = STAGES.iter().find(|(_, id)| *id == text).map(|(s, _)| *s);
            if found.is_none() {
                errors.push((
                    "stage",
                    "“办理阶段”只能是设立、建设或运营，请从列表中选择。".to_owned(),
                ));
            }
            found
        });
        let channel = filled(params.channel.as_ref()).and_then(|text| {
            let found = Channel::parse(&text);
            if found.is_none() {
                errors.push((
                    "channel",
                    "“办理渠道”只能是一窗通办、一网通办、掌上办、自助办或帮代办，请从列表中选择。"
                        .to_owned(),
                ));
            }
            found
        });
        Self {
            // Codes are matched without regard to case; Chinese has none.
            keyword: filled(params.q.as_ref()).map(|k| k.to_lowercase()),
            department: filled(params.department.as_ref()),
            stage,
            channel,
            errors,
        }
    }

    fn matches(&self, spec: &CatalogItemSpec) -> bool {
        let keyword = self.keyword.as_deref().is_none_or(|k| {
            [
                &spec.name,
                &spec.implementation_code,
                &spec.basic_code,
                &spec.department,
            ]
            .iter()
            .any(|field| field.to_lowercase().contains(k))
        });
        keyword
            && self
                .department
                .as_deref()
                .is_none_or(|d| spec.department == d)
            && self.stage.is_none_or(|s| spec.guide.life_stage == Some(s))
            && self
                .channel
                .is_none_or(|c| spec.guide.channels.contains(&c))
    }
}

/// One entry of the list.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Entry {
    /// 实施编码
    pub code: String,
    pub basic_code: String,
    pub name: String,
    pub department: String,
    pub version: u32,
    /// 设立 / 建设 / 运营, empty when the guide names no stage.
    pub life_stage: String,
    pub channels: Vec<&'static str>,
    pub statutory_limit_days: u32,
    pub promised_limit_days: u32,
    pub onsite_trips: u32,
    pub materials: usize,
    /// The guide's address.
    pub href: String,
}

/// A bundle in the list.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BundleEntry {
    pub code: String,
    pub name: String,
    pub version: u32,
    pub items: usize,
    pub href: String,
}

/// The live items that match, in code order.
pub(crate) fn search(catalog: &CatalogView, filter: &Filter) -> Vec<Entry> {
    catalog
        .items()
        .filter_map(|entry| entry.current())
        .filter(|current| filter.matches(&current.spec))
        .map(|current| {
            let spec = &current.spec;
            Entry {
                code: spec.implementation_code.clone(),
                basic_code: spec.basic_code.clone(),
                name: spec.name.clone(),
                department: spec.department.clone(),
                version: current.version,
                life_stage: spec
                    .guide
                    .life_stage
                    .map(labels::stage)
                    .unwrap_or_default()
                    .to_owned(),
                channels: spec.guide.channels.iter().map(|c| c.label_zh()).collect(),
                statutory_limit_days: spec.statutory_limit_days,
                promised_limit_days: spec.promised_limit_days,
                onsite_trips: spec.onsite_trips,
                materials: spec.required_materials.len(),
                href: format!("/public/items/{}", spec.implementation_code),
            }
        })
        .collect()
}

/// Every live bundle, in code order.
pub(crate) fn bundles(catalog: &CatalogView) -> Vec<BundleEntry> {
    catalog
        .bundles()
        .filter_map(|entry| entry.current())
        .map(|current| BundleEntry {
            code: current.spec.code.clone(),
            name: current.spec.name.clone(),
            version: current.version,
            items: current.spec.item_codes.len(),
            href: format!("/public/bundles/{}", current.spec.code),
        })
        .collect()
}

/// The departments of the live items, sorted, for the filter's list.
pub(crate) fn departments(catalog: &CatalogView) -> Vec<String> {
    let mut all: Vec<String> = catalog
        .items()
        .filter_map(|entry| entry.current())
        .map(|current| current.spec.department.clone())
        .collect();
    all.sort();
    all.dedup();
    all
}

/// An option of a filter's list.
pub(crate) struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "public_catalog.html")]
struct CatalogPage {
    chrome: PublicChrome,
    keyword: String,
    departments: Vec<Choice>,
    stages: Vec<Choice>,
    channels: Vec<Choice>,
    errors: Vec<(&'static str, String)>,
    /// How many items the search found, on every page.
    total: usize,
    pager: Pager,
    /// This page's items.
    items: Vec<Entry>,
    bundles: Vec<BundleEntry>,
    /// Whether any filter is set (then the bundles are not listed: they were not searched).
    searching: bool,
}

/// `GET /public`: the catalog is the public side's front page.
pub(crate) async fn home() -> Redirect {
    Redirect::to("/public/items")
}

/// `GET /public/items`.
pub(crate) async fn show(
    State(web): State<Web>,
    headers: HeaderMap,
    Query(params): Query<Params>,
) -> Response {
    let mut filter = Filter::from_params(&params);
    let (items, bundles, departments) = web.state().read.read(|m| {
        let catalog = m.catalog();
        (
            search(catalog, &filter),
            self::bundles(catalog),
            self::departments(catalog),
        )
    });
    let pager = Pager::new(&params, items.len(), &mut filter.errors);
    let chosen =
        |value: &str, asked: &Option<String>| asked.as_deref().map(str::trim) == Some(value);
    let view = CatalogPage {
        chrome: PublicChrome::new("公开事项清单", PublicNav::Catalog),
        keyword: params.q.clone().unwrap_or_default(),
        departments: departments
            .into_iter()
            .map(|d| Choice {
                selected: chosen(&d, &params.department),
                value: d.clone(),
                label: d,
            })
            .collect(),
        stages: STAGES
            .iter()
            .map(|(stage, id)| Choice {
                value: (*id).to_owned(),
                label: labels::stage(*stage).to_owned(),
                selected: chosen(id, &params.stage),
            })
            .collect(),
        channels: Channel::ALL
            .iter()
            .map(|c| Choice {
                value: c.id().to_owned(),
                label: c.label_zh().to_owned(),
                selected: chosen(c.id(), &params.channel),
            })
            .collect(),
        searching: [
            &params.q,
            &params.department,
            &params.stage,
            &params.channel,
        ]
        .iter()
        .any(|v| filled(v.as_ref()).is_some()),
        total: items.len(),
        items: pager.cut(items),
        pager,
        errors: filter.errors,
        bundles,
    };
    page(&headers, &view)
}
