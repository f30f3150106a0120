//! 明白纸: the print view of a guide or a bundle for the hall's boards, one A4 sheet with a QR
//! code of the guide's address (the configured `public_base_url`), so that a person reading the
//! board can open the guide on their phone. The QR code is drawn by the server (the rating
//! links' `qr` module), as SVG so it prints sharp.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;

use super::bundle::{bundle as bundle_guide, BundleGuide};
use super::guide::{guide as item_guide, Guide};
use super::{cached, not_found, page, public_url, PublicChrome, PublicNav};
use crate::Web;

#[derive(Template)]
#[template(path = "public_print_guide.html")]
struct GuideSheet {
    chrome: PublicChrome,
    guide: Guide,
    /// The address the QR code encodes, printed under it.
    url: String,
}

#[derive(Template)]
#[template(path = "public_print_bundle.html")]
struct BundleSheet {
    chrome: PublicChrome,
    bundle: BundleGuide,
    url: String,
}

/// `GET /public/items/{code}/print`.
pub(crate) async fn guide(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Response {
    match web.state().read.read(|m| item_guide(m.catalog(), &code)) {
        Some(guide) => page(
            &headers,
            &GuideSheet {
                chrome: PublicChrome::new(&format!("{} 明白纸", guide.name), PublicNav::None),
                url: public_url(&web, &guide.href),
                guide,
            },
        ),
        None => not_found(false),
    }
}

/// `GET /public/bundles/{code}/print`.
pub(crate) async fn bundle(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Response {
    match web.state().read.read(|m| bundle_guide(m.catalog(), &code)) {
        Some(bundle) => page(
            &headers,
            &BundleSheet {
                chrome: PublicChrome::new(&format!("{} 明白纸", bundle.name), PublicNav::None),
                url: public_url(&web, &bundle.href),
                bundle,
            },
        ),
        None => not_found(false),
    }
}

/// The QR code of a public address, as a cacheable SVG image.
fn qr(headers: &HeaderMap, url: &str) -> Response {
    match guanjia_api::rating_link::qr::svg(url) {
        Ok(svg) => cached(headers, "image/svg+xml", svg.into_bytes()),
        Err(error) => {
            tracing::error!(%error, "the QR code of a guide could not be drawn");
            not_found(false)
        }
    }
}

/// `GET /public/items/{code}/qr.svg`: the QR code of the guide's address.
pub(crate) async fn guide_qr(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Response {
    match web.state().read.read(|m| item_guide(m.catalog(), &code)) {
        Some(guide) => qr(&headers, &public_url(&web, &guide.href)),
        None => not_found(false),
    }
}

/// `GET /public/bundles/{code}/qr.svg`.
pub(crate) async fn bundle_qr(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Response {
    match web.state().read.read(|m| bundle_guide(m.catalog(), &code)) {
        Some(bundle) => qr(&headers, &public_url(&web, &bundle.href)),
        None => not_found(false),
    }
}
