//! The page: what it shows, what it escapes, and that it loads nothing.

use chrono::TimeZone;
use guanjia_domain::case::model::RatingTarget;

use super::*;
use crate::rating_link::subject::Subject;
use crate::rating_link::token::Link;
use crate::rating_link::LinkChannel;

fn opened(enterprise: &str, purpose: &str) -> Opened {
    let at = |h| {
        Utc.with_ymd_and_hms(2024, 3, 15, h, 0, 0)
            .single()
            .expect("valid")
    };
    Opened {
        link: Link {
            case_id: "c".to_owned(),
            target: RatingTarget::Visit(1),
            channel: LinkChannel::QrCode,
            issued_at: at(2),
            expires_at: at(10),
            nonce: "n".to_owned(),
        },
        subject: Subject {
            enterprise: enterprise.to_owned(),
            target: What::Visit {
                no: 1,
                date: NaiveDate::from_ymd_opt(2024, 3, 14),
                purpose: Some(purpose.to_owned()),
            },
        },
    }
}

#[test]
fn the_form_shows_the_subject_the_levels_and_the_dimensions() {
    let page = form(&opened("安康恒口新材料有限公司", "了解用地需求"), None);
    for text in [
        "安康恒口新材料有限公司",
        "了解用地需求",
        "2024年3月14日",
        "非常满意",
        "基本满意",
        "非常不满意",
        "服务效率",
        "服务水平",
        "服务态度",
        "name=\"comment\"",
        // Expiry in Beijing time: 10:00 UTC is 18:00.
        "2024年3月15日 18:00",
    ] {
        assert!(page.html.contains(text), "missing {text}");
    }
}

#[test]
fn values_from_the_case_are_escaped() {
    let page = form(&opened("<script>alert(1)</script>", "\"onload='x'"), None);
    assert!(!page.html.contains("<script>alert"));
    assert!(page.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(page.html.contains("&quot;onload=&#39;x&#39;"));
}

#[test]
fn the_page_loads_nothing_and_its_inline_code_carries_the_nonce() {
    let page = form(&opened("企业", "走访"), None);
    let html = page.html.to_lowercase();
    for external in [
        "http:", "https:", "src=", "<link", "@import", "url(", "//cdn",
    ] {
        assert!(!html.contains(external), "found {external}");
    }
    assert_eq!(html.matches("<script").count(), 1);
    assert!(page
        .html
        .contains(&format!("<script nonce=\"{}\">", page.nonce)));
    assert!(page
        .html
        .contains(&format!("<style nonce=\"{}\">", page.nonce)));
    let policy = csp(&page.nonce);
    assert!(policy.starts_with("default-src 'none'"));
    assert!(policy.contains(&format!("script-src 'nonce-{}'", page.nonce)));
    assert_ne!(form(&opened("企业", "走访"), None).nonce, page.nonce);
}

#[test]
fn refusals_and_thanks_have_their_own_pages() {
    assert!(done().html.contains("评价已提交"));
    let used = refused(&Refusal::Used);
    assert!(used.html.contains("此评价链接已使用"));
    let invalid = Refusal::Invalid {
        field: "level".to_owned(),
        message: "required".to_owned(),
    };
    assert!(form(&opened("企业", "走访"), Some(&invalid))
        .html
        .contains("总体评价"));
}
