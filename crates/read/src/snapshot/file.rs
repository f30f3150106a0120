//! The snapshot file on disk: its clear prefix (magic line, header, key id) and its sealed body,
//! written beside its final place and renamed over it, and read back in two steps — the prefix,
//! which the caller checks against the database, then the body.

use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use guanjia_store::ModelKey;

use super::{sections, ImageHeader, Unused};
use crate::ReadModel;

/// The first bytes of every image file.
const MAGIC: &[u8] = b"GUANJIA READ MODEL\n";

/// Bytes read from the file at a time.
const READ_BUFFER: usize = 1 << 20;

/// Writes the file beside its final place, syncs it and renames it over the old one.
pub(super) fn write_file(
    path: &Path,
    header: &[u8],
    key: &ModelKey,
    model: &ReadModel,
) -> io::Result<u64> {
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".partial");
    let temporary = PathBuf::from(temporary);
    let header_len = u32::try_from(header.len()).map_err(io::Error::other)?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&temporary)?;
    let mut prefix = MAGIC.to_vec();
    prefix.extend_from_slice(&header_len.to_le_bytes());
    prefix.extend_from_slice(header);
    prefix.extend_from_slice(&key.id().to_le_bytes());
    file.write_all(&prefix)?;
    // The sealer writes whole segments: no buffer needed in between.
    let mut sealer = key.sealer(header, file)?;
    sections::write(model, &mut sealer)?;
    let file = sealer.finish()?;
    file.sync_all()?;
    let bytes = file.metadata()?.len();
    drop(file);
    std::fs::rename(&temporary, path)?;
    // The rename itself is durable only once the directory is synced (best effort elsewhere).
    #[cfg(unix)]
    if let Some(directory) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        File::open(directory)?.sync_all()?;
    }
    Ok(bytes)
}

/// The clear part of a file, and the reader positioned at its sealed body.
pub(super) struct Prefix {
    pub header_bytes: Vec<u8>,
    pub header: ImageHeader,
    pub key_id: i64,
    pub body: BufReader<File>,
}

pub(super) fn read_prefix(path: &Path) -> Result<Prefix, Unused> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Err(Unused::Missing),
        Err(error) => return Err(Unused::Unreadable(error.to_string())),
    };
    let mut body = BufReader::with_capacity(READ_BUFFER, file);
    let short = |_| Unused::Unreadable("cut short".into());
    let mut magic = vec![0u8; MAGIC.len()];
    body.read_exact(&mut magic).map_err(short)?;
    if magic != MAGIC {
        return Err(Unused::Unreadable(
            "it does not start with the snapshot marker".into(),
        ));
    }
    let mut length = [0u8; 4];
    body.read_exact(&mut length).map_err(short)?;
    let length = u32::from_le_bytes(length);
    let mut header_bytes = Vec::new();
    (&mut body)
        .take(u64::from(length))
        .read_to_end(&mut header_bytes)
        .map_err(|error| Unused::Unreadable(error.to_string()))?;
    let header: ImageHeader = serde_json::from_slice(&header_bytes)
        .map_err(|error| Unused::Unreadable(format!("the header does not parse: {error}")))?;
    let mut key_id = [0u8; 8];
    body.read_exact(&mut key_id).map_err(short)?;
    Ok(Prefix {
        header_bytes,
        header,
        key_id: i64::from_le_bytes(key_id),
        body,
    })
}

/// Opens and decodes the sealed body, to its very end.
pub(super) fn read_body(
    key: &ModelKey,
    header: &[u8],
    body: BufReader<File>,
) -> Result<ReadModel, Unused> {
    let damaged = |error: io::Error| Unused::Damaged(error.to_string());
    let mut opener = key.opener(header, body).map_err(damaged)?;
    let model = match sections::read(&mut opener) {
        Ok(model) => model,
        Err(_) if opener.failed() => {
            return Err(damaged(io::Error::other(
                "the read-model image does not open: altered or damaged",
            )))
        }
        Err(error) => return Err(Unused::Damaged(format!("it does not decode: {error}"))),
    };
    opener.finish().map_err(damaged)?;
    Ok(model)
}
