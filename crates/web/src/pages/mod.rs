//! The pages: each module turns a request into a template's data, after asking
//! `guanjia_api::auth::authz` what the viewer may see. Templates are files in `templates/`,
//! compiled in, so a field a template uses and the page does not give is a build error.
//!
//! - [`workbench`] (`/`), [`search`] (`/cases`), [`case`] (`/cases/{id}`) and its forms
//!   ([`case_forms`], `POST /cases/{id}/act/{action}`), [`register`] (`/cases/new`),
//!   [`dashboard`] (`/dashboard`, its print view and XLSX download), [`periods`] (`/periods`,
//!   封账: closing a period and approving an entry into one), [`reports`] (`/reports`: the
//!   办不成事 reports from the public, their pages and forms).
//! - Here: [`Chrome`], what every page's frame shows (title, the signed-in person, the
//!   sign-out form with its CSRF token, the asset URLs), and the pages that say no: not found
//!   (also for a case outside the viewer's scope: its existence is not revealed), refused
//!   (a form without its CSRF token), forbidden, and the internal error.

pub(crate) mod admin;
pub(crate) mod audit;
pub(crate) mod case;
pub(crate) mod case_forms;
mod case_parts;
pub(crate) mod case_reveal;
mod case_row;
mod case_view;
pub(crate) mod dashboard;
pub(crate) mod periods;
pub(crate) mod register;
pub(crate) mod reports;
pub(crate) mod search;
pub(crate) mod workbench;

use askama::Template;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use guanjia_api::auth::authz;

use crate::assets::ASSETS;
use crate::labels;
use crate::session::Session;

/// The main navigation entry a page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Nav {
    Workbench,
    Cases,
    Reports,
    Dashboard,
    Periods,
    Audit,
    Admin,
    None,
}

/// The frame of every page.
#[derive(Debug, Clone)]
pub(crate) struct Chrome {
    pub title: String,
    pub css: &'static str,
    pub htmx: &'static str,
    pub icon: &'static str,
    /// Scripts beside htmx that only some pages load (the charts: ECharts and its driver).
    pub scripts: Vec<&'static str>,
    /// The signed-in person, when there is one.
    pub user: Option<UserBar>,
    pub nav: Nav,
}

/// Who is signed in, as the frame shows them.
#[derive(Debug, Clone)]
pub(crate) struct UserBar {
    pub name: String,
    pub role: &'static str,
    pub csrf: String,
    /// Admins do not read cases: no link to the search.
    pub reads_cases: bool,
    /// Stewards, leaders and auditors read the 办不成事 reports of their division.
    pub reads_reports: bool,
    /// Leaders see the dashboard.
    pub views_dashboard: bool,
    /// Auditors use the audit desk.
    pub audits: bool,
    /// Admins administer.
    pub administers: bool,
}

impl Chrome {
    /// The frame of a page titled `title` (the site's name is added).
    pub(crate) fn new(title: &str, session: Option<&Session>, nav: Nav) -> Self {
        Self {
            title: format!("{title} - 项目管家"),
            css: &ASSETS.css.url,
            htmx: &ASSETS.htmx.url,
            icon: &ASSETS.icon.url,
            scripts: Vec::new(),
            user: session.map(|s| UserBar {
                name: s.display_name.clone(),
                role: labels::role(s.actor.role),
                csrf: s.csrf.clone(),
                reads_cases: authz::may_read_cases(&s.actor).is_ok(),
                reads_reports: guanjia_app::reports::can_read_reports(&s.actor, &s.actor.division),
                views_dashboard: authz::may_view_dashboard(&s.actor).is_ok(),
                audits: authz::may_audit(&s.actor).is_ok(),
                administers: authz::can_admin(&s.actor),
            }),
            nav,
        }
    }

    pub(crate) fn at_workbench(&self) -> bool {
        self.nav == Nav::Workbench
    }

    pub(crate) fn at_cases(&self) -> bool {
        self.nav == Nav::Cases
    }

    pub(crate) fn at_reports(&self) -> bool {
        self.nav == Nav::Reports
    }

    pub(crate) fn at_dashboard(&self) -> bool {
        self.nav == Nav::Dashboard
    }

    pub(crate) fn at_periods(&self) -> bool {
        self.nav == Nav::Periods
    }

    pub(crate) fn at_audit(&self) -> bool {
        self.nav == Nav::Audit
    }

    pub(crate) fn at_admin(&self) -> bool {
        self.nav == Nav::Admin
    }
}

/// A rendered page with its status; a template that fails to render is the error page.
pub(crate) fn html(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(body) => {
            let mut response = (status, body).into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            response
        }
        Err(error) => {
            crate::WebError::from(error).log();
            fallback_error()
        }
    }
}

/// A page that says no (or went wrong), with a heading, what happened and what to do.
#[derive(Template)]
#[template(path = "message.html")]
pub(crate) struct MessagePage {
    pub chrome: Chrome,
    pub heading: String,
    pub lines: Vec<String>,
    /// The link back: (address, words).
    pub back: (String, String),
}

impl MessagePage {
    /// A page of `lines` under `title`, answered with `status`.
    pub(crate) fn answer(
        status: StatusCode,
        title: &str,
        session: Option<&Session>,
        lines: &[&str],
    ) -> Response {
        let back = match session {
            Some(_) => ("/".to_owned(), "返回工作台".to_owned()),
            None => ("/signin".to_owned(), "前往登录".to_owned()),
        };
        let page = Self {
            chrome: Chrome::new(title, session, Nav::None),
            heading: title.to_owned(),
            lines: lines.iter().map(|l| (*l).to_owned()).collect(),
            back,
        };
        html(status, &page)
    }
}

impl MessagePage {
    /// 403 for a step the viewer may not take, with why.
    pub(crate) fn refuse(session: &Session, title: &str, why: &str) -> Response {
        Self::answer(StatusCode::FORBIDDEN, title, Some(session), &[why])
    }
}

/// 404: no such page, or a case the viewer may not know about (said the same way).
pub(crate) fn not_found_for(session: Option<&Session>) -> Response {
    MessagePage::answer(
        StatusCode::NOT_FOUND,
        "未找到页面",
        session,
        &[
            "您要找的页面或案件不存在，或者不在您的查看范围内。",
            "请检查地址是否正确，或从工作台、案件查询重新进入。",
        ],
    )
}

/// The fallback of every unknown address.
pub(crate) async fn not_found() -> Response {
    not_found_for(None)
}

/// 403: a form posted without its valid CSRF token; nothing was done.
pub(crate) fn csrf_refused(session: Option<&Session>) -> Response {
    MessagePage::answer(
        StatusCode::FORBIDDEN,
        "表单已失效，操作未执行",
        session,
        &[
            "为防止他人冒用您的身份，每个表单都带有安全校验码；本次提交缺少有效的校验码，系统未执行任何操作。",
            "请返回上一页，刷新后重新提交。",
        ],
    )
}

/// 403: the viewer's role does not read this.
pub(crate) fn forbidden(session: &Session, why: &str) -> Response {
    MessagePage::answer(StatusCode::FORBIDDEN, "无权查看", Some(session), &[why])
}

/// 500: something went wrong on the server; the detail is in the log, not on the page.
pub(crate) fn internal_error(session: Option<&Session>) -> Response {
    MessagePage::answer(
        StatusCode::INTERNAL_SERVER_ERROR,
        "系统出错了",
        session,
        &["服务器处理时出现错误，已记录在日志中。请稍后再试；如果一直出现，请联系管理员。"],
    )
}

/// The error page when even the error page cannot render.
fn fallback_error() -> Response {
    let mut response = (
        StatusCode::INTERNAL_SERVER_ERROR,
        "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>系统出错了</title>\
         <p>系统出错了，请稍后再试。</p></html>",
    )
        .into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

impl crate::Web {
    /// A member of staff as people know them: the display name, else the username.
    pub(crate) fn staff_name(&self, user_id: &str) -> String {
        self.state()
            .auth
            .directory()
            .get(user_id)
            .map_or_else(|| user_id.to_owned(), |account| account.display_name)
    }
}
