//! Debian's chromedriver and chromium, started by the tests themselves.
//!
//! [`Driver::start`] finds both programs (`CHROMEDRIVER` / `CHROMIUM` override the Debian
//! paths) and fails loudly when either is missing — the browser tests never skip. chromedriver
//! runs on a free port in a process group of its own, and everything in that group (chromium
//! included) is killed when the driver is dropped. Each [`Browser`] gets a fresh profile
//! directory, and flags that keep Chromium from calling home (this network refuses it, and a
//! page test must not wait on it).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{bail, Context};
use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Value};

const CHROMIUM: [&str; 2] = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];
const CHROMEDRIVER: [&str; 1] = ["/usr/bin/chromedriver"];

/// A running chromedriver.
pub struct Driver {
    url: String,
    chromium: PathBuf,
    child: Child,
}

impl Driver {
    /// Starts chromedriver on a free port and waits until it is ready.
    pub async fn start() -> Self {
        let chromium = program("CHROMIUM", &CHROMIUM);
        let chromedriver = program("CHROMEDRIVER", &CHROMEDRIVER);
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut command = Command::new(&chromedriver);
        command
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromedriver.display()));
        let driver = Self {
            url: format!("http://127.0.0.1:{port}"),
            chromium,
            child,
        };
        driver.wait_ready().await;
        driver
    }

    async fn wait_ready(&self) {
        let client = reqwest::Client::new();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            let ready = client
                .get(format!("{}/status", self.url))
                .send()
                .await
                .ok()
                .map(|r| r.json::<Value>());
            if let Some(body) = ready {
                if body.await.ok().and_then(|b| b["value"]["ready"].as_bool()) == Some(true) {
                    return;
                }
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "chromedriver did not become ready at {} within 60 s",
                self.url
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// A new browser session with a fresh profile, at desktop or phone size.
    pub async fn session(&self, size: Size) -> anyhow::Result<(Client, tempfile::TempDir)> {
        let profile = tempfile::tempdir().context("a profile directory")?;
        let mut args = vec![
            "--headless".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-quic".to_owned(),
            "--no-first-run".to_owned(),
            "--no-default-browser-check".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--disable-default-apps".to_owned(),
            "--disable-extensions".to_owned(),
            "--disable-domain-reliability".to_owned(),
            "--disable-client-side-phishing-detection".to_owned(),
            "--disable-features=Translate,OptimizationHints,MediaRouter".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--password-store=basic".to_owned(),
            "--lang=zh-CN".to_owned(),
            "--window-size=1280,900".to_owned(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        args.sort();
        let mut options = json!({"binary": self.chromium, "args": args});
        if size == Size::Phone {
            options["mobileEmulation"] = json!({
                "deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 2.0, "touch": true}
            });
        }
        let capabilities = json!({"browserName": "chrome", "goog:chromeOptions": options});
        let serde_json::Value::Object(capabilities) = capabilities else {
            bail!("capabilities are an object");
        };
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .context("a chromium session through chromedriver")?;
        Ok((client, profile))
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The whole group: chromedriver and every chromium it started.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.wait();
    }
}

/// The window of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    /// 1280×900.
    Desktop,
    /// A 390×844 phone, emulated (touch, device pixel ratio 2).
    Phone,
}

/// `env` if set, else the first of `paths` that exists; panics with how to install otherwise.
fn program(env: &str, paths: &[&str]) -> PathBuf {
    if let Ok(path) = std::env::var(env) {
        let path = PathBuf::from(path);
        assert!(path.exists(), "{env}={} does not exist", path.display());
        return path;
    }
    paths
        .iter()
        .map(Path::new)
        .find(|p| p.exists())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| {
            panic!(
                "the browser tests need Debian's chromium and chromium-driver ({} not found): \
                 apt-get install -y chromium chromium-driver (or set {env})",
                paths.join(" or ")
            )
        })
}
