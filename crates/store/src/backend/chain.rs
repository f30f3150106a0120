//! The SQL of the hash chain: reading links in log order and appending new ones. Two nodes
//! extending at once compute the same links from the same log; the loser's insert is ignored.

use sqlx::postgres::PgPool;
use sqlx::sqlite::SqlitePool;
use sqlx::Row;

use super::{to_i64, to_u64};
use crate::{LogPosition, StoreError};

/// One link: the event's position and the chain hash up to and including it.
pub(crate) type Link = (LogPosition, String);

pub(crate) async fn links_after_pg(
    pool: &PgPool,
    after: LogPosition,
    limit: usize,
) -> Result<Vec<Link>, StoreError> {
    let (transaction, global) = after.parts();
    let rows = sqlx::query(
        "SELECT transaction_id::text AS transaction_text, global_position, hash FROM event_chain \
         WHERE (transaction_id, global_position) > ($1::text::xid8, $2) \
         ORDER BY transaction_id, global_position LIMIT $3",
    )
    .bind(transaction.to_string())
    .bind(to_i64(global)?)
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            let transaction: String = row.try_get("transaction_text")?;
            let transaction = transaction
                .parse::<u64>()
                .map_err(|_| StoreError::decode("bad transaction id in event_chain"))?;
            Ok((
                LogPosition::from_parts(transaction, to_u64(row.try_get("global_position")?)?),
                row.try_get("hash")?,
            ))
        })
        .collect()
}

pub(crate) async fn append_pg(pool: &PgPool, links: &[Link]) -> Result<(), StoreError> {
    let mut tx = pool.begin().await?;
    for (position, hash) in links {
        let (transaction, global) = position.parts();
        sqlx::query(
            "INSERT INTO event_chain (transaction_id, global_position, hash) \
             VALUES ($1::text::xid8, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(transaction.to_string())
        .bind(to_i64(global)?)
        .bind(hash)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub(crate) async fn links_after_sqlite(
    pool: &SqlitePool,
    after: LogPosition,
    limit: usize,
) -> Result<Vec<Link>, StoreError> {
    let rows = sqlx::query("SELECT global_position, hash FROM event_chain WHERE global_position > ? ORDER BY global_position LIMIT ?")
        .bind(to_i64(after.parts().1)?)
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|row| {
            Ok((
                LogPosition::from_parts(0, to_u64(row.try_get("global_position")?)?),
                row.try_get("hash")?,
            ))
        })
        .collect()
}

pub(crate) async fn append_sqlite(pool: &SqlitePool, links: &[Link]) -> Result<(), StoreError> {
    let mut tx = pool.begin().await?;
    for (position, hash) in links {
        sqlx::query(
            "INSERT INTO event_chain (global_position, hash) VALUES (?, ?) ON CONFLICT DO NOTHING",
        )
        .bind(to_i64(position.parts().1)?)
        .bind(hash)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The last link and how many links there are.
pub(crate) async fn last_pg(pool: &PgPool) -> Result<Option<(Link, u64)>, StoreError> {
    let row = sqlx::query(
        "SELECT transaction_id::text AS transaction_text, global_position, hash, \
                (SELECT count(*) FROM event_chain) AS links \
         FROM event_chain ORDER BY transaction_id DESC, global_position DESC LIMIT 1",
    )
    .fetch_optional(pool)
    .await?;
    row.map(|row| {
        let transaction: String = row.try_get("transaction_text")?;
        let transaction = transaction
            .parse::<u64>()
            .map_err(|_| StoreError::decode("bad transaction id in event_chain"))?;
        let position =
            LogPosition::from_parts(transaction, to_u64(row.try_get("global_position")?)?);
        Ok((
            (position, row.try_get("hash")?),
            to_u64(row.try_get("links")?)?,
        ))
    })
    .transpose()
}

pub(crate) async fn last_sqlite(pool: &SqlitePool) -> Result<Option<(Link, u64)>, StoreError> {
    let row = sqlx::query(
        "SELECT global_position, hash, (SELECT count(*) FROM event_chain) AS links \
         FROM event_chain ORDER BY global_position DESC LIMIT 1",
    )
    .fetch_optional(pool)
    .await?;
    row.map(|row| {
        let position = LogPosition::from_parts(0, to_u64(row.try_get("global_position")?)?);
        Ok((
            (position, row.try_get("hash")?),
            to_u64(row.try_get("links")?)?,
        ))
    })
    .transpose()
}
