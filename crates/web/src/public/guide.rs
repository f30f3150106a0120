//! 办事指南: one item's service guide as the public reads it — basic information, conditions,
//! materials (originals, copies, where to get them), process, statutory and promised limits,
//! trips to the site, fees, where and when, channels, contact — and what changed across its
//! versions (`guide_changes`). The same [`Guide`] feeds the page, the print view and the JSON
//! read API, so they never disagree.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use guanjia_domain::catalog::CatalogItemSpec;
use guanjia_domain::clock::china_date;
use guanjia_read::CatalogView;
use serde::Serialize;

use super::guide_changes::describe;
use super::{not_found, page, PublicChrome, PublicNav};
use crate::{format, labels, Web};

/// One material as the guide lists it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MaterialLine {
    pub name: String,
    /// 原件 to bring; `None` when the guide does not say.
    pub originals: Option<u32>,
    /// 复印件 to hand in; `None` when the guide does not say.
    pub copies: Option<u32>,
    /// Where to get it; empty when the guide does not say.
    pub source: String,
}

impl MaterialLine {
    /// "原件 1 份，复印件 2 份", or "—" when the guide does not say.
    pub fn form_text(&self) -> String {
        let parts: Vec<String> = [("原件", self.originals), ("复印件", self.copies)]
            .iter()
            .filter_map(|(word, n)| n.filter(|n| *n > 0).map(|n| format!("{word} {n} 份")))
            .collect();
        if parts.is_empty() {
            "—".to_owned()
        } else {
            parts.join("，")
        }
    }
}

/// One version in the history: when, and what changed from the one before.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Change {
    pub version: u32,
    /// 2024年2月8日 (Beijing date of publication).
    pub published_on: String,
    pub summary: String,
}

/// An item's current guide, everything the public may see of it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Guide {
    pub code: String,
    pub basic_code: String,
    pub name: String,
    pub item_type: &'static str,
    pub department: String,
    pub version: u32,
    pub published_on: String,
    pub life_stage: String,
    pub statutory_limit_days: u32,
    pub promised_limit_days: u32,
    pub onsite_trips: u32,
    pub materials: Vec<MaterialLine>,
    pub legal_basis: Vec<String>,
    pub conditions: Vec<String>,
    pub steps: Vec<String>,
    /// "不收费" when the guide names no fee.
    pub fees: String,
    pub window: String,
    pub address: String,
    pub hours: String,
    pub channels: Vec<&'static str>,
    /// The department's consulting telephone.
    pub contact: String,
    /// Newest first; the first version reads "首次发布".
    pub changes: Vec<Change>,
    /// The page's path.
    pub href: String,
}

/// A limit in working days as people say it: "10 个工作日", "即办" for 0.
pub(crate) fn days_text(days: u32) -> String {
    if days == 0 {
        "即办".to_owned()
    } else {
        format!("{days} 个工作日")
    }
}

impl Guide {
    pub fn statutory_text(&self) -> String {
        days_text(self.statutory_limit_days)
    }

    pub fn promised_text(&self) -> String {
        days_text(self.promised_limit_days)
    }

    /// "0 次（零跑腿）" or "1 次".
    pub fn trips_text(&self) -> String {
        if self.onsite_trips == 0 {
            "0 次（零跑腿）".to_owned()
        } else {
            format!("{} 次", self.onsite_trips)
        }
    }
}

/// The materials of a spec with what its guide says of each.
pub(crate) fn materials(spec: &CatalogItemSpec) -> Vec<MaterialLine> {
    spec.required_materials
        .iter()
        .map(|name| {
            let detail = spec.guide.material(name);
            MaterialLine {
                name: name.clone(),
                originals: detail.map(|d| d.originals),
                copies: detail.map(|d| d.copies),
                source: detail.map(|d| d.source.clone()).unwrap_or_default(),
            }
        })
        .collect()
}

/// The guide of a live item; `None` when the code is unknown or the item retired.
pub(crate) fn guide(catalog: &CatalogView, code: &str) -> Option<Guide> {
    let entry = catalog.item(code)?;
    let current = entry.current()?;
    let spec = &current.spec;
    let mut changes: Vec<Change> = entry
        .versions
        .iter()
        .enumerate()
        .map(|(at, version)| Change {
            version: version.version,
            published_on: format::date(china_date(version.published_at)),
            summary: match at.checked_sub(1).and_then(|p| entry.versions.get(p)) {
                None => "首次发布".to_owned(),
                Some(before) => describe(&before.spec, &version.spec),
            },
        })
        .collect();
    changes.reverse();
    let g = &spec.guide;
    Some(Guide {
        code: spec.implementation_code.clone(),
        basic_code: spec.basic_code.clone(),
        name: spec.name.clone(),
        item_type: spec.item_type.label_zh(),
        department: spec.department.clone(),
        version: current.version,
        published_on: format::date(china_date(current.published_at)),
        life_stage: g
            .life_stage
            .map(labels::stage)
            .unwrap_or_default()
            .to_owned(),
        statutory_limit_days: spec.statutory_limit_days,
        promised_limit_days: spec.promised_limit_days,
        onsite_trips: spec.onsite_trips,
        materials: materials(spec),
        legal_basis: g.legal_basis.clone(),
        conditions: g.conditions.clone(),
        steps: g.steps.clone(),
        fees: if g.fees.is_empty() {
            "不收费".to_owned()
        } else {
            g.fees.clone()
        },
        window: g.window.clone(),
        address: g.address.clone(),
        hours: g.hours.clone(),
        channels: g.channels.iter().map(|c| c.label_zh()).collect(),
        contact: g.contact.clone(),
        changes,
        href: format!("/public/items/{}", spec.implementation_code),
    })
}

#[derive(Template)]
#[template(path = "public_guide.html")]
struct GuidePage {
    chrome: PublicChrome,
    guide: Guide,
}

/// `GET /public/items/{code}`.
pub(crate) async fn show(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Response {
    match web.state().read.read(|m| guide(m.catalog(), &code)) {
        Some(guide) => page(
            &headers,
            &GuidePage {
                chrome: PublicChrome::new(&format!("{} 办事指南", guide.name), PublicNav::None),
                guide,
            },
        ),
        None => not_found(false),
    }
}
