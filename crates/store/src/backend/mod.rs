//! The two database backends behind one set of operations.
//!
//! Appends on both go through one group commit (`group_commit.rs`): the commands waiting at a
//! moment share one commit — on SQLite one transaction of plain statements (`sqlite/append.rs`),
//! on PostgreSQL one call of a function in one round trip (`postgres/append.rs`). sqlite-es's
//! and postgres-es's `persist` made a transaction per command, which is what kept writes below
//! the databases' own pace (docs/benchmarks.md). Everything else the store needs from the database (loading a stream, the command
//! key, snapshots, the global log) is SQL of our own: written once where both dialects take
//! the same SQL (`same_sql.rs`), per dialect in the submodules where they differ. An enum
//! rather than a trait: there are exactly two backends, and an enum keeps the async methods
//! free of boxing.

mod audit;
pub(crate) mod chain;
mod group_commit;
pub(crate) mod model_keys;
mod postgres;
mod privileges;
mod same_sql;
mod sqlite;
pub(crate) mod vault;

use std::collections::BTreeSet;

use cqrs_es::persist::SerializedEvent;
use cqrs_es::Aggregate;
use futures_util::stream::BoxStream;
use guanjia_domain::quarantine::Quarantine;
use serde_json::value::RawValue;
use serde_json::Value;
use sqlx::migrate::{MigrateError, Migrator};

use crate::{
    Backend, CommittedEvent, EventHeader, EventMetadata, LogPosition, RawRow, StoreError,
    StoreOptions, StoredEvent,
};

pub(crate) use postgres::PgDb;
pub(crate) use sqlite::SqliteDb;

/// A row of the global log as read: its position, and its event or why the event cannot be
/// read (a column that does not decode). The store decides what an unreadable row means
/// (`crate::log_page`); the backends only report it.
pub(crate) type LogRow<P> = (LogPosition, Result<StoredEvent<P>, StoreError>);

/// Rows of the log as they arrive from one query, payloads as text.
pub(crate) type LogRows<'a> = BoxStream<'a, Result<LogRow<Box<RawValue>>, StoreError>>;

/// An event of one aggregate, as loading needs it.
pub(crate) struct RawEvent {
    pub position: LogPosition,
    pub sequence: u64,
    pub event_type: String,
    pub payload: Value,
}

/// A snapshot row.
pub(crate) struct RawSnapshot {
    pub last_sequence: u64,
    pub state_version: u32,
    pub payload: Value,
}

/// Where an earlier copy of a command left its events: the first sequence and how many.
pub(crate) struct CommandRecord {
    pub first_sequence: u64,
    pub events: u64,
    /// What the command was (`metadata.command_fingerprint`); `None` on rows written before
    /// fingerprints were recorded.
    pub fingerprint: Option<String>,
}

/// Why an append did not happen.
pub(crate) enum AppendError {
    /// Another writer got there first: the sequence or the command key is taken.
    Conflict,
    /// Anything else.
    Failed(StoreError),
}

/// An open database.
pub(crate) enum Db {
    Sqlite(SqliteDb),
    Postgres(PgDb),
}

/// Calls the same method on whichever backend this is.
macro_rules! dispatch {
    ($db:expr, $inner:ident => $call:expr) => {
        match $db {
            Db::Sqlite($inner) => $call,
            Db::Postgres($inner) => $call,
        }
    };
}

impl Db {
    pub async fn connect(url: &str, options: &StoreOptions) -> Result<Self, StoreError> {
        Ok(match Backend::from_url(url)? {
            Backend::Sqlite => Self::Sqlite(SqliteDb::connect(url, options).await?),
            Backend::Postgres => Self::Postgres(PgDb::connect(url, options).await?),
        })
    }

    pub fn backend(&self) -> Backend {
        match self {
            Self::Sqlite(_) => Backend::Sqlite,
            Self::Postgres(_) => Backend::Postgres,
        }
    }

    /// The migration versions recorded in the database; `None` before the first migration.
    pub async fn applied_migrations(&self) -> Result<Option<Vec<i64>>, StoreError> {
        dispatch!(self, db => db.applied_migrations().await)
    }

    /// The migrations compiled into the binary for this backend.
    pub fn migrator(&self) -> &'static Migrator {
        match self {
            Self::Sqlite(_) => &sqlite::MIGRATOR,
            Self::Postgres(_) => &postgres::MIGRATOR,
        }
    }

    pub async fn run_migrations(&self) -> Result<(), MigrateError> {
        dispatch!(self, db => db.run_migrations().await)
    }

    /// Appends one command's events; the position of the last one. The events are handed
    /// over, not copied: they wait in the group commit's queue.
    pub async fn append<A: Aggregate>(
        &self,
        events: Vec<SerializedEvent>,
    ) -> Result<LogPosition, AppendError> {
        dispatch!(self, db => db.append::<A>(events).await)
    }

    pub async fn events_after(
        &self,
        aggregate_type: &str,
        aggregate_id: &str,
        after_sequence: u64,
    ) -> Result<Vec<RawEvent>, StoreError> {
        dispatch!(self, db => db.events_after(aggregate_type, aggregate_id, after_sequence).await)
    }

    pub async fn snapshot(
        &self,
        aggregate_type: &str,
        aggregate_id: &str,
    ) -> Result<Option<RawSnapshot>, StoreError> {
        match self {
            Db::Sqlite(db) => {
                same_sql::snapshot(db.read_pool(), aggregate_type, aggregate_id).await
            }
            Db::Postgres(db) => same_sql::snapshot(db.pool(), aggregate_type, aggregate_id).await,
        }
    }

    pub async fn save_snapshot(
        &self,
        aggregate_type: &str,
        aggregate_id: &str,
        snapshot: &RawSnapshot,
    ) -> Result<(), StoreError> {
        let (kind, id) = (aggregate_type, aggregate_id);
        match self {
            Db::Sqlite(db) => same_sql::save_snapshot(db.write_pool(), kind, id, snapshot).await,
            Db::Postgres(db) => same_sql::save_snapshot(db.pool(), kind, id, snapshot).await,
        }
    }

    pub async fn find_command(
        &self,
        aggregate_type: &str,
        aggregate_id: &str,
        command_key: &str,
    ) -> Result<Option<CommandRecord>, StoreError> {
        let (kind, id) = (aggregate_type, aggregate_id);
        match self {
            Db::Sqlite(db) => same_sql::find_command(db.read_pool(), kind, id, command_key).await,
            Db::Postgres(db) => same_sql::find_command(db.pool(), kind, id, command_key).await,
        }
    }

    /// The events `first..=last` of one aggregate with the position of each.
    pub async fn committed(
        &self,
        aggregate_type: &str,
        aggregate_id: &str,
        first: u64,
        last: u64,
    ) -> Result<Vec<(CommittedEvent, LogPosition)>, StoreError> {
        dispatch!(self, db => db.committed(aggregate_type, aggregate_id, first, last).await)
    }

    pub async fn read_after(
        &self,
        after: LogPosition,
        limit: usize,
    ) -> Result<Vec<LogRow<Value>>, StoreError> {
        dispatch!(self, db => db.read_after(after, limit).await)
    }

    pub async fn read_type_after(
        &self,
        aggregate_type: &str,
        after: LogPosition,
        limit: usize,
    ) -> Result<Vec<LogRow<Value>>, StoreError> {
        dispatch!(self, db => db.read_type_after(aggregate_type, after, limit).await)
    }

    pub async fn headers_after(
        &self,
        after: LogPosition,
        limit: usize,
    ) -> Result<Vec<EventHeader>, StoreError> {
        dispatch!(self, db => db.headers_after(after, limit).await)
    }

    pub fn stream_text_after(&self, after: LogPosition) -> LogRows<'_> {
        dispatch!(self, db => db.stream_text_after(after))
    }

    pub async fn read_text_after(
        &self,
        after: LogPosition,
        limit: usize,
    ) -> Result<Vec<LogRow<Box<RawValue>>>, StoreError> {
        dispatch!(self, db => db.read_text_after(after, limit).await)
    }

    pub async fn raw_rows_after(
        &self,
        after: LogPosition,
        limit: usize,
    ) -> Result<Vec<RawRow>, StoreError> {
        dispatch!(self, db => db.raw_rows_after(after, limit).await)
    }

    /// Rows as stored after `after`, every committed one, without waiting for event writers
    /// still open (on PostgreSQL, [`Self::raw_rows_after`] stops at the reader's horizon).
    /// For walking rows that are already chained: each link was made below the horizon, so
    /// every row before the last link has committed, and a read that stopped at a horizon
    /// held back for a moment would report chained rows as missing.
    pub async fn committed_raw_rows_after(
        &self,
        after: LogPosition,
        limit: usize,
    ) -> Result<Vec<RawRow>, StoreError> {
        dispatch!(self, db => db.committed_raw_rows_after(after, limit).await)
    }

    pub async fn raw_row_at(&self, position: LogPosition) -> Result<Option<RawRow>, StoreError> {
        dispatch!(self, db => db.raw_row_at(position).await)
    }

    /// The positions named by quarantine events (their stream ids).
    pub async fn quarantined_positions(&self) -> Result<BTreeSet<LogPosition>, StoreError> {
        let ids: Vec<String> = match self {
            Db::Sqlite(db) => {
                sqlx::query_scalar("SELECT aggregate_id FROM events WHERE aggregate_type = ?")
                    .bind(Quarantine::TYPE)
                    .fetch_all(db.read_pool())
                    .await?
            }
            Db::Postgres(db) => {
                sqlx::query_scalar("SELECT aggregate_id FROM events WHERE aggregate_type = $1")
                    .bind(Quarantine::TYPE)
                    .fetch_all(db.pool())
                    .await?
            }
        };
        ids.iter().map(|id| id.parse()).collect()
    }

    /// Fails with [`StoreError::MissingPrivilege`] naming every privilege the role lacks.
    pub async fn check_privileges(&self) -> Result<(), StoreError> {
        match self {
            // A file the process can open is a file it may write: SQLite has no roles.
            Db::Sqlite(_) => Ok(()),
            Db::Postgres(db) => privileges::check(db.pool()).await,
        }
    }

    pub async fn audit(
        &self,
        filter: &crate::AuditFilter,
        after: LogPosition,
        limit: usize,
    ) -> Result<Vec<LogRow<Value>>, StoreError> {
        match self {
            Db::Sqlite(db) => audit::sqlite(db.read_pool(), filter, after, limit).await,
            Db::Postgres(db) => audit::postgres(db.pool(), filter, after, limit).await,
        }
    }

    /// Links after link number `after`, in order.
    pub async fn chain_links_after(
        &self,
        after: u64,
        limit: usize,
    ) -> Result<Vec<chain::Link>, StoreError> {
        match self {
            Db::Sqlite(db) => chain::links_after_sqlite(db.read_pool(), after, limit).await,
            Db::Postgres(db) => chain::links_after_pg(db.pool(), after, limit).await,
        }
    }

    /// The link at an event's position, if the event is chained.
    pub async fn link_at(&self, position: LogPosition) -> Result<Option<chain::Link>, StoreError> {
        match self {
            Db::Sqlite(db) => chain::link_at_sqlite(db.read_pool(), position).await,
            Db::Postgres(db) => chain::link_at_pg(db.pool(), position).await,
        }
    }

    pub async fn last_link(&self) -> Result<Option<chain::Link>, StoreError> {
        match self {
            Db::Sqlite(db) => chain::last_sqlite(db.read_pool()).await,
            Db::Postgres(db) => chain::last_pg(db.pool()).await,
        }
    }

    pub async fn append_chain(&self, links: &[chain::Link]) -> Result<(), StoreError> {
        match self {
            Db::Sqlite(db) => chain::append_sqlite(db.write_pool(), links).await,
            Db::Postgres(db) => chain::append_pg(db.pool(), links).await,
        }
    }

    pub async fn head(&self) -> Result<LogPosition, StoreError> {
        dispatch!(self, db => db.head().await)
    }

    /// The key of `subject` for sealing: `fresh` is stored when the subject has none yet;
    /// `None` when the subject was erased.
    pub async fn key_for_seal(
        &self,
        subject: &str,
        fresh: &[u8],
    ) -> Result<Option<Vec<u8>>, StoreError> {
        match self {
            Db::Sqlite(db) => vault::key_for_seal(db.write_pool(), subject, fresh).await,
            Db::Postgres(db) => vault::key_for_seal(db.pool(), subject, fresh).await,
        }
    }

    /// The keys of `subjects` for unsealing (absent or `None`: erased).
    pub async fn keys(&self, subjects: &[String]) -> Result<vault::Keys, StoreError> {
        match self {
            Db::Sqlite(db) => vault::keys(db.read_pool(), subjects).await,
            Db::Postgres(db) => vault::keys(db.pool(), subjects).await,
        }
    }

    /// Shreds the keys of every subject under `prefix` and drops the aggregate's snapshots.
    pub async fn erase_personal(
        &self,
        prefix: &str,
        aggregate_type: &str,
        aggregate_id: &str,
    ) -> Result<u64, StoreError> {
        match self {
            Db::Sqlite(db) => {
                vault::erase_sqlite(db.write_pool(), prefix, aggregate_type, aggregate_id).await
            }
            Db::Postgres(db) => {
                vault::erase_pg(db.pool(), prefix, aggregate_type, aggregate_id).await
            }
        }
    }

    /// The newest read-model snapshot key, if any.
    pub async fn newest_model_key(&self) -> Result<Option<model_keys::ModelKey>, StoreError> {
        match self {
            Db::Sqlite(db) => model_keys::newest_sqlite(db.write_pool()).await,
            Db::Postgres(db) => model_keys::newest_pg(db.pool()).await,
        }
    }

    /// Stores a new read-model snapshot key made when the log's head was `head`.
    pub async fn create_model_key(
        &self,
        key: &[u8],
        head: &str,
    ) -> Result<model_keys::ModelKey, StoreError> {
        match self {
            Db::Sqlite(db) => model_keys::create_sqlite(db.write_pool(), key, head).await,
            Db::Postgres(db) => model_keys::create_pg(db.pool(), key, head).await,
        }
    }

    /// A read-model snapshot key by id; `None` once an erasure deleted it.
    pub async fn model_key(&self, id: i64) -> Result<Option<Vec<u8>>, StoreError> {
        match self {
            Db::Sqlite(db) => model_keys::by_id_sqlite(db.read_pool(), id).await,
            Db::Postgres(db) => model_keys::by_id_pg(db.pool(), id).await,
        }
    }

    pub async fn close(&self) {
        dispatch!(self, db => db.close().await)
    }
}

/// The columns of one log row, decoded into a [`StoredEvent`].
#[allow(clippy::too_many_arguments)] // one argument per column, called from two places
fn stored_event<P>(
    position: LogPosition,
    aggregate_type: String,
    aggregate_id: String,
    sequence: i64,
    event_type: String,
    event_version: String,
    payload: P,
    metadata: EventMetadata,
    recorded_at: chrono::DateTime<chrono::Utc>,
) -> Result<StoredEvent<P>, StoreError> {
    Ok(StoredEvent {
        position,
        aggregate_type,
        aggregate_id,
        sequence: to_u64(sequence)?,
        event_type,
        event_version,
        payload,
        metadata,
        recorded_at,
        erased_fields: Vec::new(),
    })
}

/// Database integers are signed; sequences and positions are not.
fn to_u64(value: i64) -> Result<u64, StoreError> {
    u64::try_from(value)
        .map_err(|_| StoreError::decode(format!("negative number {value} in the log")))
}

/// The other way; a sequence past `i64::MAX` cannot happen, but it must not wrap silently.
fn to_i64(value: u64) -> Result<i64, StoreError> {
    i64::try_from(value).map_err(|_| StoreError::decode(format!("number {value} is out of range")))
}

/// `command_events` of a first event; a key without it (a hand-written row) counts as one.
fn parse_count(events: Option<String>) -> Result<u64, StoreError> {
    match events {
        None => Ok(1),
        Some(text) => text
            .parse()
            .map_err(|_| StoreError::decode(format!("bad command_events {text:?}"))),
    }
}
