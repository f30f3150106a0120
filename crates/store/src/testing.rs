//! Test support (feature `testing`): a fresh, empty database for every test, on either backend.
//!
//! Tests that touch a database must run on both backends and must never skip silently, so
//! PostgreSQL is found in this order:
//! 1. `DATABASE_URL=postgres://…` when set: each test creates a database with a unique name
//!    (`guanjia_test_…`) through it — the role needs `CREATEDB` — and drops it when the
//!    [`TestDatabase`] is dropped (`GUANJIA_KEEP_TEST_DB=1` keeps it for a post-mortem);
//! 2. else a throwaway cluster, one per test process, started with the machine's `initdb` and
//!    `pg_ctl` in a temporary directory on a free port and stopped when the process exits
//!    (`testing/cluster.rs`);
//! 3. else the test panics with instructions for getting PostgreSQL.
//!
//! SQLite databases are files in a temporary directory removed on drop. Fault tests that stop,
//! restart or move PostgreSQL start a [`TestCluster`] of their own.

mod cluster;

pub use cluster::TestCluster;

use std::time::Duration;

use sqlx::{Connection, Executor, PgConnection};
use tempfile::TempDir;

use crate::{Backend, LogPosition, Store, StoreError, StoreOptions, StoredEvent};

/// A fresh database for one test. Dropping it removes the database.
#[derive(Debug)]
pub struct TestDatabase {
    url: String,
    place: Place,
}

#[derive(Debug)]
enum Place {
    Sqlite {
        _dir: TempDir,
    },
    Postgres {
        /// The URL the database was created through; it is dropped through it too.
        admin_url: String,
        name: String,
    },
}

impl TestDatabase {
    /// A fresh database on `backend`.
    pub async fn new(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => Self::sqlite(),
            Backend::Postgres => Self::postgres().await,
        }
    }

    /// A new SQLite file in a temporary directory (the file itself is created on open).
    pub fn sqlite() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("guanjia-test-")
            .tempdir()
            .unwrap_or_else(|error| panic!("cannot create a temporary directory: {error}"));
        let url = format!("sqlite://{}", dir.path().join("guanjia.db").display());
        Self {
            url,
            place: Place::Sqlite { _dir: dir },
        }
    }

    /// A new, empty PostgreSQL database (see the module documentation for where it comes from).
    pub async fn postgres() -> Self {
        let admin_url = match std::env::var("DATABASE_URL") {
            Ok(url) if !url.trim().is_empty() => {
                if Backend::from_url(&url).ok() != Some(Backend::Postgres) {
                    panic!("DATABASE_URL must be a postgres:// URL for the PostgreSQL tests");
                }
                url
            }
            // Starting a cluster blocks for a few seconds, once per process.
            _ => tokio::task::spawn_blocking(cluster::shared_url)
                .await
                .unwrap_or_else(|error| panic!("{error}")),
        };
        let name = format!("guanjia_test_{}", uuid::Uuid::new_v4().simple());
        let create = async {
            let mut admin = PgConnection::connect(&admin_url).await?;
            admin
                .execute(format!("CREATE DATABASE {name}").as_str())
                .await?;
            admin.close().await
        };
        if let Err(error) = create.await {
            panic!(
                "cannot create test database {name} through DATABASE_URL or the test cluster \
                 (the role needs CREATEDB): {error}"
            );
        }
        Self {
            url: with_database(&admin_url, &name),
            place: Place::Postgres { admin_url, name },
        }
    }

    /// The database URL, for [`Store::open`] or a raw sqlx connection.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Which backend this is.
    pub fn backend(&self) -> Backend {
        match self.place {
            Place::Sqlite { .. } => Backend::Sqlite,
            Place::Postgres { .. } => Backend::Postgres,
        }
    }

    /// Options suited to tests: small pools (several engineers' tests share one server) and a
    /// short poll interval.
    pub fn options() -> StoreOptions {
        StoreOptions {
            max_connections: 4,
            poll_interval: Duration::from_millis(200),
            ..StoreOptions::default()
        }
    }

    /// Opens a [`Store`] on this database with [`Self::options`].
    pub async fn open(&self) -> Result<Store, StoreError> {
        Store::open(&self.url, Self::options()).await
    }
}

/// Every event committed when it is called, in log order, as readers get them. On PostgreSQL
/// one read may stop short of what has committed: the horizon waits for transactions that may
/// still append events, and for a moment for one that ended while the read looked at it
/// (`backend/postgres/horizon.rs`). So this reads on until it reaches the head, pausing while it
/// is held back, and panics after `PATIENCE` (a transaction the test itself holds open).
pub async fn events_to_head(store: &Store) -> Result<Vec<StoredEvent>, StoreError> {
    const PATIENCE: Duration = Duration::from_secs(30);
    let head = store.head().await?;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    let mut events = Vec::new();
    let mut position = LogPosition::START;
    while position < head {
        let page = store.read_after(position, 1000).await?;
        match page.last() {
            Some(last) => position = last.position,
            None if tokio::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            None => panic!("the log stays held back at {position}, below its head {head}"),
        }
        events.extend(page);
    }
    Ok(events)
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Place::Postgres { admin_url, name } = &self.place else {
            return;
        };
        if std::env::var_os("GUANJIA_KEEP_TEST_DB").is_some() {
            eprintln!("keeping test database {name}");
            return;
        }
        // Drop runs inside the test's runtime, which cannot be blocked on; a thread with a
        // runtime of its own can. FORCE ends connections the test left open.
        let (admin_url, name) = (admin_url.clone(), name.clone());
        let dropped = std::thread::spawn(move || -> Result<(), String> {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|error| error.to_string())?;
            runtime
                .block_on(async {
                    let mut admin = PgConnection::connect(&admin_url).await?;
                    let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    admin.execute(drop.as_str()).await?;
                    admin.close().await
                })
                .map_err(|error| format!("{name}: {error}"))
        })
        .join();
        if let Ok(Err(error)) | Err(error) = dropped.map_err(|_| String::from("panicked")) {
            eprintln!("could not drop test database {error}");
        }
    }
}

/// `url` with its database name replaced by `name`, keeping user, host, port and parameters.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |index| index + 3);
    let authority_end = base[authority_start..]
        .find('/')
        .map_or(base.len(), |index| authority_start + index);
    let mut result = format!("{}/{name}", &base[..authority_end]);
    if let Some(query) = query {
        result.push('?');
        result.push_str(query);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn replaces_only_the_database_name() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            with_database("postgres://u:p@h/db?sslmode=disable", "t1"),
            "postgres://u:p@h/t1?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://h:5433", "t1"),
            "postgres://h:5433/t1"
        );
    }
}
