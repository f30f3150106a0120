//! Read-model snapshots: an image of the whole [`ReadModel`] on the node's disk, so that a
//! restart replays only the log written since, not all of it (architecture.md, "How it scales").
//!
//! The image is a cache, never a source of truth. It is used only when everything about it still
//! holds, and otherwise the node replays the log as if there were none:
//! - it was written by this build, in this format ([`FORMAT`]): the build is identified by a
//!   fingerprint of the source that decides what the model holds (`build.rs`), so an upgrade
//!   that folds events differently never starts from an image of the old answers;
//! - it opens: it is sealed under a key kept in the database, and erasing anyone's personal data
//!   deletes every such key (`guanjia_store::Store::seal_read_model`), so an image taken before an
//!   erasure — on this disk or any copy of it — never opens again;
//! - it belongs to this log: the event at its position is still the one it applied last;
//! - it was made under the same working-day calendar and KPI configuration as this node's.
//!
//! The file: a magic line, a JSON header (readable with `head`; bound to the sealed body, so it
//! cannot be edited), the id of the key, then the sealed body: the model as sections, one table
//! at a time (`sections.rs`). The body is sealed as a stream, straight to and from the file: an
//! image is a third of the model's size, and holding it whole beside the model would take a
//! node with 100,000 cases near 1 GiB. It is written to a temporary file, synced and renamed, so
//! a crash leaves the old image or the new one, never half of one.

mod file;
mod sections;

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};
use guanjia_store::{LogPosition, Store, StoreError};
use serde::{Deserialize, Serialize};

use crate::ReadModel;
use file::{read_body, read_prefix, write_file, Prefix};

/// The version of the file layout (magic, header, key id, sealed body).
pub const FORMAT: u32 = 1;

/// The build that writes and reads images: the crate version and the source fingerprint.
pub fn build() -> String {
    format!(
        "{}+{}",
        env!("CARGO_PKG_VERSION"),
        env!("GUANJIA_READ_FINGERPRINT")
    )
}

/// What an image says about itself, in clear.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageHeader {
    pub format: u32,
    /// The version of the build that wrote it.
    pub build: String,
    /// The position of the last event applied.
    pub position: LogPosition,
    /// That event's stream and sequence number: the same position in another log (a restored or
    /// recreated database) holds another event.
    pub last_event: Option<(String, u64)>,
    pub cases: usize,
    pub taken_at: DateTime<Utc>,
}

/// The image's body before sealing (for checks; [`SnapshotFile::save`] writes it as a stream).
pub fn encode(model: &ReadModel) -> Result<Vec<u8>, SnapshotError> {
    let mut body = Vec::new();
    sections::write(model, &mut body).map_err(SnapshotError::Encode)?;
    Ok(body)
}

/// The model from a body made by [`encode`].
pub fn decode(mut body: &[u8]) -> Result<ReadModel, SnapshotError> {
    let model = sections::read(&mut body).map_err(SnapshotError::Decode)?;
    if !body.is_empty() {
        return Err(SnapshotError::Decode(io::Error::new(
            io::ErrorKind::InvalidData,
            "bytes after the last section",
        )));
    }
    Ok(model)
}

/// Why an image could not be taken or written.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("the read model could not be encoded: {0}")]
    Encode(io::Error),
    #[error("the image does not decode: {0}")]
    Decode(io::Error),
    #[error("the database could not seal the image: {0}")]
    Store(#[from] StoreError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// What became of an image handed to [`SnapshotFile::save`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// Written: the file's size in bytes.
    Written { bytes: u64 },
    /// Not written: personal data was erased after the model's position. Take another once
    /// the model has applied the erasure.
    Stale,
    /// Not written: the model moved on while the image was being prepared. Take another.
    Moved,
}

/// Why no image was used at start-up: the node then replays the whole log.
#[derive(Debug)]
pub enum Unused {
    /// There is no image yet.
    Missing,
    /// The file is not an image, or is cut short.
    Unreadable(String),
    /// Another build or format wrote it.
    OtherBuild { format: u32, build: String },
    /// Personal data was erased after it was taken: its key is gone.
    Erased,
    /// The event at its position is not the one it applied last: another or a restored log.
    OtherLog,
    /// Made under another working-day calendar or KPI configuration.
    OtherSettings,
    /// The image does not open (altered or damaged) or does not decode.
    Damaged(String),
    /// The database could not be asked.
    Failed(String),
}

impl fmt::Display for Unused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing => write!(f, "there is no snapshot yet"),
            Self::Unreadable(why) => write!(f, "the file is not a snapshot: {why}"),
            Self::OtherBuild { format, build } => write!(
                f,
                "written by build {build} in format {format}; this is {} in format {FORMAT}",
                self::build()
            ),
            Self::Erased => write!(f, "personal data was erased after it was taken"),
            Self::OtherLog => write!(f, "it does not belong to this event log"),
            Self::OtherSettings => write!(f, "made under another calendar or KPI configuration"),
            Self::Damaged(why) => write!(f, "the snapshot is damaged: {why}"),
            Self::Failed(why) => write!(f, "{why}"),
        }
    }
}

/// Where a node keeps its image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotFile {
    path: PathBuf,
}

impl SnapshotFile {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Takes an image of `model` and replaces the file with it. The model is encoded, sealed
    /// and written under its read lock (queries go on; whoever applies events waits), off the
    /// async workers.
    pub async fn save(
        &self,
        store: &Store,
        model: Arc<RwLock<ReadModel>>,
    ) -> Result<Saved, SnapshotError> {
        let (position, cases) = {
            let model = read(&model);
            (model.position(), model.case_count())
        };
        // The row as committed, not as readers may see it now: on PostgreSQL the horizon can
        // stand below an event the model has already applied (a transaction that ends while a
        // read looks holds it back for that read), and the image would be skipped for nothing.
        let last_event = match store.raw_row_at(position).await? {
            Some(row) => Some((row.aggregate_id, row.sequence)),
            None if position == LogPosition::START => None,
            // The log no longer holds what the model applied: nothing to cache against.
            None => return Ok(Saved::Stale),
        };
        let Some(key) = store.read_model_sealing_key(position).await? else {
            return Ok(Saved::Stale);
        };
        let header = ImageHeader {
            format: FORMAT,
            build: build(),
            position,
            last_event,
            cases,
            taken_at: Utc::now(),
        };
        let header = serde_json::to_vec(&header).map_err(|error| self.io_error(error.into()))?;
        let path = self.path.clone();
        let written = tokio::task::spawn_blocking(move || {
            let model = read(&model);
            if model.position() != position {
                return Ok(None);
            }
            write_file(&path, &header, &key, &model).map(Some)
        });
        match written.await {
            Ok(Ok(Some(bytes))) => Ok(Saved::Written { bytes }),
            Ok(Ok(None)) => Ok(Saved::Moved),
            Ok(Err(source)) => Err(self.io_error(source)),
            Err(join) => std::panic::resume_unwind(join.into_panic()),
        }
    }

    /// The model in the image, if it may be used in place of replaying the log up to its
    /// position. `fresh` is the empty model this node would otherwise start from: the image
    /// must have been made under its calendar and configuration.
    pub async fn load(&self, store: &Store, fresh: &ReadModel) -> Result<ReadModel, Unused> {
        let path = self.path.clone();
        let opened = tokio::task::spawn_blocking(move || read_prefix(&path))
            .await
            .map_err(|join| Unused::Failed(join.to_string()))??;
        let Prefix {
            header_bytes,
            header,
            key_id,
            body,
        } = opened;
        if header.format != FORMAT || header.build != build() {
            return Err(Unused::OtherBuild {
                format: header.format,
                build: header.build,
            });
        }
        let failed = |error: StoreError| Unused::Failed(error.to_string());
        // As committed, as in `save`: a horizon standing below the image is no other log.
        let applied_last = store.raw_row_at(header.position).await.map_err(failed)?;
        let applied_last = applied_last.map(|row| (row.aggregate_id, row.sequence));
        if applied_last != header.last_event {
            return Err(Unused::OtherLog);
        }
        let key = store
            .read_model_opening_key(key_id)
            .await
            .map_err(failed)?
            .ok_or(Unused::Erased)?;
        let model = tokio::task::spawn_blocking(move || read_body(&key, &header_bytes, body))
            .await
            .map_err(|join| Unused::Failed(join.to_string()))??;
        if model.position() != header.position {
            return Err(Unused::Damaged("it contradicts its header".into()));
        }
        if model.calendar() != fresh.calendar() || model.config() != fresh.config() {
            return Err(Unused::OtherSettings);
        }
        Ok(model)
    }

    /// Whether the image's key is still in the database (read from its clear part only):
    /// false once an erasure deleted it, or when there is no readable image. A failure to ask
    /// counts as true: it is no reason to take another image.
    pub async fn opens(&self, store: &Store) -> bool {
        let path = self.path.clone();
        let prefix = tokio::task::spawn_blocking(move || read_prefix(&path)).await;
        let Ok(Ok(prefix)) = prefix else {
            return false;
        };
        !matches!(store.read_model_opening_key(prefix.key_id).await, Ok(None))
    }

    fn io_error(&self, source: io::Error) -> SnapshotError {
        SnapshotError::Io {
            path: self.path.clone(),
            source,
        }
    }
}

fn read(model: &RwLock<ReadModel>) -> std::sync::RwLockReadGuard<'_, ReadModel> {
    model
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
