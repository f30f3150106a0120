//! Running the real `guanjia` binary: one command at a time ([`Guanjia::run`]) or a server on
//! a free port ([`Guanjia::serve`]), each in a temporary working directory with its own
//! SQLite database, and with no `GUANJIA_*` variable inherited from the developer's shell.
//!
//! Loading the demo takes seconds, so a demo database is made once per test process and
//! copied (the template is closed, so a file copy is safe there) by [`Guanjia::with_demo`].

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{mpsc, OnceLock};
use std::time::Duration;

use guanjia_store::{Store, StoreOptions, StoredEvent};
use tempfile::TempDir;

/// The admin and demo passwords every test uses.
pub const ADMIN_PASSWORD: &str = "admin-password-for-tests";
pub const DEMO_PASSWORD: &str = "demo-password-for-tests";
/// The "today" of the demo template: fixed, so every run has the same data.
pub const DEMO_TODAY: &str = "2026-11-27";

/// A working directory and database for one test.
pub struct Guanjia {
    pub dir: TempDir,
    /// The database URL given to every command (`--database-url`).
    pub url: String,
    /// Extra environment for every command.
    pub env: Vec<(String, String)>,
}

/// What a command printed.
pub struct Ran {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Ran {
    /// Panics with the output unless the command succeeded.
    pub fn ok(self) -> Self {
        assert_eq!(
            self.code,
            Some(0),
            "stdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        self
    }
}

impl Guanjia {
    /// A fresh directory with an empty SQLite database (created by the first command).
    pub fn new() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("guanjia-cli-")
            .tempdir()
            .expect("a temporary directory");
        let url = format!("sqlite://{}", dir.path().join("guanjia.db").display());
        Self::at(dir, url)
    }

    /// A fresh directory using the database at `url` (PostgreSQL tests).
    pub fn at(dir: TempDir, url: String) -> Self {
        Self {
            dir,
            url,
            env: vec![
                ("GUANJIA_ADMIN_PASSWORD".into(), ADMIN_PASSWORD.into()),
                ("GUANJIA_DEMO_PASSWORD".into(), DEMO_PASSWORD.into()),
            ],
        }
    }

    /// A fresh copy of the demo database (loaded once per test process).
    pub fn with_demo() -> Self {
        static TEMPLATE: OnceLock<(TempDir, PathBuf)> = OnceLock::new();
        let (_, template) = TEMPLATE.get_or_init(|| {
            let guanjia = Self::new();
            guanjia.run(&["demo", "--today", DEMO_TODAY]).ok();
            let path = guanjia.dir.path().join("guanjia.db");
            (guanjia.dir, path)
        });
        let copy = Self::new();
        for suffix in ["", "-wal", "-shm", ".token-key"] {
            let from = PathBuf::from(format!("{}{suffix}", template.display()));
            if from.exists() {
                let to = format!("{}{suffix}", copy.db_path().display());
                std::fs::copy(&from, to).expect("copy the demo template");
            }
        }
        copy
    }

    /// The SQLite file of this test.
    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("guanjia.db")
    }

    /// A file path in the test's directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The command, ready to run in the test's directory against its database.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_guanjia"));
        for (name, _) in std::env::vars() {
            if name.starts_with("GUANJIA_") || name == "RUST_LOG" {
                command.env_remove(name);
            }
        }
        command
            .current_dir(self.dir.path())
            .args(args)
            .args(["--database-url", &self.url])
            .envs(self.env.iter().map(|(k, v)| (k, v)));
        command
    }

    /// Runs a command to its end.
    pub fn run(&self, args: &[&str]) -> Ran {
        self.run_with(self.command(args))
    }

    /// Runs a prepared command to its end.
    pub fn run_with(&self, mut command: Command) -> Ran {
        let Output {
            status,
            stdout,
            stderr,
        } = command
            .stdin(Stdio::null())
            .output()
            .expect("the guanjia binary runs");
        Ran {
            code: status.code(),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }
    }

    /// Starts `serve` on a free port and waits for its banner; logs go to `server.log`.
    pub fn serve(&self, extra: &[&str]) -> Server {
        let mut args = vec!["serve", "--listen", "127.0.0.1:0"];
        args.extend_from_slice(extra);
        let log = std::fs::File::create(self.path("server.log")).expect("a log file");
        let mut child = self
            .command(&args)
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("the server starts");
        let stdout = child.stdout.take().expect("stdout");
        let (lines, received) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if lines.send(line).is_err() {
                    return;
                }
            }
        });
        let mut banner = Vec::new();
        let mut base = None;
        while let Ok(line) = received.recv_timeout(Duration::from_secs(120)) {
            if let Some(address) = line.strip_prefix("Guanjia is listening on ") {
                base = Some(address.trim().to_owned());
            }
            let last = line.starts_with("Press Ctrl-C");
            banner.push(line);
            if last {
                break;
            }
        }
        let log = std::fs::read_to_string(self.path("server.log")).unwrap_or_default();
        let base = base.unwrap_or_else(|| panic!("no banner:\n{}\n{log}", banner.join("\n")));
        Server {
            child,
            base,
            banner,
            log: self.path("server.log"),
        }
    }

    /// Opens the test's store directly (to compare what commands wrote).
    pub async fn store(&self) -> Store {
        Store::open(&self.url, StoreOptions::default())
            .await
            .expect("the store opens")
    }
}

/// A running server, killed when dropped.
pub struct Server {
    child: Child,
    pub base: String,
    /// What it printed on stdout before serving.
    pub banner: Vec<String>,
    pub log: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Stops the server as a service manager does (SIGTERM) and waits for it to exit.
    pub fn stop_gracefully(mut self) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status();
        assert!(sent.is_ok_and(|s| s.success()), "SIGTERM to {pid}");
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        loop {
            match self.child.try_wait().expect("the server's status") {
                Some(status) => {
                    assert!(status.success(), "the server exited with {status}");
                    return;
                }
                None if std::time::Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                None => panic!("the server did not stop within 60 s of SIGTERM"),
            }
        }
    }

    /// Posts one GraphQL request, with a bearer token and a request id when given.
    pub async fn graphql(
        &self,
        query: &str,
        token: Option<&str>,
        request_id: Option<&str>,
    ) -> serde_json::Value {
        self.post(serde_json::json!({ "query": query }), token, request_id)
            .await
    }

    /// Posts one GraphQL request with variables.
    pub async fn graphql_with(
        &self,
        query: &str,
        variables: &serde_json::Value,
        token: Option<&str>,
    ) -> serde_json::Value {
        let body = serde_json::json!({ "query": query, "variables": variables });
        self.post(body, token, None).await
    }

    async fn post(
        &self,
        body: serde_json::Value,
        token: Option<&str>,
        request_id: Option<&str>,
    ) -> serde_json::Value {
        let mut request = reqwest::Client::new()
            .post(format!("{}/graphql", self.base))
            .json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(id) = request_id {
            request = request.header("x-request-id", id);
        }
        let response = request.send().await.expect("the server answers");
        response.json().await.expect("JSON")
    }

    /// Signs in and returns the token.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let query = format!(
            "mutation {{ login(username: \"{username}\", password: \"{password}\") {{ token }} }}"
        );
        let answer = self.graphql(&query, None, None).await;
        answer["data"]["login"]["token"]
            .as_str()
            .unwrap_or_else(|| panic!("login of {username} failed: {answer}"))
            .to_owned()
    }

    /// A plain GET of a path.
    pub async fn get(&self, path: &str) -> (u16, String) {
        let response = reqwest::get(format!("{}{path}", self.base))
            .await
            .expect("the server answers");
        (
            response.status().as_u16(),
            response.text().await.expect("text"),
        )
    }
}

/// Every event of a store, in log order (`events_to_head`: read on past a horizon held back).
pub async fn all_events(store: &Store) -> Vec<StoredEvent> {
    guanjia_store::testing::events_to_head(store)
        .await
        .expect("read the log")
}

/// Writes a file in `dir` and returns its path as a string.
pub fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write a test file");
    path.display().to_string()
}
