//! The SQL of the hash chain (`log_chain`): numbered links read in order and appended in one
//! statement per batch. Two nodes extending at once compute the same links from the same log;
//! the loser's rows are ignored.

use sqlx::postgres::{PgPool, PgRow};
use sqlx::sqlite::{SqlitePool, SqliteRow};
use sqlx::{QueryBuilder, Row, Sqlite};

use super::{to_i64, to_u64};
use crate::{LogPosition, StoreError};

/// One link: its number (1, 2, 3, … in log order), the event's position, the format it was
/// computed in and the chain hash up to and including the event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Link {
    pub number: u64,
    pub position: LogPosition,
    pub format: u8,
    pub hash: String,
}

const COLUMNS: &str = "link, transaction_id, global_position, format, hash";

/// Rows per multi-row INSERT on SQLite (5 parameters each, well below its limit).
const SQLITE_ROWS: usize = 500;

fn pg_link(row: &PgRow) -> Result<Link, StoreError> {
    let format: i16 = row.try_get("format")?;
    Ok(Link {
        number: to_u64(row.try_get("link")?)?,
        position: LogPosition::from_parts(
            to_u64(row.try_get("transaction_id")?)?,
            to_u64(row.try_get("global_position")?)?,
        ),
        format: u8::try_from(format).map_err(StoreError::decode)?,
        hash: row.try_get("hash")?,
    })
}

fn sqlite_link(row: &SqliteRow) -> Result<Link, StoreError> {
    let format: i64 = row.try_get("format")?;
    Ok(Link {
        number: to_u64(row.try_get("link")?)?,
        position: LogPosition::from_parts(0, to_u64(row.try_get("global_position")?)?),
        format: u8::try_from(format).map_err(StoreError::decode)?,
        hash: row.try_get("hash")?,
    })
}

pub(crate) async fn links_after_pg(
    pool: &PgPool,
    after: u64,
    limit: usize,
) -> Result<Vec<Link>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM log_chain WHERE link > $1 ORDER BY link LIMIT $2");
    let rows = sqlx::query(&sql)
        .bind(to_i64(after)?)
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(pool)
        .await?;
    rows.iter().map(pg_link).collect()
}

pub(crate) async fn links_after_sqlite(
    pool: &SqlitePool,
    after: u64,
    limit: usize,
) -> Result<Vec<Link>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM log_chain WHERE link > ? ORDER BY link LIMIT ?");
    let rows = sqlx::query(&sql)
        .bind(to_i64(after)?)
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(pool)
        .await?;
    rows.iter().map(sqlite_link).collect()
}

pub(crate) async fn link_at_pg(
    pool: &PgPool,
    position: LogPosition,
) -> Result<Option<Link>, StoreError> {
    let (transaction, global) = position.parts();
    let sql = format!(
        "SELECT {COLUMNS} FROM log_chain WHERE transaction_id = $1 AND global_position = $2"
    );
    let row = sqlx::query(&sql)
        .bind(to_i64(transaction)?)
        .bind(to_i64(global)?)
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(pg_link).transpose()
}

pub(crate) async fn link_at_sqlite(
    pool: &SqlitePool,
    position: LogPosition,
) -> Result<Option<Link>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM log_chain WHERE global_position = ?");
    let row = sqlx::query(&sql)
        .bind(to_i64(position.parts().1)?)
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(sqlite_link).transpose()
}

/// The last link: the chain's head, its number the count of links.
pub(crate) async fn last_pg(pool: &PgPool) -> Result<Option<Link>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM log_chain ORDER BY link DESC LIMIT 1");
    let row = sqlx::query(&sql).fetch_optional(pool).await?;
    row.as_ref().map(pg_link).transpose()
}

pub(crate) async fn last_sqlite(pool: &SqlitePool) -> Result<Option<Link>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM log_chain ORDER BY link DESC LIMIT 1");
    let row = sqlx::query(&sql).fetch_optional(pool).await?;
    row.as_ref().map(sqlite_link).transpose()
}

/// Appends links in one statement (a short transaction of its own: it writes no event, so
/// the log reader's horizon does not wait for it).
pub(crate) async fn append_pg(pool: &PgPool, links: &[Link]) -> Result<(), StoreError> {
    if links.is_empty() {
        return Ok(());
    }
    let mut numbers = Vec::with_capacity(links.len());
    let mut transactions = Vec::with_capacity(links.len());
    let mut globals = Vec::with_capacity(links.len());
    let mut formats = Vec::with_capacity(links.len());
    let mut hashes = Vec::with_capacity(links.len());
    for link in links {
        let (transaction, global) = link.position.parts();
        numbers.push(to_i64(link.number)?);
        transactions.push(to_i64(transaction)?);
        globals.push(to_i64(global)?);
        formats.push(i16::from(link.format));
        hashes.push(link.hash.as_str());
    }
    sqlx::query(
        "INSERT INTO log_chain (link, transaction_id, global_position, format, hash) \
         SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::bigint[], $4::smallint[], $5::text[]) \
         ON CONFLICT DO NOTHING",
    )
    .bind(numbers)
    .bind(transactions)
    .bind(globals)
    .bind(formats)
    .bind(hashes)
    .execute(pool)
    .await?;
    Ok(())
}

pub(crate) async fn append_sqlite(pool: &SqlitePool, links: &[Link]) -> Result<(), StoreError> {
    for chunk in links.chunks(SQLITE_ROWS) {
        let mut sql: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO log_chain (link, transaction_id, global_position, format, hash) ",
        );
        let mut failed = None;
        sql.push_values(chunk, |mut row, link| {
            let numbers =
                to_i64(link.number).and_then(|n| Ok((n, to_i64(link.position.parts().1)?)));
            let (number, global) = numbers.unwrap_or_else(|error| {
                failed = Some(error);
                (0, 0)
            });
            row.push_bind(number)
                .push_bind(0_i64)
                .push_bind(global)
                .push_bind(i64::from(link.format))
                .push_bind(link.hash.clone());
        });
        if let Some(error) = failed {
            return Err(error);
        }
        sql.push(" ON CONFLICT DO NOTHING");
        sql.build().execute(pool).await?;
    }
    Ok(())
}
