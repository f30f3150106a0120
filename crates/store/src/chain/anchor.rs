//! Anchors: chain heads written, as the chain grows, somewhere the events table is not — an
//! append-only file, a second database, or both — so that a cut tail is caught without anyone
//! remembering to export a head.
//!
//! An anchor is a head line (`guanjia-chain-head/1 POSITION EVENTS HASH`) with the time it was
//! written. [`Store::verify_anchor`] checks that the chain still passes through the newest
//! one; when it does not, it searches back for the newest anchor that still matches, so the
//! report says after which position history was changed. Anchors are only worth what their
//! place is worth: keep the file on another disk or mount (write-once, a log shipper), and
//! give the anchor database its own credentials.

use std::io::Write;
use std::path::PathBuf;
use std::str::FromStr;

use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{Connection, Row};

use super::{ChainHead, ChainProblem};
use crate::{Backend, Store, StoreError};

/// Where anchors go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnchorSink {
    /// Lines appended to a file (created when missing).
    File(PathBuf),
    /// Rows of a `chain_anchors` table in another database (`sqlite://…` or `postgres://…`),
    /// created when missing.
    Database(String),
}

/// A head written at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub head: ChainHead,
    pub anchored_at: DateTime<Utc>,
}

impl std::fmt::Display for Anchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}",
            self.anchored_at
                .to_rfc3339_opts(SecondsFormat::Micros, true),
            self.head
        )
    }
}

impl FromStr for Anchor {
    type Err = StoreError;

    fn from_str(line: &str) -> Result<Self, Self::Err> {
        let (at, head) = line
            .trim()
            .split_once(' ')
            .ok_or_else(|| StoreError::decode(format!("not an anchor line: {line:?}")))?;
        let anchored_at = DateTime::parse_from_rfc3339(at)
            .map_err(|_| StoreError::decode(format!("not an anchor time: {at:?}")))?
            .with_timezone(&Utc);
        Ok(Self {
            head: head.parse()?,
            anchored_at,
        })
    }
}

/// The anchors of one deployment: written by the server, read by `guanjia verify`.
#[derive(Debug, Clone, Default)]
pub struct AnchorBook {
    sinks: Vec<AnchorSink>,
}

/// The anchor table in another database. Text columns: the same on both engines.
const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS chain_anchors \
     (anchored_at TEXT NOT NULL, head TEXT NOT NULL, PRIMARY KEY (head))";

impl AnchorBook {
    /// A book writing to and reading from `sinks` (none: anchoring is off).
    pub fn new(sinks: Vec<AnchorSink>) -> Self {
        Self { sinks }
    }

    /// Whether anchoring is configured at all.
    pub fn is_off(&self) -> bool {
        self.sinks.is_empty()
    }

    /// Where anchors go, for messages.
    pub fn sinks(&self) -> &[AnchorSink] {
        &self.sinks
    }

    /// Writes `head` now to every sink. A file line is flushed to disk before this returns.
    pub async fn write(&self, head: &ChainHead) -> Result<Anchor, StoreError> {
        let anchor = Anchor {
            head: head.clone(),
            anchored_at: Utc::now(),
        };
        for sink in &self.sinks {
            match sink {
                AnchorSink::File(path) => append_line(path.clone(), anchor.to_string()).await?,
                AnchorSink::Database(url) => insert_row(url, &anchor).await?,
            }
        }
        Ok(anchor)
    }

    /// Every anchor of every sink, oldest position first (duplicates across sinks removed).
    pub async fn all(&self) -> Result<Vec<Anchor>, StoreError> {
        let mut anchors = Vec::new();
        for sink in &self.sinks {
            match sink {
                AnchorSink::File(path) => anchors.extend(read_file(path.clone()).await?),
                AnchorSink::Database(url) => anchors.extend(read_rows(url).await?),
            }
        }
        anchors.sort_by(|a, b| {
            (a.head.position, a.head.events, a.anchored_at).cmp(&(
                b.head.position,
                b.head.events,
                b.anchored_at,
            ))
        });
        anchors.dedup_by(|a, b| a.head == b.head);
        Ok(anchors)
    }
}

async fn append_line(path: PathBuf, line: String) -> Result<(), StoreError> {
    tokio::task::spawn_blocking(move || -> std::io::Result<()> {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)?;
        writeln!(file, "{line}")?;
        file.sync_data()
    })
    .await
    .map_err(StoreError::decode)?
    .map_err(|error| StoreError::Anchor {
        detail: format!("cannot append to the anchor file: {error}"),
    })
}

async fn read_file(path: PathBuf) -> Result<Vec<Anchor>, StoreError> {
    let shown = path.display().to_string();
    let text = match tokio::fs::read_to_string(&path).await {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => {
            return Err(StoreError::Anchor {
                detail: format!("cannot read the anchor file {shown}: {error}"),
            })
        }
    };
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| {
            line.parse().map_err(|_| StoreError::Anchor {
                detail: format!(
                    "line {} of the anchor file {shown} is not an anchor",
                    index + 1
                ),
            })
        })
        .collect()
}

async fn insert_row(url: &str, anchor: &Anchor) -> Result<(), StoreError> {
    let at = anchor
        .anchored_at
        .to_rfc3339_opts(SecondsFormat::Micros, true);
    let head = anchor.head.to_string();
    let failed = |error: sqlx::Error| StoreError::Anchor {
        detail: format!("cannot write to the anchor database: {error}"),
    };
    match Backend::from_url(url)? {
        Backend::Postgres => {
            let mut connection = sqlx::PgConnection::connect(url).await.map_err(failed)?;
            sqlx::query(CREATE_TABLE)
                .execute(&mut connection)
                .await
                .map_err(failed)?;
            sqlx::query("INSERT INTO chain_anchors VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(at)
                .bind(head)
                .execute(&mut connection)
                .await
                .map_err(failed)?;
            connection.close().await.map_err(failed)
        }
        Backend::Sqlite => {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(failed)?
                .create_if_missing(true);
            let mut connection = sqlx::SqliteConnection::connect_with(&options)
                .await
                .map_err(failed)?;
            sqlx::query(CREATE_TABLE)
                .execute(&mut connection)
                .await
                .map_err(failed)?;
            sqlx::query("INSERT INTO chain_anchors VALUES (?, ?) ON CONFLICT DO NOTHING")
                .bind(at)
                .bind(head)
                .execute(&mut connection)
                .await
                .map_err(failed)?;
            connection.close().await.map_err(failed)
        }
    }
}

async fn read_rows(url: &str) -> Result<Vec<Anchor>, StoreError> {
    let failed = |error: sqlx::Error| StoreError::Anchor {
        detail: format!("cannot read the anchor database: {error}"),
    };
    let lines: Vec<(String, String)> = match Backend::from_url(url)? {
        Backend::Postgres => {
            let pool = PgPoolOptions::new()
                .max_connections(1)
                .connect(url)
                .await
                .map_err(failed)?;
            sqlx::query(CREATE_TABLE)
                .execute(&pool)
                .await
                .map_err(failed)?;
            let rows = sqlx::query("SELECT anchored_at, head FROM chain_anchors")
                .fetch_all(&pool)
                .await
                .map_err(failed)?;
            pool.close().await;
            rows.iter()
                .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
                .collect::<Result<_, sqlx::Error>>()
                .map_err(failed)?
        }
        Backend::Sqlite => {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(failed)?
                .create_if_missing(true);
            let pool = SqlitePoolOptions::new()
                .max_connections(1)
                .connect_with(options)
                .await
                .map_err(failed)?;
            sqlx::query(CREATE_TABLE)
                .execute(&pool)
                .await
                .map_err(failed)?;
            let rows = sqlx::query("SELECT anchored_at, head FROM chain_anchors")
                .fetch_all(&pool)
                .await
                .map_err(failed)?;
            pool.close().await;
            rows.iter()
                .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
                .collect::<Result<_, sqlx::Error>>()
                .map_err(failed)?
        }
    };
    lines
        .into_iter()
        .map(|(at, head)| format!("{at} {head}").parse())
        .collect()
}

impl Store {
    /// Checks the chain against the anchors of `book`: `None` when it passes through the
    /// newest (or there is none yet), else where it stops matching. Verify the chain itself
    /// first ([`Store::verify_chain`]); this only adds what links alone cannot see.
    pub async fn verify_anchor(
        &self,
        book: &AnchorBook,
    ) -> Result<Option<ChainProblem>, StoreError> {
        let anchors = book.all().await?;
        let Some(newest) = anchors.last() else {
            return Ok(None);
        };
        if self.passes_through(&newest.head).await? {
            return Ok(None);
        }
        // Anchors are in log order and a change at some position breaks every anchor from
        // there on: search for the first that fails.
        let (mut good, mut bad) = (None::<usize>, anchors.len() - 1);
        let mut low = 0;
        while low < bad {
            let middle = low + (bad - low) / 2;
            if self.passes_through(&anchors[middle].head).await? {
                good = Some(middle);
                low = middle + 1;
            } else {
                bad = middle;
            }
        }
        Ok(Some(ChainProblem::AnchorMismatch {
            anchor: Box::new(anchors[bad].clone()),
            since: good.map(|index| anchors[index].head.position),
        }))
    }
}
