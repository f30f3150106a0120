//! Putting an unreadable row aside, on the record.
//!
//! A row whose payload or metadata does not decode stops every reader before it
//! ([`StoreError::Unreadable`], `log_page.rs`): the node keeps serving what it has and says
//! where it stopped. An administrator looks at the row, then quarantines it: a
//! `log_quarantine` event (`guanjia_domain::quarantine`) records who, why, which row and what
//! was wrong with it. From then on every reader, on every node, passes that row — the store
//! leaves quarantined positions out of what it hands out — and the audit history holds the
//! quarantine event. The row itself stays in the log, and in the hash chain, untouched.
//!
//! Which rows may be quarantined is decided by the caller, who can decode payloads (the
//! binary's `guanjia quarantine` refuses a row that reads fine): the store only records it.

use guanjia_domain::quarantine::{Quarantine, QuarantineCommand, QuarantinedRow};
use guanjia_domain::DomainError;

use crate::{CommandContext, Committed, LogPosition, RawRow, Store, StoreError};

impl Store {
    /// Quarantines the row at `position`, which fails to decode because of `fault`, for
    /// `reason`. Refused for a position the log does not hold, or one quarantined before.
    pub async fn quarantine(
        &self,
        position: LogPosition,
        fault: String,
        reason: String,
        context: CommandContext,
    ) -> Result<Committed, StoreError> {
        let row = self.raw_row_at(position).await?.ok_or_else(|| {
            StoreError::Rejected(DomainError::NotFound {
                what: format!("event {position}"),
            })
        })?;
        let command = QuarantineCommand::Quarantine {
            row: QuarantinedRow {
                position: position.to_string(),
                aggregate_type: row.aggregate_type,
                aggregate_id: row.aggregate_id,
                sequence: row.sequence,
                event_type: row.event_type,
                fault,
            },
            reason,
        };
        let committed = self
            .execute::<Quarantine>(&position.to_string(), command, &(), context)
            .await?;
        self.refresh_quarantine().await?;
        tracing::warn!(%position, "an unreadable event was quarantined");
        Ok(committed)
    }

    /// The row at exactly `position` as stored, committed, whether readers may see it yet or
    /// not; `None` when the log holds no row there.
    pub async fn raw_row_at(&self, position: LogPosition) -> Result<Option<RawRow>, StoreError> {
        self.db().raw_row_at(position).await
    }

    /// The payloads of `rows` as readers get them — parsed, personal data unsealed (erased
    /// fields null) — or why a payload is not even JSON: for checks that decode every row
    /// themselves (`guanjia verify`, `guanjia quarantine`). One key query for all of them.
    pub async fn readable_payloads(
        &self,
        rows: &[RawRow],
    ) -> Result<Vec<Result<serde_json::Value, String>>, StoreError> {
        let mut parsed: Vec<Result<serde_json::Value, String>> = rows
            .iter()
            .map(|row| serde_json::from_str(&row.payload).map_err(|e| e.to_string()))
            .collect();
        let payloads = parsed
            .iter_mut()
            .zip(rows)
            .map(|(payload, row)| match payload {
                Ok(value) => Some((row.aggregate_type.as_str(), value)),
                _ => None,
            })
            .collect();
        self.unseal(payloads).await?;
        Ok(parsed)
    }

    /// Rows as stored after `after`, in log order, as far as readers may see: for checks that
    /// decode every row themselves (`guanjia verify`).
    pub async fn raw_rows_after(
        &self,
        after: LogPosition,
        limit: usize,
    ) -> Result<Vec<RawRow>, StoreError> {
        self.db().raw_rows_after(after, limit).await
    }
}
