//! Raw SQL on the test database, around the store: what another program, an operator or a
//! slow transaction would do. Each helper hides the dialect difference.

use std::str::FromStr;

use anyhow::Context;
use guanjia_store::testing::TestDatabase;
use guanjia_store::{Backend, LogPosition};
use sqlx::postgres::{PgPool, PgPoolOptions, Postgres};
use sqlx::sqlite::{Sqlite, SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use sqlx::{Row, Transaction};

/// A connection pool of our own to the test database.
#[derive(Clone)]
pub enum RawDb {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A transaction that inserted one event and has not committed.
pub enum HeldTransaction {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl HeldTransaction {
    pub async fn commit(self) -> anyhow::Result<()> {
        match self {
            Self::Sqlite(tx) => tx.commit().await?,
            Self::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
}

/// An insert of one event as the store's append makes it, with the next sequence of the stream.
const INSERT_NEXT_PG: &str = "\
INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, payload, metadata)
SELECT $1, $2, COALESCE(MAX(sequence), 0) + 1, 'Added', '1', '{\"Added\":{\"amount\":0}}', $3::jsonb
  FROM events WHERE aggregate_type = $1 AND aggregate_id = $2
RETURNING transaction_id::text AS transaction_text, global_position";

const INSERT_NEXT_SQLITE: &str = "\
INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, payload, metadata)
SELECT ?1, ?2, COALESCE(MAX(sequence), 0) + 1, 'Added', '1', '{\"Added\":{\"amount\":0}}', ?3
  FROM events WHERE aggregate_type = ?1 AND aggregate_id = ?2
RETURNING global_position";

impl RawDb {
    pub async fn connect(db: &TestDatabase) -> anyhow::Result<Self> {
        Ok(match db.backend() {
            Backend::Sqlite => {
                let options = SqliteConnectOptions::from_str(db.url())?
                    .busy_timeout(std::time::Duration::from_secs(10));
                Self::Sqlite(
                    SqlitePoolOptions::new()
                        .max_connections(2)
                        .connect_with(options)
                        .await?,
                )
            }
            Backend::Postgres => Self::Postgres(
                PgPoolOptions::new()
                    .max_connections(3)
                    .connect(db.url())
                    .await?,
            ),
        })
    }

    /// Runs one statement; the database's error is returned as is.
    pub async fn execute(&self, sql: &str) -> Result<u64, sqlx::Error> {
        Ok(match self {
            Self::Sqlite(pool) => sqlx::query(sql).execute(pool).await?.rows_affected(),
            Self::Postgres(pool) => sqlx::query(sql).execute(pool).await?.rows_affected(),
        })
    }

    /// One number from a query.
    pub async fn scalar(&self, sql: &str) -> anyhow::Result<i64> {
        Ok(match self {
            Self::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await?,
            Self::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await?,
        })
    }

    /// Appends one event at the next sequence of a stream, committed at once. `metadata` is the
    /// JSON object to store (`{}` when `None`).
    pub async fn insert_next(
        &self,
        aggregate_type: &str,
        aggregate_id: &str,
        metadata: Option<&str>,
    ) -> Result<(), sqlx::Error> {
        let metadata = metadata.unwrap_or("{}");
        match self {
            Self::Sqlite(pool) => {
                let query = sqlx::query(INSERT_NEXT_SQLITE)
                    .bind(aggregate_type)
                    .bind(aggregate_id);
                query.bind(metadata).fetch_one(pool).await?;
            }
            Self::Postgres(pool) => {
                let query = sqlx::query(INSERT_NEXT_PG)
                    .bind(aggregate_type)
                    .bind(aggregate_id);
                query.bind(metadata).fetch_one(pool).await?;
            }
        }
        Ok(())
    }

    /// Inserts one event in a transaction that stays open until the caller commits it; returns
    /// the transaction and the position the event will have.
    pub async fn insert_and_hold(
        &self,
        aggregate_id: &str,
    ) -> anyhow::Result<(HeldTransaction, LogPosition)> {
        match self {
            Self::Sqlite(pool) => {
                let mut tx = pool.begin().await?;
                let row = sqlx::query(INSERT_NEXT_SQLITE)
                    .bind("counter")
                    .bind(aggregate_id)
                    .bind("{}")
                    .fetch_one(&mut *tx)
                    .await?;
                let global: i64 = row.try_get("global_position")?;
                Ok((
                    HeldTransaction::Sqlite(tx),
                    LogPosition::from_parts(0, u64::try_from(global)?),
                ))
            }
            Self::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                let row = sqlx::query(INSERT_NEXT_PG)
                    .bind("counter")
                    .bind(aggregate_id)
                    .bind("{}")
                    .fetch_one(&mut *tx)
                    .await?;
                let position = pg_position(&row)?;
                Ok((HeldTransaction::Postgres(tx), position))
            }
        }
    }

    /// Every committed event's position, in the order the log must deliver them.
    pub async fn all_positions(&self) -> anyhow::Result<Vec<LogPosition>> {
        match self {
            Self::Sqlite(pool) => {
                let rows: Vec<i64> = sqlx::query_scalar(
                    "SELECT global_position FROM events ORDER BY global_position",
                )
                .fetch_all(pool)
                .await?;
                rows.into_iter()
                    .map(|global| Ok(LogPosition::from_parts(0, u64::try_from(global)?)))
                    .collect()
            }
            Self::Postgres(pool) => {
                let rows = sqlx::query(
                    "SELECT transaction_id::text AS transaction_text, global_position FROM events \
                     ORDER BY transaction_id, global_position",
                )
                .fetch_all(pool)
                .await?;
                rows.iter().map(pg_position).collect()
            }
        }
    }

    /// A description of the schema and of the recorded migrations: equal descriptions mean
    /// nothing in the schema changed.
    pub async fn fingerprint(&self) -> anyhow::Result<Vec<String>> {
        let queries: &[&str] = match self {
            Self::Sqlite(_) => &[
                "SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_master ORDER BY 1",
                "SELECT version || ' ' || hex(checksum) || ' ' || success || ' ' || installed_on \
                 FROM _sqlx_migrations ORDER BY version",
            ],
            Self::Postgres(_) => &[
                "SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || \
                        coalesce(column_default, '') \
                 FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY 1",
                "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1",
                "SELECT tgname || ' ' || tgrelid::regclass::text FROM pg_trigger \
                 WHERE NOT tgisinternal ORDER BY 1",
                "SELECT version::text || ' ' || encode(checksum, 'hex') || ' ' || success::text \
                        || ' ' || installed_on::text \
                 FROM _sqlx_migrations ORDER BY version",
            ],
        };
        let mut lines = Vec::new();
        for query in queries {
            let rows: Vec<String> = match self {
                Self::Sqlite(pool) => sqlx::query_scalar(query).fetch_all(pool).await?,
                Self::Postgres(pool) => sqlx::query_scalar(query).fetch_all(pool).await?,
            }
            .into_iter()
            .collect();
            lines.extend(rows);
        }
        Ok(lines)
    }

    /// Records a migration this program does not have, as a newer program would.
    pub async fn record_future_migration(&self, version: i64) -> anyhow::Result<()> {
        let sql = match self {
            Self::Sqlite(_) => format!(
                "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
                 VALUES ({version}, 'from the future', TRUE, X'00', 0)"
            ),
            Self::Postgres(_) => format!(
                "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
                 VALUES ({version}, 'from the future', TRUE, '\\x00'::bytea, 0)"
            ),
        };
        self.execute(&sql)
            .await
            .context("recording a future migration")?;
        Ok(())
    }

    pub async fn close(&self) {
        match self {
            Self::Sqlite(pool) => pool.close().await,
            Self::Postgres(pool) => pool.close().await,
        }
    }
}

fn pg_position(row: &sqlx::postgres::PgRow) -> anyhow::Result<LogPosition> {
    let transaction: String = row.try_get("transaction_text")?;
    let global: i64 = row.try_get("global_position")?;
    Ok(LogPosition::from_parts(
        transaction.parse()?,
        u64::try_from(global)?,
    ))
}
