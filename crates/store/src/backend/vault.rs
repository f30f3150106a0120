//! The SQL of the personal-data key vault (`personal_keys`, migration 0004) and of dropping a
//! case's snapshots and every read-model snapshot key on erasure. Unlike the log, this table is changed in place: erasing a
//! subject sets its key to NULL and stamps `erased_at`, leaving a tombstone.

use std::collections::HashMap;

use sqlx::postgres::PgPool;
use sqlx::sqlite::SqlitePool;
use sqlx::{Postgres, QueryBuilder, Row, Sqlite};

use crate::StoreError;

/// Key material per subject: `None` when the subject was erased or never existed.
pub(crate) type Keys = HashMap<String, Option<Vec<u8>>>;

/// Subjects looked up per statement, well below either database's bind limit.
const CHUNK: usize = 500;

pub(crate) async fn key_for_seal_pg(
    pool: &PgPool,
    subject: &str,
    fresh: &[u8],
) -> Result<Option<Vec<u8>>, StoreError> {
    sqlx::query("INSERT INTO personal_keys (subject, key) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(subject)
        .bind(fresh)
        .execute(pool)
        .await?;
    let key: Option<Option<Vec<u8>>> =
        sqlx::query_scalar("SELECT key FROM personal_keys WHERE subject = $1")
            .bind(subject)
            .fetch_optional(pool)
            .await?;
    Ok(key.flatten())
}

pub(crate) async fn key_for_seal_sqlite(
    write: &SqlitePool,
    subject: &str,
    fresh: &[u8],
) -> Result<Option<Vec<u8>>, StoreError> {
    sqlx::query("INSERT INTO personal_keys (subject, key) VALUES (?, ?) ON CONFLICT DO NOTHING")
        .bind(subject)
        .bind(fresh)
        .execute(write)
        .await?;
    let key: Option<Option<Vec<u8>>> =
        sqlx::query_scalar("SELECT key FROM personal_keys WHERE subject = ?")
            .bind(subject)
            .fetch_optional(write)
            .await?;
    Ok(key.flatten())
}

pub(crate) async fn keys_pg(pool: &PgPool, subjects: &[String]) -> Result<Keys, StoreError> {
    let mut keys = Keys::new();
    for chunk in subjects.chunks(CHUNK) {
        let mut query = QueryBuilder::<Postgres>::new(
            "SELECT subject, key FROM personal_keys WHERE subject IN (",
        );
        let mut list = query.separated(", ");
        for subject in chunk {
            list.push_bind(subject);
        }
        query.push(")");
        for row in query.build().fetch_all(pool).await? {
            keys.insert(row.try_get("subject")?, row.try_get("key")?);
        }
    }
    Ok(keys)
}

pub(crate) async fn keys_sqlite(
    pool: &SqlitePool,
    subjects: &[String],
) -> Result<Keys, StoreError> {
    let mut keys = Keys::new();
    for chunk in subjects.chunks(CHUNK) {
        let mut query = QueryBuilder::<Sqlite>::new(
            "SELECT subject, key FROM personal_keys WHERE subject IN (",
        );
        let mut list = query.separated(", ");
        for subject in chunk {
            list.push_bind(subject);
        }
        query.push(")");
        for row in query.build().fetch_all(pool).await? {
            keys.insert(row.try_get("subject")?, row.try_get("key")?);
        }
    }
    Ok(keys)
}

/// Shreds every key whose subject starts with `prefix`, drops the aggregate's snapshots and
/// deletes every read-model snapshot key (migration 0006), in one transaction. Returns the
/// number of keys shredded now (0 when already erased).
pub(crate) async fn erase_pg(
    pool: &PgPool,
    prefix: &str,
    aggregate_type: &str,
    aggregate_id: &str,
) -> Result<u64, StoreError> {
    let mut tx = pool.begin().await?;
    let shredded = sqlx::query(
        "UPDATE personal_keys SET key = NULL, erased_at = now() \
         WHERE substr(subject, 1, length($1)) = $1 AND key IS NOT NULL",
    )
    .bind(prefix)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sqlx::query("DELETE FROM snapshots WHERE aggregate_type = $1 AND aggregate_id = $2")
        .bind(aggregate_type)
        .bind(aggregate_id)
        .execute(&mut *tx)
        .await?;
    // Every read-model image taken so far may hold this subject's data: make them unreadable.
    sqlx::query("DELETE FROM read_model_keys")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(shredded)
}

pub(crate) async fn erase_sqlite(
    write: &SqlitePool,
    prefix: &str,
    aggregate_type: &str,
    aggregate_id: &str,
) -> Result<u64, StoreError> {
    let mut tx = write.begin().await?;
    let shredded = sqlx::query(
        "UPDATE personal_keys SET key = NULL, \
                erased_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') \
         WHERE substr(subject, 1, length(?1)) = ?1 AND key IS NOT NULL",
    )
    .bind(prefix)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sqlx::query("DELETE FROM snapshots WHERE aggregate_type = ? AND aggregate_id = ?")
        .bind(aggregate_type)
        .bind(aggregate_id)
        .execute(&mut *tx)
        .await?;
    // Every read-model image taken so far may hold this subject's data: make them unreadable.
    sqlx::query("DELETE FROM read_model_keys")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(shredded)
}
