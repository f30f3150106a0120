//! 办件进度 links on the case page (issue 19): the team issues a link for the enterprise to
//! follow its case without an account (`POST /cases/{id}/act/progress-link`, a form in the
//! 概况 section), sees every link with the QR code of the live ones
//! (`GET /cases/{id}/progress-links`), and revokes one (`POST
//! /cases/{id}/act/progress-link-revoke`). Issuing and revoking append events, so both
//! redirect to the list (POST, redirect, GET). The rules are the application layer's
//! (`guanjia_app::cases::progress_links`); the addresses and tokens are
//! `guanjia_api::progress_link`'s; the enterprise's page is `public/progress.rs`.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{Extensions, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use guanjia_api::progress_link::address_of;
use guanjia_domain::case::model::CaseState;
use guanjia_domain::progress::ProgressChannel;

use super::form::{Field, FormView};
use super::refusal::{explain, Shown};
use super::{command_context, Acted, Ctx, Failed, Input};
use crate::pages::{self, html, Chrome, Nav};
use crate::session::{Session, Viewer};
use crate::{format, Web};

/// The action that issues a link.
pub(crate) const NAME: &str = "progress-link";
/// The action that revokes one.
pub(crate) const REVOKE: &str = "progress-link-revoke";
/// The validities offered, in days; the first is the default.
const DAYS: [(u32, &str); 4] = [(30, "30 天"), (7, "7 天"), (90, "90 天"), (180, "180 天")];

/// The form, for a case that is not closed.
pub(crate) fn form(ctx: &Ctx<'_>) -> Option<FormView> {
    (ctx.detail.state != CaseState::Closed).then(|| FormView {
        action: NAME,
        title: "生成办件进度二维码（企业免登录查看办理进度）",
        section: "summary",
        button: "生成二维码",
        fields: vec![Field::select("ttl_days", "有效期", DAYS)
            .hint("企业扫码即可查看各事项的办理状态和期限，不显示任何个人信息；可随时作废。")],
        open: false,
        key: String::new(),
    })
}

/// Issues a link and sends the browser to the list, where its QR code is.
pub(crate) async fn issue(
    web: &Web,
    session: &Session,
    extensions: &Extensions,
    id: &str,
    input: Input,
) -> Acted {
    let days = input.raw("ttl_days").trim();
    let Some((days, _)) = DAYS.iter().find(|(d, _)| d.to_string() == days) else {
        let errors = vec![("ttl_days".to_owned(), "请选择有效期".to_owned())];
        return Acted::Redraw(Failed {
            action: NAME,
            input,
            errors,
        });
    };
    let context = command_context(session, extensions);
    let issued = web
        .state()
        .app
        .issue_progress_link(
            &session.actor,
            id,
            days * 24,
            ProgressChannel::QrCode,
            context,
        )
        .await;
    match issued {
        Ok(issued) => see_list(id, "issued", Some(&issued.link.link_id)).into(),
        Err(error) => {
            let form = FormView {
                action: NAME,
                title: "生成办件进度二维码",
                section: "summary",
                button: "生成二维码",
                fields: vec![Field::select("ttl_days", "有效期", DAYS)],
                open: true,
                key: String::new(),
            };
            match explain(&error, &form, None) {
                Shown::Fields(errors) => Acted::Redraw(Failed {
                    action: NAME,
                    input,
                    errors,
                }),
                Shown::NotFound => pages::not_found_for(Some(session)).into(),
                Shown::Forbidden(why) => {
                    pages::MessagePage::refuse(session, "无权操作", &why).into()
                }
                Shown::Internal => {
                    tracing::error!(%error, "a progress link was not issued");
                    pages::internal_error(Some(session)).into()
                }
            }
        }
    }
}

/// Revokes the link the form names and sends the browser back to the list.
pub(crate) async fn revoke(
    web: &Web,
    session: &Session,
    extensions: &Extensions,
    id: &str,
    input: Input,
) -> Response {
    let link_id = input.text("link_id");
    let context = command_context(session, extensions);
    match web
        .state()
        .app
        .revoke_progress_link(&session.actor, id, &link_id, context)
        .await
    {
        Ok(_) => see_list(id, "revoked", None),
        Err(error) => {
            let form = FormView {
                action: REVOKE,
                title: "作废",
                section: "summary",
                button: "作废",
                fields: Vec::new(),
                open: true,
                key: String::new(),
            };
            match explain(&error, &form, None) {
                Shown::NotFound => pages::not_found_for(Some(session)),
                Shown::Forbidden(why) => pages::MessagePage::refuse(session, "无权操作", &why),
                Shown::Fields(errors) => {
                    let why = errors.first().map(|(_, m)| m.clone()).unwrap_or_default();
                    list_page(web, session, id, None, Some(format!("未能作废：{why}"))).await
                }
                Shown::Internal => {
                    tracing::error!(%error, "a progress link was not revoked");
                    pages::internal_error(Some(session))
                }
            }
        }
    }
}

fn see_list(id: &str, done: &str, link: Option<&str>) -> Response {
    let anchor = link.map(|l| format!("#link-{l}")).unwrap_or_default();
    let to = format!(
        "/cases/{}/progress-links?done={done}{anchor}",
        format::query_escape(id)
    );
    Redirect::to(&to).into_response()
}

/// One link as the list shows it.
struct LinkRow {
    link_id: String,
    /// 有效 / 已作废 / 已过期.
    status: &'static str,
    issued: String,
    expires: String,
    revoked: Option<String>,
    /// The page's address and the path of its QR code, while live.
    url: Option<String>,
    qr: Option<String>,
}

#[derive(Template)]
#[template(path = "progress_links.html")]
struct ListPage {
    chrome: Chrome,
    id: String,
    csrf: String,
    links: Vec<LinkRow>,
    done: Option<String>,
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct ListQuery {
    #[serde(default)]
    done: Option<String>,
}

/// `GET /cases/{id}/progress-links`: every link of the case, for whoever may read it.
pub(crate) async fn list(
    State(web): State<Web>,
    Viewer(session): Viewer,
    Path(id): Path<String>,
    Query(query): Query<ListQuery>,
) -> Response {
    let done = match query.done.as_deref() {
        Some("issued") => Some("已生成办件进度二维码：请企业联系人扫描下方二维码。".to_owned()),
        Some("revoked") => Some("已作废：该链接从现在起不能再打开。".to_owned()),
        _ => None,
    };
    list_page(&web, &session, id.trim(), done, None).await
}

async fn list_page(
    web: &Web,
    session: &Session,
    id: &str,
    done: Option<String>,
    failed: Option<String>,
) -> Response {
    let state = web.state();
    let links = match state.app.progress_links(&session.actor, id).await {
        Ok(links) => links,
        Err(guanjia_app::AppError::NotFound { .. }) => return pages::not_found_for(Some(session)),
        Err(error) => {
            tracing::error!(%error, "the progress links could not be read");
            return pages::internal_error(Some(session));
        }
    };
    let base = state.rating_links.base_url();
    let rows = links
        .iter()
        .map(|link| {
            let address = link
                .live
                .then(|| address_of(state, id, link).ok())
                .flatten();
            LinkRow {
                link_id: link.link_id.clone(),
                status: match (link.live, link.revoked_at) {
                    (true, _) => "有效",
                    (false, Some(_)) => "已作废",
                    (false, None) => "已过期",
                },
                issued: format::date_time(link.issued_at),
                expires: format::date_time(link.expires_at),
                revoked: link.revoked_at.map(format::date_time),
                // The QR code from this server, whatever public address the link carries.
                qr: address.as_ref().map(|a| {
                    a.qr_svg_url
                        .strip_prefix(&base)
                        .unwrap_or(&a.qr_svg_url)
                        .to_owned()
                }),
                url: address.map(|a| a.url),
            }
        })
        .collect();
    let page = ListPage {
        chrome: Chrome::new("办件进度链接", Some(session), Nav::Cases),
        id: id.to_owned(),
        csrf: session.csrf.clone(),
        links: rows,
        done: failed.clone().or(done),
    };
    let status = if failed.is_some() {
        super::REFUSED
    } else {
        StatusCode::OK
    };
    html(status, &page)
}
