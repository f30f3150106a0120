//! The test harness, learnt once: [`TestApp`], the API on a fresh database of either backend,
//! started by one builder ([`TestApp::options`], or [`spawn_app`] for the defaults) and driven
//! by one set of methods whatever it runs on.
//!
//! - In process (the default): the real schema executed through the same `graphql::execute`
//!   path as the HTTP handler.
//! - Served (`.served()`): the real server, started with `Application::build_with_clock` on
//!   port 0 as the binary does, and `run`, `ok`, `login`, `admin` and `user` go over HTTP; its
//!   address, client and database are at hand, another node can join it, and `stop` shuts it
//!   down as SIGTERM does and checks that it stopped cleanly.
//!
//! Either runs on a fixed clock the test moves ([`TestApp::clock`]), unless built with
//! `.real_clock()`: the scenarios over HTTP run as the binary does and date their steps by
//! [`today`].
//!
//! `app.rs` builds and stops apps; `requests.rs` holds the methods that talk to them.
//! [`both_backends!`] turns one scenario into two tests, `name::on_sqlite` and
//! `name::on_postgres`.

mod app;
mod requests;

pub use app::{Spawn, TestApp};
pub use requests::post;

use chrono::{DateTime, TimeZone, Utc};
use guanjia_api::AppConfig;
use guanjia_store::Backend;
use serde_json::Value;

/// Runs a scenario as two tests, `$name::on_sqlite` and `$name::on_postgres`:
/// - `both_backends!(name)`: `async fn name(app: TestApp)`, the schema executed in process;
/// - `both_backends!(name, options)`: the same, the app built by `options`, a closure
///   `Spawn -> Spawn` that captures nothing (`|app| app.served()`: the rating-link routes on a
///   real port);
/// - `both_backends!(served name)` or `both_backends!(served name, adjust)`: `async fn
///   name(server: &TestApp)`, the server as the binary runs it (served, on the real clock),
///   configured by `adjust` (a `FnOnce(&mut AppConfig)`) and stopped, gracefully and checked,
///   at the end.
macro_rules! both_backends {
    (served $name:ident) => {
        both_backends!(served $name, |_| {});
    };
    (served $name:ident, $adjust:expr) => {
        both_backends!(@tests $name async fn scenario(backend: guanjia_store::Backend) {
            let server = crate::helpers::spawn_server(backend, $adjust).await;
            super::$name(&server).await;
            server.stop().await;
        });
    };
    ($name:ident) => {
        both_backends!($name, |app| app);
    };
    ($name:ident, $options:expr) => {
        both_backends!(@tests $name async fn scenario(backend: guanjia_store::Backend) {
            let options: fn(crate::helpers::Spawn) -> crate::helpers::Spawn = $options;
            let app = options(crate::helpers::TestApp::options().on(backend));
            super::$name(app.spawn().await).await;
        });
    };
    // The two tests of `$scenario`, an `async fn scenario(backend: Backend)`.
    (@tests $name:ident $scenario:item) => {
        mod $name {
            $scenario

            #[tokio::test]
            async fn on_sqlite() {
                scenario(guanjia_store::Backend::Sqlite).await;
            }

            #[tokio::test]
            async fn on_postgres() {
                scenario(guanjia_store::Backend::Postgres).await;
            }
        }
    };
}

/// An app with the defaults: SQLite, in process, the fixed clock at [`start`].
pub async fn spawn_app() -> TestApp {
    TestApp::options().spawn().await
}

/// The server as the binary runs it (served, on the real clock) on a fresh database of
/// `backend`, configured by `adjust`.
pub async fn spawn_server(
    backend: Backend,
    adjust: impl FnOnce(&mut AppConfig) + 'static,
) -> TestApp {
    let options = TestApp::options().on(backend).config(adjust);
    options.served().real_clock().spawn().await
}

/// The admin password of every test app.
pub const ADMIN_PASSWORD: &str = "admin-password-for-tests";
/// The password every test user gets.
pub const PASSWORD: &str = "steward-password-1";
pub const DISTRICT: &str = "610902000000";
/// 恒口镇 and another town of the district.
pub const TOWN: &str = "610902100000";
pub const OTHER_TOWN: &str = "610902101000";

/// Signing in, with the username `$u` and the password `$p`.
pub const LOGIN: &str =
    "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }";

/// 2024-03-15 10:00 Beijing time: where the fixed clock of every app starts.
pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 15, 2, 0, 0)
        .single()
        .expect("valid instant")
}

/// Today in Beijing by the real clock (of an app built with `.real_clock()`): a case
/// registered now takes no step dated before it.
pub fn today() -> String {
    let beijing = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8");
    Utc::now().with_timezone(&beijing).date_naive().to_string()
}

/// The `extensions.code` of the first error of a response.
pub fn code(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code in {response}"))
}

/// The message of the first error of a response.
pub fn message(response: &Value) -> &str {
    response["errors"][0]["message"].as_str().unwrap_or("")
}
