//! Writing the generated log into the databases: raw sqlx bulk writes into the `events` table
//! (layout in migrations/*/0001_event_log.sql), not commands, which would take hours for two
//! million events. The schema itself comes from `Store::open`, so it is the real one with all
//! its indexes and triggers; only the rows are written by hand, with the columns the store's
//! append writes plus `recorded_at`, which the store otherwise takes from the clock.
//!
//! PostgreSQL: one `COPY … FROM STDIN` of all rows in log order, in one transaction, so the log
//! order `(transaction_id, global_position)` is the order of the rows here. SQLite: multi-row
//! INSERTs in log order; `global_position` is the rowid.
//! On both, the indexes that back no constraint are dropped before and built again after the
//! load from their own definitions (as read from the catalog), which is much faster than
//! inserting into them row by row. The personal-data keys go into `personal_keys` first. The hash chain (`event_chain`) is not
//! written: the read model does not read it.

use std::str::FromStr;

use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{Connection, QueryBuilder, Sqlite, SqliteConnection};

use crate::dataset::Log;
use crate::generate::Generator;

/// Rows per key INSERT on PostgreSQL.
const PG_BATCH: usize = 5_000;
/// Bytes per message of the PostgreSQL COPY.
const COPY_CHUNK: usize = 1 << 20;
/// Rows per SQLite statement (8 parameters a row, under SQLite's 32,766).
pub const SQLITE_BATCH: usize = 500;
/// Rows per SQLite transaction.
const SQLITE_TRANSACTION: usize = 100_000;

/// One `COPY … FROM STDIN (FORMAT csv)` of the whole log: one transaction, so the log order is
/// the order of the rows.
pub async fn postgres(url: &str, generator: &Generator, log: &Log) -> anyhow::Result<()> {
    let pool = PgPoolOptions::new().max_connections(1).connect(url).await?;
    for batch in log.keys.chunks(PG_BATCH) {
        let subjects: Vec<&str> = batch.iter().map(|(subject, _)| subject.as_str()).collect();
        let keys: Vec<Vec<u8>> = batch.iter().map(|(_, key)| key.to_vec()).collect();
        sqlx::query(
            "INSERT INTO personal_keys (subject, key) SELECT * FROM UNNEST($1::text[], $2::bytea[])",
        )
        .bind(&subjects)
        .bind(&keys)
        .execute(&pool)
        .await?;
    }
    // Secondary indexes are dropped for the load and built again after it, by sorting, from
    // their own definitions: the same indexes, minutes sooner. Constraints stay.
    let secondary: Vec<(String, String)> = sqlx::query_as(
        "SELECT indexname::text, indexdef FROM pg_indexes i \
         WHERE schemaname = current_schema() AND tablename = 'events' \
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c \
                           WHERE c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass)",
    )
    .fetch_all(&pool)
    .await?;
    for (name, _) in &secondary {
        sqlx::query(&format!("DROP INDEX \"{name}\""))
            .execute(&pool)
            .await?;
    }
    let mut connection = pool.acquire().await?;
    let mut copy = connection
        .copy_in_raw(
            "COPY events (aggregate_type, aggregate_id, sequence, event_type, event_version, \
             payload, metadata, recorded_at) FROM STDIN WITH (FORMAT csv)",
        )
        .await?;
    let mut buffer = String::with_capacity(COPY_CHUNK + 4096);
    for row in &log.rows {
        csv_field(&mut buffer, log.aggregate_type(row));
        buffer.push(',');
        csv_field(&mut buffer, log.aggregate_id(row));
        buffer.push(',');
        buffer.push_str(&row.sequence.to_string());
        buffer.push(',');
        csv_field(&mut buffer, row.event_type);
        buffer.push_str(",1,");
        csv_field(&mut buffer, &row.payload);
        buffer.push(',');
        csv_field(&mut buffer, &log.metadata(generator, row));
        buffer.push(',');
        buffer.push_str(&row.at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string());
        buffer.push('\n');
        if buffer.len() >= COPY_CHUNK {
            copy.send(buffer.as_bytes()).await?;
            buffer.clear();
        }
    }
    copy.send(buffer.as_bytes()).await?;
    copy.finish().await?;
    drop(connection);
    for (_, definition) in &secondary {
        sqlx::query(definition).execute(&pool).await?;
    }
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM events")
        .fetch_one(&pool)
        .await?;
    anyhow::ensure!(
        usize::try_from(count)? == log.rows.len(),
        "PostgreSQL holds {count} events, {} were written",
        log.rows.len()
    );
    // Fresh statistics, as autovacuum would have them on a server that has been running.
    sqlx::query("VACUUM ANALYZE events").execute(&pool).await?;
    pool.close().await;
    Ok(())
}

/// Multi-row INSERTs of [`SQLITE_BATCH`] rows in transactions of 100,000, on one connection
/// with `synchronous = OFF` for the load only (the store reopens it with its own settings).
pub async fn sqlite(url: &str, generator: &Generator, log: &Log) -> anyhow::Result<()> {
    let options = SqliteConnectOptions::from_str(url)?
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Off)
        // 256 MiB of page cache: the indexes on random case ids do not fit the default 2 MiB.
        .pragma("cache_size", "-262144");
    let mut connection = SqliteConnection::connect_with(&options).await?;
    // As on PostgreSQL: secondary indexes dropped for the load, built again from their own SQL.
    let secondary: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master \
         WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL",
    )
    .fetch_all(&mut connection)
    .await?;
    for (name, _) in &secondary {
        sqlx::query(&format!("DROP INDEX \"{name}\""))
            .execute(&mut connection)
            .await?;
    }
    let mut transaction = connection.begin().await?;
    for batch in log.keys.chunks(SQLITE_BATCH * 4) {
        let mut insert: QueryBuilder<Sqlite> =
            QueryBuilder::new("INSERT INTO personal_keys (subject, key) ");
        insert.push_values(batch, |mut values, (subject, key)| {
            values.push_bind(subject.as_str()).push_bind(key.as_slice());
        });
        insert.build().execute(&mut *transaction).await?;
    }
    transaction.commit().await?;
    for part in log.rows.chunks(SQLITE_TRANSACTION) {
        let mut transaction = connection.begin().await?;
        for batch in part.chunks(SQLITE_BATCH) {
            let mut insert: QueryBuilder<Sqlite> = QueryBuilder::new(
                "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, \
                 event_version, payload, metadata, recorded_at) ",
            );
            insert.push_values(batch, |mut values, row| {
                values
                    .push_bind(log.aggregate_type(row))
                    .push_bind(log.aggregate_id(row))
                    .push_bind(i64::from(row.sequence))
                    .push_bind(row.event_type)
                    .push_bind("1")
                    .push_bind(row.payload.as_str())
                    .push_bind(log.metadata(generator, row))
                    // The column default's format.
                    .push_bind(row.at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string());
            });
            insert.build().execute(&mut *transaction).await?;
        }
        transaction.commit().await?;
    }
    for (_, definition) in &secondary {
        sqlx::query(definition).execute(&mut connection).await?;
    }
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM events")
        .fetch_one(&mut connection)
        .await?;
    anyhow::ensure!(
        usize::try_from(count)? == log.rows.len(),
        "SQLite holds {count} events, {} were written",
        log.rows.len()
    );
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut connection)
        .await?;
    sqlx::query("ANALYZE").execute(&mut connection).await?;
    connection.close().await?;
    Ok(())
}

/// A CSV field, quoted, with its quotes doubled.
fn csv_field(buffer: &mut String, text: &str) {
    buffer.push('"');
    for part in text.split_inclusive('"') {
        buffer.push_str(part);
        if part.ends_with('"') {
            buffer.push('"');
        }
    }
    buffer.push('"');
}
