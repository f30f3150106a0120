//! The SQL of the personal-data key vault (`personal_keys`, migration 0004) and of dropping a
//! case's snapshots and every read-model snapshot key on erasure. Unlike the log, this table
//! is changed in place: erasing a subject sets its key to NULL and stamps `erased_at`, leaving
//! a tombstone.

use std::collections::HashMap;

use sqlx::postgres::PgPool;
use sqlx::sqlite::SqlitePool;
use sqlx::{ColumnIndex, Database, Decode, Encode, Executor, IntoArguments, Pool, Row, Type};

use crate::StoreError;

/// Key material per subject: `None` when the subject was erased or never existed.
pub(crate) type Keys = HashMap<String, Option<Vec<u8>>>;

/// Subjects looked up per statement, well below either database's bind limit.
const CHUNK: usize = 500;

/// The key of `subject`, `fresh` becoming it when the subject has none yet; `None` when the
/// subject was erased. The same SQL on both databases.
pub(crate) async fn key_for_seal<DB>(
    pool: &Pool<DB>,
    subject: &str,
    fresh: &[u8],
) -> Result<Option<Vec<u8>>, StoreError>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'q> &'q [u8]: Encode<'q, DB> + Type<DB>,
    for<'q> <DB as Database>::Arguments<'q>: IntoArguments<'q, DB>,
    for<'r> Vec<u8>: Decode<'r, DB> + Type<DB>,
    usize: ColumnIndex<DB::Row>,
{
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

/// The keys of `subjects`, a few hundred per statement. The same SQL on both databases.
pub(crate) async fn keys<DB>(pool: &Pool<DB>, subjects: &[String]) -> Result<Keys, StoreError>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> &'q String: Encode<'q, DB> + Type<DB>,
    for<'q> <DB as Database>::Arguments<'q>: IntoArguments<'q, DB>,
    for<'r> String: Decode<'r, DB> + Type<DB>,
    for<'r> Vec<u8>: Decode<'r, DB> + Type<DB>,
    for<'n> &'n str: ColumnIndex<DB::Row>,
{
    let mut keys = Keys::new();
    for chunk in subjects.chunks(CHUNK) {
        let list: Vec<String> = (1..=chunk.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT subject, key FROM personal_keys WHERE subject IN ({})",
            list.join(", ")
        );
        let query = chunk
            .iter()
            .fold(sqlx::query(&sql), |query, subject| query.bind(subject));
        for row in query.fetch_all(pool).await? {
            keys.insert(row.try_get("subject")?, row.try_get("key")?);
        }
    }
    Ok(keys)
}

// Erasure stays per dialect: the tombstone's time is `now()` on PostgreSQL and a formatted
// `strftime` on SQLite, which stores times as text.

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
