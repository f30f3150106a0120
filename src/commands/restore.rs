//! `guanjia restore --from FILE`: a backup made by `guanjia backup`, put in place.
//!
//! - PostgreSQL: the portable copy is loaded into the configured database, which must hold no
//!   event (it is migrated first), in one transaction. The restored log keeps its positions,
//!   its chain and its personal-data keys; on a cluster whose transaction counter is behind the
//!   log, the store adopts an offset when it opens (docs/event-log.md, "After a restore").
//! - SQLite: the backup file is copied to the configured database file, which must not exist
//!   (with its `.token-key`, so that everyone stays signed in).
//!
//! Either way the restored log is then opened and its hash chain verified before the command
//! reports success.

use std::io::BufReader;
use std::path::Path;

use anyhow::{bail, Context};
use guanjia_api::auth::key_file_for;
use guanjia_store::{Backend, StoreOptions};

use crate::cli::RestoreArgs;
use crate::settings::Settings;

/// Runs the restore.
pub async fn run(settings: &Settings, args: &RestoreArgs) -> anyhow::Result<()> {
    let url = &settings.database_url.value;
    let source = &args.from;
    if !source.is_file() {
        bail!("{} is not a file", source.display());
    }
    match settings.backend() {
        Backend::Postgres => {
            let file = std::fs::File::open(source)
                .with_context(|| format!("cannot open {}", source.display()))?;
            let report = guanjia_store::portable_restore(url, BufReader::new(file))
                .await
                .map_err(|error| {
                    let detail = error
                        .detail()
                        .map(|d| format!(" ({d})"))
                        .unwrap_or_default();
                    anyhow::anyhow!("the restore failed, nothing was written: {error}{detail}")
                })?;
            println!(
                "Restored {} events (up to position {}), {} personal-data keys and {} chain links.",
                report.events, report.head, report.keys, report.links
            );
        }
        Backend::Sqlite => copy_sqlite(settings, source)?,
    }
    check(url).await
}

/// Copies a SQLite backup (and its token key) into place; never over an existing database.
fn copy_sqlite(settings: &Settings, source: &Path) -> anyhow::Result<()> {
    let Some(database) = settings.sqlite_database_file() else {
        bail!("the database URL names no file");
    };
    if database.exists() {
        bail!(
            "{} already exists; restore into a new file (or move the old one away first)",
            database.display()
        );
    }
    std::fs::copy(source, &database)
        .with_context(|| format!("cannot copy the backup to {}", database.display()))?;
    let mut source_key = source.as_os_str().to_owned();
    source_key.push(".token-key");
    if let Some(key) = key_file_for(&settings.database_url.value) {
        if Path::new(&source_key).exists() {
            std::fs::copy(&source_key, &key).context("cannot copy the token key")?;
        }
    }
    println!("Copied the backup to {}.", database.display());
    Ok(())
}

/// Opens the restored log (adopting a transaction offset if the cluster needs one) and
/// verifies its chain.
async fn check(url: &str) -> anyhow::Result<()> {
    let store = guanjia_store::Store::open(url, StoreOptions::default())
        .await
        .context("the restored database does not open")?;
    let report = store.verify_chain().await;
    store.close().await;
    let report = report.context("cannot verify the restored chain")?;
    if let Some(problem) = report.problem {
        bail!("the restored log does not verify: {problem}");
    }
    println!(
        "The restored log is intact: {} chained events verified. Start guanjia on it.",
        report.verified
    );
    Ok(())
}
