//! Appends on PostgreSQL: the batch of the shared group commit (`backend/group_commit.rs`) in
//! one call of `guanjia_append` (migration 0010), one round trip and one commit.
//!
//! postgres-es's `persist` made a transaction per command (BEGIN, INSERT, COMMIT) and told no
//! position, so every command also read its position back: four round trips and a commit per
//! command, which kept writes over HTTP at a quarter of the database's own pace
//! (docs/benchmarks.md). The function inserts each command's events in a subtransaction of its
//! own (all of a command or none; a refused command leaves the others in place) and returns
//! each command's last position.
//!
//! Two batches may commit at once on different connections ([`BATCHING`]): a batch that waits
//! for its commit's flush then does not hold up the next.

use std::sync::Arc;

use sqlx::types::Json;

use super::kept::Kept;
use crate::backend::group_commit::{all_failed, each_failed, Batching, Committer, Pending};
use crate::backend::{to_u64, AppendError};
use crate::{LogPosition, StoreError};

/// Up to two batches at once, of at most 32 commands each. Two: one, two and four gave the
/// same rate in the HTTP bench (docs/benchmarks.md), two keeps a batch committing while the
/// next forms. 32: each command is a subtransaction, and a transaction with more than 64 of
/// them makes every other session's snapshots slower to check (PostgreSQL's cache of
/// subtransaction ids per backend holds 64).
pub(super) const BATCHING: Batching = Batching {
    most: 32,
    at_once: 2,
};

/// What `guanjia_append` returns for `refusal` when the optimistic lock refused a command.
const CONFLICT: &str = "conflict";

/// Commits batches on connections of the pool, kept from one batch to the next.
pub(super) struct PgCommitter(pub Arc<Kept>);

/// A command the database refused for another reason than a taken key: the SQLSTATE and
/// message the function caught.
#[derive(Debug, thiserror::Error)]
#[error("the database refused the append: {0}")]
struct Refused(String);

/// One row of `guanjia_append`'s result.
#[derive(sqlx::FromRow)]
struct Outcome {
    log_transaction: Option<i64>,
    last_position: Option<i64>,
    refusal: Option<String>,
}

/// The events of a batch as `guanjia_append` takes them: one array per column.
#[derive(Default)]
struct Columns<'a> {
    aggregate_types: Vec<&'a str>,
    aggregate_ids: Vec<&'a str>,
    sequences: Vec<i64>,
    event_types: Vec<&'a str>,
    event_versions: Vec<&'a str>,
    payloads: Vec<Json<&'a serde_json::Value>>,
    metadatas: Vec<Json<&'a serde_json::Value>>,
    command_sizes: Vec<i32>,
}

impl<'a> Columns<'a> {
    fn of(batch: &'a [Pending]) -> Result<Self, StoreError> {
        let mut columns = Self::default();
        for pending in batch {
            let size = i32::try_from(pending.events.len())
                .map_err(|_| StoreError::decode("a command with more than 2³¹ events"))?;
            columns.command_sizes.push(size);
            for event in &pending.events {
                columns.aggregate_types.push(pending.aggregate_type);
                columns.aggregate_ids.push(&event.aggregate_id);
                let sequence = i64::try_from(event.sequence)
                    .map_err(|_| StoreError::decode("a sequence beyond i64"))?;
                columns.sequences.push(sequence);
                columns.event_types.push(&event.event_type);
                columns.event_versions.push(&event.event_version);
                columns.payloads.push(Json(&event.payload));
                columns.metadatas.push(Json(&event.metadata));
            }
        }
        Ok(columns)
    }
}

impl Committer for PgCommitter {
    async fn commit(&self, batch: &[Pending]) -> Vec<Result<LogPosition, AppendError>> {
        let columns = match Columns::of(batch) {
            Ok(columns) => columns,
            Err(error) => return each_failed(batch.len(), &error),
        };
        let mut connection = match self.0.take().await {
            Ok(connection) => connection,
            Err(error) => return all_failed(batch.len(), error),
        };
        let rows = sqlx::query_as::<_, Outcome>(
            "SELECT log_transaction, last_position, refusal \
             FROM guanjia_append($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(columns.aggregate_types)
        .bind(columns.aggregate_ids)
        .bind(columns.sequences)
        .bind(columns.event_types)
        .bind(columns.event_versions)
        .bind(columns.payloads)
        .bind(columns.metadatas)
        .bind(columns.command_sizes)
        .fetch_all(&mut *connection)
        .await;
        if rows.is_ok() {
            self.0.keep(connection);
        }
        match rows {
            Ok(rows) if rows.len() == batch.len() => rows.into_iter().map(outcome).collect(),
            Ok(rows) => {
                let error = StoreError::decode(format!(
                    "guanjia_append answered {} commands of {}",
                    rows.len(),
                    batch.len()
                ));
                each_failed(batch.len(), &error)
            }
            Err(error) => all_failed(batch.len(), error),
        }
    }
}

/// One command's outcome as the function reported it.
fn outcome(row: Outcome) -> Result<LogPosition, AppendError> {
    match row {
        Outcome {
            log_transaction: Some(transaction),
            last_position: Some(position),
            ..
        } => {
            let parts = to_u64(transaction).and_then(|t| Ok((t, to_u64(position)?)));
            parts
                .map(|(transaction, position)| LogPosition::from_parts(transaction, position))
                .map_err(AppendError::Failed)
        }
        Outcome {
            refusal: Some(refusal),
            ..
        } if refusal == CONFLICT => Err(AppendError::Conflict),
        Outcome {
            refusal: Some(refusal),
            ..
        } => Err(AppendError::Failed(StoreError::database(Refused(refusal)))),
        Outcome { .. } => Err(AppendError::Failed(StoreError::decode(
            "an append wrote no row",
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(transaction: Option<i64>, position: Option<i64>, refusal: Option<&str>) -> Outcome {
        Outcome {
            log_transaction: transaction,
            last_position: position,
            refusal: refusal.map(str::to_owned),
        }
    }

    #[test]
    fn an_appended_command_is_told_its_position() {
        let told = outcome(row(Some(900), Some(12), None)).ok();
        assert_eq!(told, Some(LogPosition::from_parts(900, 12)));
    }

    #[test]
    fn a_taken_key_is_a_conflict() {
        let told = outcome(row(None, None, Some(CONFLICT)));
        assert!(matches!(told, Err(AppendError::Conflict)));
    }

    #[test]
    fn any_other_refusal_is_a_database_error_that_keeps_what_the_database_said() {
        let told = outcome(row(None, None, Some("23514 new row violates a check")));
        let Err(AppendError::Failed(error)) = told else {
            panic!("a refusal other than a conflict fails the command");
        };
        assert!(matches!(error, StoreError::Database { .. }), "{error:?}");
        let detail = error.detail().unwrap_or_default();
        assert!(
            detail.contains("23514 new row violates a check"),
            "{detail}"
        );
    }

    #[test]
    fn neither_a_position_nor_a_refusal_is_a_failure() {
        let told = outcome(row(None, None, None));
        assert!(matches!(
            told,
            Err(AppendError::Failed(StoreError::Decode { .. }))
        ));
    }
}
