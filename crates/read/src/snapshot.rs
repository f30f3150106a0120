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
//! cannot be edited), the id of the key, then the sealed postcard encoding of the model. It is
//! written to a temporary file, synced and renamed, so a crash leaves the old image or the new
//! one, never half of one.

use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use guanjia_store::{LogPosition, SealedImage, Store, StoreError};
use serde::{Deserialize, Serialize};

use crate::ReadModel;

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

/// The first bytes of every image file.
const MAGIC: &[u8] = b"GUANJIA READ MODEL\n";

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

/// The read model encoded, not yet sealed or written.
pub struct Image {
    header: ImageHeader,
    body: Vec<u8>,
}

impl Image {
    /// Encodes `model` (CPU-bound: seconds at 100,000 cases; run it off the async
    /// workers). The header's `last_event` is filled in when the image is written.
    pub fn of(model: &ReadModel) -> Result<Self, SnapshotError> {
        let body = postcard::to_stdvec(model).map_err(SnapshotError::Encode)?;
        Ok(Self {
            header: ImageHeader {
                format: FORMAT,
                build: build(),
                position: model.position(),
                last_event: None,
                cases: model.case_count(),
                taken_at: Utc::now(),
            },
            body,
        })
    }

    /// The position the image was taken at.
    pub fn position(&self) -> LogPosition {
        self.header.position
    }

    /// Decodes the image back into a model (what a start-up from it would begin with).
    pub fn to_model(&self) -> Result<ReadModel, SnapshotError> {
        postcard::from_bytes(&self.body).map_err(SnapshotError::Decode)
    }
}

/// Why an image could not be taken or written.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("the read model could not be encoded: {0}")]
    Encode(postcard::Error),
    #[error("the image does not decode: {0}")]
    Decode(postcard::Error),
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
    /// Not written: personal data was erased after the image's position. Take another once the
    /// model has applied the erasure.
    Stale,
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

    /// Seals `image` and replaces the file with it.
    pub async fn save(&self, store: &Store, mut image: Image) -> Result<Saved, SnapshotError> {
        let position = image.header.position;
        image.header.last_event = match store.event_at(position).await? {
            Some(event) => Some((event.aggregate_id, event.sequence)),
            None if position == LogPosition::START => None,
            // The log no longer holds what the model applied: nothing to cache against.
            None => return Ok(Saved::Stale),
        };
        let header = serde_json::to_vec(&image.header).map_err(io::Error::from);
        let header = header.map_err(|source| self.io_error(source))?;
        let Some(sealed) = store
            .seal_read_model(position, header.clone(), image.body)
            .await?
        else {
            return Ok(Saved::Stale);
        };
        let path = self.path.clone();
        let written = tokio::task::spawn_blocking(move || write_file(&path, &header, &sealed))
            .await
            .map_err(|join| self.io_error(io::Error::other(join.to_string())))?;
        let bytes = written.map_err(|source| self.io_error(source))?;
        Ok(Saved::Written { bytes })
    }

    /// The model in the image, if it may be used in place of replaying the log up to its
    /// position. `fresh` is the empty model this node would otherwise start from: the image
    /// must have been made under its calendar and configuration.
    pub async fn load(&self, store: &Store, fresh: &ReadModel) -> Result<ReadModel, Unused> {
        let path = self.path.clone();
        let file = tokio::task::spawn_blocking(move || std::fs::read(path))
            .await
            .map_err(|join| Unused::Failed(join.to_string()))?;
        let file = match file {
            Ok(file) => file,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Err(Unused::Missing),
            Err(error) => return Err(Unused::Unreadable(error.to_string())),
        };
        let (header_bytes, header, sealed) = parse_file(file)?;
        if header.format != FORMAT || header.build != build() {
            return Err(Unused::OtherBuild {
                format: header.format,
                build: header.build,
            });
        }
        let failed = |error: StoreError| Unused::Failed(error.to_string());
        let applied_last = store.event_at(header.position).await.map_err(failed)?;
        let applied_last = applied_last.map(|event| (event.aggregate_id, event.sequence));
        if applied_last != header.last_event {
            return Err(Unused::OtherLog);
        }
        let body = match store.open_read_model(sealed, header_bytes).await {
            Ok(body) => body.ok_or(Unused::Erased)?,
            Err(StoreError::Decode { detail }) => return Err(Unused::Damaged(detail)),
            Err(error) => return Err(failed(error)),
        };
        let model: ReadModel = tokio::task::spawn_blocking(move || postcard::from_bytes(&body))
            .await
            .map_err(|join| Unused::Failed(join.to_string()))?
            .map_err(|error| Unused::Damaged(format!("it does not decode: {error}")))?;
        if model.position() != header.position {
            return Err(Unused::Damaged("it contradicts its header".into()));
        }
        if model.calendar() != fresh.calendar() || model.config() != fresh.config() {
            return Err(Unused::OtherSettings);
        }
        Ok(model)
    }

    /// Deletes the image, if there is one.
    pub fn remove(&self) -> Result<(), SnapshotError> {
        match std::fs::remove_file(&self.path) {
            Err(error) if error.kind() != io::ErrorKind::NotFound => Err(self.io_error(error)),
            _ => Ok(()),
        }
    }

    fn io_error(&self, source: io::Error) -> SnapshotError {
        SnapshotError::Io {
            path: self.path.clone(),
            source,
        }
    }
}

/// Writes the file beside its final place, syncs it and renames it over the old one.
fn write_file(path: &Path, header: &[u8], sealed: &SealedImage) -> io::Result<u64> {
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".partial");
    let temporary = PathBuf::from(temporary);
    let header_len = u32::try_from(header.len()).map_err(io::Error::other)?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = io::BufWriter::new(options.open(&temporary)?);
    file.write_all(MAGIC)?;
    file.write_all(&header_len.to_le_bytes())?;
    file.write_all(header)?;
    file.write_all(&sealed.key_id.to_le_bytes())?;
    file.write_all(&sealed.bytes)?;
    let file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
    file.sync_all()?;
    let bytes = file.metadata()?.len();
    drop(file);
    std::fs::rename(&temporary, path)?;
    // The rename itself is durable only once the directory is synced (best effort elsewhere).
    #[cfg(unix)]
    if let Some(directory) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::File::open(directory)?.sync_all()?;
    }
    Ok(bytes)
}

/// Splits a file into its header (as bytes and parsed) and its sealed body.
fn parse_file(mut file: Vec<u8>) -> Result<(Vec<u8>, ImageHeader, SealedImage), Unused> {
    let short = || Unused::Unreadable("cut short".into());
    let rest = file
        .strip_prefix(MAGIC)
        .ok_or_else(|| Unused::Unreadable("it does not start with the snapshot marker".into()))?;
    let (length, rest) = rest.split_first_chunk::<4>().ok_or_else(short)?;
    let length = u32::from_le_bytes(*length) as usize;
    let header_bytes = rest.get(..length).ok_or_else(short)?.to_vec();
    let (key_id, _) = rest[length..].split_first_chunk::<8>().ok_or_else(short)?;
    let key_id = i64::from_le_bytes(*key_id);
    let header: ImageHeader = serde_json::from_slice(&header_bytes)
        .map_err(|error| Unused::Unreadable(format!("the header does not parse: {error}")))?;
    let body_start = MAGIC.len() + 4 + length + 8;
    let bytes = file.split_off(body_start);
    Ok((header_bytes, header, SealedImage { key_id, bytes }))
}
