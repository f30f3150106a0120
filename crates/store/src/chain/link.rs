//! How one link is computed: SHA-256 over the previous link and the event, each field
//! length-prefixed so that no two events encode alike.
//!
//! Format 2 (every link made now) hashes what is stored, at full precision: the position as
//! two integers, the recording time in microseconds, and the payload and metadata as the
//! database returns their text (jsonb's canonical text on PostgreSQL, the stored text on
//! SQLite) — so a change anywhere in a row, even within a millisecond or in a key the program
//! ignores, breaks its link. Format 1 is how links were made before (position as text, time in
//! milliseconds, JSON re-serialised, metadata as the program read it); links of that format are
//! kept and still verified as they were made.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::{EventMetadata, RawRow, StoreError};

/// The format new links are made in.
pub(crate) const CURRENT_FORMAT: u8 = 2;

/// The link after `previous` for `row`, in `format`.
pub(crate) fn link(previous: &str, row: &RawRow, format: u8) -> Result<String, StoreError> {
    match format {
        1 => format_1(previous, row),
        2 => Ok(format_2(previous, row)),
        other => Err(StoreError::decode(format!(
            "unknown chain link format {other} at {}",
            row.position
        ))),
    }
}

fn format_2(previous: &str, row: &RawRow) -> String {
    let mut hasher = Fields::default();
    let (transaction, global) = row.position.parts();
    hasher.field(previous.as_bytes());
    hasher.field(&transaction.to_be_bytes());
    hasher.field(&global.to_be_bytes());
    hasher.field(row.aggregate_type.as_bytes());
    hasher.field(row.aggregate_id.as_bytes());
    hasher.field(&row.sequence.to_be_bytes());
    hasher.field(row.event_type.as_bytes());
    hasher.field(row.event_version.as_bytes());
    hasher.field(&row.recorded_micros.to_be_bytes());
    hasher.field(row.payload.as_bytes());
    hasher.field(row.metadata.as_bytes());
    hasher.finish()
}

/// The encoding of links made before format 2. A row whose JSON no longer parses cannot match
/// its old link: it is reported as altered by the caller.
fn format_1(previous: &str, row: &RawRow) -> Result<String, StoreError> {
    let payload: Value = serde_json::from_str(&row.payload)?;
    let metadata: EventMetadata = serde_json::from_str(&row.metadata)?;
    let recorded = DateTime::<Utc>::from_timestamp_micros(row.recorded_micros)
        .ok_or_else(|| StoreError::decode(format!("time out of range at {}", row.position)))?;
    let mut hasher = Fields::default();
    hasher.field(previous.as_bytes());
    hasher.field(row.position.to_string().as_bytes());
    hasher.field(row.aggregate_type.as_bytes());
    hasher.field(row.aggregate_id.as_bytes());
    hasher.field(&row.sequence.to_be_bytes());
    hasher.field(row.event_type.as_bytes());
    hasher.field(row.event_version.as_bytes());
    hasher.field(
        recorded
            .to_rfc3339_opts(SecondsFormat::Millis, true)
            .as_bytes(),
    );
    // serde_json's default map is ordered by key: the same JSON gives the same bytes.
    hasher.field(serde_json::to_string(&payload)?.as_bytes());
    hasher.field(serde_json::to_string(&metadata)?.as_bytes());
    Ok(hasher.finish())
}

/// SHA-256 over length-prefixed fields.
#[derive(Default)]
struct Fields(Sha256);

impl Fields {
    fn field(&mut self, bytes: &[u8]) {
        self.0.update((bytes.len() as u64).to_be_bytes());
        self.0.update(bytes);
    }

    fn finish(self) -> String {
        hex::encode(self.0.finalize())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LogPosition;

    fn row() -> RawRow {
        RawRow {
            position: LogPosition::from_parts(7, 42),
            aggregate_type: "enterprise_case".into(),
            aggregate_id: "c-1".into(),
            sequence: 3,
            event_type: "NoteAdded".into(),
            event_version: "1".into(),
            recorded_micros: 1_707_350_400_123_456,
            payload: r#"{"NoteAdded": {"text": "走访"}}"#.into(),
            metadata: r#"{"actor_id": "wang.lei"}"#.into(),
        }
    }

    #[test]
    fn format_2_covers_the_microseconds_and_the_stored_text() -> Result<(), StoreError> {
        let original = link(super::super::GENESIS, &row(), 2)?;
        let mut within_the_millisecond = row();
        within_the_millisecond.recorded_micros += 1;
        assert_ne!(
            link(super::super::GENESIS, &within_the_millisecond, 2)?,
            original
        );
        let mut respaced = row();
        respaced.payload = r#"{"NoteAdded":{"text":"走访"}}"#.into();
        assert_ne!(link(super::super::GENESIS, &respaced, 2)?, original);
        Ok(())
    }

    #[test]
    fn format_1_ignores_what_it_always_ignored() -> Result<(), StoreError> {
        let original = link(super::super::GENESIS, &row(), 1)?;
        let mut within_the_millisecond = row();
        within_the_millisecond.recorded_micros += 1;
        assert_eq!(
            link(super::super::GENESIS, &within_the_millisecond, 1)?,
            original
        );
        Ok(())
    }

    #[test]
    fn an_unknown_format_is_an_error() {
        assert!(link(super::super::GENESIS, &row(), 9).is_err());
    }
}
