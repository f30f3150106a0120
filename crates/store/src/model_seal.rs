//! Sealing of read-model snapshots.
//!
//! A node may keep an image of its read model on disk to start without replaying the whole log
//! (crates/read, `snapshot/`). The image holds personal data as it stood when it was taken,
//! so it must not outlive an erasure: it is sealed under a key kept in the database, and erasing
//! anyone's personal data deletes every such key in the same transaction as the shredding. An
//! image taken before an erasure then no longer opens, on this node or on any disk or backup it
//! was copied to, and the node replays the log instead.
//!
//! One subtlety: an image is a position in the log, and a key made after an erasure must not
//! seal an image of a position before it (that image still holds the erased data). Each key
//! records the log's committed head when it was made, and only seals images at or after it.
//!
//! The image is sealed as a stream, never whole in memory (`model_stream.rs`).

use std::fmt;
use std::io::{self, Read, Write};

use chacha20poly1305::aead::KeyInit;
use chacha20poly1305::ChaCha20Poly1305;

use crate::model_stream::{Opener, Sealer};
use crate::{vault, LogPosition, Store, StoreError};

/// A key that seals or opens read-model images.
#[derive(Clone)]
pub struct ModelKey {
    id: i64,
    cipher: ChaCha20Poly1305,
}

impl fmt::Debug for ModelKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ModelKey").field("id", &self.id).finish()
    }
}

impl Store {
    /// The key to seal an image of the read model as of `position` with: the newest key, or a
    /// new one when there is none (after an erasure).
    ///
    /// `None` when the newest key was made after `position`: an erasure happened after the
    /// image's position and the image may still hold the erased data. Take the image again
    /// once the model has applied the log up to the erasure.
    pub async fn read_model_sealing_key(
        &self,
        position: LogPosition,
    ) -> Result<Option<ModelKey>, StoreError> {
        let key = match self.db().newest_model_key().await? {
            Some(key) => key,
            None => {
                let head = self.head().await?;
                self.db()
                    .create_model_key(&vault::new_key(), &head.to_string())
                    .await?
            }
        };
        let made_at: LogPosition = key.head.parse()?;
        if made_at > position {
            return Ok(None);
        }
        ModelKey::new(key.id, &key.key).map(Some)
    }

    /// The key an image was sealed with; `None` once it is gone: personal data was erased
    /// after the image was taken.
    pub async fn read_model_opening_key(&self, id: i64) -> Result<Option<ModelKey>, StoreError> {
        match self.db().model_key(id).await? {
            Some(key) => ModelKey::new(id, &key).map(Some),
            None => Ok(None),
        }
    }
}

impl ModelKey {
    fn new(id: i64, key: &[u8]) -> Result<Self, StoreError> {
        let cipher = ChaCha20Poly1305::new_from_slice(key)
            .map_err(|_| StoreError::decode("a read-model key is not 32 bytes"))?;
        Ok(Self { id, cipher })
    }

    /// The key's id, to be kept beside the image in clear.
    pub fn id(&self) -> i64 {
        self.id
    }

    /// Seals what is written to it into `inner`, bound to `header` (checked on opening, not
    /// encrypted). Call [`Sealer::finish`]: an image not finished does not open.
    pub fn sealer<W: Write>(&self, header: &[u8], inner: W) -> io::Result<Sealer<W>> {
        Sealer::new(self.cipher.clone(), header, inner)
    }

    /// Opens an image sealed under this key with the same `header`. Reading fails with
    /// [`io::ErrorKind::InvalidData`] where the image was altered, cut or extended.
    pub fn opener<R: Read>(&self, header: &[u8], inner: R) -> io::Result<Opener<R>> {
        Opener::new(self.cipher.clone(), header, inner)
    }
}
