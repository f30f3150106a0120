//! A browser without a browser for the HTTP tests: keeps the cookies the site sets (deleting
//! those it expires), follows no redirect, and signs in through the form.

use reqwest::header::{LOCATION, SET_COOKIE};
use reqwest::redirect::Policy;
use reqwest::{Response, StatusCode};

/// A browser without a browser: keeps the cookies the site sets, follows no redirect.
pub struct Client {
    http: reqwest::Client,
    base: String,
    pub cookies: Vec<(String, String)>,
}

impl Client {
    pub fn new(base: &str) -> Self {
        Self {
            http: reqwest::Client::builder()
                .redirect(Policy::none())
                .build()
                .expect("a client"),
            base: base.to_owned(),
            cookies: Vec::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep(&mut self, response: &Response) {
        for line in response.headers().get_all(SET_COOKIE) {
            let line = line.to_str().unwrap_or_default();
            let pair = line.split(';').next().unwrap_or_default();
            let Some((name, value)) = pair.split_once('=') else {
                continue;
            };
            self.cookies.retain(|(k, _)| k != name);
            if !value.is_empty() && !line.contains("Max-Age=0") {
                self.cookies.push((name.to_owned(), value.to_owned()));
            }
        }
    }

    pub async fn get(&mut self, path: &str) -> Response {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .send()
            .await
            .expect("the site answers");
        self.keep(&response);
        response
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Response {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .form(form)
            .send()
            .await
            .expect("the site answers");
        self.keep(&response);
        response
    }

    /// Signs in through the form; the answer to the POST.
    pub async fn sign_in(&mut self, username: &str, password: &str) -> Response {
        let page = self.get("/signin").await.text().await.expect("a page");
        let csrf = hidden(&page, "csrf");
        self.post(
            "/signin",
            &[
                ("username", username),
                ("password", password),
                ("csrf", &csrf),
                ("next", "/"),
            ],
        )
        .await
    }
}

/// The value of the hidden input `name` of a page.
pub fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page
        .find(&marker)
        .map(|i| i + marker.len())
        .expect("the hidden input");
    page[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Asserts that a public link answered `410 Gone` with a page saying `message`.
pub async fn assert_gone(response: Response, message: &str, context: &str) {
    assert_eq!(response.status(), StatusCode::GONE, "{context}");
    let body = response.text().await.expect("a page");
    assert!(body.contains(message), "{context}: {body}");
}

pub fn location(response: &Response) -> String {
    response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}
