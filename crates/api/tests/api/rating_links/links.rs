//! A steward issues a link for a conducted visit, the enterprise opens the page and rates once;
//! replayed, expired, forged, retargeted and bearer-token links are refused; only the team
//! issues; the QR codes render; JSON clients work as well as the HTML form.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};

use super::*;
use crate::helpers::*;

/// The token of a link URL with its claims edited and the original MAC kept.
fn tampered(url: &str, edit: impl FnOnce(&mut Value)) -> String {
    let (base, token) = url.rsplit_once('/').expect("a link URL");
    let parts: Vec<&str> = token.split('.').collect();
    let mut claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).expect("base64")).expect("json");
    edit(&mut claims);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).expect("json"));
    format!("{base}/{}.{payload}.{}", parts[0], parts[2])
}

#[tokio::test]
async fn a_link_for_a_conducted_visit_rates_it_once() {
    let f = fixture().await;
    let issued = f.issue(json!({"visit": 1}), "QR_CODE", None).await;
    let url = issued["url"].as_str().expect("url").to_owned();
    assert!(
        url.starts_with(&format!("{}/rate/r1.", f.app.base())),
        "{url}"
    );
    assert_eq!(issued["expiresAt"], "2024-03-18T02:00:00+00:00");
    assert_eq!(issued["qrSvgUrl"], format!("{url}/qr.svg"));
    assert_eq!(issued["qrPngUrl"], format!("{url}/qr.png"));

    let page = reqwest::get(&url).await.expect("the page");
    assert_eq!(page.status(), 200);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
    let html = page.text().await.expect("html");
    for shown in [
        ENTERPRISE,
        "了解用地需求",
        "2024年3月14日",
        "非常满意",
        "服务态度",
    ] {
        assert!(html.contains(shown), "the page lacks {shown}");
    }
    for hidden in [PHONE, "王经理", "李明"] {
        assert!(
            !html.contains(hidden),
            "the page shows personal data: {hidden}"
        );
    }

    // level=5&efficiency=5&quality=4&attitude=5&comment=很好
    let body = "level=5&efficiency=5&quality=4&attitude=5&comment=%E5%BE%88%E5%A5%BD";
    let done = post_form(&url, body).await;
    assert_eq!(done.status(), 200);
    assert!(done.text().await.expect("html").contains("评价已提交"));

    let events = guanjia_store::testing::events_to_head(&f.app.state.store)
        .await
        .expect("log");
    let rating = events
        .iter()
        .find(|e| e.aggregate_id == f.case_id && e.event_type == "RatingRecorded")
        .expect("the rating is in the log");
    let payload = &rating.payload["RatingRecorded"];
    assert_eq!(payload["channel"], "qr_code");
    assert_eq!(payload["level"], 5);
    assert_eq!(payload["comment"], "很好");
    assert_eq!(payload["target"], json!({"kind": "visit", "no": 1}));
    assert_eq!(payload["dimension_set"], "offline2019");
    assert_eq!(rating.metadata.actor_id, "enterprise-contact");
    assert_eq!(rating.metadata.actor_role, "enterprise_contact");
    assert_eq!(rating.metadata.channel, "rating_link");
    assert!(rating.metadata.causation_id.starts_with("rating-link:"));

    let again = post_form(&url, "level=1").await;
    assert_eq!(again.status(), 410);
    assert!(again
        .text()
        .await
        .expect("html")
        .contains("此评价链接已使用"));
    let (status, body) = get_json(&url).await;
    assert_eq!(status, 410);
    assert_eq!(body["error"]["code"], "LINK_USED");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap_or("")
        .contains("already used"));

    let reissued = f.issue(json!({"visit": 1}), "SMS", None).await;
    assert_eq!(code(&reissued), "BAD_USER_INPUT");
    assert_eq!(reissued["errors"][0]["extensions"]["rule"], "already_rated");
}

#[tokio::test]
async fn expired_forged_retargeted_and_bearer_links_are_refused() {
    let f = fixture().await;
    let issued = f.issue(json!({"visit": 1}), "SMS", Some(1)).await;
    let url = issued["url"].as_str().expect("url").to_owned();

    let retargeted = tampered(&url, |c| c["target"] = json!("visit:2"));
    let moved = tampered(&url, |c| c["case"] = json!("another-case"));
    let mut flipped = url.clone().into_bytes();
    let at = flipped.len() - 30;
    flipped[at] = if flipped[at] == b'x' { b'y' } else { b'x' };
    let flipped = String::from_utf8(flipped).expect("ascii");
    let bearer = format!("{}/rate/{}", f.app.base(), f.steward);
    for forged in [
        retargeted,
        moved,
        flipped,
        bearer,
        format!("{}/rate/nonsense", f.app.base()),
    ] {
        let (status, body) = get_json(&forged).await;
        assert_eq!(status, 404, "{forged}");
        assert_eq!(body["error"]["code"], "LINK_INVALID");
        assert_eq!(body["error"]["message"], "this rating link is not valid");
        let page = post_form(&forged, "level=5").await;
        assert_eq!(page.status(), 404);
        assert!(page.text().await.expect("html").contains("此评价链接无效"));
    }

    let (status, _) = get_json(&url).await;
    assert_eq!(status, 200, "still valid before the hour is up");
    let token = url.rsplit('/').next().expect("a token");
    let as_bearer = f
        .app
        .run("{ me { username } }", json!({}), Some(token))
        .await;
    assert_eq!(
        code(&as_bearer),
        "UNAUTHENTICATED",
        "a link is no bearer token"
    );
    f.app.clock().set(start() + chrono::Duration::minutes(61));
    let (status, body) = get_json(&url).await;
    assert_eq!(status, 410);
    assert_eq!(body["error"]["code"], "LINK_EXPIRED");
    assert_eq!(post_form(&url, "level=5").await.status(), 410);
    let qr = reqwest::get(format!("{url}/qr.png")).await.expect("answer");
    assert_eq!(qr.status(), 410);
}

#[tokio::test]
async fn only_the_team_issues_links_and_only_for_what_can_be_rated() {
    let f = fixture().await;
    let admin = f.app.admin().await;
    let elsewhere = f.app.user(&admin, "wang.fang", "STEWARD", OTHER_TOWN).await;
    let same_town = f.app.user(&admin, "zhao.lei", "STEWARD", TOWN).await;
    let auditor = f.app.user(&admin, "qian.shen", "AUDITOR", DISTRICT).await;
    let as_user = async |token: Option<&str>| {
        let variables = json!({"c": f.case_id, "t": {"visit": 1}, "ch": "QR_CODE"});
        f.app.run(ISSUE, variables, token).await
    };
    assert_eq!(code(&as_user(Some(&elsewhere)).await), "NOT_FOUND");
    assert_eq!(code(&as_user(Some(&same_town)).await), "FORBIDDEN");
    assert_eq!(code(&as_user(Some(&auditor)).await), "FORBIDDEN");
    assert_eq!(code(&as_user(None).await), "UNAUTHENTICATED");

    let scheduled = f.issue(json!({"visit": 2}), "QR_CODE", None).await;
    assert_eq!(code(&scheduled), "BAD_USER_INPUT");
    assert_eq!(scheduled["errors"][0]["extensions"]["rule"], "not_rateable");
    assert_eq!(
        message(&scheduled),
        "target: visit 2: only a conducted visit can be rated"
    );
    let missing = f.issue(json!({"item": 1}), "QR_CODE", None).await;
    assert_eq!(code(&missing), "NOT_FOUND");
    let too_long = f.issue(json!({"visit": 1}), "QR_CODE", Some(721)).await;
    assert_eq!(too_long["errors"][0]["extensions"]["field"], "ttlHours");
    let both = f
        .issue(json!({"visit": 1, "item": 1}), "QR_CODE", None)
        .await;
    assert!(
        !both["errors"].is_null(),
        "a target is one visit or one item"
    );
}

#[tokio::test]
async fn qr_codes_render_as_svg_and_png() {
    let f = fixture().await;
    let issued = f.issue(json!({"visit": 1}), "QR_CODE", None).await;
    let svg = reqwest::get(issued["qrSvgUrl"].as_str().expect("url"))
        .await
        .expect("svg");
    assert_eq!(svg.status(), 200);
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    assert!(svg.text().await.expect("text").contains("<svg"));
    let png = reqwest::get(issued["qrPngUrl"].as_str().expect("url"))
        .await
        .expect("png");
    assert_eq!(png.status(), 200);
    assert_eq!(png.headers()["content-type"], "image/png");
    let bytes = png.bytes().await.expect("bytes");
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let forged = reqwest::get(format!("{}/rate/r1.AAAA.BBBB/qr.svg", f.app.base()))
        .await
        .expect("answer");
    assert_eq!(forged.status(), 404);
}

#[tokio::test]
async fn a_json_client_reads_the_subject_and_rates_by_sms_link() {
    let f = fixture().await;
    let url = f.link(json!({"visit": 1}), "SMS").await;
    let (status, subject) = get_json(&url).await;
    assert_eq!(status, 200);
    assert_eq!(subject["enterprise"], ENTERPRISE);
    assert_eq!(subject["target"]["kind"], "visit");
    assert_eq!(subject["target"]["purpose"], "了解用地需求");
    assert_eq!(subject["levels"].as_array().map(Vec::len), Some(5));
    assert_eq!(subject["dimensionSet"], "offline2019");
    assert!(!subject.to_string().contains(PHONE));

    let client = reqwest::Client::new();
    let bad = client
        .post(&url)
        .json(&json!({"level": 7}))
        .send()
        .await
        .expect("answer");
    assert_eq!(bad.status(), 400);
    let bad: Value = bad.json().await.expect("JSON");
    assert_eq!(bad["error"]["code"], "BAD_USER_INPUT");
    let huge = json!({"level": 5, "comment": "长".repeat(8000)});
    let huge = client.post(&url).json(&huge).send().await.expect("answer");
    assert_eq!(huge.status(), 413, "bodies over 16 KiB are refused");
    let rated = client
        .post(&url)
        .json(&json!({"level": 2, "attitude": "3", "comment": "等待时间较长"}))
        .send()
        .await
        .expect("answer");
    assert_eq!(rated.status(), 200);
    let rated: Value = rated.json().await.expect("JSON");
    assert_eq!(
        (&rated["status"], &rated["ratingNo"], &rated["caughtUp"]),
        (&json!("recorded"), &json!(1), &json!(true))
    );
    let events = guanjia_store::testing::events_to_head(&f.app.state.store)
        .await
        .expect("log");
    let rating = events
        .iter()
        .rev()
        .find(|e| e.event_type == "RatingRecorded")
        .expect("rated");
    assert_eq!(rating.payload["RatingRecorded"]["channel"], "sms");
    // The answer names the rating's log position, as a mutation does, and a read can wait
    // for it.
    assert_eq!(rated["position"], rating.position.to_string());
    let read = f
        .app
        .ok(
            "query($c: ID!, $p: String) { case(id: $c, atLeast: $p) { ratings { ratingNo level } } }",
            json!({"c": f.case_id, "p": rated["position"]}),
            &f.steward,
        )
        .await;
    assert_eq!(
        read["case"]["ratings"],
        json!([{"ratingNo": 1, "level": 2}])
    );
    assert_eq!(
        rating.payload["RatingRecorded"]["rater"],
        json!({"name": null, "phone": null})
    );
}
