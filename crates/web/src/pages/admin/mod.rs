//! 管理, administration for admins within their own division: accounts (`/admin`, one
//! account at `/admin/users/{username}`), the hall displays' accounts (大屏), the service
//! catalog with its versions (`catalog.rs`), the live rating links of the division's cases with
//! their revocation (`rating_links.rs`), and the working-day calendar's state.
//!
//! Every read and change is the API's own operation (`users`, `createUser`, `changeRole`,
//! `disableUser`, `enableUser`, `resetPassword`, `catalog`) run through `api_call`, so the
//! rules of `guanjia_api::auth::admin` — an admin sees and changes only accounts in their
//! subtree and grants no role wider than their own — are applied once, there. The pages only
//! ask `admin::may_administer` first, to answer 403 before anything is looked up.

pub(crate) mod catalog;
pub(crate) mod rating_links;
pub(crate) mod user;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{Extensions, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use guanjia_api::auth::admin;
use serde::Deserialize;
use serde_json::{json, Value};

use super::audit::{request_id, text};
use super::{csrf_refused, forbidden, html, Chrome, Nav};
use crate::api_call::Refused;
use crate::session::{Session, Viewer};
use crate::Web;

/// An account as the list shows it.
pub(crate) struct Account {
    pub username: String,
    pub name: String,
    pub role: String,
    pub role_code: String,
    pub division: String,
    pub active: bool,
}

/// The roles an admin may pick, as (API value, Chinese); the API decides which it may grant.
pub(crate) const ROLES: &[(&str, &str)] = &[
    ("STEWARD", "项目管家"),
    ("LEADER", "领导"),
    ("AUDITOR", "审计"),
    ("ADMIN", "管理员"),
    ("DISPLAY", "大屏"),
];

fn role_word(code: &str) -> String {
    ROLES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or_else(|| code.to_owned(), |(_, w)| (*w).to_owned())
}

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    chrome: Chrome,
    csrf: String,
    notice: String,
    errors: Vec<(String, String)>,
    people: Vec<Account>,
    displays: Vec<Account>,
    form: NewAccount,
    roles: &'static [(&'static str, &'static str)],
    calendar_years: String,
}

/// The create-account form, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct NewAccount {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub division: String,
    #[serde(default)]
    pub password: String,
}

/// The accounts the API lets this admin see (its subtree).
pub(crate) async fn accounts(
    web: &Web,
    session: &Session,
    request: &str,
) -> Result<Vec<Account>, Refused> {
    let data = web
        .api()
        .run(
            session,
            request,
            "{ users { username displayName role division active } }",
            json!({}),
        )
        .await?;
    Ok(data["users"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|u: &Value| Account {
            username: text(u, "username"),
            name: text(u, "displayName"),
            role: role_word(&text(u, "role")),
            role_code: text(u, "role"),
            division: text(u, "division"),
            active: u["active"].as_bool().unwrap_or(false),
        })
        .collect())
}

/// The Chinese sentence for a refusal of an administration operation, and the field it names.
pub(crate) fn refusal(refused: &Refused) -> (String, String) {
    let field = refused.field.clone().unwrap_or_default();
    let field = field.rsplit('.').next().unwrap_or_default().to_owned();
    let message = match (refused.code.as_str(), field.as_str()) {
        ("FORBIDDEN", _) => {
            "您无权管理该账户，或无权授予该角色、区划（只能管理本辖区内的账户）。".to_owned()
        }
        ("NOT_FOUND", _) => "未找到该账户，或不在您的管理范围内。".to_owned(),
        ("CONFLICT", _) | (_, "username") if refused.message.contains("exists") => {
            "该用户名已被使用，请换一个。".to_owned()
        }
        ("BAD_USER_INPUT", "username") => {
            "用户名格式不对：请用小写字母、数字、点或横线，例如 wang.lei。".to_owned()
        }
        ("BAD_USER_INPUT", "division") => "区划代码应为 12 位数字，例如 610902100000。".to_owned(),
        ("BAD_USER_INPUT", "password" | "newPassword") => {
            "密码不符合要求：请使用足够长的密码（至少 12 个字符）。".to_owned()
        }
        ("BAD_USER_INPUT", "displayName") => "姓名不能为空，且不能过长。".to_owned(),
        ("BAD_USER_INPUT", "reason") => "请填写原因。".to_owned(),
        _ => "操作未能完成，请检查填写的内容后重试。".to_owned(),
    };
    let field = match field.as_str() {
        "displayName" => "display_name".to_owned(),
        "newPassword" => "password".to_owned(),
        "" => "username".to_owned(),
        other => other.to_owned(),
    };
    (field, message)
}

async fn page(
    web: &Web,
    session: &Session,
    request: &str,
    status: StatusCode,
    form: NewAccount,
    errors: Vec<(String, String)>,
    notice: String,
) -> Response {
    if admin::may_administer(&session.actor).is_err() {
        return forbidden(session, "管理页面仅供管理员使用。");
    }
    let all = accounts(web, session, request).await.unwrap_or_default();
    let (displays, people): (Vec<Account>, Vec<Account>) =
        all.into_iter().partition(|a| a.role_code == "DISPLAY");
    // Each loaded year with where its arrangement came from (the built-in table or a file).
    let years: Vec<String> = web.state().read.read(|m| {
        let calendar = m.calendar();
        calendar
            .published_years()
            .into_iter()
            .map(|y| format!("{y}年（来源：{}）", calendar.source(y).unwrap_or("未知")))
            .collect()
    });
    let calendar_years = if years.is_empty() {
        "尚未载入任何年份的节假日安排".to_owned()
    } else {
        years.join("、")
    };
    let page = AdminPage {
        chrome: Chrome::new("管理", Some(session), Nav::Admin),
        csrf: session.csrf.clone(),
        notice,
        errors,
        people,
        displays,
        form: NewAccount {
            password: String::new(),
            csrf: String::new(),
            ..form
        },
        roles: ROLES,
        calendar_years,
    };
    html(status, &page)
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Done {
    #[serde(default)]
    pub(crate) done: String,
}

/// What a finished action says on the page it comes back to.
pub(crate) fn done_text(done: &str) -> String {
    match done {
        "created" => "账户已创建。".to_owned(),
        "role" => "角色和区划已更改，该账户的登录已全部失效。".to_owned(),
        "disabled" => "账户已停用，该账户的登录已全部失效。".to_owned(),
        "enabled" => "账户已启用。".to_owned(),
        "password" => "密码已重置，该账户的登录已全部失效。".to_owned(),
        "revoked" => "该账户的登录已全部失效，账户本身未变，可重新登录。".to_owned(),
        _ => String::new(),
    }
}

/// `GET /admin`.
pub(crate) async fn show(
    State(web): State<Web>,
    Viewer(session): Viewer,
    extensions: Extensions,
    Query(done): Query<Done>,
) -> Response {
    let request = request_id(&extensions);
    page(
        &web,
        &session,
        &request,
        StatusCode::OK,
        NewAccount::default(),
        Vec::new(),
        done_text(&done.done),
    )
    .await
}

/// `POST /admin/users`: creates an account (a hall display is an account of role 大屏).
pub(crate) async fn create(
    State(web): State<Web>,
    Viewer(session): Viewer,
    extensions: Extensions,
    Form(form): Form<NewAccount>,
) -> Response {
    if !session.csrf_matches(&web, &form.csrf) {
        return csrf_refused(Some(&session));
    }
    let request = request_id(&extensions);
    let input = json!({"username": form.username.trim(), "displayName": form.display_name.trim(),
        "role": form.role, "division": form.division.trim(), "password": form.password});
    let result = web
        .api()
        .run(
            &session,
            &request,
            "mutation($i: CreateUserInput!) { createUser(input: $i) { username } }",
            json!({"i": input}),
        )
        .await;
    match result {
        Ok(_) => Redirect::to("/admin?done=created").into_response(),
        Err(refused) => {
            let error = refusal(&refused);
            page(
                &web,
                &session,
                &request,
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
                vec![error],
                String::new(),
            )
            .await
        }
    }
}

impl Account {
    pub(crate) fn status(&self) -> &'static str {
        if self.active {
            "正常"
        } else {
            "已停用"
        }
    }
}
