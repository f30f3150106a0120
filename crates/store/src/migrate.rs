//! The schema: migrations run at start-up and by the `migrate` command.
//!
//! At start-up nothing is run when the schema is current, so the service may run as a role
//! that cannot change the schema (docs/operations.md, "Two roles"); when migrations are due and
//! that role may not apply them, it is told to run `guanjia migrate` as the owner.
//!
//! The SQL lives in the top-level `migrations/postgres` and `migrations/sqlite` folders and is
//! compiled into the binary. Before touching anything, the database's recorded migrations are
//! compared with the binary's: a database that a newer program migrated is refused with
//! [`StoreError::SchemaTooNew`] and left exactly as it was, so an old node started by mistake
//! cannot write events the newer schema does not expect.

use std::sync::Arc;

use sqlx::migrate::MigrateError;

use crate::backend::Db;
use crate::{StoreError, StoreOptions};

/// What a migration run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationReport {
    /// The versions applied by this run, in order; empty when the schema was already current.
    pub applied: Vec<i64>,
    /// The schema version after the run: the highest version recorded in the database.
    pub version: i64,
}

/// Brings the database at `url` to the binary's schema and closes the connection: the
/// `migrate` command. [`Store::open`](crate::Store::open) does the same on its own.
pub async fn migrate(url: &str) -> Result<MigrationReport, StoreError> {
    let db = Db::connect(url, &StoreOptions::default()).await?;
    let report = run(&db).await;
    db.close().await;
    report
}

/// At start-up: nothing when the schema is current; else the missing migrations, or
/// [`StoreError::NeedsMigration`] when this role may not apply them.
pub(crate) async fn bring_up_to_date(db: &Db) -> Result<(), StoreError> {
    let known: Vec<i64> = db.migrator().iter().map(|m| m.version).collect();
    let applied = db.applied_migrations().await?.unwrap_or_default();
    refuse_newer(&applied, &known, known.iter().copied().max().unwrap_or(0))?;
    let Some(pending) = known.iter().copied().find(|v| !applied.contains(v)) else {
        return Ok(());
    };
    match run(db).await {
        Ok(_) => Ok(()),
        Err(StoreError::Migration { source }) if lacks_privilege(&source) => {
            Err(StoreError::NeedsMigration {
                pending,
                reason: source.to_string(),
            })
        }
        Err(other) => Err(other),
    }
}

/// Whether a migration failed for want of a privilege (SQLSTATE 42501), not for a bug.
fn lacks_privilege(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(error) = cause {
        let database = error
            .downcast_ref::<MigrateError>()
            .and_then(|e| match e {
                MigrateError::Execute(sqlx) | MigrateError::ExecuteMigration(sqlx, _) => {
                    sqlx.as_database_error()
                }
                _ => None,
            })
            .or_else(|| {
                error
                    .downcast_ref::<sqlx::Error>()
                    .and_then(sqlx::Error::as_database_error)
            });
        if database.and_then(|d| d.code()).as_deref() == Some("42501") {
            return true;
        }
        cause = error.source();
    }
    false
}

/// Checks that the database is not newer than the binary, then applies the missing migrations.
pub(crate) async fn run(db: &Db) -> Result<MigrationReport, StoreError> {
    let known: Vec<i64> = db
        .migrator()
        .iter()
        .map(|migration| migration.version)
        .collect();
    let binary_version = known.iter().copied().max().unwrap_or(0);
    let before = db.applied_migrations().await?.unwrap_or_default();
    refuse_newer(&before, &known, binary_version)?;

    db.run_migrations().await.map_err(|error| match error {
        // Another, newer node migrated between our check and the run.
        MigrateError::VersionMissing(version) => StoreError::SchemaTooNew {
            database_version: version,
            binary_version,
        },
        other => StoreError::Migration {
            source: Arc::new(other),
        },
    })?;

    let after = db.applied_migrations().await?.unwrap_or_default();
    let applied: Vec<i64> = after
        .iter()
        .copied()
        .filter(|version| !before.contains(version))
        .collect();
    for version in &applied {
        tracing::info!(version, backend = ?db.backend(), "applied schema migration");
    }
    Ok(MigrationReport {
        applied,
        version: after.iter().copied().max().unwrap_or(0),
    })
}

/// A database that recorded a migration this binary does not have was migrated by a newer
/// program.
fn refuse_newer(applied: &[i64], known: &[i64], binary_version: i64) -> Result<(), StoreError> {
    let unknown = applied
        .iter()
        .copied()
        .filter(|version| !known.contains(version))
        .max();
    match unknown {
        None => Ok(()),
        Some(_) => Err(StoreError::SchemaTooNew {
            database_version: applied.iter().copied().max().unwrap_or(0),
            binary_version,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_with_an_unknown_migration_is_too_new() {
        assert_eq!(refuse_newer(&[], &[1, 2], 2), Ok(()));
        assert_eq!(refuse_newer(&[1], &[1, 2], 2), Ok(()));
        assert_eq!(
            refuse_newer(&[1, 2, 3], &[1, 2], 2),
            Err(StoreError::SchemaTooNew {
                database_version: 3,
                binary_version: 2
            })
        );
    }
}
