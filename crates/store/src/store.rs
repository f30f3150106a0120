//! The store handle: open a database, know where the log stands, follow it live.
//!
//! Reading the log is in `log_page.rs`, command execution in `execute.rs`, aggregate loading in
//! `snapshot.rs`; they add methods to the same [`Store`]. A `Store` is cheap to clone and every
//! clone shares the pools, the change signal, the quarantine list and the LISTEN task, which
//! stops when the last clone is dropped.

use std::collections::BTreeSet;
use std::sync::{Arc, RwLock};

use tokio::sync::watch;

use crate::announce::Announcer;
use crate::backend::Db;
use crate::recent::Recent;
use crate::watch::{listen, ListenerTask, LogWatcher};
use crate::{migrate, Backend, LogPosition, StoreError, StoreOptions};

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
    /// Bumped after each local commit only; the announcer tells other nodes of them.
    commits: watch::Sender<u64>,
    /// The position of the newest event appended through this store: a reader behind it
    /// knows there is more to read even when no signal says so (`last_local_commit`).
    last_commit: std::sync::Mutex<LogPosition>,
    /// Positions of quarantined events, which readers pass (`quarantine.rs`).
    quarantined: RwLock<Arc<BTreeSet<LogPosition>>>,
    /// Aggregates loaded or changed lately (`recent.rs`).
    recent: Recent,
    /// PostgreSQL only; aborted on drop.
    _listener: Option<ListenerTask>,
    /// PostgreSQL only; aborted on drop.
    announcer: Option<Announcer>,
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
    /// Opens the database at `url` (`sqlite://FILE`, created when missing, or `postgres://…`),
    /// brings its schema up to date when it is not (and the role may), and checks that the
    /// role has every privilege the store needs.
    ///
    /// Fails with [`StoreError::SchemaTooNew`], changing nothing, when a newer program has
    /// migrated the database; with [`StoreError::NeedsMigration`] when migrations are due and
    /// the role may not apply them; with [`StoreError::MissingPrivilege`] naming what to grant.
    pub async fn open(url: &str, options: StoreOptions) -> Result<Self, StoreError> {
        let db = Db::connect(url, &options).await?;
        let prepared = async {
            migrate::bring_up_to_date(&db).await?;
            db.check_privileges().await?;
            if let Db::Postgres(pg) = &db {
                pg.adopt_log_numbers().await?;
            }
            Ok::<_, StoreError>(())
        };
        if let Err(error) = prepared.await {
            db.close().await;
            return Err(error);
        }
        let (changes, _) = watch::channel(0);
        let (commits, _) = watch::channel(0);
        // Names this store in its notifications, so that its own listener skips them.
        let node = uuid::Uuid::new_v4().to_string();
        let (listener, announcer) = match &db {
            Db::Postgres(pg) => {
                match listen(pg.pool().clone(), changes.clone(), node.clone()).await {
                    Ok(task) => {
                        let announcer =
                            Announcer::start(pg.pool().clone(), commits.subscribe(), node);
                        (Some(task), Some(announcer))
                    }
                    Err(error) => {
                        db.close().await;
                        return Err(error);
                    }
                }
            }
            Db::Sqlite(_) => (None, None),
        };
        tracing::debug!(backend = ?db.backend(), "event store open");
        let store = Self {
            inner: Arc::new(Inner {
                db,
                recent: Recent::new(options.recent_aggregates),
                options,
                changes,
                commits,
                last_commit: std::sync::Mutex::new(LogPosition::START),
                quarantined: RwLock::default(),
                _listener: listener,
                announcer,
            }),
        };
        store.refresh_quarantine().await?;
        Ok(store)
    }

    /// Which database engine this store runs on.
    pub fn backend(&self) -> Backend {
        self.inner.db.backend()
    }

    /// The options the store was opened with.
    pub fn options(&self) -> &StoreOptions {
        &self.inner.options
    }

    /// The position of the last committed event in log order ([`LogPosition::START`] for an
    /// empty log). A reader that has reached it has seen everything committed before this call;
    /// a read model can wait for it at start-up before it serves queries. On PostgreSQL,
    /// `read_after` may take a moment to get there: it waits for event writers still open.
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

    /// Closes the database connections. Other clones of this store stop working too. Other
    /// nodes are told once more of this store's commits, in case the last ones were not
    /// announced yet.
    pub async fn close(&self) {
        if let Some(announcer) = &self.inner.announcer {
            if *self.inner.commits.borrow() > 0 {
                announcer.announce_now().await;
            }
        }
        self.inner.db.close().await;
    }

    pub(crate) fn db(&self) -> &Db {
        &self.inner.db
    }

    pub(crate) fn recent(&self) -> &Recent {
        &self.inner.recent
    }

    /// The position of the newest event appended through this store ([`LogPosition::START`]
    /// before the first). A reader of this node that has not reached it has more to read,
    /// whether or not a signal is still pending: on PostgreSQL a read can stop short of a
    /// commit it was woken for (the horizon, `backend/postgres/horizon.rs`, holds for a
    /// transaction that ended while the read looked), and nothing would wake it again.
    pub fn last_local_commit(&self) -> LogPosition {
        *self
            .inner
            .last_commit
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Wakes local watchers after a commit that put its last event at `position`, and has
    /// other nodes told of it.
    pub(crate) fn signal_commit(&self, position: LogPosition) {
        {
            let mut last = self
                .inner
                .last_commit
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            *last = (*last).max(position);
        }
        let bump = |count: &mut u64| *count = count.wrapping_add(1);
        self.inner.changes.send_modify(bump);
        self.inner.commits.send_modify(bump);
    }

    /// The positions quarantined so far, as this store last read them.
    pub fn quarantined(&self) -> Arc<BTreeSet<LogPosition>> {
        let set = self
            .inner
            .quarantined
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Arc::clone(&set)
    }

    /// Reads the quarantined positions again (after an unreadable row, or when a reader stuck
    /// on one looks whether an administrator has dealt with it).
    pub async fn refresh_quarantine(&self) -> Result<(), StoreError> {
        let positions = self.db().quarantined_positions().await?;
        let mut set = self
            .inner
            .quarantined
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *set = Arc::new(positions);
        Ok(())
    }
}
