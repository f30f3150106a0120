//! Sealing of read-model snapshots.
//!
//! A node may keep an image of its read model on disk to start without replaying the whole log
//! (crates/read, `snapshot.rs`). The image holds personal data as it stood when it was taken,
//! so it must not outlive an erasure: it is sealed (ChaCha20-Poly1305) under a key kept in the
//! database, and erasing anyone's personal data deletes every such key in the same transaction
//! as the shredding. An image taken before an erasure then no longer opens, on this node or on
//! any disk or backup it was copied to, and the node replays the log instead.
//!
//! One subtlety: an image is a position in the log, and a key made after an erasure must not
//! seal an image of a position before it (that image still holds the erased data). Each key
//! records the log's committed head when it was made, and only seals images at or after it.

use chacha20poly1305::aead::{AeadCore, AeadInPlace, OsRng};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};

use crate::{vault, LogPosition, Store, StoreError};

/// Bytes of the nonce that starts a sealed image, and of the tag that ends it.
const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;

/// A sealed read-model image and the id of the key that opens it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedImage {
    pub key_id: i64,
    /// The nonce, then the ciphertext with its tag.
    pub bytes: Vec<u8>,
}

impl Store {
    /// Seals `image`, the read model as of `position`, binding `header` to it (it is checked,
    /// not encrypted). Uses the newest key, or makes one when there is none (after an erasure).
    ///
    /// `None` when the newest key was made after `position`: an erasure happened after the
    /// image's position and the image may still hold the erased data. Take the image again
    /// once the model has applied the log up to the erasure.
    pub async fn seal_read_model(
        &self,
        position: LogPosition,
        header: Vec<u8>,
        image: Vec<u8>,
    ) -> Result<Option<SealedImage>, StoreError> {
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
        let key_id = key.id;
        let bytes = blocking(move || seal(&key.key, &header, image)).await??;
        Ok(Some(SealedImage { key_id, bytes }))
    }

    /// Opens an image sealed by [`Store::seal_read_model`] with the same `header`.
    ///
    /// `None` when its key is gone: personal data was erased after the image was taken. An
    /// image that does not open under an existing key was altered or damaged: an error.
    pub async fn open_read_model(
        &self,
        sealed: SealedImage,
        header: Vec<u8>,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let Some(key) = self.db().model_key(sealed.key_id).await? else {
            return Ok(None);
        };
        let image = blocking(move || open(&key, &header, sealed.bytes)).await??;
        Ok(Some(image))
    }
}

/// Runs CPU-heavy work (hundreds of megabytes) off the async workers.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| StoreError::decode(format!("sealing a read-model image failed: {error}")))
}

fn seal(key: &[u8], header: &[u8], mut image: Vec<u8>) -> Result<Vec<u8>, StoreError> {
    let nonce = ChaCha20Poly1305::generate_nonce(&mut OsRng);
    // Room for the tag and the nonce up front: the image is hundreds of megabytes, and
    // growing it afterwards would copy it.
    image.reserve_exact(TAG_LEN + NONCE_LEN);
    vault::cipher(key)?
        .encrypt_in_place(&nonce, header, &mut image)
        .map_err(|_| StoreError::decode("a read-model image could not be sealed"))?;
    image.splice(0..0, nonce);
    Ok(image)
}

fn open(key: &[u8], header: &[u8], mut bytes: Vec<u8>) -> Result<Vec<u8>, StoreError> {
    let bad = || StoreError::decode("the read-model image does not open: altered or damaged");
    let nonce = *bytes.first_chunk::<NONCE_LEN>().ok_or_else(bad)?;
    bytes.drain(..NONCE_LEN);
    vault::cipher(key)?
        .decrypt_in_place(Nonce::from_slice(&nonce), header, &mut bytes)
        .map_err(|_| bad())?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_image_opens_only_under_its_key_and_header() {
        let key = vault::new_key();
        let sealed = seal(&key, b"header", b"the image".to_vec()).unwrap();
        assert_eq!(open(&key, b"header", sealed.clone()).unwrap(), b"the image");
        assert!(open(&key, b"other header", sealed.clone()).is_err());
        assert!(open(&vault::new_key(), b"header", sealed.clone()).is_err());
        let mut flipped = sealed.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert!(open(&key, b"header", flipped).is_err());
        assert!(open(&key, b"header", sealed[..5].to_vec()).is_err());
    }
}
