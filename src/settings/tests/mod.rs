//! The settings resolved end to end, as `Settings::resolve` sees a process: environment
//! variables, a configuration file, the defaults worked out from other settings, and what
//! `guanjia config` prints. The pieces have their own tests beside them.

use std::collections::HashMap;
use std::path::PathBuf;

use guanjia_read::follower::SNAPSHOT_EVERY;
use guanjia_read::SnapshotFile;

use super::{FileConfig, Settings, Source};
use crate::cli::{GlobalArgs, ServeArgs};

mod public;

/// The settings of a process started with these environment variables and no flags.
fn resolve(env: &[(&str, &str)]) -> anyhow::Result<Settings> {
    resolve_with(ServeArgs::default(), env)
}

/// The settings of a process with these serve flags and environment variables.
fn resolve_with(serve: ServeArgs, env: &[(&str, &str)]) -> anyhow::Result<Settings> {
    let env: HashMap<String, String> = env
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
    Settings::resolve(&GlobalArgs::default(), &serve, &move |name| {
        env.get(name).cloned()
    })
}

/// The snapshot path in effect for a process with these environment variables.
fn snapshot_path(env: &[(&str, &str)]) -> anyhow::Result<Option<PathBuf>> {
    Ok(resolve(env)?.snapshot_file())
}

#[test]
fn the_snapshot_sits_beside_a_sqlite_database_by_default() -> anyhow::Result<()> {
    let settings = resolve(&[])?;
    let found = settings.snapshot_file_sourced();
    assert_eq!(
        found.map(|f| (f.value, f.source)),
        Some((PathBuf::from("./guanjia.db.read-model"), Source::Default))
    );
    assert_eq!(
        snapshot_path(&[(
            "GUANJIA_DATABASE_URL",
            "sqlite:///var/lib/guanjia/guanjia.db"
        )])?,
        Some(PathBuf::from("/var/lib/guanjia/guanjia.db.read-model"))
    );
    Ok(())
}

#[test]
fn the_default_snapshot_ignores_the_query_string_of_the_sqlite_url() -> anyhow::Result<()> {
    assert_eq!(
        snapshot_path(&[(
            "GUANJIA_DATABASE_URL",
            "sqlite:///var/lib/guanjia/guanjia.db?mode=rwc"
        )])?,
        Some(PathBuf::from("/var/lib/guanjia/guanjia.db.read-model"))
    );
    assert_eq!(
        snapshot_path(&[("GUANJIA_DATABASE_URL", "sqlite:data/g.db?mode=rwc")])?,
        Some(PathBuf::from("data/g.db.read-model"))
    );
    Ok(())
}

#[test]
fn postgresql_has_no_default_snapshot() -> anyhow::Result<()> {
    let settings = resolve(&[("GUANJIA_DATABASE_URL", "postgres://guanjia@db/guanjia")])?;
    assert_eq!(settings.snapshot_file(), None);
    assert_eq!(settings.app_config()?.snapshot, None);
    Ok(())
}

#[test]
fn in_memory_sqlite_has_no_default_snapshot() -> anyhow::Result<()> {
    // The store refuses these URLs, so `resolve` never returns them; the default must still
    // not name a file called `:memory:.read-model`.
    let mut settings = resolve(&[])?;
    for url in [
        "sqlite::memory:",
        "sqlite://:memory:",
        "sqlite://?mode=memory",
        "sqlite://g.db?mode=memory",
    ] {
        settings.database_url.value = url.to_owned();
        assert_eq!(settings.snapshot_file(), None, "{url}");
    }
    Ok(())
}

#[test]
fn a_snapshot_file_from_the_file_or_the_environment_wins() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let config = dir.path().join("guanjia.toml");
    std::fs::write(
        &config,
        "snapshot_file = \"/srv/node-a.read-model\"\nsnapshot_every = 5000\n",
    )?;
    let config = config.display().to_string();

    let from_file = resolve(&[("GUANJIA_CONFIG", &config)])?;
    assert_eq!(
        from_file
            .snapshot_file_sourced()
            .map(|f| (f.value, f.source)),
        Some((PathBuf::from("/srv/node-a.read-model"), Source::File))
    );
    let app = from_file.app_config()?;
    assert_eq!(
        app.snapshot,
        Some(SnapshotFile::new("/srv/node-a.read-model"))
    );
    assert_eq!(app.snapshot_every, 5000);

    let from_env = resolve(&[
        ("GUANJIA_CONFIG", &config),
        ("GUANJIA_DATABASE_URL", "postgres://guanjia@db/guanjia"),
        ("GUANJIA_SNAPSHOT_FILE", "/srv/node-b.read-model"),
        ("GUANJIA_SNAPSHOT_EVERY", "20000"),
    ])?;
    assert_eq!(
        from_env
            .snapshot_file_sourced()
            .map(|f| (f.value, f.source)),
        Some((
            PathBuf::from("/srv/node-b.read-model"),
            Source::Env("GUANJIA_SNAPSHOT_FILE".to_owned())
        ))
    );
    assert_eq!(from_env.app_config()?.snapshot_every, 20000);
    Ok(())
}

#[test]
fn snapshot_every_defaults_to_the_read_models_interval() -> anyhow::Result<()> {
    let app = resolve(&[])?.app_config()?;
    assert_eq!(app.snapshot_every, SNAPSHOT_EVERY);
    assert_eq!(
        app.snapshot,
        Some(SnapshotFile::new("./guanjia.db.read-model"))
    );
    Ok(())
}

#[test]
fn snapshot_every_zero_turns_snapshots_off_even_with_a_path() -> anyhow::Result<()> {
    for env in [
        vec![("GUANJIA_SNAPSHOT_EVERY", "0")],
        vec![
            ("GUANJIA_SNAPSHOT_EVERY", "0"),
            ("GUANJIA_SNAPSHOT_FILE", "/srv/node-a.read-model"),
        ],
    ] {
        let settings = resolve(&env)?;
        assert_eq!(settings.snapshot_file(), None, "{env:?}");
        assert_eq!(settings.app_config()?.snapshot, None, "{env:?}");
    }
    Ok(())
}

#[test]
fn a_snapshot_file_on_the_database_itself_is_refused() {
    let error = resolve(&[
        ("GUANJIA_DATABASE_URL", "sqlite://./data/g.db"),
        ("GUANJIA_SNAPSHOT_FILE", "data/g.db"),
    ])
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(error.contains("snapshot_file"), "{error}");
}

#[test]
fn the_listing_shows_the_snapshot_in_effect_and_why() -> anyhow::Result<()> {
    let sqlite = resolve(&[])?.listing();
    assert!(
        sqlite.contains(
            "snapshot_file = \"./guanjia.db.read-model\"  # default (beside the SQLite database)\n"
        ),
        "{sqlite}"
    );
    assert!(
        sqlite.contains(&format!("snapshot_every = {SNAPSHOT_EVERY}  # default\n")),
        "{sqlite}"
    );

    let postgres = resolve(&[("GUANJIA_DATABASE_URL", "postgres://guanjia@db/guanjia")])?;
    assert!(
        postgres.listing().contains("# snapshot_file is unset: "),
        "{}",
        postgres.listing()
    );

    let off = resolve(&[
        ("GUANJIA_SNAPSHOT_EVERY", "0"),
        ("GUANJIA_SNAPSHOT_FILE", "/srv/a.read-model"),
    ])?
    .listing();
    assert!(
        off.contains("# snapshot_file is off: snapshot_every = 0"),
        "{off}"
    );
    assert!(
        off.contains("snapshot_every = 0  # env GUANJIA_SNAPSHOT_EVERY\n"),
        "{off}"
    );
    Ok(())
}

#[test]
fn the_listing_reads_back_as_a_configuration_file() -> anyhow::Result<()> {
    let listing = resolve(&[("GUANJIA_SNAPSHOT_EVERY", "250")])?.listing();
    let file = FileConfig::parse(&listing)?;
    assert_eq!(
        file.snapshot_file,
        Some(PathBuf::from("./guanjia.db.read-model"))
    );
    assert_eq!(file.snapshot_every, Some(250));
    Ok(())
}
