//! `POST /cases/{id}/act/rating-link`: a one-time rating link for a conducted visit or a
//! concluded item, shown with its QR code for the enterprise contact to scan on the steward's
//! phone. The link is the API's (`guanjia_api::rating_link::issue_link`: signed, expiring, its
//! QR code drawn by our own server at `/rate/{token}/qr.svg`); who may issue one for what is
//! the application layer's (`App::check_rating_link`).
//!
//! Issuing records the link (`RatingLinkIssued`, the steward in its metadata) so that it can be
//! listed and revoked; the form answers with the page itself rather than redirecting, and a
//! refresh issues (and records) another link, which changes nothing for the first.

use askama::Template;
use axum::http::Extensions;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use guanjia_api::rating_link::{issue_link, LinkChannel, LinkRequest};

use super::form::{Field, FormView};
use super::refusal::{explain, Shown};
use super::{command_context, ratings, Acted, Ctx, Failed, Input};
use crate::format;
use crate::pages::{html, Chrome, Nav};
use crate::session::Session;
use crate::Web;

/// The action's name, the last part of its address.
pub(crate) const NAME: &str = "rating-link";
/// The action that revokes the link just issued (`POST /cases/{id}/act/rating-link-revoke`).
pub(crate) const REVOKE: &str = "rating-link-revoke";

/// The form, when something can be rated.
pub(crate) fn form(ctx: &Ctx<'_>) -> Option<FormView> {
    let targets = ratings::rateable(ctx);
    (!targets.is_empty()).then(|| FormView {
        action: NAME,
        title: "生成评价二维码（企业扫码评价）",
        section: "ratings",
        button: "生成二维码",
        fields: vec![Field::select("target", "评价对象", targets)],
        open: false,
        key: String::new(),
    })
}

#[derive(Template)]
#[template(path = "rating_link.html")]
struct LinkPage {
    chrome: Chrome,
    id: String,
    what: String,
    url: String,
    /// The QR code on our own origin.
    qr: String,
    expires: String,
    /// For the form that revokes it.
    link_id: String,
    csrf: String,
}

/// Issues the link and shows it, or the case page with why not.
pub(crate) async fn issue(
    web: &Web,
    session: &Session,
    extensions: &Extensions,
    id: &str,
    input: Input,
) -> Acted {
    let mut input = input;
    let target = ratings::read_target(&mut input);
    if !input.errors.is_empty() {
        return failed(input.clone(), input.errors);
    }
    let state = web.state();
    if let Err(error) = state
        .app
        .check_rating_link(&session.actor, id, target)
        .await
    {
        let form = form_now(web, id).unwrap_or_else(|| FormView {
            action: NAME,
            title: "生成评价二维码",
            section: "ratings",
            button: "",
            fields: vec![Field::text("target", "评价对象")],
            open: true,
            key: String::new(),
        });
        return match explain(&error, &form, None) {
            Shown::Fields(errors) => failed(input, errors),
            Shown::NotFound => crate::pages::not_found_for(Some(session)).into(),
            Shown::Forbidden(why) => {
                crate::pages::MessagePage::refuse(session, "无权操作", &why).into()
            }
            Shown::Internal => crate::pages::internal_error(Some(session)).into(),
        };
    }
    let request = LinkRequest {
        case_id: id,
        target,
        channel: LinkChannel::QrCode,
        ttl_hours: None,
    };
    let context = command_context(session, extensions);
    let link = match issue_link(state, &session.actor, request, context).await {
        Ok(link) => link,
        Err(error) => {
            tracing::error!(%error, "a rating link was not issued");
            return crate::pages::internal_error(Some(session)).into();
        }
    };
    // The page and its QR code on this server, whatever public address the link carries.
    let path = link
        .url
        .strip_prefix(&state.rating_links.base_url())
        .unwrap_or(&link.url)
        .to_owned();
    let what = crate::labels::rating_target(target);
    let page = LinkPage {
        chrome: Chrome::new(&format!("评价二维码：{what}"), Some(session), Nav::Cases),
        id: id.to_owned(),
        what,
        qr: format!("{path}/qr.svg"),
        url: link.url,
        expires: format::date_time(link.expires_at),
        link_id: link.link_id,
        csrf: session.csrf.clone(),
    };
    html(StatusCode::OK, &page).into()
}

fn form_now(web: &Web, id: &str) -> Option<FormView> {
    let today = guanjia_domain::clock::china_date(web.state().clock.now());
    web.state().read.read(|m| {
        let detail = m.case_detail(id, today)?;
        form(&Ctx::new(web, &detail, m))
    })
}

/// The form drawn again on the case page with `errors`.
fn failed(input: Input, errors: Vec<(String, String)>) -> Acted {
    let failed = Failed {
        action: NAME,
        input,
        errors,
    };
    Acted::Redraw(failed)
}

/// Revokes the link the form names, for the reason typed: back to the case's ratings, or a page
/// saying in Chinese why not.
pub(crate) async fn revoke(
    web: &Web,
    session: &Session,
    extensions: &Extensions,
    id: &str,
    input: Input,
) -> Response {
    let link_id = input.text("link_id");
    let reason = input.text("reason");
    let context = command_context(session, extensions);
    let revoked = web
        .state()
        .app
        .revoke_rating_link(&session.actor, id, &link_id, &reason, context)
        .await;
    let why = match revoked {
        Ok(_) => {
            let to = format!("/cases/{}#ratings", format::query_escape(id));
            return Redirect::to(&to).into_response();
        }
        Err(guanjia_app::AppError::NotFound { .. }) => {
            return crate::pages::not_found_for(Some(session))
        }
        Err(guanjia_app::AppError::Forbidden(_)) => "只有本案件的服务团队可以作废评价链接。",
        Err(guanjia_app::AppError::Rejected(guanjia_domain::DomainError::Invalid { .. })) => {
            "请填写作废原因（不超过 200 字）。"
        }
        Err(guanjia_app::AppError::Rejected(_) | guanjia_app::AppError::BadInput { .. }) => {
            "该链接已作废、已过期或已使用，无需作废。"
        }
        Err(error) => {
            tracing::error!(%error, "a rating link was not revoked");
            return crate::pages::internal_error(Some(session));
        }
    };
    crate::pages::MessagePage::answer(
        StatusCode::UNPROCESSABLE_ENTITY,
        "未能作废",
        Some(session),
        &[why],
    )
}
