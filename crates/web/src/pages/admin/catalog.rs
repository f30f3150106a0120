//! The service catalog for admins (`GET /admin/catalog`): every item and 一件事 bundle with
//! its versions, newest first, and for each version what changed from the one before — read
//! with the API's `catalog` query. Publishing and revising stay with the catalog's own tools
//! (`guanjia catalog`, the API's mutations) for now.

use askama::Template;
use axum::extract::State;
use axum::http::{Extensions, StatusCode};
use axum::response::Response;
use guanjia_api::auth::admin;
use serde_json::{json, Value};

use crate::pages::audit::{request_id, text};
use crate::pages::{forbidden, html, internal_error, Chrome, Nav};
use crate::session::Viewer;
use crate::{format, Web};

const QUERY: &str = "{ catalog(includeRetired: true) { \
    items { code retired { reason } versions { version name department statutoryLimitDays promisedLimitDays onsiteTrips requiredMaterials publishedAt publishedBy } } \
    bundles { code retired { reason } versions { version name itemCodes publishedAt publishedBy } } } }";

#[derive(Template)]
#[template(path = "admin_catalog.html")]
struct CatalogPage {
    chrome: Chrome,
    items: Vec<Entry>,
    bundles: Vec<Entry>,
}

/// An item or a bundle with its versions.
struct Entry {
    code: String,
    name: String,
    retired: Option<String>,
    versions: Vec<Version>,
}

struct Version {
    number: String,
    published: String,
    by: String,
    /// What changed from the version before (the first version: "首次发布").
    changes: Vec<String>,
}

/// The fields compared between versions, with their Chinese names.
const ITEM_FIELDS: &[(&str, &str)] = &[
    ("name", "事项名称"),
    ("department", "办理部门"),
    ("statutoryLimitDays", "法定时限"),
    ("promisedLimitDays", "承诺时限"),
    ("onsiteTrips", "到现场次数"),
    ("requiredMaterials", "申请材料"),
];
const BUNDLE_FIELDS: &[(&str, &str)] = &[("name", "名称"), ("itemCodes", "包含事项")];

fn shown(value: &Value) -> String {
    match value {
        Value::Array(list) => list
            .iter()
            .map(|v| text(&json!({"v": v}), "v"))
            .collect::<Vec<_>>()
            .join("、"),
        other => text(&json!({"v": other}), "v"),
    }
}

fn entries(list: &Value, fields: &[(&str, &str)]) -> Vec<Entry> {
    list.as_array()
        .into_iter()
        .flatten()
        .map(|entry| {
            let versions: Vec<&Value> =
                entry["versions"].as_array().into_iter().flatten().collect();
            let mut out: Vec<Version> = versions
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let changes = match i.checked_sub(1).and_then(|p| versions.get(p)) {
                        None => vec!["首次发布".to_owned()],
                        Some(before) => fields
                            .iter()
                            .filter(|(key, _)| before[*key] != v[*key])
                            .map(|(key, name)| {
                                format!("{name}：{} → {}", shown(&before[*key]), shown(&v[*key]))
                            })
                            .collect(),
                    };
                    let published = text(v, "publishedAt")
                        .parse()
                        .map_or_else(|_| text(v, "publishedAt"), format::date_time);
                    Version {
                        number: text(v, "version"),
                        published,
                        by: text(v, "publishedBy"),
                        changes,
                    }
                })
                .collect();
            out.reverse();
            Entry {
                code: text(entry, "code"),
                name: versions.last().map(|v| text(v, "name")).unwrap_or_default(),
                retired: entry["retired"]
                    .as_object()
                    .map(|r| text(&Value::Object(r.clone()), "reason")),
                versions: out,
            }
        })
        .collect()
}

/// `GET /admin/catalog`.
pub(crate) async fn show(
    State(web): State<Web>,
    Viewer(session): Viewer,
    extensions: Extensions,
) -> Response {
    if admin::may_administer(&session.actor).is_err() {
        return forbidden(&session, "管理页面仅供管理员使用。");
    }
    let request = request_id(&extensions);
    match web.api().run(&session, &request, QUERY, json!({})).await {
        Ok(data) => {
            let page = CatalogPage {
                chrome: Chrome::new("服务事项目录", Some(&session), Nav::Admin),
                items: entries(&data["catalog"]["items"], ITEM_FIELDS),
                bundles: entries(&data["catalog"]["bundles"], BUNDLE_FIELDS),
            };
            html(StatusCode::OK, &page)
        }
        Err(refused) => {
            tracing::error!(?refused, "the catalog could not be read");
            internal_error(Some(&session))
        }
    }
}
