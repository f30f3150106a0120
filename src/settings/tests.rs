//! The settings resolved end to end, as `Settings::resolve` sees a process: environment
//! variables, a configuration file, the defaults worked out from other settings, and what
//! `guanjia config` prints. The pieces have their own tests beside them.

use std::collections::HashMap;
use std::path::PathBuf;

use guanjia_read::follower::SNAPSHOT_EVERY;
use guanjia_read::SnapshotFile;

use super::{FileConfig, Settings, Source};
use crate::cli::{GlobalArgs, ServeArgs};

/// The settings of a process started with these environment variables and no flags.
fn resolve(env: &[(&str, &str)]) -> anyhow::Result<Settings> {
    let env: HashMap<String, String> = env
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
    Settings::resolve(
        &GlobalArgs::default(),
        &ServeArgs::default(),
        &move |name| env.get(name).cloned(),
    )
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

#[test]
fn the_public_url_and_the_proxy_header_come_from_a_flag_the_environment_or_the_file(
) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let config = dir.path().join("guanjia.toml");
    std::fs::write(
        &config,
        "public_base_url = \"https://file.example.gov.cn\"\nclient_ip_header = \"x-real-ip\"\n\
         max_subscriptions = 20\n",
    )?;
    let config = config.display().to_string();

    let file = resolve(&[("GUANJIA_CONFIG", &config)])?;
    let app = file.app_config()?;
    assert_eq!(
        app.public_base_url.as_deref(),
        Some("https://file.example.gov.cn")
    );
    assert_eq!(
        app.limits.rate.client_ip_header.as_deref(),
        Some("x-real-ip")
    );
    assert_eq!(app.limits.max_subscriptions, 20);
    assert_eq!(file.public_base_url.map(|s| s.source), Some(Source::File));

    let env = resolve(&[
        ("GUANJIA_CONFIG", &config),
        ("GUANJIA_PUBLIC_BASE_URL", "https://env.example.gov.cn/pj"),
        ("GUANJIA_CLIENT_IP_HEADER", "X-Forwarded-For"),
    ])?;
    let app = env.app_config()?;
    assert_eq!(
        app.public_base_url.as_deref(),
        Some("https://env.example.gov.cn/pj")
    );
    assert_eq!(
        app.limits.rate.client_ip_header.as_deref(),
        Some("X-Forwarded-For")
    );

    let flags = ServeArgs {
        public_base_url: Some("https://flag.example.gov.cn".to_owned()),
        client_ip_header: Some("x-client-ip".to_owned()),
        ..ServeArgs::default()
    };
    let flag = resolve_with(flags, &[("GUANJIA_CONFIG", &config)])?;
    let listing = flag.listing();
    assert!(
        listing.contains("public_base_url = \"https://flag.example.gov.cn\"  # flag\n"),
        "{listing}"
    );
    assert!(
        listing.contains("client_ip_header = \"x-client-ip\"  # flag\n"),
        "{listing}"
    );
    let app = flag.app_config()?;
    assert_eq!(
        app.public_base_url.as_deref(),
        Some("https://flag.example.gov.cn")
    );
    assert_eq!(
        app.limits.rate.client_ip_header.as_deref(),
        Some("x-client-ip")
    );
    Ok(())
}

#[test]
fn without_them_links_follow_the_listen_address_and_limits_the_tcp_peer() -> anyhow::Result<()> {
    let settings = resolve(&[])?;
    let app = settings.app_config()?;
    assert_eq!(app.public_base_url, None);
    assert_eq!(app.limits.rate.client_ip_header, None);
    assert_eq!(app.limits.max_subscriptions, 50);
    let listing = settings.listing();
    assert!(
        listing.contains("# public_base_url is unset: http://<listen>\n"),
        "{listing}"
    );
    assert!(
        listing.contains("# client_ip_header is unset: the TCP peer\n"),
        "{listing}"
    );
    Ok(())
}

#[test]
fn a_bad_public_url_or_proxy_header_is_refused_naming_the_setting() {
    for (name, value, named) in [
        (
            "GUANJIA_PUBLIC_BASE_URL",
            "pj.example.gov.cn",
            "public_base_url",
        ),
        (
            "GUANJIA_PUBLIC_BASE_URL",
            "https://pj.example.gov.cn/?x=1",
            "public_base_url",
        ),
        (
            "GUANJIA_CLIENT_IP_HEADER",
            "x forwarded for",
            "client_ip_header",
        ),
        ("GUANJIA_MAX_SUBSCRIPTIONS", "0", "max_subscriptions"),
    ] {
        let error = resolve(&[(name, value)])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains(named), "{name}={value}: {error}");
    }
}
