//! The public rating page, in Chinese, for a phone: what is rated, the five levels, the three
//! offline dimensions and a comment box; then a thank-you page, or a page that says why not.
//!
//! Self-contained: the page and its CSS and JS are in the binary (`page.html`), system fonts
//! only, no images; nothing is loaded from anywhere. The inline style and script carry a
//! per-response nonce that the CSP header ([`csp`]) names, so the policy can forbid every other
//! source, inline code included. The form works without JS (radio buttons with `required`);
//! the script only counts characters and stops a second tap on submit. Every value from the
//! case is HTML-escaped.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, NaiveDate, Utc};
use guanjia_domain::clock::china_offset;
use rand::RngCore;

use super::refusal::{field_label, Refusal};
use super::subject::What;
use super::submit::{Opened, DIMENSIONS};

const TEMPLATE: &str = include_str!("page.html");
/// Longest comment the page's text box takes (the domain allows more through JSON).
const COMMENT_MAX: usize = 1000;
/// The five levels of 国办发〔2019〕51号, best first.
pub const LEVELS: [(u8, &str); 5] = [
    (5, "非常满意"),
    (4, "满意"),
    (3, "基本满意"),
    (2, "不满意"),
    (1, "非常不满意"),
];

/// A rendered page and the nonce its CSP header must name.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub html: String,
    pub nonce: String,
}

/// The Content-Security-Policy of a page rendered with `nonce`: nothing from anywhere, except
/// its own inline style and script; the form posts back to this server only.
pub fn csp(nonce: &str) -> String {
    format!(
        "default-src 'none'; style-src 'nonce-{nonce}'; script-src 'nonce-{nonce}'; \
         form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )
}

/// The rating form for an opened link; `error` from a refused submission is shown on top.
pub fn form(opened: &Opened, error: Option<&Refusal>) -> Rendered {
    let subject = &opened.subject;
    let mut main = String::from(
        "<header><h1>服务评价</h1><p class=\"sub\">政务服务“好差评” · 一次一评、一事一评</p></header>\n",
    );
    main.push_str("<section class=\"card\"><dl>\n");
    row(&mut main, "服务企业", &subject.enterprise);
    match &subject.target {
        What::Visit { no, date, purpose } => {
            row(
                &mut main,
                "评价事项",
                &format!("上门服务（第 {no} 次走访）"),
            );
            if let Some(date) = date {
                row(&mut main, "服务日期", &chinese_date(*date));
            }
            if let Some(purpose) = purpose {
                row(&mut main, "服务内容", purpose);
            }
        }
        What::Item {
            name, department, ..
        } => {
            row(&mut main, "评价事项", name);
            row(&mut main, "办理部门", department);
        }
    }
    main.push_str("</dl></section>\n");
    if let Some(error) = error {
        main.push_str(&format!(
            "<section class=\"card alert\" role=\"alert\">{}</section>\n",
            escape(&error.message_zh())
        ));
    }
    main.push_str("<form method=\"post\" id=\"rating\">\n<fieldset class=\"card\"><legend>总体评价 <span class=\"req\">*</span></legend><div class=\"levels\">\n");
    for (level, name) in LEVELS {
        let bad = if level <= 2 { " bad" } else { "" };
        main.push_str(&format!(
            "<input class=\"visually-hidden{bad}\" type=\"radio\" name=\"level\" id=\"level-{level}\" value=\"{level}\" required>\
             <label for=\"level-{level}\">{name}<span class=\"n\">{level} 分</span></label>\n"
        ));
    }
    main.push_str(
        "</div></fieldset>\n<fieldset class=\"card\"><legend>分项评价（选填）</legend>\n",
    );
    for key in DIMENSIONS {
        main.push_str(&format!(
            "<div class=\"dim\"><span>{}</span><div class=\"scores\">",
            field_label(key)
        ));
        for score in 1..=5 {
            main.push_str(&format!(
                "<input class=\"visually-hidden\" type=\"radio\" name=\"{key}\" id=\"{key}-{score}\" value=\"{score}\">\
                 <label for=\"{key}-{score}\">{score}</label>"
            ));
        }
        main.push_str("</div></div>\n");
    }
    main.push_str("<p class=\"hint\">1 分最低，5 分最高。</p></fieldset>\n");
    main.push_str(&format!(
        "<fieldset class=\"card\"><legend>意见建议（选填）</legend>\
         <textarea name=\"comment\" rows=\"4\" maxlength=\"{COMMENT_MAX}\" placeholder=\"请勿填写姓名、电话、身份证号等个人信息\"></textarea>\
         <p class=\"count\"><span id=\"count\">0</span> / {COMMENT_MAX}</p></fieldset>\n\
         <button type=\"submit\" id=\"submit\">提交评价</button>\n\
         <p class=\"note\">本链接只能提交一次评价，有效期至 {}。</p>\n</form>",
        chinese_time(opened.link.expires_at)
    ));
    render("服务评价", &main)
}

/// The thank-you page after a recorded rating.
pub fn done() -> Rendered {
    render(
        "评价已提交",
        "<section class=\"card done\"><div class=\"mark\">✓</div><h1>评价已提交</h1>\
         <p>感谢您的评价！您的意见将帮助我们改进服务。</p></section>",
    )
}

/// The page of a refused request.
pub fn refused(refusal: &Refusal) -> Rendered {
    let title = match refusal {
        Refusal::Forged => "链接无效",
        Refusal::Expired => "链接已过期",
        Refusal::Used => "链接已使用",
        Refusal::Revoked => "链接已作废",
        _ => "无法评价",
    };
    let main = format!(
        "<section class=\"card done\"><div class=\"mark stop\">!</div><h1>{title}</h1><p>{}</p></section>",
        escape(&refusal.message_zh())
    );
    render(title, &main)
}

fn render(title: &str, main: &str) -> Rendered {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let nonce = URL_SAFE_NO_PAD.encode(bytes);
    let html = TEMPLATE
        .replace("{{TITLE}}", &escape(title))
        .replace("{{NONCE}}", &nonce)
        .replace("{{MAIN}}", main);
    Rendered { html, nonce }
}

fn row(out: &mut String, label: &str, value: &str) {
    out.push_str(&format!("<dt>{label}</dt><dd>{}</dd>\n", escape(value)));
}

fn chinese_date(date: NaiveDate) -> String {
    date.format("%Y年%-m月%-d日").to_string()
}

fn chinese_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&china_offset())
        .format("%Y年%-m月%-d日 %H:%M")
        .to_string()
}

/// Text made safe for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests;
