//! The configuration of the api layer, with the defaults a district office runs on.
//!
//! The binary fills it from flags and `GUANJIA_*` environment variables; tests build it in code
//! with [`AppConfig::for_tests`]. Secrets are [`Secret`]s so that printing a config (or a
//! `Debug` of it in a log line) never shows them.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use guanjia_domain::calendar::WorkCalendar;
use guanjia_domain::case::late::DEFAULT_LATE_ENTRY_DAYS;
use guanjia_read::follower::SNAPSHOT_EVERY;
use guanjia_read::{KpiConfig, SnapshotFile};
use guanjia_store::{AnchorBook, StoreOptions};

/// The district-level division code the bootstrap admin gets when none is configured
/// (汉滨区, the district of the Hengkou demo year).
pub const DEFAULT_ADMIN_DIVISION: &str = "610902000000";

/// A secret string (password, signing key). `Debug` and `Display` hide it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself; call only where it is used, never to print it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<hidden>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<hidden>")
    }
}

/// Limits that keep one request from taking the server down.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Deepest nesting of selections a query may have. Default 12.
    pub max_depth: usize,
    /// Highest complexity (roughly: fields selected, times list sizes) a query may have.
    /// Default 500.
    pub max_complexity: usize,
    /// Largest request body, and largest WebSocket message, in bytes; a larger body is answered
    /// with HTTP 413 (`PAYLOAD_TOO_LARGE`), a larger message closes its socket (1009). Default
    /// 1 MiB.
    pub max_body_bytes: usize,
    /// Longest time one GraphQL request may run before it is answered with
    /// `REQUEST_TIMEOUT`. Default 30 s.
    pub request_timeout: Duration,
    /// Longest time a mutation waits for this node's read model to reach its own events
    /// before it answers without the changed case (read-your-writes). Default 5 s.
    pub read_wait: Duration,
    /// Requests per minute on sign-in and the public rating links (`crate::throttle`).
    pub rate: crate::throttle::RateLimits,
    /// Most operations (subscriptions, and queries or mutations still running) one WebSocket
    /// connection may run at once; the next is refused with an `error` message. Default 50.
    pub max_subscriptions: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_depth: 12,
            max_complexity: 500,
            max_body_bytes: 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            read_wait: Duration::from_secs(5),
            rate: crate::throttle::RateLimits::default(),
            max_subscriptions: 50,
        }
    }
}

/// The cost of argon2id. The default is the OWASP recommendation (19 MiB, 2 passes, 1 lane).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordCost {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for PasswordCost {
    fn default() -> Self {
        Self {
            memory_kib: 19 * 1024,
            iterations: 2,
            parallelism: 1,
        }
    }
}

impl PasswordCost {
    /// The cheapest cost argon2 accepts: for tests only, where hashing in a debug build at the
    /// real cost would take seconds per user.
    pub fn cheapest() -> Self {
        Self {
            memory_kib: 8,
            iterations: 1,
            parallelism: 1,
        }
    }
}

/// Sign-in settings.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthConfig {
    /// The key that signs bearer tokens (`GUANJIA_TOKEN_SECRET`, at least 32 characters).
    /// When absent on SQLite, a random key is kept in a file next to the database
    /// (`<database file>.token-key`); on PostgreSQL it is required, because every node behind
    /// a load balancer must accept the tokens of the others.
    pub token_secret: Option<Secret>,
    /// How long a token is valid. Default 12 hours: one working day with overtime.
    pub token_ttl: Duration,
    /// The bootstrap admin's password (`GUANJIA_ADMIN_PASSWORD`); generated and printed once
    /// when absent.
    pub admin_password: Option<Secret>,
    /// The bootstrap admin's division code. Default [`DEFAULT_ADMIN_DIVISION`].
    pub admin_division: String,
    /// argon2id cost for new hashes (verification reads the cost from the stored hash).
    pub password_cost: PasswordCost,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            token_secret: None,
            token_ttl: Duration::from_secs(12 * 3600),
            admin_password: None,
            admin_division: DEFAULT_ADMIN_DIVISION.to_owned(),
            password_cost: PasswordCost::default(),
        }
    }
}

/// Everything [`Application::build`](crate::Application::build) needs.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// `sqlite://FILE` or `postgres://…`. Never logged: it may hold a password.
    pub database_url: Secret,
    /// Where to listen; port 0 picks a free port (see `Application::address`).
    pub listen: SocketAddr,
    pub store: StoreOptions,
    pub auth: AuthConfig,
    pub limits: Limits,
    /// How long shutdown waits for running requests and subscriptions before it gives up.
    /// Default 30 s.
    pub shutdown_grace: Duration,
    /// The working-day calendar of deadlines and due dates: [`WorkCalendar::china`] by
    /// default; the binary extends it from a calendar file when one is configured.
    pub calendar: WorkCalendar,
    /// The configurable parts of the KPIs and due dates (good levels, warning share, call-back
    /// and rectification days). Default [`KpiConfig::default`].
    pub kpi: KpiConfig,
    /// Working days after which a step is a late entry (补录) and needs a reason, counted by
    /// `calendar`. Default [`DEFAULT_LATE_ENTRY_DAYS`] (3).
    pub late_entry_days: u32,
    /// Whether a 办不成事 complaint is resolved only with the sign-off of a leader of the
    /// division outside the case's team. Default on.
    pub complaint_sign_off: bool,
    /// Where phones reach this server, for rating links and their QR codes (e.g.
    /// `https://pj.example.gov.cn`). Default `http://<listen address>`.
    pub public_base_url: Option<String>,
    /// Where the read model's image is kept between starts; `None` (the default): every start
    /// replays the whole log. See `guanjia_read::snapshot`.
    pub snapshot: Option<SnapshotFile>,
    /// Events applied between two images. Default [`SNAPSHOT_EVERY`].
    pub snapshot_every: u64,
    /// Where the chain keeper writes anchors (a file, a second database). Default: none —
    /// the binary configures a file by default; a bare `AppConfig` (tests) writes none.
    pub anchors: AnchorBook,
    /// The least time between two anchors. Default 10 s.
    pub anchor_every: Duration,
}

impl AppConfig {
    /// The defaults for a database URL, listening on 127.0.0.1:8080.
    pub fn new(database_url: impl Into<String>) -> Self {
        Self {
            database_url: Secret::new(database_url),
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            store: StoreOptions::default(),
            auth: AuthConfig::default(),
            limits: Limits::default(),
            shutdown_grace: Duration::from_secs(30),
            calendar: WorkCalendar::china(),
            kpi: KpiConfig::default(),
            late_entry_days: DEFAULT_LATE_ENTRY_DAYS,
            complaint_sign_off: true,
            public_base_url: None,
            anchors: AnchorBook::default(),
            anchor_every: Duration::from_secs(10),
            snapshot: None,
            snapshot_every: SNAPSHOT_EVERY,
        }
    }

    /// A config for tests: port 0, a fixed signing key, a known admin password and the
    /// cheapest password hashing.
    pub fn for_tests(database_url: impl Into<String>) -> Self {
        let mut config = Self::new(database_url);
        config.listen = SocketAddr::from(([127, 0, 0, 1], 0));
        config.auth.token_secret = Some(Secret::new("test-signing-key-0123456789abcdef0123"));
        config.auth.admin_password = Some(Secret::new("admin-password-for-tests"));
        config.auth.password_cost = PasswordCost::cheapest();
        config.shutdown_grace = Duration::from_secs(5);
        // Tests sign in many times a minute; the rate-limit tests set their own limits.
        config.limits.rate = crate::throttle::RateLimits::unlimited();
        config
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let config = AppConfig::for_tests("postgres://guanjia:hunter2@db/guanjia");
        let printed = format!("{config:?}");
        assert!(!printed.contains("hunter2"));
        assert!(!printed.contains("admin-password-for-tests"));
        assert!(!printed.contains("test-signing-key"));
        assert_eq!(Secret::new("x").to_string(), "<hidden>");
    }
}
