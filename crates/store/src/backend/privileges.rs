//! The privileges `guanjia serve` needs on PostgreSQL, checked at start-up so that a role
//! missing one is told which, instead of failing on the first request that needs it.
//!
//! The service runs as a role that can read and insert where it must and change nothing else
//! (docs/operations.md, "Two roles"): the log and the chain only grow; caches, keys and the
//! migration record are what it may replace or delete. The owner role migrates.

use sqlx::postgres::PgPool;

use crate::StoreError;

/// Table (or view) and privilege, as `has_table_privilege` names them.
pub(crate) const TABLES: &[(&str, &str)] = &[
    ("events", "SELECT"),
    ("events", "INSERT"),
    ("snapshots", "SELECT"),
    ("snapshots", "INSERT"),
    ("snapshots", "UPDATE"),
    ("snapshots", "DELETE"),
    ("log_chain", "SELECT"),
    ("log_chain", "INSERT"),
    ("personal_keys", "SELECT"),
    ("personal_keys", "INSERT"),
    ("personal_keys", "UPDATE"),
    ("read_model_keys", "SELECT"),
    ("read_model_keys", "INSERT"),
    ("read_model_keys", "DELETE"),
    ("log_transaction_offsets", "SELECT"),
    ("log_transaction_offsets", "INSERT"),
    ("log_quiet_transactions", "SELECT"),
    ("_sqlx_migrations", "SELECT"),
];

/// Sequence and privilege, as `has_sequence_privilege` names them.
pub(crate) const SEQUENCES: &[(&str, &str)] = &[
    ("events_global_position_seq", "USAGE"),
    ("read_model_keys_id_seq", "USAGE"),
    ("log_transaction_offsets_id_seq", "USAGE"),
];

pub(crate) async fn check(pool: &PgPool) -> Result<(), StoreError> {
    let (tables, table_privileges): (Vec<&str>, Vec<&str>) = TABLES.iter().copied().unzip();
    let (sequences, sequence_privileges): (Vec<&str>, Vec<&str>) =
        SEQUENCES.iter().copied().unzip();
    let missing: Vec<String> = sqlx::query_scalar(
        "SELECT privilege || ' on ' || object FROM ( \
             SELECT t.object, t.privilege, has_table_privilege(t.object, t.privilege) AS granted \
             FROM UNNEST($1::text[], $2::text[]) AS t(object, privilege) \
             UNION ALL \
             SELECT s.object, s.privilege, has_sequence_privilege(s.object, s.privilege) \
             FROM UNNEST($3::text[], $4::text[]) AS s(object, privilege) \
         ) AS checked WHERE NOT granted",
    )
    .bind(tables)
    .bind(table_privileges)
    .bind(sequences)
    .bind(sequence_privileges)
    .fetch_all(pool)
    .await?;
    if missing.is_empty() {
        Ok(())
    } else {
        Err(StoreError::MissingPrivilege {
            missing: missing.join(", "),
        })
    }
}
