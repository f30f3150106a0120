//! Log transaction numbers across clusters.
//!
//! An event's `transaction_id` is the id of the transaction that inserted it plus this
//! database's offset (migration 0007). Transaction ids belong to one cluster: restored onto
//! another (a `pg_dump`/`pg_restore`, `guanjia restore`, a move to new hardware), the rows keep
//! the numbers they were written with while the new cluster's counter may be far behind them.
//! New events would then sort before old ones, and the reader's horizon — computed from the
//! new cluster's transactions — would lie below the restored rows, which it would never read.
//!
//! So whenever a store opens, it checks that the next number this cluster hands out is above
//! every number in the log, and if not, adopts an offset that makes it so (recorded, with the
//! reason, in `log_transaction_offsets`). Numbers in the log never change: positions held by
//! clients, read-model snapshots, chain links and exported heads stay valid after a restore.

use sqlx::postgres::PgPool;
use sqlx::Row;

use crate::StoreError;

/// A lock key of its own, so that two nodes starting at once adopt one offset, not two.
const ADOPTION_LOCK: i64 = 0x6775_616e_6a69_6101;

/// Adopts a larger offset when the log holds numbers at or above what this cluster would
/// hand out next.
pub(super) async fn adopt(pool: &PgPool) -> Result<(), StoreError> {
    if !behind(pool).await? {
        return Ok(());
    }
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(ADOPTION_LOCK)
        .execute(&mut *tx)
        .await?;
    // Again under the lock: another node may have adopted meanwhile.
    let row = sqlx::query(COUNTER).fetch_one(&mut *tx).await?;
    let (next, offset, highest): (i64, i64, Option<i64>) = (
        row.try_get("next")?,
        row.try_get("xid_offset")?,
        row.try_get("highest")?,
    );
    let Some(highest) = highest.filter(|highest| *highest >= next + offset) else {
        return Ok(());
    };
    let adopted = highest + 1 - next;
    sqlx::query("INSERT INTO log_transaction_offsets (xid_offset, reason) VALUES ($1, $2)")
        .bind(adopted)
        .bind(format!(
            "the log holds transaction number {highest}, ahead of this cluster's counter \
             ({next}) with offset {offset}: restored from another cluster"
        ))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    tracing::warn!(
        highest,
        cluster_counter = next,
        previous_offset = offset,
        offset = adopted,
        "the log was written on another cluster: adopted a new transaction offset"
    );
    Ok(())
}

/// This cluster's next transaction id (roughly: the current snapshot's xmax), the offset in
/// force and the highest number in the log. Takes no transaction id itself.
const COUNTER: &str = "\
SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS next,
       coalesce((SELECT xid_offset FROM log_transaction_offsets ORDER BY id DESC LIMIT 1), 0)
           AS xid_offset,
       (SELECT max(transaction_id) FROM events) AS highest";

/// Whether the log holds a number at or above the next one this cluster hands out.
async fn behind(pool: &PgPool) -> Result<bool, StoreError> {
    let row = sqlx::query(COUNTER).fetch_one(pool).await?;
    let (next, offset, highest): (i64, i64, Option<i64>) = (
        row.try_get("next")?,
        row.try_get("xid_offset")?,
        row.try_get("highest")?,
    );
    Ok(highest.is_some_and(|highest| highest >= next + offset))
}
