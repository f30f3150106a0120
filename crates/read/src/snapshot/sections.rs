//! The body of an image: the model as a series of sections, each its length and its postcard
//! encoding, one table or index at a time.
//!
//! Sections rather than one encoding of the whole model because of memory: each section is
//! encoded into, or decoded from, a buffer that is then reused for the next, and the big tables
//! go 65,536 rows a section. So a node writing or reading an image holds the model plus the
//! encoding of its largest index (megabytes to tens of megabytes at 100,000 cases), not the
//! model plus the whole image (a third of the model again). (postcard can also decode from a
//! reader, but only by keeping every date it reads as text until the decoding ends.)

use std::io::{self, Read, Write};

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::cases::CaseStore;
use crate::kpi::divisions::DivisionIndex;
use crate::ReadModel;

/// No section is this large; a length above it is damage, not a reason to allocate.
const MAX_SECTION: u64 = 4 << 30;
/// Rows of a table per section: a few megabytes of encoding at most.
const ROWS_PER_SECTION: usize = 1 << 16;
/// No table has this many rows.
const MAX_ROWS: u64 = 1 << 32;

/// Writes `model` as sections, in the order [`read`] reads them.
pub(super) fn write(model: &ReadModel, out: &mut impl Write) -> io::Result<()> {
    let mut sections = Writer {
        out,
        buffer: Vec::new(),
    };
    sections.put(&model.position)?;
    sections.put(&model.config)?;
    sections.put(&model.days)?;
    sections.put(&model.symbols)?;
    let cases = &model.cases;
    sections.put_rows(&cases.cases)?;
    sections.put(&cases.by_id)?;
    sections.put_rows(&cases.visits)?;
    sections.put_rows(&cases.items)?;
    sections.put_rows(&cases.ratings)?;
    sections.put_rows(&cases.complaints)?;
    sections.put_rows(&cases.timeline)?;
    sections.put(&cases.facts)?;
    sections.put(&cases.bundles)?;
    sections.put_rows(&cases.late_facts)?;
    sections.put(&cases.pending)?;
    sections.put(&model.lookup)?;
    sections.put(&model.text)?;
    sections.put(&model.team)?;
    sections.put(&model.catalog)?;
    sections.put(&model.kpi)?;
    sections.put_rows(&model.closures)?;
    sections.put(&model.reports)?;
    sections.put(&model.rating_links)
}

/// Reads a model written by [`write`]. The division index is not in the image: it is built
/// again from the tables it indexes.
pub(super) fn read(input: &mut impl Read) -> io::Result<ReadModel> {
    let mut sections = Reader {
        input,
        buffer: Vec::new(),
    };
    let mut model = ReadModel {
        position: sections.next()?,
        config: sections.next()?,
        days: sections.next()?,
        symbols: sections.next()?,
        cases: CaseStore {
            cases: sections.next_rows()?,
            by_id: sections.next()?,
            visits: sections.next_rows()?,
            items: sections.next_rows()?,
            ratings: sections.next_rows()?,
            complaints: sections.next_rows()?,
            timeline: sections.next_rows()?,
            facts: sections.next()?,
            bundles: sections.next()?,
            late_facts: sections.next_rows()?,
            pending: sections.next()?,
        },
        lookup: sections.next()?,
        text: sections.next()?,
        team: sections.next()?,
        catalog: sections.next()?,
        kpi: sections.next()?,
        closures: sections.next_rows()?,
        reports: sections.next()?,
        rating_links: sections.next()?,
        divisions: DivisionIndex::default(),
    };
    model.divisions = DivisionIndex::build(&model.cases, &model.kpi);
    Ok(model)
}

/// Writes sections through one buffer, reused.
struct Writer<'a, W: Write> {
    out: &'a mut W,
    buffer: Vec<u8>,
}

impl<W: Write> Writer<'_, W> {
    fn put<T: Serialize + ?Sized>(&mut self, value: &T) -> io::Result<()> {
        self.buffer.clear();
        postcard::to_io(value, &mut self.buffer).map_err(io::Error::other)?;
        self.out
            .write_all(&(self.buffer.len() as u64).to_le_bytes())?;
        self.out.write_all(&self.buffer)
    }

    /// A table: its number of rows, then its rows a section at a time.
    fn put_rows<T: Serialize>(&mut self, rows: &[T]) -> io::Result<()> {
        self.put(&(rows.len() as u64))?;
        rows.chunks(ROWS_PER_SECTION)
            .try_for_each(|chunk| self.put(chunk))
    }
}

/// Reads sections through one buffer, reused.
struct Reader<'a, R: Read> {
    input: &'a mut R,
    buffer: Vec<u8>,
}

impl<R: Read> Reader<'_, R> {
    fn next<T: DeserializeOwned>(&mut self) -> io::Result<T> {
        let mut length = [0u8; 8];
        self.input.read_exact(&mut length)?;
        let length = u64::from_le_bytes(length);
        if length > MAX_SECTION {
            return Err(invalid(format!("a section claims {length} bytes")));
        }
        self.buffer.clear();
        (&mut *self.input)
            .take(length)
            .read_to_end(&mut self.buffer)?;
        if self.buffer.len() as u64 != length {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        postcard::from_bytes(&self.buffer).map_err(|error| invalid(error.to_string()))
    }

    /// A table written by [`Writer::put_rows`], allocated once at its size.
    fn next_rows<T: DeserializeOwned>(&mut self) -> io::Result<Vec<T>> {
        let count: u64 = self.next()?;
        if count > MAX_ROWS {
            return Err(invalid(format!("a table claims {count} rows")));
        }
        let count = count as usize;
        let mut rows = Vec::with_capacity(count);
        while rows.len() < count {
            let chunk: Vec<T> = self.next()?;
            if chunk.is_empty() || rows.len() + chunk.len() > count {
                return Err(invalid("a table's sections do not add up".into()));
            }
            rows.extend(chunk);
        }
        Ok(rows)
    }
}

fn invalid(detail: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, detail)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(write: impl FnOnce(&mut Writer<'_, Vec<u8>>) -> io::Result<()>) -> Vec<u8> {
        let mut out = Vec::new();
        let mut writer = Writer {
            out: &mut out,
            buffer: Vec::new(),
        };
        write(&mut writer).expect("in memory");
        out
    }

    #[test]
    fn a_table_spanning_many_sections_reads_back_whole() {
        let table: Vec<u64> = (0..(2 * ROWS_PER_SECTION as u64 + 5))
            .map(|n| n * 7)
            .collect();
        let bytes = written(|w| w.put_rows(&table));
        let mut input = &bytes[..];
        let mut reader = Reader {
            input: &mut input,
            buffer: Vec::new(),
        };
        let back: Vec<u64> = reader.next_rows().expect("reads back");
        assert_eq!(back, table);
        assert_eq!(back.capacity(), table.len(), "allocated once, at its size");
        assert!(input.is_empty());
    }

    #[test]
    fn a_table_whose_sections_do_not_add_up_is_refused() {
        // Claims three rows, holds one section of two, then another of two.
        let bytes = written(|w| {
            w.put(&3u64)?;
            w.put(&[1u64, 2][..])?;
            w.put(&[3u64, 4][..])
        });
        let mut input = &bytes[..];
        let mut reader = Reader {
            input: &mut input,
            buffer: Vec::new(),
        };
        let error = reader.next_rows::<u64>().expect_err("refused");
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
        assert!(error.to_string().contains("do not add up"), "{error}");
    }

    #[test]
    fn a_section_cut_short_is_refused() {
        let bytes = written(|w| w.put(&vec![5u64; 100]));
        let mut input = &bytes[..bytes.len() - 3];
        let mut reader = Reader {
            input: &mut input,
            buffer: Vec::new(),
        };
        let error = reader.next::<Vec<u64>>().expect_err("refused");
        assert_eq!(error.kind(), io::ErrorKind::UnexpectedEof);
    }
}
