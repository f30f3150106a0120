//! The SQL of the read-model snapshot keys (`read_model_keys`, migration 0006). Erasure deletes
//! them all (`vault.rs`); here they are only read and created.

use sqlx::postgres::PgPool;
use sqlx::sqlite::SqlitePool;

use crate::StoreError;

/// One key: its id, its material, and the log head (as `LogPosition` text) when it was made.
pub(crate) struct ModelKey {
    pub id: i64,
    pub key: Vec<u8>,
    pub head: String,
}

const NEWEST: &str = "SELECT id, key, head FROM read_model_keys ORDER BY id DESC LIMIT 1";

type KeyRow = (i64, Vec<u8>, String);

fn model_key((id, key, head): KeyRow) -> ModelKey {
    ModelKey { id, key, head }
}

pub(crate) async fn newest_pg(pool: &PgPool) -> Result<Option<ModelKey>, StoreError> {
    let row: Option<KeyRow> = sqlx::query_as(NEWEST).fetch_optional(pool).await?;
    Ok(row.map(model_key))
}

pub(crate) async fn newest_sqlite(pool: &SqlitePool) -> Result<Option<ModelKey>, StoreError> {
    let row: Option<KeyRow> = sqlx::query_as(NEWEST).fetch_optional(pool).await?;
    Ok(row.map(model_key))
}

pub(crate) async fn create_pg(
    pool: &PgPool,
    key: &[u8],
    head: &str,
) -> Result<ModelKey, StoreError> {
    let row: KeyRow = sqlx::query_as(
        "INSERT INTO read_model_keys (key, head) VALUES ($1, $2) RETURNING id, key, head",
    )
    .bind(key)
    .bind(head)
    .fetch_one(pool)
    .await?;
    Ok(model_key(row))
}

pub(crate) async fn create_sqlite(
    write: &SqlitePool,
    key: &[u8],
    head: &str,
) -> Result<ModelKey, StoreError> {
    let row: KeyRow = sqlx::query_as(
        "INSERT INTO read_model_keys (key, head) VALUES (?, ?) RETURNING id, key, head",
    )
    .bind(key)
    .bind(head)
    .fetch_one(write)
    .await?;
    Ok(model_key(row))
}

pub(crate) async fn by_id_pg(pool: &PgPool, id: i64) -> Result<Option<Vec<u8>>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT key FROM read_model_keys WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?,
    )
}

pub(crate) async fn by_id_sqlite(
    pool: &SqlitePool,
    id: i64,
) -> Result<Option<Vec<u8>>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT key FROM read_model_keys WHERE id = ?")
            .bind(id)
            .fetch_optional(pool)
            .await?,
    )
}
