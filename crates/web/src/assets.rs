//! The pages' static files, compiled into the binary and served under content-hashed names
//! (`app.3f9a0c1d2e.css`), so they can be cached for a year: a changed file gets a new name,
//! and a page always names the version it was rendered with. Nothing loads from elsewhere.
//!
//! `htmx.min.js` is htmx 2.0.11 and `echarts.min.js` ECharts 6.1.0, both from the npm registry,
//! unchanged (assets/README.md); `charts.js` draws a page's charts with ECharts.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// Hex digits of the content hash in a file name: enough to tell versions apart.
const HASH_LEN: usize = 10;

/// One embedded file.
#[derive(Debug)]
pub struct Asset {
    /// The name in the source tree, e.g. `app.css`.
    pub name: &'static str,
    /// The URL path it is served at, with its hash: `/assets/app.3f9a0c1d2e.css`.
    pub url: String,
    pub content_type: &'static str,
    pub body: &'static [u8],
}

/// Every embedded file.
#[derive(Debug)]
pub struct Assets {
    pub css: Asset,
    pub htmx: Asset,
    pub icon: Asset,
    /// ECharts, loaded only by the dashboard and the big screen.
    pub echarts: Asset,
    /// Draws the charts of a page from their `data-chart` attributes.
    pub charts: Asset,
}

impl Assets {
    fn all(&self) -> [&Asset; 5] {
        [
            &self.css,
            &self.htmx,
            &self.icon,
            &self.echarts,
            &self.charts,
        ]
    }
}

/// The files, hashed once on first use.
pub static ASSETS: LazyLock<Assets> = LazyLock::new(|| Assets {
    css: asset(
        "app.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/app.css"),
    ),
    htmx: asset(
        "htmx.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/htmx.min.js"),
    ),
    icon: asset(
        "icon.svg",
        "image/svg+xml",
        include_bytes!("../assets/icon.svg"),
    ),
    echarts: asset(
        "echarts.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/echarts.min.js"),
    ),
    charts: asset(
        "charts.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/charts.js"),
    ),
});

/// The stylesheet's text (for the contrast tests).
pub const STYLESHEET: &str = include_str!("../assets/app.css");

fn asset(name: &'static str, content_type: &'static str, body: &'static [u8]) -> Asset {
    let digest = Sha256::digest(body);
    let mut hash = hex::encode(digest);
    hash.truncate(HASH_LEN);
    let (stem, extension) = name.split_once('.').unwrap_or((name, ""));
    Asset {
        name,
        url: format!("/assets/{stem}.{hash}.{extension}"),
        content_type,
        body,
    }
}

/// `GET /assets/{name}`: the file whose hashed name this is, cached for a year; any other
/// name (an older hash included) is 404, so a stale page never gets a newer file by mistake.
pub(crate) async fn serve(Path(name): Path<String>) -> Response {
    let wanted = format!("/assets/{name}");
    let Some(asset) = ASSETS.all().into_iter().find(|a| a.url == wanted) else {
        return (StatusCode::NOT_FOUND, "no such file").into_response();
    };
    let mut response = asset.body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_the_content_hash() {
        let css = &ASSETS.css;
        assert!(css.url.starts_with("/assets/app.") && css.url.ends_with(".css"));
        assert_eq!(css.url.len(), "/assets/app..css".len() + HASH_LEN);
        assert_ne!(ASSETS.css.url, ASSETS.htmx.url);
        assert!(ASSETS.htmx.url.ends_with(".min.js") || ASSETS.htmx.url.ends_with(".js"));
    }

    #[test]
    fn no_asset_names_another_origin() {
        for asset in ASSETS.all() {
            let text = String::from_utf8_lossy(asset.body);
            for forbidden in ["@import", "url(http", "url(//", "sourceMappingURL"] {
                assert!(
                    !text.contains(forbidden),
                    "{} holds {forbidden}",
                    asset.name
                );
            }
        }
    }
}
