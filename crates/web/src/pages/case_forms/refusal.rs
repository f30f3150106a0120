//! Why a case form was refused, in Chinese: the one place where the application layer's
//! errors (`AppError`, with the domain's `DomainError` and `ValueError` inside) become what
//! the page says — a message beside the field it names, a not-found or forbidden page, or
//! the error page. Every message names the field (by the label the form gives it) and the rule.

use guanjia_app::AppError;
use guanjia_domain::{DomainError, ValueError};
use guanjia_store::StoreError;

use super::form::FormView;

/// How the page answers a refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Shown {
    /// Beside the fields: (field name, message); a name the form does not have is shown at
    /// its first field.
    Fields(Vec<(String, String)>),
    /// The case (or what the form named) is not there for this viewer: the not-found page.
    NotFound,
    /// The viewer's role or team does not allow it: the forbidden page, with why.
    Forbidden(String),
    /// The server failed: logged, the error page.
    Internal,
}

/// What the page says about `error`, refused for `form` (whose labels name the fields;
/// `date_field` is where a missing late-entry reason is shown).
pub(crate) fn explain(error: &AppError, form: &FormView, date_field: Option<&str>) -> Shown {
    let label = |field: &str| label_of(form, field);
    match error {
        AppError::Rejected(DomainError::Invalid { field, source }) => {
            // The domain names the enterprise's fields `enterprise.uscc`; the form, `uscc`.
            let field = field.strip_prefix("enterprise.").unwrap_or(field);
            let shown_at = match (source, date_field) {
                (ValueError::LateEntry { .. }, Some(date)) => date.to_owned(),
                _ => field.to_owned(),
            };
            let name = label(&shown_at);
            Shown::Fields(vec![(shown_at, value_rule(&name, source))])
        }
        AppError::Rejected(DomainError::NotFound { what }) => Shown::Fields(vec![(
            first_field(form),
            format!(
                "找不到要办理的对象（{}），请刷新页面后重新选择。",
                what_in_chinese(what)
            ),
        )]),
        AppError::Rejected(DomainError::NotAllowed(rule)) => Shown::Fields(vec![(
            first_field(form),
            format!("当前状态下不能{}：{}。", form.title, rule_in_chinese(rule)),
        )]),
        // One open case per enterprise: said beside the code that names the enterprise.
        AppError::Rejected(DomainError::AlreadyExists(what)) if what.contains("open case") => {
            Shown::Fields(vec![(
                "uscc".to_owned(),
                format!(
                    "{}：该企业已有未结案的案件（{}），一个企业同时只能有一个在办案件，请在案件查询中找到它。",
                    label("uscc"),
                    what.rsplit(' ').next().unwrap_or_default().trim_matches(['(', ')'])
                ),
            )])
        }
        AppError::Rejected(DomainError::AlreadyExists(what)) => Shown::Fields(vec![(
            first_field(form),
            format!("不能重复{}：{}。", form.title, rule_in_chinese(what)),
        )]),
        AppError::BadInput { field, rule, .. } => {
            let field = snake(field);
            let name = label(&field);
            let message = match *rule {
                "unknown_user" => format!("{name}：没有这个在用的账户。"),
                "role" => format!("{name}：只有项目管家和领导可以参与案件。"),
                "out_of_scope" => format!("{name}：此人的区划不包含本案件。"),
                "not_rateable" => format!("{name}：只有已完成的走访或已办结的事项可以评价。"),
                "already_rated" => format!("{name}：已经评价过（一次一评、一事一评）。"),
                _ => format!("{name}填写有误，请检查后重试。"),
            };
            Shown::Fields(vec![(field, message)])
        }
        // A catalog code that is not in the catalog is a mistake in the form, not a missing case.
        AppError::NotFound { what }
            if what.starts_with("catalog item") || what.starts_with("bundle") =>
        {
            Shown::Fields(vec![(
                "code".to_owned(),
                format!("{}不在现行事项清单中，请从列表中选择。", label("code")),
            )])
        }
        AppError::NotFound { .. } => Shown::NotFound,
        AppError::Forbidden(_) => Shown::Forbidden(
            "只有本案件服务团队的成员可以办理此操作（领导管理团队、复核申诉）。".to_owned(),
        ),
        // Said beside the date that falls inside the closed period.
        AppError::PeriodClosed {
            date,
            period,
            division,
        } => {
            let field = date_field.map_or_else(|| first_field(form), str::to_owned);
            let name = label(&field);
            Shown::Fields(vec![(
                field,
                format!(
                    "{name}（{date}）落在已封账的统计期间 {period}（区划 {division}）内：须先由该区划的领导批准本次录入，批准后再提交。"
                ),
            )])
        }
        AppError::Store(StoreError::Conflict { .. }) => Shown::Fields(vec![(
            first_field(form),
            "案件刚刚被他人修改，本次操作未执行：请刷新页面后重试。".to_owned(),
        )]),
        // The same drawing of a form sent again with other input (`once.rs`).
        AppError::Store(StoreError::KeyReused { .. }) => Shown::Fields(vec![(
            first_field(form),
            "这份表单已经提交过，本次内容与上次不同，未执行：请刷新页面后重新填写。".to_owned(),
        )]),
        AppError::Store(_) => Shown::Internal,
    }
}

/// The sentence for a value that broke `rule`, naming the field `name`.
pub(crate) fn value_rule(name: &str, rule: &ValueError) -> String {
    match rule {
        ValueError::Empty => format!("请填写{name}。"),
        ValueError::TooLong { max, actual } => {
            format!("{name}最多 {max} 个字，现在是 {actual} 个。")
        }
        ValueError::WrongLength { expected, actual } => {
            format!("{name}应为 {expected} 位，现在是 {actual} 位。")
        }
        ValueError::BadCharacter {
            position, found, ..
        } => format!("{name}第 {position} 位的“{found}”不是允许的字符。"),
        ValueError::BadCheckCharacter { expected, found } => format!(
            "{name}的校验位（第 18 位）是“{found}”，按 GB 32100-2015 应为“{expected}”：请核对是否抄错。"
        ),
        ValueError::OutOfRange { min, max, actual } => {
            format!("{name}应在 {min} 到 {max} 之间，现在是 {actual}。")
        }
        ValueError::BeforeStep {
            date,
            step,
            earliest,
        } => format!(
            "{name}（{date}）不能早于{}（{earliest}）：业务日期须按办理顺序。",
            step_in_chinese(step)
        ),
        ValueError::LateEntry {
            date,
            working_days,
            limit,
        } => format!(
            "{name}（{date}）已过去 {working_days} 个工作日，超过 {limit} 个工作日属于补录：请在“补录原因”中说明原因。"
        ),
        ValueError::Rule(text) => format!("{name}不符合规则：{}。", rule_in_chinese(text)),
        // The form offers no such channel; said anyway for a crafted post.
        ValueError::LinkOnlyChannel { .. } => format!(
            "{name}：扫码和短信评价只能由企业通过评价链接自己提交，工作人员录入时请选择实际的评价渠道（当面、评价卡、评价器、12345热线）。"
        ),
    }
}

/// The label of `field` on `form`, else the Chinese name of a domain field.
fn label_of(form: &FormView, field: &str) -> String {
    form.fields
        .iter()
        .find(|f| f.name == field)
        .map(|f| f.label.to_owned())
        .unwrap_or_else(|| domain_field(field).to_owned())
}

fn first_field(form: &FormView) -> String {
    form.fields
        .first()
        .map(|f| f.name.to_owned())
        .unwrap_or_default()
}

/// `lateReason` → `late_reason`: the application layer names fields as the API does.
fn snake(field: &str) -> String {
    let mut out = String::new();
    for c in field.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Fields the domain names that a form may not carry itself.
fn domain_field(field: &str) -> &'static str {
    match field {
        "late_reason" => "补录原因",
        "reason" => "原因",
        "text" => "内容",
        "notes" => "记录",
        "dimensions" => "分项评价",
        "level" => "评价等级",
        "division" => "区划代码",
        "uscc" => "统一社会信用代码",
        "name" => "名称",
        "steward" | "user_id" => "人员",
        "target" => "评价对象",
        _ => "填写的内容",
    }
}

/// The steps the date-order rule names.
fn step_in_chinese(step: &str) -> String {
    let known = [
        ("the registration", "登记日期"),
        ("the reopening", "重新开启日期"),
        ("the signing", "签约日期"),
        ("the request", "申请日期"),
        ("the acceptance", "受理日期"),
        ("the suspension", "暂停日期"),
        ("the last resumption", "上次恢复日期"),
        ("the hold", "暂停服务日期"),
        ("the closure", "结案日期"),
        ("the visit", "走访日期"),
        ("the rating", "评价日期"),
        ("the complaint", "投诉受理日期"),
        ("the rating it follows up", "原评价日期"),
    ];
    known
        .iter()
        .find(|(en, _)| step.starts_with(en))
        .map_or_else(|| format!("前一步骤（{step}）"), |(_, zh)| (*zh).to_owned())
}

/// The things a not-found names (`visit 7`, `service item 3`, …).
fn what_in_chinese(what: &str) -> String {
    let known = [
        ("visit", "走访"),
        ("service item", "办理事项"),
        ("rating", "评价"),
        ("complaint", "投诉"),
        ("project", "项目"),
    ];
    for (en, zh) in known {
        if let Some(no) = what.strip_prefix(en) {
            return format!("{zh}{}", no.trim());
        }
    }
    what.to_owned()
}

/// The state rules the domain words in English, said in Chinese where known; the domain's
/// own words otherwise (still naming the rule).
fn rule_in_chinese(rule: &str) -> String {
    let known = [
        ("in the future", "日期不能晚于今天"),
        ("already signed", "协议已经签订"),
        ("not signed", "尚未签订服务协议"),
        ("is closed", "案件已结案"),
        ("is on hold", "案件暂停服务中"),
        ("already has a plan", "已经有服务方案"),
        ("no plan", "尚未制定服务方案"),
        ("not scheduled", "走访不是待走访状态"),
        ("not accepted", "事项尚未受理或已不在计时中"),
        ("not suspended", "事项没有暂停计时"),
        ("already concluded", "事项已经办结"),
        ("not a bad rating", "只有差评需要回访整改"),
        ("call-back", "尚未回访核实"),
        ("must be assigned", "投诉须先指定承办人，才能答复"),
        ("is still open", "仍有事项未办结，请先记录办结或不予受理"),
        (
            "is still scheduled",
            "仍有待进行的走访，请先记录走访情况或取消走访",
        ),
    ];
    known
        .iter()
        .find(|(en, _)| rule.contains(en))
        .map_or_else(|| rule.to_owned(), |(_, zh)| (*zh).to_owned())
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::pages::case_forms::form::Field;

    fn form() -> FormView {
        let today = NaiveDate::from_ymd_opt(2026, 3, 5).expect("a date");
        FormView {
            action: "sign",
            title: "签订服务协议",
            section: "summary",
            button: "签订",
            fields: vec![
                Field::date("signed_on", "签约日期", today),
                Field::text("signatories", "签约人"),
            ],
            open: false,
            key: String::new(),
        }
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).expect("a date")
    }

    #[test]
    fn a_date_before_its_step_names_the_field_and_the_step() {
        let error = AppError::Rejected(DomainError::invalid(
            "signed_on",
            ValueError::BeforeStep {
                date: day(1),
                step: "the registration".to_owned(),
                earliest: day(2),
            },
        ));
        let Shown::Fields(shown) = explain(&error, &form(), Some("signed_on")) else {
            panic!("shown beside the field");
        };
        assert_eq!(shown[0].0, "signed_on");
        assert!(
            shown[0]
                .1
                .starts_with("签约日期（2026-03-01）不能早于登记日期"),
            "{}",
            shown[0].1
        );
    }

    #[test]
    fn a_missing_late_reason_is_shown_beside_the_date() {
        let error = AppError::Rejected(DomainError::invalid(
            "late_reason",
            ValueError::LateEntry {
                date: day(1),
                working_days: 5,
                limit: 3,
            },
        ));
        let Shown::Fields(shown) = explain(&error, &form(), Some("signed_on")) else {
            panic!("shown beside the field");
        };
        assert_eq!(shown[0].0, "signed_on");
        assert!(shown[0].1.contains("补录原因"));
    }

    #[test]
    fn a_date_inside_a_closed_period_says_who_must_approve_beside_the_date() {
        let error = AppError::PeriodClosed {
            date: NaiveDate::from_ymd_opt(2023, 12, 29).expect("a date"),
            period: guanjia_domain::values::Period::parse("2023").expect("a period"),
            division: guanjia_domain::values::DivisionCode::parse("610902000000")
                .expect("a division"),
        };
        let Shown::Fields(shown) = explain(&error, &form(), Some("signed_on")) else {
            panic!("shown beside the field");
        };
        assert_eq!(shown[0].0, "signed_on");
        assert_eq!(
            shown[0].1,
            "签约日期（2023-12-29）落在已封账的统计期间 2023（区划 610902000000）内：须先由该区划的领导批准本次录入，批准后再提交。"
        );
    }

    #[test]
    fn refusals_of_scope_and_role_are_pages_not_fields() {
        assert_eq!(
            explain(&guanjia_app::authz::case_not_found(), &form(), None),
            Shown::NotFound
        );
        assert!(matches!(
            explain(&AppError::Forbidden("no".into()), &form(), None),
            Shown::Forbidden(_)
        ));
        let empty = AppError::Rejected(DomainError::invalid("signatories", ValueError::Empty));
        assert_eq!(
            explain(&empty, &form(), None),
            Shown::Fields(vec![("signatories".into(), "请填写签约人。".into())])
        );
        let unknown = AppError::bad_input("userId", "unknown_user", "no");
        let Shown::Fields(shown) = explain(&unknown, &form(), None) else {
            panic!("a field");
        };
        assert_eq!(shown[0].0, "user_id");
    }
}
