//! The reader's horizon on PostgreSQL: the log transaction number below which every event has
//! committed (or never will), so that reading below it in log order never passes an event that
//! could still appear.
//!
//! The log is ordered by `(transaction_id, global_position)`, where `transaction_id` is the
//! inserting transaction's id plus this database's offset (migration 0007). A row becomes
//! visible when its transaction commits, and transactions commit out of order; so the reader
//! stops at the oldest transaction that may still commit an event.
//!
//! `pg_snapshot_xmin` alone would be that bound, but it is cluster-wide: any transaction with
//! an id — in another database, an administrator's forgotten session, our own chain keeper —
//! holds it back for as long as it stays open. Here the running transactions of the
//! statement's snapshot are sorted out with the lock table instead:
//!
//! - A transaction that appends events takes its lock on `events` (RowExclusiveLock, at
//!   parse time) before it has an id, and holds it to the end: a trigger refuses an insert of
//!   events into a transaction that already had an id without having appended events first.
//! - So a transaction that was running at the snapshot (it had an id then) and, when the lock
//!   table is read afterwards, still runs without a lock on `events` has never appended an
//!   event and never will: it is passed.
//! - Every other transaction of the snapshot holds the horizon: those holding the lock, and
//!   those that ended between the snapshot and the read of the lock table (their rows are not
//!   in the snapshot, so the reader must wait for the next query to see them).
//!
//! So the horizon is not monotonic: a read may stop below what the one before it returned.
//! Readers that go on from their last position do not mind; a question about one event at a
//! known position is asked of the rows as committed (`raw_row_at`), not through the horizon.
//!
//! The lock table is read after the snapshot is taken because the function runs inside the
//! statement (STABLE: it takes no snapshot of its own), whose snapshot `pg_current_snapshot()`
//! returns. A transaction id appears in
//! `pg_locks` as 32 bits; the snapshot's ids are 64-bit (epoch-extended) and are compared on
//! their low 32 bits, which is exact among transactions running at once.
//!
//! Worst case: an event writer that keeps its transaction open (a node stopped mid-append by a
//! debugger, an `idle in transaction` session that inserted an event) holds every reader back
//! until it ends; nothing is ever skipped. On a read replica the lock table is the replica's
//! own, so every running transaction holds the horizon there (the old, cluster-wide bound).

/// The horizon as a scalar subquery: evaluated once per statement, in its snapshot. The SQL is
/// the function `guanjia_log_horizon()` of migration 0007 (a function, so that PostgreSQL
/// prepares its plan once per session instead of planning it with every read).
pub(super) const HORIZON: &str = "(SELECT guanjia_log_horizon())";
