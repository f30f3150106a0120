//! guanjia-store: the event log. Commands are decided by cqrs-es aggregates and their events are
//! appended here; read models follow the log from here. See `docs/event-log.md`.
//!
//! A map for newcomers:
//! - [`Store`] (`store.rs`): open a database by URL (`sqlite://FILE` or `postgres://…`) —
//!   migrating when due and allowed, checking the role's privileges —, follow the log live
//!   with [`Store::subscribe`].
//! - `log_page.rs`: read the global log with [`Store::read_after`]; read models use
//!   [`Store::read_payloads_after`] and, at start-up, [`Store::stream_payloads_after`]: the
//!   same events with payloads left as JSON text ([`Payload`]) for typed decoding. An
//!   unreadable row stops readers, named ([`StoreError::Unreadable`]), until it is quarantined.
//! - `quarantine.rs`: [`Store::quarantine`] puts an unreadable row aside, on the record.
//! - `execute.rs`: [`Store::execute`] runs a command — load, check, decide, append — retrying
//!   on optimistic-lock conflicts and answering a repeated idempotency key with the first
//!   outcome.
//! - `snapshot.rs`: [`Store::load`] / [`Store::replay`] and our own snapshots (cqrs-es 0.5.0's
//!   snapshot store doubles events; it is not used).
//! - `backend/`: the SQL of each database. Appends are grouped, several commands to one commit
//!   (`backend/group_commit.rs`); everything else is ours. `backend/postgres/horizon.rs` is the one subtle
//!   part: how far a PostgreSQL reader may read without ever skipping an event.
//! - `audit.rs`: [`Store::audit`] (the log filtered by aggregate, actor, type, time) and
//!   [`Store::load_as_of`] (an aggregate as it stood at a position or time).
//! - `chain/`: the tamper-evident hash chain over the log: extend, verify, export a head and
//!   prove later that the log still extends it; anchors written outside the database.
//! - `personal.rs`, `vault.rs`: personal data sealed per data subject before it is appended,
//!   unsealed on every read, and erased by shredding keys ([`Store::shred_personal_data`]).
//!   Which fields are personal is the domain's declaration (`guanjia_domain::personal`).
//! - `portable.rs`: a portable copy of a PostgreSQL log ([`portable_backup`]) restored onto
//!   any cluster ([`portable_restore`]).
//! - `model_seal.rs`, `model_stream.rs`: read-model snapshots sealed, as a stream, under keys
//!   that any erasure deletes ([`Store::read_model_sealing_key`]).
//! - [`metrics`]: the command series, recorded in `execute.rs` through the `metrics` facade.
//! - `migrate.rs`: the schema (top-level `migrations/`) and [`migrate`] for the `migrate`
//!   command; a database newer than the binary is refused untouched.
//! - `watch.rs`: [`LogWatcher`] — local commit signal, PostgreSQL LISTEN/NOTIFY, polling.
//! - `announce.rs`: on PostgreSQL, the notification to other nodes after this node's commits.
//! - [`LogPosition`], [`EventMetadata`], [`StoredEvent`], [`Committed`]: the values handed out.
//! - [`StoreError`]: the one error type of this layer.
//! - `testing` (feature `testing`): fresh SQLite and PostgreSQL databases for tests.

mod announce;
mod audit;
mod backend;
mod chain;
mod error;
mod event;
mod execute;
mod log_page;
mod metadata;
pub mod metrics;
mod migrate;
mod model_seal;
mod model_stream;
mod options;
mod personal;
mod portable;
mod position;
mod quarantine;
mod recent;
mod snapshot;
mod store;
#[cfg(feature = "testing")]
pub mod testing;
mod vault;
mod watch;

pub use audit::{AsOf, AuditFilter};
pub use chain::{Anchor, AnchorBook, AnchorSink, ChainHead, ChainProblem, ChainReport};
pub use error::{Source, StoreError};
pub use event::{
    Committed, CommittedEvent, DecodePayload, EventHeader, LoadedAggregate, Payload, RawRow,
    StoredEvent,
};
pub use execute::Guard;
pub use metadata::{CommandContext, EventMetadata};
pub use migrate::{migrate, MigrationReport};
pub use model_seal::ModelKey;
pub use model_stream::{Opener, Sealer};
pub use options::{Backend, StoreOptions, DEFAULT_URL};
pub use portable::{backup as portable_backup, restore as portable_restore, PortableReport};
pub use position::LogPosition;
pub use store::Store;
pub use watch::LogWatcher;
