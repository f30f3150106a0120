//! The store handle: open a database, read the global log, follow it live.
//!
//! Command execution is in `execute.rs` and aggregate loading in `snapshot.rs`; they add methods
//! to the same [`Store`]. A `Store` is cheap to clone and every clone shares the pools, the
//! change signal and the LISTEN task, which stops when the last clone is dropped.

use std::sync::Arc;

use futures_util::stream::TryChunksError;
use futures_util::{Stream, TryStreamExt};
use tokio::sync::watch;

use crate::backend::Db;
use crate::watch::{listen, ListenerTask, LogWatcher};
use crate::{migrate, Backend, LogPosition, Payload, StoreError, StoreOptions, StoredEvent};

/// The event log of one database.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    options: StoreOptions,
    /// Bumped after each local commit and by the LISTEN task; [`LogWatcher`]s wait on it.
    changes: watch::Sender<u64>,
    /// PostgreSQL only; aborted on drop.
    _listener: Option<ListenerTask>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // No URL here: it may hold a password.
        f.debug_struct("Store")
            .field("backend", &self.backend())
            .field("options", &self.inner.options)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens the database at `url` (`sqlite://FILE`, created when missing, or `postgres://…`)
    /// and brings its schema up to date.
    ///
    /// Fails with [`StoreError::SchemaTooNew`], changing nothing, when a newer program has
    /// migrated the database.
    pub async fn open(url: &str, options: StoreOptions) -> Result<Self, StoreError> {
        let db = Db::connect(url, &options).await?;
        if let Err(error) = migrate::run(&db).await {
            db.close().await;
            return Err(error);
        }
        let (changes, _) = watch::channel(0);
        let listener = match &db {
            Db::Postgres(pg) => match listen(pg.pool().clone(), changes.clone()).await {
                Ok(task) => Some(task),
                Err(error) => {
                    db.close().await;
                    return Err(error);
                }
            },
            Db::Sqlite(_) => None,
        };
        tracing::debug!(backend = ?db.backend(), "event store open");
        Ok(Self {
            inner: Arc::new(Inner {
                db,
                options,
                changes,
                _listener: listener,
            }),
        })
    }

    /// Which database engine this store runs on.
    pub fn backend(&self) -> Backend {
        self.inner.db.backend()
    }

    /// The options the store was opened with.
    pub fn options(&self) -> &StoreOptions {
        &self.inner.options
    }

    /// Up to `limit` events after `after`, in global order, with their metadata.
    ///
    /// Reading again from the position of the last event returned never skips an event, on
    /// either backend, however transactions interleave; an event committed later always comes
    /// after every position already returned. On PostgreSQL an event is delivered only once
    /// every transaction that started before it has finished, so an open write transaction
    /// anywhere on the server holds readers back (never makes them skip).
    ///
    /// Personal fields come unsealed; those whose key was erased are null and listed in
    /// [`StoredEvent::erased_fields`] (`personal.rs`).
    pub async fn read_after(
        &self,
        after: LogPosition,
        limit: usize,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let mut events = self.inner.db.read_after(after, limit).await?;
        self.unseal_events(&mut events).await?;
        Ok(events)
    }

    /// The event at exactly `position`, if the log holds one there (readable yet, as in
    /// [`Self::read_after`]). Lets a read-model image check that it belongs to this log.
    pub async fn event_at(&self, position: LogPosition) -> Result<Option<StoredEvent>, StoreError> {
        let (transaction_id, global_position) = position.parts();
        let Some(before) = global_position.checked_sub(1) else {
            return Ok(None);
        };
        // Positions order by transaction, then global position: nothing lies between the two.
        let after = LogPosition::from_parts(transaction_id, before);
        let found = self.read_after(after, 1).await?.into_iter().next();
        Ok(found.filter(|event| event.position == position))
    }

    /// [`Self::read_after`] for read models: the same events in the same order, each payload
    /// left as the JSON text the database returned ([`Payload::Text`]) unless it held sealed
    /// personal data, which is unsealed as in `read_after` ([`Payload::Tree`]). A projection
    /// then parses each payload once, into its own event type.
    pub async fn read_payloads_after(
        &self,
        after: LogPosition,
        limit: usize,
    ) -> Result<Vec<StoredEvent<Payload>>, StoreError> {
        let events = self.inner.db.read_text_after(after, limit).await?;
        self.unseal_text_events(events).await
    }

    /// Every event after `after` that the reader may see now, as [`Self::read_payloads_after`]
    /// gives them, in pages of `page_size`: for a start-up replay. One query streams the whole
    /// log, so the database keeps sending while the caller decodes, unseals and applies,
    /// instead of waiting for the next page's query. Events committed while it runs are not in
    /// it; read them afterwards with `read_payloads_after` from the last position.
    pub fn stream_payloads_after(
        &self,
        after: LogPosition,
        page_size: usize,
    ) -> impl Stream<Item = Result<Vec<StoredEvent<Payload>>, StoreError>> + '_ {
        self.inner
            .db
            .stream_text_after(after)
            .try_chunks(page_size.max(1))
            .map_err(|TryChunksError(_, error)| error)
            .and_then(move |page| self.unseal_text_events(page))
    }

    /// The position of the last committed event in log order ([`LogPosition::START`] for an
    /// empty log). A reader that has reached it has seen everything committed before this call;
    /// a read model can wait for it at start-up before it serves queries. On PostgreSQL,
    /// `read_after` may take a moment to get there: it waits for older transactions to end.
    pub async fn head(&self) -> Result<LogPosition, StoreError> {
        self.inner.db.head().await
    }

    /// A watcher that wakes when the log may have changed (see [`LogWatcher`]).
    pub fn subscribe(&self) -> LogWatcher {
        LogWatcher::new(
            self.inner.changes.subscribe(),
            self.inner.options.poll_interval,
        )
    }

    /// Closes the database connections. Other clones of this store stop working too.
    pub async fn close(&self) {
        self.inner.db.close().await;
    }

    pub(crate) fn db(&self) -> &Db {
        &self.inner.db
    }

    /// Wakes local watchers after a commit.
    pub(crate) fn signal_commit(&self) {
        self.inner
            .changes
            .send_modify(|count| *count = count.wrapping_add(1));
    }
}
