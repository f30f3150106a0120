//! `guanjia backup --to FILE`: a consistent copy of a live SQLite database.
//!
//! A plain file copy of a database in use can catch it between the main file and its
//! write-ahead log and give a file that does not open, or one that silently lacks the last
//! commits. `VACUUM INTO` copies through SQLite itself, from one read transaction, so the copy
//! is one consistent state while the server keeps running. The copy is then opened and
//! checked (`PRAGMA integrity_check`, events counted) before the command reports success.
//!
//! The token signing key next to the database (`<file>.token-key`) is copied beside the
//! backup (`<backup>.token-key`), so a restore of both keeps everyone signed in.
//!
//! On PostgreSQL the backup is a portable copy (`guanjia_store::portable_backup`): one file of
//! JSON lines, read in one consistent snapshot of the running service, that `guanjia restore`
//! loads into an empty database on any cluster — another server, a new major version.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use anyhow::{bail, Context};
use guanjia_api::auth::key_file_for;
use guanjia_store::Backend;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};

use crate::cli::BackupArgs;
use crate::settings::Settings;

/// Runs the backup.
pub async fn run(settings: &Settings, args: &BackupArgs) -> anyhow::Result<()> {
    let url = &settings.database_url.value;
    let target = &args.to;
    if target.exists() {
        bail!(
            "{} already exists; a backup never overwrites a file",
            target.display()
        );
    }
    if settings.backend() == Backend::Postgres {
        return portable(url, target).await;
    }
    let source = SqliteConnectOptions::from_str(url)
        .context("the database URL is not a SQLite URL")?
        .create_if_missing(false);
    let mut connection = source
        .connect()
        .await
        .context("cannot open the database (does it exist?)")?;
    let is_guanjia: Option<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'events'",
    )
    .fetch_optional(&mut connection)
    .await?;
    if is_guanjia.is_none() {
        bail!("the database has no events table: it is not a guanjia database");
    }
    let target_text = target
        .to_str()
        .context("the backup file name must be valid UTF-8")?;
    sqlx::query("VACUUM INTO ?")
        .bind(target_text)
        .execute(&mut connection)
        .await
        .with_context(|| format!("cannot write the backup to {}", target.display()))?;
    connection.close().await?;

    let events = check_copy(target).await?;
    let size = std::fs::metadata(target).map(|m| m.len()).unwrap_or(0);
    println!(
        "Backed up {events} events to {} ({size} bytes).",
        target.display()
    );
    match copy_key(url, target)? {
        Some(key) => println!("Copied the token signing key to {}.", key.display()),
        None => println!("No token key file to copy (GUANJIA_TOKEN_SECRET signs tokens)."),
    }
    println!("Restore: stop guanjia, put the file (and its .token-key) in place of the database, start guanjia.");
    Ok(())
}

/// The portable copy of a PostgreSQL log, written to a temporary name and renamed when whole.
async fn portable(url: &str, target: &Path) -> anyhow::Result<()> {
    let mut partial = target.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&partial)
        .with_context(|| format!("cannot create {}", partial.display()))?;
    let mut out = std::io::BufWriter::new(file);
    let report = match guanjia_store::portable_backup(url, &mut out).await {
        Ok(report) => report,
        Err(error) => {
            drop(out);
            let _ = std::fs::remove_file(&partial);
            let detail = error
                .detail()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default();
            bail!("the backup failed: {error}{detail}");
        }
    };
    let file = out.into_inner().context("cannot write the backup")?;
    file.sync_all().context("cannot write the backup")?;
    std::fs::rename(&partial, target)
        .with_context(|| format!("cannot name the backup {}", target.display()))?;
    println!(
        "Backed up {} events (up to position {}), {} personal-data keys and {} chain links to {}.",
        report.events,
        report.head,
        report.keys,
        report.links,
        target.display()
    );
    println!(
        "It holds the keys of personal data: keep it as safe as the database. Restore with \
         `guanjia restore --from {}` into an empty database (docs/operations.md).",
        target.display()
    );
    Ok(())
}

/// Opens the copy read-only, checks it, and counts its events.
async fn check_copy(path: &Path) -> anyhow::Result<i64> {
    let mut copy = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .connect()
        .await
        .context("the backup does not open")?;
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut copy)
        .await?;
    if integrity != "ok" {
        bail!("the backup failed SQLite's integrity check: {integrity}");
    }
    let events: i64 = sqlx::query_scalar("SELECT count(*) FROM events")
        .fetch_one(&mut copy)
        .await?;
    copy.close().await?;
    Ok(events)
}

/// Copies `<database>.token-key` to `<backup>.token-key`, keeping it private.
fn copy_key(url: &str, target: &Path) -> anyhow::Result<Option<PathBuf>> {
    let Some(key) = key_file_for(url).filter(|key| key.exists()) else {
        return Ok(None);
    };
    let mut name = target.as_os_str().to_owned();
    name.push(".token-key");
    let copy = PathBuf::from(name);
    std::fs::copy(&key, &copy)
        .with_context(|| format!("cannot copy the token key to {}", copy.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(Some(copy))
}
