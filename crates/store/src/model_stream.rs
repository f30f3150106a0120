//! Read-model images sealed as a stream: ChaCha20-Poly1305 in the STREAM construction, 1 MiB
//! segments. The image is hundreds of megabytes, written and read beside a model of the same
//! size, so it is never whole in memory. Each segment is authenticated with the image's header,
//! and the last one is marked as last, so a reordered, cut or extended image does not open.
//! The keys come from `model_seal.rs`.

use std::io::{self, Read, Write};

use chacha20poly1305::aead::rand_core::RngCore;
use chacha20poly1305::aead::stream::{DecryptorBE32, EncryptorBE32};
use chacha20poly1305::aead::OsRng;
use chacha20poly1305::ChaCha20Poly1305;

/// Plaintext bytes per segment.
const SEGMENT: usize = 1 << 20;
/// Bytes of the tag that ends each sealed segment.
const TAG: usize = 16;
/// Bytes of the stream's nonce, which starts the sealed image (STREAM-BE32 on a 12-byte nonce).
const NONCE: usize = 7;

fn damaged() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        "the read-model image does not open: altered or damaged",
    )
}

/// Writes a sealed image, segment by segment (`ModelKey::sealer`).
pub struct Sealer<W: Write> {
    inner: W,
    stream: Option<EncryptorBE32<ChaCha20Poly1305>>,
    header: Vec<u8>,
    /// Plaintext not yet sealed. A full segment is sealed only when more data follows, so
    /// that the last segment, sealed by `finish`, is never empty unless the image is.
    segment: Vec<u8>,
}

impl<W: Write> Sealer<W> {
    /// Starts the stream: its nonce goes first.
    pub(crate) fn new(cipher: ChaCha20Poly1305, header: &[u8], mut inner: W) -> io::Result<Self> {
        let mut nonce = [0u8; NONCE];
        OsRng.fill_bytes(&mut nonce);
        inner.write_all(&nonce)?;
        Ok(Self {
            inner,
            stream: Some(EncryptorBE32::from_aead(cipher, (&nonce).into())),
            header: header.to_vec(),
            segment: Vec::with_capacity(SEGMENT + TAG),
        })
    }

    /// Seals the last segment and hands back the writer.
    pub fn finish(mut self) -> io::Result<W> {
        let stream = self.stream.take().ok_or_else(damaged)?;
        stream
            .encrypt_last_in_place(&self.header, &mut self.segment)
            .map_err(|_| io::Error::other("a read-model image could not be sealed"))?;
        self.inner.write_all(&self.segment)?;
        Ok(self.inner)
    }
}

impl<W: Write> Write for Sealer<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if data.is_empty() {
            return Ok(0);
        }
        if self.segment.len() == SEGMENT {
            let stream = self.stream.as_mut().ok_or_else(damaged)?;
            stream
                .encrypt_next_in_place(&self.header, &mut self.segment)
                .map_err(|_| io::Error::other("a read-model image could not be sealed"))?;
            self.inner.write_all(&self.segment)?;
            self.segment.clear();
        }
        let taken = (SEGMENT - self.segment.len()).min(data.len());
        self.segment.extend_from_slice(&data[..taken]);
        Ok(taken)
    }

    /// Sealed segments are written as they fill; the rest waits for `finish`.
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Reads a sealed image, segment by segment (`ModelKey::opener`).
pub struct Opener<R: Read> {
    inner: R,
    /// `None` once the last segment was opened.
    stream: Option<DecryptorBE32<ChaCha20Poly1305>>,
    header: Vec<u8>,
    /// The segment being read, opened.
    segment: Vec<u8>,
    at: usize,
    /// A byte read past a full segment, to tell whether another segment follows.
    ahead: Option<u8>,
    failed: bool,
}

impl<R: Read> Opener<R> {
    /// Reads the stream's nonce; the segments are opened as they are read.
    pub(crate) fn new(cipher: ChaCha20Poly1305, header: &[u8], mut inner: R) -> io::Result<Self> {
        let mut nonce = [0u8; NONCE];
        inner.read_exact(&mut nonce).map_err(|_| damaged())?;
        Ok(Self {
            inner,
            stream: Some(DecryptorBE32::from_aead(cipher, (&nonce).into())),
            header: header.to_vec(),
            segment: Vec::with_capacity(SEGMENT + TAG),
            at: 0,
            ahead: None,
            failed: false,
        })
    }

    /// Whether reading failed because the image does not open. A decoder reading through the
    /// opener may report such a failure as its own ("unexpected end"); this tells them apart.
    pub fn failed(&self) -> bool {
        self.failed
    }

    /// Checks that the whole image was read and opened, to its last segment and no further.
    pub fn finish(mut self) -> io::Result<()> {
        let mut rest = [0u8; 1];
        if self.read(&mut rest)? != 0 || self.stream.is_some() {
            return Err(damaged());
        }
        Ok(())
    }

    fn next_segment(&mut self) -> io::Result<()> {
        self.segment.clear();
        self.at = 0;
        self.segment.extend(self.ahead.take());
        let wanted = (SEGMENT + TAG - self.segment.len()) as u64;
        (&mut self.inner)
            .take(wanted)
            .read_to_end(&mut self.segment)?;
        let mut probe = [0u8; 1];
        let last = self.segment.len() < SEGMENT + TAG || self.inner.read(&mut probe)? == 0;
        let opened = match self.stream.take() {
            Some(stream) if last => stream.decrypt_last_in_place(&self.header, &mut self.segment),
            Some(mut stream) => {
                self.ahead = Some(probe[0]);
                let opened = stream.decrypt_next_in_place(&self.header, &mut self.segment);
                self.stream = Some(stream);
                opened
            }
            None => Err(chacha20poly1305::aead::Error),
        };
        opened.map_err(|_| {
            self.failed = true;
            damaged()
        })
    }
}

impl<R: Read> Read for Opener<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.failed {
            return Err(damaged());
        }
        while self.at == self.segment.len() {
            if self.stream.is_none() {
                return Ok(0);
            }
            self.next_segment()?;
        }
        let n = out.len().min(self.segment.len() - self.at);
        out[..n].copy_from_slice(&self.segment[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use chacha20poly1305::aead::KeyInit;

    fn key() -> ChaCha20Poly1305 {
        ChaCha20Poly1305::new(&ChaCha20Poly1305::generate_key(&mut OsRng))
    }

    fn seal(key: &ChaCha20Poly1305, header: &[u8], image: &[u8]) -> Vec<u8> {
        let mut sealer = Sealer::new(key.clone(), header, Vec::new()).expect("in memory");
        // Uneven writes, as a serializer makes them.
        for piece in image.chunks(4099) {
            sealer.write_all(piece).expect("in memory");
        }
        sealer.finish().expect("in memory")
    }

    fn open(key: &ChaCha20Poly1305, header: &[u8], sealed: &[u8]) -> io::Result<Vec<u8>> {
        let mut opener = Opener::new(key.clone(), header, sealed)?;
        let mut image = Vec::new();
        opener.read_to_end(&mut image)?;
        opener.finish()?;
        Ok(image)
    }

    /// Sizes around the segment boundaries: empty, short, exactly one, one and a bit, two.
    fn images() -> Vec<Vec<u8>> {
        [0, 10, SEGMENT, SEGMENT + 1, 2 * SEGMENT, 2 * SEGMENT + 77]
            .into_iter()
            .map(|len| (0..len).map(|i| (i * 31 % 251) as u8).collect())
            .collect()
    }

    #[test]
    fn an_image_opens_under_its_key_and_header_whatever_its_size() {
        let key = key();
        for image in images() {
            let sealed = seal(&key, b"header", &image);
            assert_eq!(open(&key, b"header", &sealed).expect("opens"), image);
            if image.len() > 64 {
                let clear = &image[..64];
                assert!(!sealed.windows(64).any(|w| w == clear), "sealed in clear");
            }
        }
    }

    #[test]
    fn another_key_or_header_does_not_open_it() {
        let key = key();
        for image in images() {
            let sealed = seal(&key, b"header", &image);
            assert!(open(&key, b"other header", &sealed).is_err());
            assert!(open(&super::tests::key(), b"header", &sealed).is_err());
        }
    }

    #[test]
    fn an_altered_cut_or_extended_image_does_not_open() {
        let key = key();
        let image = &images()[4]; // two full segments
        let sealed = seal(&key, b"header", image);
        let mut flipped = sealed.clone();
        flipped[NONCE + SEGMENT / 2] ^= 1;
        assert!(open(&key, b"header", &flipped).is_err());
        // Cut at the boundary between segments: the first looks whole, but is not the last.
        let first = NONCE + SEGMENT + TAG;
        assert!(open(&key, b"header", &sealed[..first]).is_err());
        assert!(open(&key, b"header", &sealed[..sealed.len() - 1]).is_err());
        assert!(open(&key, b"header", &sealed[..3]).is_err());
        let mut longer = sealed.clone();
        longer.extend_from_slice(&[0; 40]);
        assert!(open(&key, b"header", &longer).is_err());
        // Segments swapped.
        let (a, b) = (&sealed[NONCE..first], &sealed[first..first + SEGMENT + TAG]);
        let mut swapped = sealed[..NONCE].to_vec();
        swapped.extend_from_slice(b);
        swapped.extend_from_slice(a);
        swapped.extend_from_slice(&sealed[first + SEGMENT + TAG..]);
        assert!(open(&key, b"header", &swapped).is_err());
    }

    #[test]
    fn a_failed_read_is_told_apart_from_the_end() {
        let key = key();
        let mut sealed = seal(&key, b"header", &images()[1]);
        *sealed.last_mut().expect("not empty") ^= 1;
        let mut opener = Opener::new(key, b"header", &sealed[..]).expect("a nonce");
        let mut byte = [0u8; 1];
        assert!(opener.read(&mut byte).is_err());
        assert!(opener.failed());
    }
}
