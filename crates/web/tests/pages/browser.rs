//! One browser session and what flows do with it: go to a page, fill and click, read text, and
//! [`Browser::check_page`] — the checks every page must pass wherever a flow meets it:
//! `lang="zh-CN"`, a label for every input, no request to another origin, text contrast of at
//! least 4.5:1 as the browser draws it, and, on a phone, touch targets of at least 44 px and no
//! horizontal scrolling.
//!
//! Screenshots: with `GUANJIA_SCREENSHOTS=1`, [`Browser::screenshot`] writes
//! `docs/images/web-<name>.png` (SQLite runs only, so the two backends do not overwrite each
//! other); otherwise it does nothing.

use std::time::Duration;

use anyhow::{bail, ensure, Context};
use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use guanjia_store::Backend;
use serde_json::Value;

use crate::driver::{Driver, Size};
use crate::site::Site;

/// How long a flow waits for a page or an element before it fails.
pub const WAIT: Duration = Duration::from_secs(20);

/// The WebDriver key codes flows type.
pub const TAB: &str = "\u{E004}";
pub const ENTER: &str = "\u{E007}";

/// A browser session on the site.
pub struct Browser {
    client: Client,
    base: String,
    size: Size,
    screenshots: bool,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// A fresh session (no cookies) at `size`.
    pub async fn open(site: &Site, driver: &Driver, size: Size) -> anyhow::Result<Self> {
        let (client, profile) = driver.session(size).await?;
        Ok(Self {
            client,
            base: site.base.clone(),
            size,
            screenshots: site.backend == Backend::Sqlite
                && std::env::var_os("GUANJIA_SCREENSHOTS").is_some(),
            _profile: profile,
        })
    }

    /// Ends the session (and its chromium).
    pub async fn close(self) -> anyhow::Result<()> {
        self.client.close().await.context("closing the session")
    }

    /// Loads `path` of the site and waits until it has loaded.
    pub async fn goto(&self, path: &str) -> anyhow::Result<()> {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .with_context(|| format!("loading {path}"))
    }

    /// The path and query of the page shown.
    pub async fn path(&self) -> anyhow::Result<String> {
        let url = self.client.current_url().await?;
        Ok(match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        })
    }

    pub async fn find(&self, css: &str) -> anyhow::Result<Element> {
        let path = self.path().await.unwrap_or_default();
        self.client
            .find(Locator::Css(css))
            .await
            .with_context(|| format!("no element {css} on {path}"))
    }

    /// Waits until an element matching `css` exists.
    pub async fn wait_for(&self, css: &str) -> anyhow::Result<Element> {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("waiting for {css}"))
    }

    /// Waits until `script` (a JS expression) is true. A script that fails (the browser may
    /// be between two pages after a click) is tried again until the deadline.
    pub async fn wait_until(&self, what: &str, script: &str) -> anyhow::Result<()> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let answer = self.eval(&format!("return !!({script});")).await;
            if matches!(answer, Ok(Value::Bool(true))) {
                return Ok(());
            }
            if tokio::time::Instant::now() >= deadline {
                return match answer {
                    Err(error) => Err(error.context(format!("waited {WAIT:?} for {what}"))),
                    Ok(_) => bail!("waited {WAIT:?} for {what}"),
                };
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn text(&self, css: &str) -> anyhow::Result<String> {
        Ok(self.find(css).await?.text().await?)
    }

    /// Types `value` into the field `css` after clearing it.
    pub async fn fill(&self, css: &str, value: &str) -> anyhow::Result<()> {
        let field = self.find(css).await?;
        field.clear().await?;
        field.send_keys(value).await?;
        Ok(())
    }

    pub async fn click(&self, css: &str) -> anyhow::Result<()> {
        self.find(css).await?.click().await?;
        Ok(())
    }

    /// Runs `script` (a function body) in the page.
    pub async fn eval(&self, script: &str) -> anyhow::Result<Value> {
        Ok(self.client.execute(script, Vec::new()).await?)
    }

    /// Fetches `path` of the site outside the browser, with the browser's cookies (a download
    /// the browser would save to disk): the status and the body.
    pub async fn download(&self, path: &str) -> anyhow::Result<(u16, Vec<u8>)> {
        let cookies = self.client.get_all_cookies().await?;
        let header: Vec<String> = cookies
            .iter()
            .map(|c| format!("{}={}", c.name(), c.value()))
            .collect();
        let response = reqwest::Client::new()
            .get(format!("{}{path}", self.base))
            .header("cookie", header.join("; "))
            .send()
            .await?;
        let status = response.status().as_u16();
        Ok((status, response.bytes().await?.to_vec()))
    }

    /// The page printed to PDF by the browser (WebDriver's Print Page), on A4 with the
    /// browser's default margins and no shrinking, as a person printing it would get it.
    pub async fn print_pdf(&self) -> anyhow::Result<Vec<u8>> {
        let configuration = fantoccini::wd::PrintConfiguration::builder()
            .shrink_to_fit(false)
            .build()
            .map_err(|e| anyhow::anyhow!("the print configuration: {e}"))?;
        Ok(self.client.print(configuration).await?)
    }

    /// Types `keys` into whatever has the focus.
    pub async fn keys(&self, keys: &str) -> anyhow::Result<()> {
        self.client.active_element().await?.send_keys(keys).await?;
        Ok(())
    }

    /// Signs in through the form (from any page that leads to it) and waits for the workbench.
    pub async fn sign_in(&self, username: &str, password: &str) -> anyhow::Result<()> {
        self.goto("/signin").await?;
        self.fill("#username", username).await?;
        self.fill("#password", password).await?;
        self.click("form[action='/signin'] button[type=submit]")
            .await?;
        self.wait_until(
            "the workbench",
            "document.querySelector('h1') && document.querySelector('h1').textContent === '工作台'",
        )
        .await
        .with_context(|| format!("signing in as {username}"))
    }

    /// Writes a screenshot when asked to (module documentation).
    pub async fn screenshot(&self, name: &str) -> anyhow::Result<()> {
        if !self.screenshots {
            return Ok(());
        }
        let png = self.client.screenshot().await?;
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/images");
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join(format!("web-{name}.png")), png)?;
        Ok(())
    }

    /// The checks of every page (module documentation).
    pub async fn check_page(&self) -> anyhow::Result<()> {
        let path = self.path().await?;
        let lang = self.eval("return document.documentElement.lang;").await?;
        ensure!(lang == "zh-CN", "{path}: lang is {lang}");
        let unlabelled = self.eval(UNLABELLED).await?;
        ensure!(
            unlabelled == Value::Array(vec![]),
            "{path}: inputs without a label: {unlabelled}"
        );
        let resources = self.eval(RESOURCES).await?;
        for url in resources.as_array().into_iter().flatten() {
            let url = url.as_str().unwrap_or_default();
            ensure!(
                url.starts_with(&format!("{}/", self.base)),
                "{path}: a request left the origin: {url}"
            );
        }
        for pair in self.eval(COLOURS).await?.as_array().into_iter().flatten() {
            let [what, fg, bg, sample] = [0, 1, 2, 3].map(|i| pair[i].as_str().unwrap_or_default());
            let (Some(fg), Some(bg)) = (
                guanjia_web::contrast::parse(fg),
                guanjia_web::contrast::parse(bg),
            ) else {
                bail!("{path}: unreadable colours of {what}: {pair}");
            };
            let ratio = guanjia_web::contrast::ratio(fg, bg);
            ensure!(
                ratio >= 4.5,
                "{path}: {what} ({sample}) has contrast {ratio:.2}:1, below 4.5:1"
            );
        }
        if self.size == Size::Phone {
            let small = self.eval(SMALL_TARGETS).await?;
            ensure!(
                small == Value::Array(vec![]),
                "{path}: touch targets under 44 px: {small}"
            );
            let wide = self
                .eval("const d = document.documentElement; return [d.scrollWidth, d.clientWidth];")
                .await?;
            ensure!(
                wide[0].as_u64() <= wide[1].as_u64(),
                "{path}: scrolls sideways at 390 px: {wide}"
            );
        }
        Ok(())
    }
}

/// Inputs, selects and text areas (hidden ones aside) that no label names.
const UNLABELLED: &str = r#"
return Array.from(document.querySelectorAll('input, select, textarea'))
  .filter(e => e.type !== 'hidden' && e.labels.length === 0 && !e.getAttribute('aria-label'))
  .map(e => e.outerHTML.slice(0, 120));
"#;

/// Buttons, fields and navigation links (not links inside running text) lower than 44 px.
const SMALL_TARGETS: &str = r#"
return Array.from(document.querySelectorAll('button, input:not([type=hidden]), select, .button, nav a, a.title, a.brand'))
  .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height < 44; })
  .map(e => e.outerHTML.slice(0, 80) + ' ' + Math.round(e.getBoundingClientRect().height) + 'px');
"#;

/// Every URL the page loaded: itself and its resources.
const RESOURCES: &str = r#"
return [location.href].concat(performance.getEntriesByType('resource').map(e => e.name));
"#;

/// For each distinct pair of text colour and effective background of visible text: the
/// element, the colours and a sample of the text.
const COLOURS: &str = r#"
function opaque(c) {
  const m = c.match(/rgba?\(([^)]+)\)/);
  if (!m) return false;
  const p = m[1].split(',').map(s => parseFloat(s));
  return p.length < 4 || p[3] >= 1;
}
function background(el) {
  for (; el; el = el.parentElement) {
    const c = getComputedStyle(el).backgroundColor;
    if (opaque(c)) return c;
  }
  return 'rgb(255, 255, 255)';
}
const seen = new Set(), out = [];
for (const el of document.body.querySelectorAll('*')) {
  if (!Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim())) continue;
  const s = getComputedStyle(el), r = el.getBoundingClientRect();
  if (s.display === 'none' || s.visibility === 'hidden' || r.width === 0 || r.height === 0) continue;
  const bg = background(el), key = s.color + '|' + bg;
  if (seen.has(key)) continue;
  seen.add(key);
  out.push([el.tagName + '.' + el.className, s.color, bg, el.textContent.trim().slice(0, 20)]);
}
return out;
"#;
