//! The database's own pace for what a command needs, on the same database as the server: in
//! one transaction, SELECT a stream's last sequence and INSERT its next event (a ~500-byte
//! JSON payload), from N connections, each on a stream of its own. A plain table with the
//! events table's key and no triggers: what is left of the difference is the service's cost.

use std::str::FromStr;
use std::time::{Duration, Instant};

use guanjia_store::Backend;
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{PgPool, SqlitePool};

use crate::report::Outcomes;

const TABLE: &str = "CREATE TABLE bench_raw (stream text NOT NULL, sequence bigint NOT NULL, \
                     payload text NOT NULL, PRIMARY KEY (stream, sequence))";

/// A payload of about 500 bytes, like a note with its metadata.
fn payload() -> String {
    format!(
        "{{\"NoteAdded\":{{\"note_no\":1,\"text\":\"{}\",\"author\":\"bench.lead\"}},\
         \"metadata\":{{\"actor_id\":\"bench.lead\",\"request_id\":\"{}\"}}}}",
        "现场走访：企业反映用地手续进展，已约定下周复核材料。".repeat(7),
        uuid::Uuid::new_v4()
    )
}

pub enum Raw {
    Postgres(PgPool, usize),
    Sqlite(SqlitePool, usize),
}

impl Raw {
    pub async fn prepare(url: &str, backend: Backend, connections: usize) -> anyhow::Result<Self> {
        Ok(match backend {
            Backend::Postgres => {
                let pool = PgPoolOptions::new()
                    .max_connections(u32::try_from(connections)?)
                    .connect(url)
                    .await?;
                sqlx::query(TABLE).execute(&pool).await?;
                Self::Postgres(pool, connections)
            }
            Backend::Sqlite => {
                let options =
                    SqliteConnectOptions::from_str(url)?.busy_timeout(Duration::from_secs(30));
                let pool = SqlitePoolOptions::new()
                    .max_connections(u32::try_from(connections)?)
                    .connect_with(options)
                    .await?;
                sqlx::query(TABLE).execute(&pool).await?;
                Self::Sqlite(pool, connections)
            }
        })
    }

    /// N writers for `length`.
    pub async fn run(&self, length: Duration) -> anyhow::Result<Outcomes> {
        let deadline = Instant::now() + length;
        let connections = match self {
            Self::Postgres(_, n) | Self::Sqlite(_, n) => *n,
        };
        let tasks: Vec<_> = (0..connections)
            .map(|n| {
                let raw = match self {
                    Self::Postgres(pool, _) => Self::Postgres(pool.clone(), 0),
                    Self::Sqlite(pool, _) => Self::Sqlite(pool.clone(), 0),
                };
                tokio::spawn(async move {
                    raw.writer(format!("s-{n}-{}", uuid::Uuid::new_v4()), deadline)
                        .await
                })
            })
            .collect();
        let mut outcomes = Outcomes::default();
        for task in tasks {
            outcomes.merge(task.await??);
        }
        outcomes.seconds = length.as_secs_f64();
        Ok(outcomes)
    }

    async fn writer(self, stream: String, deadline: Instant) -> anyhow::Result<Outcomes> {
        let mut outcomes = Outcomes::default();
        while Instant::now() < deadline {
            let started = Instant::now();
            let done = match &self {
                Self::Postgres(pool, _) => {
                    let mut tx = pool.begin().await?;
                    let last: Option<i64> =
                        sqlx::query_scalar("SELECT max(sequence) FROM bench_raw WHERE stream = $1")
                            .bind(&stream)
                            .fetch_one(&mut *tx)
                            .await?;
                    sqlx::query(
                        "INSERT INTO bench_raw (stream, sequence, payload) VALUES ($1, $2, $3)",
                    )
                    .bind(&stream)
                    .bind(last.unwrap_or(0) + 1)
                    .bind(payload())
                    .execute(&mut *tx)
                    .await?;
                    tx.commit().await
                }
                Self::Sqlite(pool, _) => {
                    // IMMEDIATE: a deferred transaction that reads and then writes cannot wait
                    // for the write lock (SQLite answers BUSY at once to avoid a deadlock).
                    let mut connection = pool.acquire().await?;
                    sqlx::query("BEGIN IMMEDIATE")
                        .execute(&mut *connection)
                        .await?;
                    let last: Option<i64> =
                        sqlx::query_scalar("SELECT max(sequence) FROM bench_raw WHERE stream = ?")
                            .bind(&stream)
                            .fetch_one(&mut *connection)
                            .await?;
                    sqlx::query(
                        "INSERT INTO bench_raw (stream, sequence, payload) VALUES (?, ?, ?)",
                    )
                    .bind(&stream)
                    .bind(last.unwrap_or(0) + 1)
                    .bind(payload())
                    .execute(&mut *connection)
                    .await?;
                    sqlx::query("COMMIT")
                        .execute(&mut *connection)
                        .await
                        .map(|_| ())
                }
            };
            match done {
                Ok(()) => outcomes.ok(started.elapsed()),
                Err(error) => outcomes.error(started.elapsed(), error.to_string()),
            }
        }
        Ok(outcomes)
    }

    pub async fn close(self) {
        match self {
            Self::Postgres(pool, _) => pool.close().await,
            Self::Sqlite(pool, _) => pool.close().await,
        }
    }
}
