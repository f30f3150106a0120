//! `GET /cases/new` and `POST /cases/new`: registering a case (登记案件). The form calls
//! `App::register_case`, which decides who may register where and every rule of the input;
//! the page only reads the form. `GET /cases/new/uscc?uscc=…` answers a one-line verdict on a
//! USCC as it is typed (htmx), from the domain's own `Uscc::parse`; the server checks it again
//! on submit. After registering, the page waits until this node's read model holds the new
//! case and goes to it.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{Extensions, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use guanjia_api::auth::authz;
use guanjia_app::CaseRegistration;
use guanjia_domain::case::commands::EnterpriseInput;
use guanjia_domain::case::model::{LeadSource, Stage};
use guanjia_domain::values::Uscc;

use super::case_forms::form::{Field, FormView};
use super::case_forms::refusal::{self, Shown};
use super::case_forms::{command_context, late_reason_field, Failed, Input};
use super::{html, Chrome, Nav};
use crate::session::{Session, Viewer};
use crate::{format, Web};

/// The name of the form (the prefix of its inputs' ids).
const PREFIX: &str = "register";

const SOURCES: &[(&str, LeadSource, &str)] = &[
    (
        "investment_promotion",
        LeadSource::InvestmentPromotion,
        "招商引资",
    ),
    (
        "enterprise_request",
        LeadSource::EnterpriseRequest,
        "企业申请",
    ),
    (
        "town_village_report",
        LeadSource::TownVillageReport,
        "镇村上报",
    ),
    ("hotline_12345", LeadSource::Hotline12345, "12345热线"),
    (
        "complaint_window",
        LeadSource::ComplaintWindow,
        "办不成事反映窗口",
    ),
];

const STAGES: &[(&str, Stage, &str)] = &[
    ("establishment", Stage::Establishment, "设立"),
    ("construction", Stage::Construction, "建设"),
    ("operation", Stage::Operation, "运营"),
];

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    chrome: Chrome,
    csrf: String,
    form: FormView,
    errors: Vec<(String, String)>,
}

/// The form, empty: the division is the registering person's own, the date today.
fn empty_form(web: &Web, session: &Session) -> FormView {
    let today = guanjia_domain::clock::china_date(web.state().clock.now());
    FormView {
        action: PREFIX,
        title: "登记案件",
        section: "",
        button: "登记",
        fields: vec![
            Field::text("name", "企业（项目）名称"),
            Field::text("uscc", "统一社会信用代码（选填）")
                .hint("18 位，输入时即校验；设立中的企业还没有代码，可不填")
                .live_check("/cases/new/uscc"),
            Field::text("division", "区划代码")
                .hint("12 位数字：县 6 位 + 镇 3 位 + 村 3 位，须在您的管辖范围内")
                .value(session.actor.division.to_string()),
            Field::text("address", "地址（选填）"),
            Field::text("contact_name", "企业联系人（选填）").hint("个人信息，加密保存"),
            Field::text("contact_phone", "联系电话（选填）").hint("个人信息，加密保存"),
            Field::choices("lead_source", "线索来源", SOURCES),
            Field::choices("stage", "所处阶段", STAGES),
            Field::date("registered_on", "登记日期", today),
            late_reason_field(web.state().late_entries.days),
        ],
        open: true,
        key: String::new(),
    }
}

/// The refusal page for someone who may not register anywhere.
fn may_register(session: &Session) -> Option<Response> {
    let actor = &session.actor;
    (!authz::can_register_case(actor, &actor.division)).then(|| {
        super::MessagePage::refuse(session, "无权登记案件", "只有项目管家和领导可以登记案件。")
    })
}

/// `GET /cases/new`.
pub(crate) async fn form(State(web): State<Web>, Viewer(session): Viewer) -> Response {
    if let Some(refused) = may_register(&session) {
        return refused;
    }
    let form = empty_form(&web, &session);
    show(&session, form, Vec::new(), StatusCode::OK)
}

fn show(
    session: &Session,
    form: FormView,
    errors: Vec<(String, String)>,
    status: StatusCode,
) -> Response {
    let page = RegisterPage {
        chrome: Chrome::new("登记案件", Some(session), Nav::Cases),
        csrf: session.csrf.clone(),
        form,
        errors,
    };
    html(status, &page)
}

/// `POST /cases/new`.
pub(crate) async fn submit(
    State(web): State<Web>,
    Viewer(session): Viewer,
    extensions: Extensions,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Response {
    let mut input = Input::new(pairs);
    if !session.csrf_matches(&web, input.raw("csrf")) {
        return super::csrf_refused(Some(&session));
    }
    if let Some(refused) = may_register(&session) {
        return refused;
    }
    let lead_source = input.choice("lead_source", "线索来源", SOURCES);
    let stage = input.choice("stage", "所处阶段", STAGES);
    let registered_on = input.date("registered_on", "登记日期");
    let mut form = empty_form(&web, &session);
    if !input.errors.is_empty() {
        let errors = input.errors.clone();
        return refused(&session, form, &input, errors);
    }
    let registration = CaseRegistration {
        enterprise: EnterpriseInput {
            name: input.text("name"),
            uscc: input.optional("uscc"),
            division: input.text("division"),
            address: input.optional("address"),
            contact_name: input.optional("contact_name"),
            contact_phone: input.optional("contact_phone"),
        },
        lead_source,
        stage,
        registered_on,
        late_reason: input.optional("late_reason"),
    };
    let state = web.state();
    let context = command_context(&session, &extensions);
    match state
        .app
        .register_case(&session.actor, registration, context)
        .await
    {
        Ok(outcome) => {
            if let Err(error) = state
                .read
                .wait_for(outcome.position(), state.limits.read_wait)
                .await
            {
                tracing::warn!(%error, "a registration was not readable in time");
            }
            let target = format!(
                "/cases/{}?done=register",
                format::query_escape(&outcome.case_id)
            );
            Redirect::to(&target).into_response()
        }
        Err(error) => {
            let errors = match refusal::explain(&error, &form, Some("registered_on")) {
                Shown::Fields(errors) => errors,
                // The division is outside the person's scope: said beside it.
                Shown::Forbidden(_) | Shown::NotFound => vec![(
                    "division".to_owned(),
                    "区划代码不在您的管辖范围内：只能登记本辖区内的企业。".to_owned(),
                )],
                Shown::Internal => {
                    tracing::error!(%error, "a registration failed");
                    return super::internal_error(Some(&session));
                }
            };
            form.open = true;
            refused(&session, form, &input, errors)
        }
    }
}

fn refused(
    session: &Session,
    mut form: FormView,
    input: &Input,
    errors: Vec<(String, String)>,
) -> Response {
    let failed = Failed {
        action: PREFIX,
        input: input.clone(),
        errors,
    };
    let summary = failed.apply(std::slice::from_mut(&mut form));
    show(session, form, summary, StatusCode::UNPROCESSABLE_ENTITY)
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct UsccQuery {
    #[serde(default)]
    uscc: String,
}

#[derive(Template)]
#[template(
    source = r#"<span id="register-uscc-verdict" class="verdict {{ class }}" aria-live="polite">{{ words }}</span>"#,
    ext = "html"
)]
struct Verdict {
    class: &'static str,
    words: String,
}

/// `GET /cases/new/uscc?uscc=…`: the verdict on a USCC as typed, a fragment for htmx.
pub(crate) async fn check_uscc(
    Viewer(_session): Viewer,
    Query(query): Query<UsccQuery>,
) -> Response {
    let typed = query.uscc.trim();
    let verdict = if typed.is_empty() {
        Verdict {
            class: "",
            words: String::new(),
        }
    } else {
        match Uscc::parse(typed) {
            Ok(uscc) => Verdict {
                class: "verdict-ok",
                words: format!("✓ {} 校验通过（GB 32100-2015）", uscc.as_str()),
            },
            Err(rule) => Verdict {
                class: "verdict-bad",
                words: refusal::value_rule("统一社会信用代码", &rule),
            },
        }
    };
    html(StatusCode::OK, &verdict)
}
